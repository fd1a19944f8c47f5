// Small drawing helpers shared by element renderers (px, GRID = 20).
import type { ReactNode } from 'react';

export const Line = ({ x1, y1, x2, y2 }: { x1: number; y1: number; x2: number; y2: number }) => (
  <line x1={x1} y1={y1} x2={x2} y2={y2} />
);

export const P = ({ d, fill }: { d: string; fill?: boolean }) => <path d={d} fill={fill ? 'currentColor' : 'none'} />;

export const T = ({ x, y, children, size = 10, anchor = 'middle' }: { x: number; y: number; children: ReactNode; size?: number; anchor?: 'start' | 'middle' | 'end' }) => (
  <text x={x} y={y} fontSize={size} textAnchor={anchor} dominantBaseline="middle" stroke="none" fill="currentColor">
    {children}
  </text>
);

/** Vertical two-terminal leads from the pins at y=-40 / y=+40 to the body ends. */
export const Leads2 = ({ top, bottom }: { top: number; bottom: number }) => (
  <>
    <line x1={0} y1={-40} x2={0} y2={top} />
    <line x1={0} y1={bottom} x2={0} y2={40} />
  </>
);

/** A controlled-source diamond centred at (cx, 0). */
export const Diamond = ({ cx, current }: { cx: number; current: boolean }) => (
  <>
    <path d={`M${cx} -16 L${cx + 14} 0 L${cx} 16 L${cx - 14} 0 Z`} />
    {current ? (
      <>
        <line x1={cx} y1={-9} x2={cx} y2={9} />
        <path d={`M${cx - 4} 4 L${cx} 10 L${cx + 4} 4`} />
      </>
    ) : (
      <>
        <line x1={cx - 3} y1={-7} x2={cx + 3} y2={-7} />
        <line x1={cx} y1={-10} x2={cx} y2={-4} />
        <line x1={cx - 3} y1={7} x2={cx + 3} y2={7} />
      </>
    )}
  </>
);
