import { describe, expect, it } from 'vitest';
import { chartsSvg, linearTicks, tracePath, type SvgChart } from './svg-export';

const chart = (over: Partial<SvgChart> = {}): SvgChart => ({
  title: 'Transient',
  xLabel: 'time',
  xUnit: 's',
  logX: false,
  xMin: 0,
  xMax: 1e-3,
  x: [0, 0.25e-3, 0.5e-3, 0.75e-3, 1e-3],
  yAxes: [
    { unit: 'V', side: 'left', min: 0, max: 5, color: '' },
    { unit: 'A', side: 'right', min: -1, max: 1, color: '#b45309' },
  ],
  series: [
    { label: 'v(out)', color: '#2563eb', axis: 0, y: [0, 1, 2, 3, 4] },
    { label: 'i(l1)', color: '#dc2626', axis: 1, y: [0, 0.5, NaN, -0.5, 0] },
  ],
  ...over,
});

describe('svg export', () => {
  it('draws one path per trace with axes, units and a legend', () => {
    const svg = chartsSvg([chart()], 'buck <tran> & co');
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('data-label="v(out)"');
    expect(svg).toContain('>i(l1)</text>'); // legend
    expect(svg).toContain('>time (s)</text>'); // x title with unit
    expect(svg).toMatch(/rotate\(-90[^>]*>V<\/text>/); // left unit
    expect(svg).toMatch(/fill="#b45309"[^>]*>A<\/text>/); // right unit in its colour
    expect(svg).toContain('buck &lt;tran&gt; &amp; co'); // escaped title
    expect(svg).toContain('>0.4 ms</text>'); // an x tick label with its prefix, as the app labels it
    // balanced elements: every opened <g>, <svg> is closed
    expect(svg.split('<g ').length - 1).toBe(svg.split('</g>').length - 1);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('a non-finite value breaks the line into two pieces', () => {
    const d = tracePath([0, 1, 2, 3], [0, 1, NaN, 3], (x) => x * 10, (y) => 100 - y);
    expect(d).toBe('M0 100L10 99M30 97');
    expect(tracePath([0, 1], [null, Infinity], (x) => x, (y) => y)).toBe('');
  });

  it('stacks several charts and maps values into each plot area', () => {
    const a = chart({ title: 'magnitude', yAxes: [{ unit: 'dB', side: 'left', min: -40, max: 0, color: '' }], series: [{ label: '|v(out)| dB', color: '#000', axis: 0, y: [0, -10, -20, -30, -40] }] });
    const svg = chartsSvg([a, { ...a, title: 'phase' }]);
    const paths = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)/g)].map((m) => Number(m[2]));
    expect(paths).toHaveLength(2);
    expect(paths[1]).toBeGreaterThan(paths[0]); // the second chart is drawn lower
    expect(svg.match(/<clipPath id="plot\d"/g)).toEqual(['<clipPath id="plot0"', '<clipPath id="plot1"']);
  });

  it('log x axes get decade ticks', () => {
    const svg = chartsSvg([chart({ logX: true, xUnit: 'Hz', xLabel: 'frequency', xMin: 1, xMax: 1e5, x: [1, 10, 100, 1e3, 1e4] })]);
    for (const t of ['1 Hz', '10 Hz', '100 Hz', '1 kHz', '10 kHz', '100 kHz']) expect(svg).toContain(`>${t}</text>`);
  });

  it('linear ticks are nice values inside the range', () => {
    const t = linearTicks(-0.3, 4.7, 'V', 5);
    expect(t.values[0]).toBeGreaterThanOrEqual(-0.3);
    expect(t.values.at(-1)!).toBeLessThanOrEqual(4.7);
    expect(t.values).toContain(0);
    expect(linearTicks(1, 1, 'V').values).toEqual([]);
  });
});
