import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '@/shared/store/create-store';
import { formatEng, formatSpiceNumber } from '@/shared/lib/si';
import { SchematicCanvas, type Annotation } from '@/features/schematic/components/SchematicCanvas';
import { Palette } from '@/features/schematic/components/Palette';
import { PropertiesPanel } from '@/features/schematic/components/PropertiesPanel';
import { AnalysisBar } from '@/features/schematic/components/AnalysisBar';
import { generateNetlist, probePanes, saveList, sliderParam } from '@/features/schematic/model/netlist';
import { addProbe, setProps } from '@/features/schematic/model/ops';
import { emptyDoc } from '@/features/schematic/model/schema';
import { NetlistEditor, type NetlistDiagnostic } from '@/features/netlist-editor/NetlistEditor';
import { PlotPanel } from '@/features/plots/PlotPanel';
import { addSignal, COLORS } from '@/features/plots/plot-store';
import { download } from '@/features/plots/export';
import { EXAMPLES, type Example } from '@/features/examples/examples';
import { SliderPanel, type SliderSpec } from '@/features/sliders/SliderPanel';
import { netlistParams, setNetlistParam } from '@/features/sliders/params';
import { compressToHash, decompressFromHash } from '@/features/files/share';
import { keepRejectedAutosave, loadAutosave, netlistTitle, readUserFile, REJECTED_KEY, saveAutosave, type Workspace } from '@/features/files/workspace';
import { documentErrorText, modelOfWorkspace, workspaceOfDocument } from '@/features/files/document';
import { onlyValuesChanged } from '@/features/schematic/model/doc-diff';
import { clampTo, keepRange, validRangeFor, type Range } from '@/features/sliders/range';
import { signalIndex } from '@/features/simulation/results';
import { useAppStores } from './stores-context';
import { hoverText, LiveLegend, LiveOverlay, useLiveModel, useLiveView } from '@/features/schematic/live/LiveOverlay';
import { buildLiveModel, isSmallCircuit, liveSaveSignals } from '@/features/schematic/live/live-values';
import type { Hit } from '@/features/schematic/editor/hit-test';
import type { EditorMachine } from '@/features/schematic/editor/machine';
import type { AppStores } from './stores';
import { installDebugHook } from './debug-hook';
import { StatusLine } from './StatusLine';
import { EngineSelector } from './EngineSelector';
import { libraryIndex, withInclude } from '@/features/models/library';

