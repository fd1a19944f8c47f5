// Result files as `simcore run` writes them (native-server/src/writers.cpp),
// fed with the events of Module.Simulation.takeEvents() (the shapes of
// src/protocol.ts HeaderEvent / ChunkEvent / AnalysisEndEvent):
//   csv  : header row, first column the sweep variable (none for op); AC as
//          vdb(node)/vp(node) (dB, degrees in (-180, 180]) and
//          db(i(x))/ph(i(x)) for currents; numbers as printf("%.12g").
//   json : {"analysis", "title", "x", "columns", "rows": [[...], ...]}
//   raw  : ngspice binary raw file.
import { closeSync, openSync, writeSync } from 'node:fs';
import { hypot2, writeG12 } from './format.mjs';

const FLUSH_BYTES = 1 << 20;
const EXT = { csv: 'csv', json: 'json', raw: 'raw' };
const PLOT_NAME = { op: 'Operating Point', dc: 'DC transfer characteristic', ac: 'AC Analysis', tran: 'Transient Analysis' };

function inner(sig) {
  const a = sig.indexOf('('), b = sig.lastIndexOf(')');
  return a < 0 || b < 0 || b < a ? sig : sig.slice(a + 1, b);
}

function strerror(e) {
  const m = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory', ENOSPC: 'No space left on device', EROFS: 'Read-only file system', EEXIST: 'File exists' };
  return m[e && e.code] || (e && e.message) || String(e);
}
export { strerror };

// The ctime-like date of the raw header: "Wed Nov 25 02:53:00 2026".
function rawDate(d) {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n) => String(n).padStart(2, '0');
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}

export class FileSink {
  /** @param {string} dir @param {string} stem @param {'csv'|'json'|'raw'} format @param {string} title */
  constructor(dir, stem, format, title) {
    this.dir = dir; this.stem = stem; this.format = format; this.title = title;
    this.fd = -1; this.buf = ''; this.bin = null; this.header = null; this.rows = 0;
    this.seen = { op: 0, dc: 0, ac: 0, tran: 0 };
    this.files = []; // {path, analysis, rows, partial}
    this.error = '';
    this.pointsPos = -1;
    this.bytes = 0;
    this.out = new Uint8Array(FLUSH_BYTES + 4096);
    this.pos = 0;
  }

  event(ev) {
    if (ev.type === 'header') this.begin(ev);
    else if (ev.type === 'chunk') this.chunk(ev);
    else if (ev.type === 'analysisEnd') this.end(ev);
  }

  write(data) {
    if (this.fd < 0) return;
    try {
      writeSync(this.fd, data);
      this.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    } catch (e) {
      if (!this.error) this.error = 'cannot write results: ' + strerror(e);
    }
  }

  // Text (headers) goes through this.buf, samples through the byte buffer
  // this.out; flush(true) writes both, in order.
  flush(force) {
    if (!force && this.buf.length < FLUSH_BYTES) return;
    if (this.buf) {
      this.flushOut();
      this.write(this.buf);
    }
    this.buf = '';
    if (force) this.flushOut();
  }

