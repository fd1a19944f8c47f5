// One uPlot chart over one analysis. Data are typed-array views into the
// ResultSet; redraws are batched to one per animation frame.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatEng, formatTicks } from '@/shared/lib/si';
import { signalIndex, signalValues, type AnalysisResult } from '@/features/simulation/results';
import { logTicks, tickSpace } from './ticks';
import { plotValues } from './traces';
import { decimate } from './decimate';
import { autoRange, yAxes, zoomRange } from './axes';
import type { SvgChart } from './svg-export';

export type Part = 're' | 'db' | 'phase';
export interface XRange {
  min: number;
  max: number;
}

export interface ChartHandle {
  canvas: HTMLCanvasElement;
  title: string;
  legend: { label: string; color: string }[];
  /** The chart as drawn now (x window, y ranges, plotted traces), for the SVG export. */
  svg: () => SvgChart;
}

export interface ChartProps {
  a: AnalysisResult;
  signals: string[];
  colors: string[];
  part: Part;
  version: number;
  logX: boolean;
  xUnit: string;
  /** Unit of each signal (part re): signals of different units get their own y axis and scale. */
  units: string[];
  title: string;
  height: number;
  cursors: { a?: number; b?: number };
  onPlaceCursor: (x: number) => void;
  /** A cursor line dragged to x. */
  onMoveCursor?: (which: 'a' | 'b', x: number) => void;
  /** Changes when the user asks to fit: y zoom goes back to auto. */
  fitToken?: number;
  /** Values of traces that are not result signals (math traces). */
  source?: TraceSource;
  xRange: XRange | null;
  onXRange: (r: XRange | null) => void;
  syncKey: string;
  register: (h: ChartHandle | null) => void;
}

/** Extra traces drawn from the results (math traces): values over the analysis' x. */
export type TraceSource = (a: AnalysisResult, name: string, part: Part) => Float64Array | null;

/** The x window to draw and the plot width in px: long results are decimated to it (decimate.ts). */
interface DrawView {
  x0: number;
  x1: number;
  buckets: number;
}

function buildData(a: AnalysisResult, signals: string[], part: Part, source?: TraceSource, view?: DrawView): uPlot.AlignedData {
  const x = a.x.subarray(0, a.rows);
  const ys = signals.map((s) => {
    const i = signalIndex(a, s);
    return i >= 0 ? signalValues(a, i, part) : (source?.(a, s, part) ?? new Float64Array(a.rows).fill(NaN));
  });
  if (view && a.rows > 4 * view.buckets) {
    const d = decimate(x, ys, a.rows, view.x0, view.x1, view.buckets);
    return [d.x, ...d.ys.map(plotValues)] as unknown as uPlot.AlignedData;
  }
  return [x, ...ys.map(plotValues)] as unknown as uPlot.AlignedData;
}

