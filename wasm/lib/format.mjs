// Numbers exactly as the native CLI writes them: a port of
// native-server/src/number_format.hpp (the layout of printf("%.12g"): 12
// significant digits, trailing zeros removed, exponent form below 1e-4 and
// from 1e12; digits from one scaled multiplication and llround, so the last
// digit may differ from printf's in rare cases, the same way natively), and
// |z| as glibc's hypot computes it for the AC columns.

// 10^k as the C++ code gets it: kPow10 literals for |k| <= 22, std::pow(10, k)
// (correctly rounded, as is the JS literal) beyond.
const POW10 = new Map();
function pow10(k) {
  let p = POW10.get(k);
  if (p === undefined) {
    p = Number('1e' + k);
    POW10.set(k, p);
  }
  return p;
}
const P22 = [];
for (let i = 0; i <= 22; ++i) P22.push(Number('1e' + i));

function scaled(v, ex) {
  const k = 11 - ex;
  if (k >= 0 && k <= 22) return v * P22[k];
  if (k < 0 && -k <= 22) return v / P22[-k];
  const h = Math.trunc(k / 2);
  return v * pow10(h) * pow10(k - h);
}

// llround for s >= 0: half away from zero.
function llround(s) {
  const f = Math.floor(s);
  return s - f >= 0.5 ? f + 1 : f;
}

const DIG4 = new Uint8Array(40000);  // the four decimal digits of 0..9999
for (let i = 0; i < 10000; ++i) {
  DIG4[4 * i] = Math.floor(i / 1000);
  DIG4[4 * i + 1] = Math.floor(i / 100) % 10;
  DIG4[4 * i + 2] = Math.floor(i / 10) % 10;
  DIG4[4 * i + 3] = i % 10;
}
const DIG = new Uint8Array(12);

/** Writes formatG12(v) as ASCII into out at pos (needs 24 free bytes); returns the new position. */
export function writeG12(out, pos, v) {
  if (v !== v) { out[pos] = 110; out[pos + 1] = 97; out[pos + 2] = 110; return pos + 3; }
  if (v < 0 || (v === 0 && Object.is(v, -0))) { out[pos++] = 45; v = -v; }
  if (v === Infinity) { out[pos] = 105; out[pos + 1] = 110; out[pos + 2] = 102; return pos + 3; }
  if (v === 0) { out[pos++] = 48; return pos; }
  let e = Math.floor(Math.log10(v));
  let d = llround(scaled(v, e));
  if (d >= 1e12) { ++e; d = llround(scaled(v, e)); }
  else if (d < 1e11) { --e; d = llround(scaled(v, e)); }
  if (d >= 1e12) { d = Math.floor(d / 10); ++e; }
  // the 12 digits of d, four at a time
  const g0 = Math.floor(d / 1e8), rest = d - g0 * 1e8;
  const g1 = Math.floor(rest / 1e4), g2 = rest - g1 * 1e4;
  let b = g0 * 4;
  DIG[0] = DIG4[b]; DIG[1] = DIG4[b + 1]; DIG[2] = DIG4[b + 2]; DIG[3] = DIG4[b + 3];
  b = g1 * 4;
  DIG[4] = DIG4[b]; DIG[5] = DIG4[b + 1]; DIG[6] = DIG4[b + 2]; DIG[7] = DIG4[b + 3];
  b = g2 * 4;
  DIG[8] = DIG4[b]; DIG[9] = DIG4[b + 1]; DIG[10] = DIG4[b + 2]; DIG[11] = DIG4[b + 3];
  let nd = 12;
  while (nd > 1 && DIG[nd - 1] === 0) --nd;
  if (e < -4 || e >= 12) {
    out[pos++] = 48 + DIG[0];
    if (nd > 1) {
      out[pos++] = 46;
      for (let i = 1; i < nd; ++i) out[pos++] = 48 + DIG[i];
    }
    out[pos++] = 101;
    let ae = e;
    if (ae < 0) { out[pos++] = 45; ae = -ae; } else { out[pos++] = 43; }
    if (ae >= 100) { out[pos++] = 48 + Math.floor(ae / 100); ae %= 100; }
    out[pos++] = 48 + Math.floor(ae / 10);
    out[pos++] = 48 + (ae % 10);
  } else if (e < 0) {
    out[pos++] = 48;
    out[pos++] = 46;
    for (let i = -1; i > e; --i) out[pos++] = 48;
    for (let i = 0; i < nd; ++i) out[pos++] = 48 + DIG[i];
  } else {
    const intDigits = e + 1;
    for (let i = 0; i < intDigits; ++i) out[pos++] = i < nd ? 48 + DIG[i] : 48;
    if (nd > intDigits) {
      out[pos++] = 46;
      for (let i = intDigits; i < nd; ++i) out[pos++] = 48 + DIG[i];
    }
  }
  return pos;
}

const SCRATCH = new Uint8Array(32);
/** The text native-server/src/number_format.hpp formatG12 writes for v. */
export function formatG12(v) {
  const n = writeG12(SCRATCH, 0, v);
  let s = '';
  for (let i = 0; i < n; ++i) s += String.fromCharCode(SCRATCH[i]);
  return s;
}

// |re + i im| as glibc's hypot computes it (to within an ulp in rare cases):
// x^2 + y^2 in double-double, square root, one correction step. V8's
// Math.hypot differs from glibc in the last bit for ~40% of inputs, which
// shows in 20 log10|z| near 0 dB at 12 digits.
function split(a) {
  const c = 134217729 * a;
  const h = c - (c - a);
  return [h, a - h];
}
function sqExact(a) {
  const p = a * a;
  const [ah, al] = split(a);
  return [p, ((ah * ah - p) + 2 * ah * al) + al * al];
}
export function hypot2(x, y) {
  x = Math.abs(x);
  y = Math.abs(y);
  if (x < y) { const t = x; x = y; y = t; }
  if (x === Infinity || y === Infinity) return Infinity;
  if (y === 0 || x !== x || y !== y) return x + y;
  let scale = 1;
  if (x > 1e150) { scale = 2 ** 600; x *= 2 ** -600; y *= 2 ** -600; }
  else if (y < 1e-150) { scale = 2 ** -600; x *= 2 ** 600; y *= 2 ** 600; }
  const [xh, xl] = sqExact(x), [yh, yl] = sqExact(y);
  const sh = xh + yh;
  const bb = sh - xh;
  const sl = ((xh - (sh - bb)) + (yh - bb)) + xl + yl;
  const r = Math.sqrt(sh);
  const [rh, rl] = sqExact(r);
  return (r + (((sh - rh) - rl) + sl) / (2 * r)) * scale;
}