export function App() {
  const stores = useAppStores();
  const { docStore, editor, engine, localEngine, plots, sim, workspace, clipboard, liveView } = stores;
  const liveEnabled = useStore(liveView, (s) => s.enabled);
  const plotCursor = useStore(plots, (s) => s.cursor);
  const doc = useStore(docStore, (s) => s.doc);
  const ws = useStore(workspace, (s) => s);
  const simState = useStore(sim.state, (s) => s);
  const engineStatus = useStore(engine.status, (s) => s);
  const generated = useMemo(() => generateNetlist(doc, { allCurrents: doc.analysis.kind === 'op' }), [doc]);
  const editorText = ws.source === 'schematic' ? generated.text : ws.netlist;
  const fileInput = useRef<HTMLInputElement>(null);
  const [examplesOpen, setExamplesOpen] = useState(false);
  const [shareMsg, setShareMsg] = useState('');
  const [tabIndents, setTabIndents] = useState(() => localStorage.getItem('simcore.tabIndents') === '1');

  const runCurrent = useCallback((params?: Record<string, number>, live = false) => {
    const w = workspace.get();
    if (w.source === 'schematic') {
      const d = docStore.doc();
      const g = generateNetlist(d, { allCurrents: d.analysis.kind === 'op' });
      let save = saveList(g);
      // The live view's dots need the inductor currents too.
      if (liveView.get().enabled && d.analysis.kind === 'tran' && isSmallCircuit(d)) {
        const extra = liveSaveSignals(buildLiveModel(d, g));
        if (extra.length) save = [...new Set([...(save ?? ['all']), ...extra])];
      }
      return sim.run(g.text, { params: { ...g.params, ...params }, ...(save ? { save } : {}) }, { origin: 'schematic', live });
    }
    return sim.run(w.netlist, params ? { params } : {}, { origin: 'netlist', live });
  }, []);

  // Startup: shared link, else autosave, else the RC example. Warm up the engine.
  useEffect(() => {
    installDebugHook(stores);
    void engine.warmUp();
    // What the user sees before anything is restored: opening the autosave waits for the
    // engine, and a user who opens an example or a file meanwhile keeps it (and its run).
    const shown = workspaceShown(stores);
    (async () => {
      // Every document is checked (and migrated) before it replaces anything (document.ts).
      let w: Workspace | null = null;
      if (location.hash.includes('s=')) {
        try {
          w = await workspaceOfDocument(await decompressFromHash(location.hash), localEngine);
          workspace.set((s) => ({ ...s, notice: 'Opened from a shared link.' }));
        } catch (e) {
          workspace.set((s) => ({ ...s, notice: `The shared link cannot be opened: ${documentErrorText(e)}` }));
        }
        history.replaceState(null, '', location.pathname + location.search);
      }
      const saved = w ? null : loadAutosave();
      if (saved !== null) {
        try {
          w = await workspaceOfDocument(saved, localEngine);
        } catch (e) {
          keepRejectedAutosave();
          workspace.set((s) => ({
            ...s,
            notice: `The autosaved work cannot be opened (${documentErrorText(e)}); it is kept in local storage as ${REJECTED_KEY}.`,
          }));
        }
      }
      if (!sameWorkspaceShown(shown, workspaceShown(stores))) return;
      if (w) loadWorkspace(stores, w);
      void runCurrent();
    })();
  }, []);

  // Autosave (debounced).
  useEffect(() => {
    const t = setTimeout(() => void currentModel(stores).then(saveAutosave), 400);
    return () => clearTimeout(t);
  }, [doc, ws.netlist, ws.source, ws.fileName]);

  // Global shortcuts: Ctrl+Enter runs, Ctrl+S saves.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void runCurrent();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void saveJson();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [runCurrent]);

  // New: an empty schematic, no plot, no results of the previous circuit, no file name.
  const newDocument = () => {
    sim.clear();
    docStore.load(emptyDoc('untitled'));
    editor.set((s) => ({ ...s, selection: [], wireStart: null }));
    workspace.set((s) => ({ ...s, source: 'schematic', netlist: '', fileName: 'untitled', notice: '' }));
    plots.set({ panes: [], active: 0 });
  };

  const openNetlist = (text: string, fileName: string) => {
    workspace.set((s) => ({ ...s, source: 'netlist', netlist: text, fileName, notice: '' }));
    plots.set({ panes: [], active: 0 });
    void runCurrent();
  };

  // The editor machine (made by the canvas): the examples fit their drawing into view.
  const machine = useRef<EditorMachine | null>(null);
  const onMachine = useCallback((m: EditorMachine) => {
    machine.current = m;
  }, []);

  const loadExample = (ex: Example, asSchematic = false) => {
    setExamplesOpen(false);
    const make = asSchematic ? ex.asSchematic : ex.schematic;
    if (make) {
      const doc = make();
      docStore.load(doc);
      workspace.set((s) => ({ ...s, source: 'schematic', fileName: asSchematic ? `${ex.title} (schematic)` : ex.title, notice: '' }));
      plots.set({ panes: probePanes(doc), active: 0 });
      // After the canvas has its schematic-mode size.
      requestAnimationFrame(() => requestAnimationFrame(() => machine.current?.zoomToFit({ onlyIfClipped: true })));
      void runCurrent();
    } else openNetlist(ex.netlist!, ex.title);
  };

  const onOpenFile = async (f: File) => {
    try {
      const r = await readUserFile(f);
      if ('netlist' in r) openNetlist(r.netlist, f.name);
      else {
        loadWorkspace(stores, await workspaceOfDocument(r.document, localEngine));
        workspace.set((s) => ({ ...s, notice: '' }));
        void runCurrent();
      }
    } catch (e) {
      // The open work stays as it is.
      workspace.set((s) => ({ ...s, notice: `Cannot open ${f.name}: ${documentErrorText(e)}` }));
    }
  };

  const saveJson = async () => {
    const m = await currentModel(stores);
    download(`${stem(workspace.get().fileName)}.simcore.json`, JSON.stringify(m, null, 1), 'application/json');
  };

  const share = async () => {
    const hash = await compressToHash(await currentModel(stores));
    const url = `${location.origin}${location.pathname}#${hash}`;
    try {
      await navigator.clipboard.writeText(url);
      setShareMsg('Link copied');
    } catch {
      setShareMsg('Link in the address bar');
    }
    history.replaceState(null, '', `#${hash}`);
    setTimeout(() => setShareMsg(''), 2500);
  };

  const onNetlistChange = (text: string, how: { pasted: boolean }) => {
    workspace.set((s) => {
      // A paste that brings another circuit (a new title line) names the work after it.
      const before = s.source === 'netlist' ? s.netlist : generateNetlist(docStore.doc()).text;
      const retitled = how.pasted && netlistTitle(text) !== netlistTitle(before);
      return { ...s, source: 'netlist', netlist: text, ...(retitled ? { fileName: netlistTitle(text) } : {}) };
    });
    if (how.pasted) void runCurrent();
  };

  // A changed value (a field, the analysis) re-runs the schematic by itself, debounced.
  const rerun = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(
    () =>
      docStore.subscribe(() => {
        const { doc: next, past } = docStore.get();
        const prev = past[past.length - 1];
        if (!prev || workspace.get().source !== 'schematic' || !onlyValuesChanged(prev, next)) return;
        if (sim.state.get().status === 'idle') return; // nothing run yet (e.g. just after New)
        clearTimeout(rerun.current);
        rerun.current = setTimeout(() => {
          // Not when that netlist has run meanwhile (Run pressed, a probe, a slider).
          const text = generateNetlist(docStore.doc(), { allCurrents: docStore.doc().analysis.kind === 'op' }).text;
          if (workspace.get().source === 'schematic' && sim.state.get().netlist !== text) void runCurrent(undefined, true);
        }, 350);
      }),
    [runCurrent],
  );

  // Probing from the schematic.
  const onProbe = (p: Parameters<React.ComponentProps<typeof SchematicCanvas>['onProbe']>[0]) => {
    const pane = plots.get().active;
    docStore.update((d) => addProbe(d, { ...p, pane }), { history: 'skip' });
    const g = generateNetlist(docStore.doc(), { allCurrents: docStore.doc().analysis.kind === 'op' });
    const probe = docStore.doc().probes.find((x) => x.kind === p.kind && x.wireId === (p as { wireId?: string }).wireId && x.elementId === (p as { elementId?: string }).elementId);
    const signal = probe && g.probeSignals[probe.id];
    if (!signal || signal === 'v(0)') return;
    plots.set((s) => addSignal(s, signal));
    if (workspace.get().source !== 'schematic') workspace.set((s) => ({ ...s, source: 'schematic' }));
    const res = sim.state.get().results.list;
    const have = res.some((a) => signalIndex(a, signal) >= 0);
    if (!have || sim.state.get().origin !== 'schematic') void runCurrent();
  };

  // Operating point annotations on the schematic.
  const annotations: Annotation[] = useMemo(() => {
    if (ws.source !== 'schematic' || simState.origin !== 'schematic') return [];
    const op = simState.results.find('op');
    if (!op || !op.rows) return [];
    const out: Annotation[] = [];
    for (const [net, at] of Object.entries(generated.conn.netAnchor)) {
      if (net === '0') continue;
      const i = signalIndex(op, `v(${net})`);
      if (i >= 0) out.push({ at, text: formatEng(op.re[i][0], 'V', 4), kind: 'voltage' });
    }
    for (const [id, sig] of Object.entries(generated.currentSignals)) {
      const el = doc.elements[id];
      const i = signalIndex(op, sig);
      if (el && i >= 0) out.push({ at: { x: el.x + 0.6, y: el.y + 0.4 }, text: formatEng(op.re[i][0], 'A', 3), kind: 'current' });
    }
    return out;
  }, [simState.results, simState.dataVersion, simState.origin, generated, ws.source, doc.elements]);

  // Live values on the schematic: voltage colours, current dots, values on hover.
  const liveModel = useLiveModel(doc, generated, true);
  const showLive = ws.source === 'schematic' && simState.origin === 'schematic';
  const liveValues = useLiveView(showLive ? liveModel : null, simState.results.list, simState.dataVersion, plotCursor);
  const hoverInfo = useCallback((hit: Hit) => hoverText(hit, doc, generated, liveValues?.frame ?? null, liveModel), [doc, generated, liveValues, liveModel]);

  const panes = useStore(plots, (s) => s.panes);
  const probeColors = useMemo(() => {
    const out: Record<string, string> = {};
    for (const p of doc.probes) {
      const sig = generated.probeSignals[p.id];
      for (const pane of panes) {
        const i = pane.indexOf(sig);
        if (i < 0) continue;
        out[(p.wireId ?? p.elementId)!] = COLORS[i % COLORS.length];
        // A voltage probe colours every wire of its net.
        if (p.kind === 'v' && sig.startsWith('v('))
          for (const [wid, net] of Object.entries(generated.conn.wireNets)) if (`v(${net})` === sig) out[wid] = COLORS[i % COLORS.length];
      }
    }
    return out;
  }, [doc.probes, generated, panes]);

  // Sliders.
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const live = useRef<Record<string, number>>({});
  const ranges = useRef(new Map<string, Range>());
  const sliderSpecs: SliderSpec[] = useMemo(() => {
    if (ws.source === 'schematic')
      return doc.sliders
        .filter((s) => doc.elements[s.elementId])
        .map((s) => {
          const el = doc.elements[s.elementId];
          return { id: sliderParam(el, s.key), label: `${el.name}.${s.key}`, value: generated.params[sliderParam(el, s.key)] ?? 0, min: s.min, max: s.max };
        });
    // Ranges are kept per parameter while its value stays inside, so they do not re-centre on release.
    return netlistParams(ws.netlist).map((p) => {
      const k = `${ws.fileName}\u0000${p.name}`;
      const r = keepRange(ranges.current.get(k), p.value, validRangeFor(p.name));
      ranges.current.set(k, r);
      return { id: p.name, label: p.name, value: p.value, min: r.min, max: r.max };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ws.source, ws.fileName, doc.sliders, doc.elements, generated.params, ws.source === 'netlist' ? ws.netlist : '']);

  const onSliderInput = (id: string, raw: number) => {
    const spec = sliderSpecs.find((x) => x.id === id);
    const v = spec ? clampTo(raw, spec) : raw;
    live.current = { ...live.current, [id]: v };
    clearTimeout(debounce.current);
    debounce.current = setTimeout(() => void runCurrent({ ...live.current }, true), 30);
  };
  const onSliderCommit = (id: string, v: number) => {
    live.current = {};
    if (workspace.get().source === 'schematic') {
      const s = docStore.doc().sliders.find((x) => sliderParam(docStore.doc().elements[x.elementId], x.key) === id);
      if (s) docStore.update((d) => setProps(d, s.elementId, { [s.key]: formatSpiceNumber(v) }));
    } else workspace.set((w) => ({ ...w, netlist: setNetlistParam(w.netlist, id, v) }));
  };

  // Diagnostics for the netlist view.
  const diagnostics: NetlistDiagnostic[] = useMemo(() => {
    const e = simState.error;
    if (simState.status !== 'error' || !e || simState.netlist !== editorText) return [];
    return [{ line: e.line, col: e.col, message: `${e.code}: ${e.message}`, severity: 'error' }];
  }, [simState.status, simState.error, simState.netlist, editorText]);

  const running = simState.status === 'running';

  return (
    <div className="flex h-full flex-col">
      <header className="flex items-center gap-1.5 bg-slate-900 px-3 py-1.5 text-sm text-slate-100">
        <img src="/icon.svg" alt="" className="h-6 w-6" />
        <span className="mr-2 font-semibold tracking-tight">simcore</span>
        <HeaderButton testid="new-doc" onClick={newDocument}>
          New
        </HeaderButton>
        <HeaderButton testid="open-file" onClick={() => fileInput.current?.click()}>Open…</HeaderButton>
        <input ref={fileInput} type="file" accept=".cir,.sp,.net,.spi,.txt,.json" className="hidden" data-testid="file-input" onChange={(e) => { const f = e.target.files?.[0]; if (f) void onOpenFile(f); e.target.value = ''; }} />
        <HeaderButton onClick={() => download(`${stem(ws.fileName)}.cir`, editorText)}>Save .cir</HeaderButton>
        <HeaderButton testid="save-json" onClick={saveJson}>Save .json</HeaderButton>
        <HeaderButton testid="share" onClick={() => void share()}>{shareMsg || 'Share link'}</HeaderButton>
        <div className="relative">
          <HeaderButton testid="examples-button" onClick={() => setExamplesOpen((o) => !o)}>Examples ▾</HeaderButton>
          {examplesOpen && (
            <div className="absolute left-0 top-8 z-20 w-80 rounded-md bg-white p-1 text-slate-800 shadow-xl ring-1 ring-slate-200">
              {EXAMPLES.map((ex) => (
                <div key={ex.id} className="flex items-stretch gap-1">
                  <button data-testid={`example-${ex.id}`} onClick={() => loadExample(ex)} className="block min-w-0 flex-1 rounded px-2 py-1 text-left hover:bg-blue-50">
                    <div className="text-sm font-medium">{ex.title}</div>
                    <div className="text-xs text-slate-500">{ex.blurb}</div>
                  </button>
                  {ex.asSchematic && (
                    <button
                      data-testid={`example-${ex.id}-as-schematic`}
                      onClick={() => loadExample(ex, true)}
                      className="shrink-0 self-center rounded px-1.5 py-0.5 text-[11px] text-blue-700 ring-1 ring-blue-200 hover:bg-blue-50"
                      title={`Open ${ex.title} as a schematic (the same circuit)`}
                    >
                      schematic
                    </button>
                  )}
                </div>
              ))}
              <div className="mt-1 border-t px-2 pt-1 text-xs font-semibold text-slate-500">Model library: add .include to the netlist</div>
              {libraryIndex().map((m) => (
                <button
                  key={m.path}
                  data-testid={`library-${m.path}`}
                  onClick={() => {
                    setExamplesOpen(false);
                    const w = workspace.get();
                    workspace.set((s) => ({ ...s, source: 'netlist', netlist: withInclude(w.netlist, m.path), notice: '' }));
                  }}
                  className="block w-full rounded px-2 py-0.5 text-left hover:bg-blue-50"
                  title={m.about}
                >
                  <span className="font-mono text-xs">{m.path}</span>
                  <span className="ml-1 text-[11px] text-slate-500">{m.about}</span>
                </button>
              ))}
            </div>
          )}
        </div>
        <span className="ml-2 truncate text-xs text-slate-400" title={ws.fileName}>{ws.fileName}</span>
        <span className="flex-1" />
        <EngineSelector />
        <button
          data-testid="run-button"
          onClick={() => (running ? sim.cancel() : void runCurrent())}
          className={`rounded px-4 py-1 text-sm font-semibold ${running ? 'bg-amber-500 text-slate-900 hover:bg-amber-400' : 'bg-emerald-500 text-slate-900 hover:bg-emerald-400'}`}
          title="Run (Ctrl+Enter)"
        >
          {running ? '■ Stop' : '▶ Run'}
        </button>
      </header>
      <div className="flex min-h-0 flex-1">
        <Palette
          editor={editor}
          onPicked={() => {
            document.querySelector<SVGSVGElement>('[data-testid=schematic-canvas]')?.focus({ preventScroll: true });
            machine.current?.showKeyboardCursor();
          }}
        />
        <main className="flex min-w-0 flex-1 flex-col">
          {ws.source === 'schematic' && <AnalysisBar docStore={docStore} />}
          <div className={`relative min-h-0 border-b border-slate-300 ${ws.source === 'schematic' ? 'flex-[1.1]' : 'flex-[0.35]'}`}>
            {/* Dimmed while the netlist drives the simulation (the notice over it stays legible). */}
            <div className={ws.source === 'schematic' ? 'h-full' : 'h-full opacity-50'}>
            <SchematicCanvas
              docStore={docStore}
              editor={editor}
              clipboard={clipboard}
              onProbe={onProbe}
              annotations={annotations}
              probeColors={probeColors}
              overlay={liveEnabled && liveValues ? <LiveOverlay live={liveValues} /> : null}
              hoverInfo={hoverInfo}
              onMachine={onMachine}
            />
            </div>
            {ws.source === 'schematic' && (
              <LiveLegend live={liveValues} enabled={liveEnabled} onToggle={(on) => liveView.set({ enabled: on })} tooBig={!liveModel && Object.keys(doc.elements).length > 0} />
            )}
            {ws.source === 'netlist' && (
              <div className="absolute left-2 top-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-800 shadow ring-1 ring-amber-200">
                The netlist on the right drives the simulation.{' '}
                <button className="underline" onClick={() => workspace.set((s) => ({ ...s, source: 'schematic' }))}>Use the schematic</button>
              </div>
            )}
            {ws.source === 'schematic' && generated.warnings.length > 0 && (
              <div data-testid="schematic-warnings" className="absolute bottom-2 left-2 max-w-[70%] rounded bg-white/90 px-2 py-1 text-xs text-amber-700 shadow ring-1 ring-amber-200">⚠ {generated.warnings.join(' · ')}</div>
            )}
          </div>
          <div className="min-h-0 flex-1">
            <PlotPanel sim={simState} plots={plots} title={ws.fileName} writer={localEngine} />
          </div>
        </main>
        <aside className="flex w-[25rem] shrink-0 flex-col border-l border-slate-200 bg-white">
          <div className="max-h-[40%] overflow-y-auto border-b border-slate-200">
            <PropertiesPanel docStore={docStore} editor={editor} onProbeWire={(wireId) => onProbe({ kind: 'v', wireId })} />
          </div>
          <SliderPanel
            sliders={sliderSpecs}
            onInput={onSliderInput}
            onCommit={onSliderCommit}
            onRemove={ws.source === 'schematic' ? (id) => docStore.update((d) => ({ ...d, sliders: d.sliders.filter((s) => sliderParam(d.elements[s.elementId], s.key) !== id) })) : undefined}
          />
          <div className="flex items-center justify-between border-y border-slate-200 bg-slate-50 px-2 py-1 text-xs">
            <span className="font-semibold text-slate-700">Netlist</span>
            <span className="text-slate-500">{ws.source === 'schematic' ? 'generated from the schematic (edit to take over)' : 'hand-edited · Ctrl+Enter runs'}</span>
            <label className="flex items-center gap-1 text-slate-500" title="Off: Tab moves to the next control. On: Tab indents; Esc then Tab leaves the editor.">
              <input
                type="checkbox"
                data-testid="tab-indents"
                checked={tabIndents}
                onChange={(e) => {
                  setTabIndents(e.target.checked);
                  localStorage.setItem('simcore.tabIndents', e.target.checked ? '1' : '0');
                }}
              />
              Tab indents
            </label>
          </div>
          <div className="min-h-0 flex-1">
            <NetlistEditor value={editorText} onChange={onNetlistChange} diagnostics={diagnostics} onRun={() => void runCurrent()} tabIndents={tabIndents} />
          </div>
        </aside>
      </div>
      <StatusLine state={simState} notice={ws.notice} engine={engineStatus} />
    </div>
  );
}

function HeaderButton({ children, onClick, testid }: { children: React.ReactNode; onClick: () => void; testid?: string }) {
  return (
    <button data-testid={testid} onClick={onClick} className="rounded px-2 py-0.5 text-xs text-slate-200 hover:bg-slate-700">
      {children}
    </button>
  );
}

function currentWorkspace({ docStore, workspace }: AppStores): Workspace {
  const w = workspace.get();
  return { kind: 'simcore.workspace', version: 1, source: w.source, doc: docStore.doc(), netlist: w.netlist, fileName: w.fileName };
}

/** What Save .json, autosave and share links write: the circuit model of the open work (document.ts). */
function currentModel(stores: AppStores) {
  return modelOfWorkspace(currentWorkspace(stores), generateNetlist(stores.docStore.doc()).text, stores.localEngine);
}

/** The document and netlist on screen, to tell whether the user opened something else. */
function workspaceShown({ docStore, workspace }: AppStores) {
  const w = workspace.get();
  return { doc: docStore.doc(), source: w.source, netlist: w.netlist, fileName: w.fileName };
}

function sameWorkspaceShown(a: ReturnType<typeof workspaceShown>, b: ReturnType<typeof workspaceShown>) {
  return a.doc === b.doc && a.source === b.source && a.netlist === b.netlist && a.fileName === b.fileName;
}

function loadWorkspace({ docStore, workspace }: AppStores, w: Workspace) {
  docStore.load(w.doc);
  workspace.set((s) => ({ ...s, source: w.source, netlist: w.netlist, fileName: w.fileName }));
}

function stem(name: string) {
  return (name || 'circuit').replace(/\.(cir|sp|net|json)$/i, '').replace(/[^\w.-]+/g, '_');
}