  begin(h) {
    this.header = h;
    this.rows = 0;
    const name = h.analysis;
    const n = ++this.seen[name];
    const path = `${this.dir}/${this.stem}.${name}${n > 1 ? n : ''}.${EXT[this.format]}`;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      if (!this.error) this.error = `cannot open '${path}' for writing: ${strerror(e)}`;
      return;
    }
    this.bytes = 0;
    this.files.push({ path, analysis: name, rows: 0, partial: false });
    const cols = [];
    if (h.xName) cols.push(h.xName);
    for (const s of h.signals) {
      if (h.complex && this.format !== 'raw') {
        if (s.kind === 'voltage') cols.push(`vdb(${inner(s.name)})`, `vp(${inner(s.name)})`);
        else cols.push(`db(${s.name})`, `ph(${s.name})`);
      } else {
        cols.push(s.name);
      }
    }
    this.buf = '';
    if (this.format === 'csv') {
      this.buf += cols.join(',') + '\n';
    } else if (this.format === 'json') {
      let t = '';
      for (const c of this.title) {
        if (c === '"' || c === '\\') t += '\\';
        if (c.charCodeAt(0) >= 0x20) t += c;
      }
      this.buf += `{"analysis":"${name}","title":"${t}","x":"${h.xName}","columns":[` +
        cols.map((c) => `"${c}"`).join(',') + '],"rows":[';
    } else {
      this.buf += `Title: ${this.title}\nDate: ${rawDate(new Date())}\nPlotname: ${PLOT_NAME[name]}\nFlags: ` +
        (h.complex ? 'complex\n' : 'real\n');
      // like ngspice, an operating point has no sweep variable, only its signals
      this.rawHasX = h.xName !== '';
      const first = this.rawHasX ? 1 : 0;
      this.buf += `No. Variables: ${h.signals.length + first}\nNo. Points: `;
      this.flush(true);
      this.pointsPos = this.bytes;
      this.buf += ' '.repeat(20) + '\nVariables:\n';
      if (this.rawHasX) {
        const xt = name === 'tran' ? 'time' : name === 'ac' ? 'frequency' : 'voltage';
        this.buf += `\t0\t${h.xName}\t${xt}\n`;
      }
      h.signals.forEach((s, k) => { this.buf += `\t${k + first}\t${s.name}\t${s.kind}\n`; });
      this.buf += 'Binary:\n';
      this.bin = new Float64Array(FLUSH_BYTES / 8);
      this.binLen = 0;
    }
    this.flush(true);
  }

  chunk(c) {
    if (this.fd < 0) return;
    const cx = this.header.complex;
    const { x, re, im } = c;
    const hasX = x.length > 0;
    const n = re.length;
    if (this.format === 'raw') {
      const per = (this.rawHasX ? (cx ? 2 : 1) : 0) + n * (cx ? 2 : 1);
      for (let r = 0; r < c.rows; ++r, ++this.rows) {
        if (this.binLen + per > this.bin.length) {
          this.flushRaw(true);
          if (per > this.bin.length) this.bin = new Float64Array(per);
        }
        const b = this.bin;
        let i = this.binLen;
        if (this.rawHasX) {
          b[i++] = x[r];
          if (cx) b[i++] = 0;
        }
        for (let k = 0; k < n; ++k) {
          b[i++] = re[k][r];
          if (cx) b[i++] = im[k][r];
        }
        this.binLen = i;
      }
      this.flushRaw(false);
      return;
    }
    // csv / json: bytes straight into the output buffer.
    const json = this.format === 'json';
    const put = (v) => {
      if (this.pos + 40 > this.out.length) this.flushOut();
      if (json && !Number.isFinite(v)) {
        this.out[this.pos++] = 110; this.out[this.pos++] = 117; this.out[this.pos++] = 108; this.out[this.pos++] = 108;
      } else {
        this.pos = writeG12(this.out, this.pos, v);
      }
    };
    const COMMA = 44;
    for (let r = 0; r < c.rows; ++r, ++this.rows) {
      if (this.pos + 40 > this.out.length) this.flushOut();
      if (json) {
        if (this.rows) this.out[this.pos++] = COMMA;
        this.out[this.pos++] = 91;  // [
      }
      let first = true;
      if (hasX) { put(x[r]); first = false; }
      for (let k = 0; k < n; ++k) {
        if (!first) this.out[this.pos++] = COMMA;
        first = false;
        if (cx) {
          const a = re[k][r], b = im[k][r];
          const mag = hypot2(a, b);
          put(mag > 0 ? 20.0 * Math.log10(mag) : -400.0);
          let ph = Math.atan2(b, a) * 180.0 / Math.PI;
          if (ph <= -180.0) ph += 360.0;
          this.out[this.pos++] = COMMA;
          put(ph);
        } else {
          put(re[k][r]);
        }
      }
      this.out[this.pos++] = json ? 93 : 10;
    }
    if (this.pos >= FLUSH_BYTES) this.flushOut();
  }

  flushOut() {
    if (this.pos) this.write(this.out.subarray(0, this.pos));
    this.pos = 0;
  }

  flushRaw(force) {
    if (!this.bin) return;
    if (force || this.binLen * 8 >= FLUSH_BYTES) {
      if (this.binLen) this.write(new Uint8Array(this.bin.buffer, 0, this.binLen * 8));
      this.binLen = 0;
    }
  }

  end() {
    if (this.fd < 0) return;
    this.flushOut();
    if (this.format === 'json') this.buf += ']}\n';
    if (this.format === 'raw') this.flushRaw(true);
    if (this.buf) this.write(this.buf);
    this.buf = '';
    if (this.format === 'raw' && this.pointsPos >= 0) {
      try { writeSync(this.fd, String(this.rows), this.pointsPos); } catch (e) { /* reported below */ }
    }
    try { closeSync(this.fd); } catch (e) { if (!this.error) this.error = 'cannot write results: ' + strerror(e); }
    this.fd = -1;
    this.files[this.files.length - 1].rows = this.rows;
    this.bin = null;
  }

  // After a failed run: write out what the open analysis produced so far.
  finishPartial() {
    if (this.fd < 0) return;
    this.end();
    if (this.files.length) this.files[this.files.length - 1].partial = true;
  }
}

