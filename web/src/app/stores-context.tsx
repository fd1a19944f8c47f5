// The app's stores reach components through this context (no module singletons),
// so a test or a second app on the page can bring its own.
import { createContext, useContext, type ReactNode } from 'react';
import type { AppStores } from './stores';

const StoresContext = createContext<AppStores | null>(null);

export function StoresProvider({ stores, children }: { stores: AppStores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useAppStores(): AppStores {
  const s = useContext(StoresContext);
  if (!s) throw new Error('useAppStores outside StoresProvider');
  return s;
}
