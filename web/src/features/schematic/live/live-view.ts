// Whether the schematic shows live values (voltage colours, current dots, values on
// hover). Kept in localStorage, on by default.
import { createStore } from '@/shared/store/create-store';

export interface LiveViewState {
  enabled: boolean;
}

const KEY = 'simcore.liveView';

export function createLiveViewStore(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage) {
  const store = createStore<LiveViewState>({ enabled: storage?.getItem(KEY) !== '0' });
  store.subscribe(() => storage?.setItem(KEY, store.get().enabled ? '1' : '0'));
  return store;
}

export type LiveViewStore = ReturnType<typeof createLiveViewStore>;