// Resamples transient rows onto tstart, tstart + tstep, ..., tstop by linear
// interpolation of the accepted points (simcore run --interpolate).
export class InterpolatingSink {
  /** @param {{event(ev): void}} next @param {{type: string, tstep: number, tstart: number, tstop: number}[]} analyses */
  constructor(next, analyses) {
    this.next = next; this.analyses = analyses; this.active = false;
  }

  event(ev) {
    if (ev.type === 'header') {
      const a = this.analyses[ev.index];
      this.active = ev.analysis === 'tran' && ev.index >= 0 && ev.index < this.analyses.length;
      if (this.active) {
        this.index = ev.index;
        this.step = a.tstep; this.tstart = a.tstart; this.tstop = a.tstop;
        this.k = 0; this.n = ev.signals.length; this.havePrev = false; this.outRows = 0;
        this.bx = []; this.bv = Array.from({ length: this.n }, () => []);
        this.prev = new Float64Array(this.n); this.cur = new Float64Array(this.n); this.tPrev = 0;
      }
      this.next.event(ev);
    } else if (ev.type === 'chunk') {
      if (!this.active) { this.next.event(ev); return; }
      const out = new Float64Array(this.n);
      for (let r = 0; r < ev.rows; ++r) {
        const t = ev.x[r];
        for (let k = 0; k < this.n; ++k) this.cur[k] = ev.re[k][r];
        for (;;) {
          const tg = this.tstart + this.k * this.step;
          if (tg > this.tstop * (1 + 1e-12)) break;
          if (tg > t * (1 + 1e-12) + 1e-300) break;
          if (!this.havePrev || t <= this.tPrev) {
            this.emitRow(tg, this.cur);
          } else {
            let a = (tg - this.tPrev) / (t - this.tPrev);
            a = Math.min(Math.max(a, 0.0), 1.0);
            for (let k = 0; k < this.n; ++k) out[k] = this.prev[k] + a * (this.cur[k] - this.prev[k]);
            this.emitRow(tg, out);
          }
          ++this.k;
        }
        this.prev.set(this.cur);
        this.tPrev = t;
        this.havePrev = true;
      }
    } else if (ev.type === 'analysisEnd') {
      if (this.active && this.bx.length) this.emitChunk();
      this.next.event(this.active ? { ...ev, rows: this.outRows } : ev);
    }
  }

  emitRow(t, v) {
    this.bx.push(t);
    for (let k = 0; k < this.n; ++k) this.bv[k].push(v[k]);
    ++this.outRows;
    if (this.bx.length >= 1024) this.emitChunk();
  }

  emitChunk() {
    this.next.event({ type: 'chunk', index: this.index, rows: this.bx.length, x: Float64Array.from(this.bx),
      re: this.bv.map((c) => Float64Array.from(c)), im: [] });
    this.bx = [];
    this.bv = this.bv.map(() => []);
  }
}