export function Chart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const p = useRef(props);
  p.current = props;
  const frame = useRef(0);
  const applyingRange = useRef(false);
  /** Y zoom per scale; absent = auto. */
  const yZoom = useRef<Record<string, { min: number; max: number }>>({});
  /** What to draw of a long linear-x result: the x range shown, one bucket per pixel (undefined: everything). */
  const drawView = (range: XRange | null): DrawView | undefined => {
    const { a, logX } = p.current;
    if (logX || a.rows < 2) return undefined;
    const width = Math.max(200, host.current?.clientWidth ?? 800);
    return { x0: range?.min ?? a.x[0], x1: range?.max ?? a.x[a.rows - 1], buckets: Math.round(width) };
  };

  // (Re)create when the structure changes.
  useEffect(() => {
    const { a, signals, colors, part, logX, xUnit, units } = p.current;
    const el = host.current!;
    const width = Math.max(200, el.clientWidth);
    let lastLog: { splits: number[]; labels: string[] } = { splits: [], labels: [] };
    const scaleOf = (i: number) => (part === 're' ? `y:${units[i] ?? ''}` : 'y');
    const ys = part === 're' ? yAxes(units) : [{ scale: 'y', unit: part === 'db' ? 'dB' : '°', side: 'left' as const, color: '' }];
    const scales: uPlot.Scales = { x: { time: false, distr: logX ? 3 : 1, range: (_u, min, max) => [min, max] } };
    for (const y of ys)
      scales[y.scale] = {
        auto: true,
        range: (_u, min, max) => {
          const z = yZoom.current[y.scale];
          return z ? [z.min, z.max] : autoRange(min, max);
        },
      };
    const opts: uPlot.Options = {
      width,
      height: p.current.height,
      pxAlign: 0,
      legend: { live: true },
      cursor: {
        sync: { key: p.current.syncKey },
        drag: { x: true, y: false, setScale: true },
      },
      scales,
      axes: [
        {
          // Log axes place their own ticks (logTicks): uPlot's leave none inside a zoomed decade.
          ...(logX
            ? {
                splits: (u: uPlot, _i: number, min: number, max: number) => {
                  lastLog = logTicks(min, max, Math.max(200, u.bbox.width / devicePixelRatio || u.width - 100), xUnit);
                  return lastLog.splits;
                },
              }
            : {}),
          values: (_u, vals) =>
            logX ? (lastLog.splits.length === vals.length ? lastLog.labels : vals.map((v) => (v == null ? '' : formatEng(v, xUnit, 3)))) : formatTicks(vals, xUnit),
          space: (_u, _i, min, max, dim) => (logX ? 50 : tickSpace(min, max, dim, xUnit)),
          size: 34,
          grid: { stroke: '#eef2f7' },
          ticks: { stroke: '#cbd5e1' },
        },
        ...ys.map((y, k) => ({
          scale: y.scale,
          side: y.side === 'left' ? 3 : 1,
          ...(ys.length > 1 ? { label: y.unit || '—', labelSize: 14, stroke: y.color } : {}),
          values: (_u: uPlot, vals: (number | null)[]) =>
            part === 'phase' || part === 'db'
              ? vals.map((v) => (v == null ? '' : part === 'phase' ? `${v}°` : `${v} dB`))
              : formatTicks(vals, y.unit),
          size: 64,
          grid: { stroke: '#eef2f7', show: k === 0 },
          ticks: { stroke: '#cbd5e1' },
        })),
      ],
      series: [
        { label: a.xName || 'x', value: (_u, v) => (v == null ? '—' : formatEng(v, xUnit, 5)) },
        ...signals.map((s, i) => ({
          label: part === 'db' ? `|${s}| dB` : part === 'phase' ? `∠${s}` : s,
          stroke: colors[i],
          width: 1.5,
          points: { show: false },
          scale: scaleOf(i),
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : part === 'db' ? `${v.toFixed(2)} dB` : part === 'phase' ? `${v.toFixed(1)}°` : formatEng(v, units[i] ?? '', 5)),
        })),
      ],
      hooks: {
        draw: [
          (u) => {
            const { cursors } = p.current;
            const ctx = u.ctx;
            ctx.save();
            for (const [name, val, color] of [
              ['A', cursors.a, '#0f172a'],
              ['B', cursors.b, '#b45309'],
            ] as const) {
              if (val === undefined) continue;
              const x = u.valToPos(val, 'x', true);
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.strokeStyle = color;
              ctx.setLineDash([5, 4]);
              ctx.lineWidth = 1.5 * devicePixelRatio;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillStyle = color;
              ctx.font = `${11 * devicePixelRatio}px sans-serif`;
              ctx.fillText(name, x + 3 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
            }
            ctx.restore();
            // The x tick labels as drawn (canvas text is not in the DOM): e2e checks they do not overlap.
            const ax = u.axes[0] as unknown as { _splits?: number[]; _values?: string[] };
            if (ax._splits && ax._values)
              host.current?.setAttribute('data-xticks', JSON.stringify(ax._splits.map((v, i) => ({ px: u.valToPos(v, 'x'), label: ax._values![i] })).filter((t) => t.label)));
            // The y ranges drawn, per scale (a -inf trace must not make them non-finite).
            host.current?.setAttribute('data-yranges', JSON.stringify(ys.map((y) => ({ unit: y.unit, min: u.scales[y.scale]?.min ?? null, max: u.scales[y.scale]?.max ?? null }))));
          },
        ],
        setScale: [
          (u, key) => {
            if (key !== 'x' || applyingRange.current) return;
            const { min, max } = u.scales.x;
            if (min == null || max == null) return;
            const xs = u.data[0];
            const n = xs.length;
            const full = n > 1 && Math.abs(min - xs[0]) <= 1e-12 * Math.abs(xs[n - 1] - xs[0]) + 1e-300 && Math.abs(max - xs[n - 1]) <= 1e-9 * Math.abs(xs[n - 1] - xs[0]);
            const cur = p.current.xRange;
            if (full) {
              if (cur) p.current.onXRange(null);
            } else if (!cur || cur.min !== min || cur.max !== max) p.current.onXRange({ min, max });
          },
        ],
      },
    };
    const u = new uPlot(opts, buildData(a, signals, part, p.current.source, drawView(p.current.xRange)), el);
    plot.current = u;
    if (p.current.xRange) {
      applyingRange.current = true;
      u.setScale('x', p.current.xRange);
      applyingRange.current = false;
    }
    p.current.register({
      canvas: u.ctx.canvas,
      title: p.current.title,
      legend: signals.map((s, i) => ({ label: s, color: colors[i] })),
      svg: () => ({
        title: p.current.title,
        xLabel: a.xName || 'x',
        xUnit,
        logX,
        xMin: u.scales.x.min ?? a.x[0],
        xMax: u.scales.x.max ?? a.x[Math.max(0, a.rows - 1)],
        x: u.data[0] as ArrayLike<number>,
        yAxes: ys.map((y) => ({ unit: y.unit, side: y.side, color: ys.length > 1 ? y.color : '', min: u.scales[y.scale]?.min ?? -1, max: u.scales[y.scale]?.max ?? 1 })),
        series: signals.map((s, i) => ({
          label: String(u.series[i + 1]?.label ?? s),
          color: colors[i],
          axis: Math.max(0, ys.findIndex((y) => y.scale === scaleOf(i))),
          y: u.data[i + 1] as ArrayLike<number | null>,
        })),
      }),
    });

    // Click (not drag) places a cursor; dragging a cursor line moves it; wheel zooms x;
    // Alt+wheel (or wheel over a y axis) zooms y; shift/middle drag pans.
    const over = u.over;
    let down: { x: number; y: number; pan: boolean; min: number; max: number; cursor?: 'a' | 'b' } | null = null;
    const nearCursor = (clientX: number): 'a' | 'b' | undefined => {
      const r = over.getBoundingClientRect();
      let best: 'a' | 'b' | undefined;
      let bestD = 6;
      for (const k of ['a', 'b'] as const) {
        const v = p.current.cursors[k];
        if (v === undefined) continue;
        const d = Math.abs(u.valToPos(v, 'x') - (clientX - r.left));
        if (d <= bestD) {
          best = k;
          bestD = d;
        }
      }
      return best;
    };
    const onDown = (e: MouseEvent) => {
      const pan = e.shiftKey || e.button === 1;
      const cursor = !pan && e.button === 0 && p.current.onMoveCursor ? nearCursor(e.clientX) : undefined;
      down = { x: e.clientX, y: e.clientY, pan, min: u.scales.x.min!, max: u.scales.x.max!, cursor };
      if (pan || cursor) {
        // Before uPlot's own listener on this element (capture runs first at the target): no drag-zoom.
        e.stopImmediatePropagation();
        e.preventDefault();
      }
    };
    const onHover = (e: MouseEvent) => {
      if (!down) over.style.cursor = p.current.onMoveCursor && nearCursor(e.clientX) ? 'ew-resize' : '';
    };
    const onMoveWin = (e: MouseEvent) => {
      if (down?.cursor) {
        const r = over.getBoundingClientRect();
        p.current.onMoveCursor?.(down.cursor, u.posToVal(Math.max(0, Math.min(r.width, e.clientX - r.left)), 'x'));
        return;
      }
      if (!down?.pan) return;
      const dxPx = e.clientX - down.x;
      const w = u.bbox.width / devicePixelRatio;
      if (p.current.logX) {
        const l0 = Math.log10(down.min);
        const l1 = Math.log10(down.max);
        const d = ((l1 - l0) * dxPx) / w;
        u.setScale('x', { min: 10 ** (l0 - d), max: 10 ** (l1 - d) });
      } else {
        const d = ((down.max - down.min) * dxPx) / w;
        u.setScale('x', { min: down.min - d, max: down.max - d });
      }
    };
    const onUpWin = (e: MouseEvent) => {
      if (down && !down.pan && !down.cursor && Math.hypot(e.clientX - down.x, e.clientY - down.y) < 3 && e.target === over) {
        const r = over.getBoundingClientRect();
        p.current.onPlaceCursor(u.posToVal(e.clientX - r.left, 'x'));
      }
      down = null;
    };
    const zoomY = (f: number, clientY: number, only?: string) => {
      const r = over.getBoundingClientRect();
      const at = 1 - (clientY - r.top) / r.height;
      for (const y of ys) {
        if (only && y.scale !== only) continue;
        const { min, max } = u.scales[y.scale];
        if (min == null || max == null) continue;
        const z = zoomRange(min, max, f, Math.max(0, Math.min(1, at)));
        yZoom.current[y.scale] = z;
        u.setScale(y.scale, { ...z });
      }
      host.current?.setAttribute('data-yzoom', Object.keys(yZoom.current).length ? '1' : '0');
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = over.getBoundingClientRect();
      const f = Math.exp(e.deltaY * 0.002);
      if (e.altKey || e.ctrlKey) return zoomY(f, e.clientY);
      const { min, max } = u.scales.x;
      if (min == null || max == null) return;
      const fx = (e.clientX - r.left) / r.width;
      if (p.current.logX) {
        const l0 = Math.log10(min);
        const l1 = Math.log10(max);
        const c = l0 + fx * (l1 - l0);
        u.setScale('x', { min: 10 ** (c - (c - l0) * f), max: 10 ** (c + (l1 - c) * f) });
      } else {
        const c = min + fx * (max - min);
        u.setScale('x', { min: c - (c - min) * f, max: c + (max - c) * f });
      }
    };
    // The wheel over a y axis zooms that axis alone.
    const axisEls = [...el.querySelectorAll<HTMLElement>('.u-axis')].slice(1);
    const axisWheel = axisEls.map((ax, k) => {
      const h = (e: WheelEvent) => {
        e.preventDefault();
        zoomY(Math.exp(e.deltaY * 0.002), e.clientY, ys[k]?.scale);
      };
      ax.addEventListener('wheel', h, { passive: false });
      return () => ax.removeEventListener('wheel', h);
    });
    over.addEventListener('mousemove', onHover);
    over.addEventListener('mousedown', onDown, true);
    window.addEventListener('mousemove', onMoveWin);
    window.addEventListener('mouseup', onUpWin);
    over.addEventListener('wheel', onWheel, { passive: false });
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(w - u.width) > 1) u.setSize({ width: w, height: p.current.height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      over.removeEventListener('mousedown', onDown, true);
      over.removeEventListener('mousemove', onHover);
      over.removeEventListener('wheel', onWheel);
      axisWheel.forEach((off) => off());
      window.removeEventListener('mousemove', onMoveWin);
      window.removeEventListener('mouseup', onUpWin);
      cancelAnimationFrame(frame.current);
      p.current.register(null);
      u.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.a, props.signals.join('\n'), props.part, props.logX, props.colors.join(), props.units.join()]);

  // Streamed data: one setData per animation frame.
  useEffect(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const u = plot.current;
      if (!u) return;
      const { a, signals, part, xRange, source } = p.current;
      applyingRange.current = true;
      u.setData(buildData(a, signals, part, source, drawView(xRange)), !xRange);
      if (xRange) u.setScale('x', xRange);
      applyingRange.current = false;
      host.current?.setAttribute('data-points', String(a.rows));
    });
  }, [props.version, props.a]);

  // Zoom from a sibling chart, and cursor changes.
  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    applyingRange.current = true;
    // A decimated result is re-drawn from its samples in the new range (detail appears on zoom).
    const view = drawView(props.xRange);
    if (view && props.a.rows > 4 * view.buckets) u.setData(buildData(props.a, props.signals, props.part, props.source, view), !props.xRange);
    if (props.xRange) u.setScale('x', props.xRange);
    else if (u.data[0].length > 1) u.setScale('x', { min: u.data[0][0], max: u.data[0][u.data[0].length - 1] });
    applyingRange.current = false;
  }, [props.xRange]);
  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [props.cursors.a, props.cursors.b]);
  useEffect(() => {
    if (!Object.keys(yZoom.current).length) return;
    const scales = Object.keys(yZoom.current);
    yZoom.current = {};
    for (const k of scales) plot.current?.setScale(k, { min: null as unknown as number, max: null as unknown as number });
    host.current?.setAttribute('data-yzoom', '0');
  }, [props.fitToken]);
  useEffect(() => {
    const u = plot.current;
    if (u && u.height !== props.height) u.setSize({ width: u.width, height: props.height });
  }, [props.height]);

  return <div ref={host} className="chart w-full" data-points={props.a.rows} />;
}
