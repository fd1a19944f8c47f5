// Min/max decimation for drawing: a trace of many more points than the plot has pixels is
// drawn from, per x bucket, the first and last sample time with each series' minimum and
// maximum there (in the order they occur), so every peak and the envelope stay visible while
// the chart draws a few thousand points instead of hundreds of thousands.

export interface Decimated {
  x: Float64Array;
  ys: Float64Array[];
}

/** First index with x[i] >= v (n if none); x ascending. */
export function lowerBound(x: ArrayLike<number>, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with x[i] > v (n if none); x ascending. */
export function upperBound(x: ArrayLike<number>, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The samples of [x0, x1] (one more on each side, so lines reach the edges), reduced to at most
 * 2 x `buckets` points when there are more than 4 x `buckets`; else those samples as they are.
 * Non-finite values are left out of a bucket's min/max (NaN when a bucket has none).
 */
export function decimate(x: ArrayLike<number>, ys: ArrayLike<number>[], n: number, x0: number, x1: number, buckets: number): Decimated {
  const i0 = Math.max(0, lowerBound(x, n, x0) - 1);
  const i1 = Math.min(n, upperBound(x, n, x1) + 1); // exclusive
  const count = i1 - i0;
  if (count <= 4 * buckets) {
    return { x: Float64Array.from({ length: count }, (_, k) => x[i0 + k]), ys: ys.map((y) => Float64Array.from({ length: count }, (_, k) => y[i0 + k])) };
  }
  const xa = x[i0];
  const width = (x[i1 - 1] - xa) / buckets || 1;
  const ox: number[] = [];
  const oy: number[][] = ys.map(() => []);
  let k = i0;
  while (k < i1) {
    const b = Math.min(buckets - 1, Math.floor((x[k] - xa) / width));
    let end = k + 1;
    while (end < i1 && Math.min(buckets - 1, Math.floor((x[end] - xa) / width)) === b) end++;
    // Bucket [k, end): its first and last times, each series' extremes in time order.
    if (end - k === 1) {
      ox.push(x[k]);
      ys.forEach((y, s) => oy[s].push(y[k]));
    } else {
      ox.push(x[k], x[end - 1]);
      ys.forEach((y, s) => {
        let min = Infinity;
        let max = -Infinity;
        let imin = -1;
        let imax = -1;
        for (let i = k; i < end; i++) {
          const v = y[i];
          if (!Number.isFinite(v)) continue;
          if (v < min) {
            min = v;
            imin = i;
          }
          if (v > max) {
            max = v;
            imax = i;
          }
        }
        if (imin < 0) oy[s].push(NaN, NaN);
        else if (imin <= imax) oy[s].push(min, max);
        else oy[s].push(max, min);
      });
    }
    k = end;
  }
  return { x: Float64Array.from(ox), ys: oy.map((v) => Float64Array.from(v)) };
}
