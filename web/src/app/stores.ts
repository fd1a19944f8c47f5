// The app's state: one engine (local wasm or a simcore server, picked per run),
// one run controller, the stores.
import { LocalEngine } from '@/shared/engine/local-engine';
import { EngineSwitch } from '@/shared/engine/engine-switch';
import { calibrationNetlist, SpeedTracker } from '@/shared/engine/speeds';
import { costOf } from '@/shared/engine/policy';
import { captureTokenFromLocation, createSettingsStore, ServerProbe } from '@/shared/engine/server';
import { createStore } from '@/shared/store/create-store';
import { createSimulation } from '@/features/simulation/controller';
import { createDocStore } from '@/features/schematic/model/doc-store';
import { createEditorStore } from '@/features/schematic/model/editor-store';
import { createClipboardStore } from '@/features/schematic/editor/machine';
import { createLiveViewStore } from '@/features/schematic/live/live-view';
import { createPlotStore } from '@/features/plots/plot-store';
import { rcSchematic } from '@/features/examples/rc-schematic';
import type { Source } from '@/features/files/workspace';

/** Everything the app keeps between renders; made once per page (main.tsx) and handed down by context. */
export function createAppStores() {
  const engineSettings = createSettingsStore();
  // `simcore serve` prints http://host:port/?token=...: keep the token, clean the address bar.
  captureTokenFromLocation(engineSettings);
  // The wasm engine: runs small circuits, and writes result files (CSV export) for every run.
  const localEngine = new LocalEngine();
  /** Measured engine speeds: the auto policy's calibration (a local probe, then every run). */
  const speeds = new SpeedTracker();

  /** The local probe: time a small RC ladder in the wasm engine and record its speed. */
  async function calibrateLocal(): Promise<void> {
    const netlist = calibrationNetlist();
    const { cost } = costOf(await localEngine.describe(netlist));
    const t0 = performance.now();
    const summary = await localEngine.run(netlist, {}, () => {}).done;
    if (summary.ok) speeds.recordLocal(cost, performance.now() - t0);
  }

  const engine = new EngineSwitch({
    local: localEngine,
    settings: engineSettings,
    probe: new ServerProbe(),
    // The gRPC-Web client is a separate chunk, fetched on the first remote run.
    speeds,
    calibrate: calibrateLocal,
    loadRemote: async (baseUrl, token) => new (await import('@/shared/engine/remote-engine')).RemoteEngine({ baseUrl, token }),
  });
  return {
    engineSettings,
    localEngine,
    speeds,
    engine,
    sim: createSimulation(engine),
    docStore: createDocStore(rcSchematic()),
    editor: createEditorStore(),
    /** Copied schematic items (Ctrl+C / Ctrl+V), shared by the page. */
    clipboard: createClipboardStore(),
    plots: createPlotStore(),
    workspace: createStore<{ source: Source; netlist: string; fileName: string; notice: string }>({
      source: 'schematic',
      netlist: '',
      fileName: 'RC low-pass',
      notice: '',
    }),
    /** Live values on the schematic (voltage colours, current dots, hover values). */
    liveView: createLiveViewStore(),
  };
}

export type AppStores = ReturnType<typeof createAppStores>;
