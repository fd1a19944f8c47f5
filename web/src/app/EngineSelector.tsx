// Toolbar control: where runs go (auto / local / remote) and, behind the gear,
// the server URL and token (the token normally arrives via ?token= in the URL).
import { useState } from 'react';
import { useStore } from '@/shared/store/create-store';
import type { EngineChoice } from '@/shared/engine/policy';
import { hostOf } from '@/shared/engine/server';
import { useAppStores } from './stores-context';

const TITLES: Record<EngineChoice, string> = {
  auto: 'auto: large circuits on the simcore server (when reachable and signed in), the rest in this browser',
  local: 'local: always in this browser (WebAssembly worker)',
  remote: 'remote: always on the simcore server',
};

export function EngineSelector() {
  const { engine, engineSettings } = useAppStores();
  const settings = useStore(engineSettings, (s) => s);
  const reachable = useStore(engine.status, (s) => s.serverReachable);
  const [open, setOpen] = useState(false);
  const host = hostOf(engine.baseUrl);
  const serverState = reachable === undefined ? 'not probed' : reachable ? 'reachable' : 'unreachable';

  return (
    <div className="relative flex items-center gap-1 rounded bg-slate-800 px-2 py-0.5 text-xs text-slate-200">
      <span
        data-testid="server-state"
        data-reachable={reachable === undefined ? '' : String(reachable)}
        className={`inline-block h-2 w-2 rounded-full ${reachable ? 'bg-emerald-400' : reachable === false ? 'bg-slate-500' : 'bg-slate-600'}`}
        title={`simcore server ${host}: ${serverState}${settings.token ? '' : ' · no token'}`}
      />
      <label htmlFor="engine-select">engine</label>
      <select
        id="engine-select"
        data-testid="engine-select"
        value={settings.mode}
        title={TITLES[settings.mode]}
        onChange={(e) => engine.setMode(e.target.value as EngineChoice)}
        className="rounded bg-slate-700 px-1 py-0.5 text-xs text-slate-100"
      >
        <option value="auto">auto</option>
        <option value="local">local</option>
        <option value="remote">remote</option>
      </select>
      <button data-testid="engine-settings-button" onClick={() => setOpen((o) => !o)} className="rounded px-1 hover:bg-slate-700" title="Server settings">
        ⚙
      </button>
      {open && (
        <div data-testid="engine-settings" className="absolute right-0 top-8 z-20 w-80 space-y-2 rounded-md bg-white p-3 text-slate-800 shadow-xl ring-1 ring-slate-200">
          <label className="block">
            <span className="text-xs font-medium">Server URL</span>
            <input
              data-testid="server-url"
              className="mt-0.5 w-full rounded border border-slate-300 px-1.5 py-0.5 text-xs"
              placeholder={`this page's origin (${typeof location === 'object' ? location.origin : ''})`}
              value={settings.baseUrl}
              onChange={(e) => engineSettings.set((s) => ({ ...s, baseUrl: e.target.value }))}
            />
          </label>
          <label className="block">
            <span className="text-xs font-medium">Token</span>
            <input
              data-testid="server-token"
              type="password"
              className="mt-0.5 w-full rounded border border-slate-300 px-1.5 py-0.5 text-xs"
              placeholder="from the URL simcore serve prints (?token=…)"
              value={settings.token}
              onChange={(e) => engineSettings.set((s) => ({ ...s, token: e.target.value.trim() }))}
            />
          </label>
          <div className="text-xs text-slate-500">
            {host}: {serverState}
          </div>
        </div>
      )}
    </div>
  );
}
