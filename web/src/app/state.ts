// The app's singletons: one engine, one run controller, the stores.
import { LocalEngine } from '@/shared/engine/local-engine';
import { createStore } from '@/shared/store/create-store';
import { createSimulation } from '@/features/simulation/controller';
import { createDocStore } from '@/features/schematic/model/doc-store';
import { createEditorStore } from '@/features/schematic/model/editor-store';
import { createPlotStore } from '@/features/plots/plot-store';
import { rcSchematic } from '@/features/examples/rc-schematic';
import type { Source } from '@/features/files/workspace';

export const engine = new LocalEngine();
export const sim = createSimulation(engine);
export const docStore = createDocStore(rcSchematic());
export const editor = createEditorStore();
export const plots = createPlotStore();
export const workspace = createStore<{ source: Source; netlist: string; fileName: string; notice: string }>({
  source: 'schematic',
  netlist: '',
  fileName: 'RC low-pass',
  notice: '',
});
