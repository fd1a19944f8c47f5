"""Netlist rewriting, waveform metrics and analytic figures of the power-electronics benchmark
(bench/power.py; tests in bench/test_power.py).  Python 3 standard library only."""
import json
import math
import os
import re
import sys
from array import array

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rawfile  # noqa: E402

VT_27C = 1.380649e-23 * 300.15 / 1.602176634e-19  # thermal voltage at 27 C (SPICE's TNOM)

# A run "agrees" with its reference when, for every signal: |d avg| <= max(0.1 % |avg|, 1 % p-p),
# |d p-p| <= 2 % p-p and its plot (linear interpolation) stays within 2 % of p-p of the reference
# (VSI: |d fundamental| <= 0.5 %, |d THD| <= 0.2 points, max deviation <= 1 % of the fundamental).
# Pulsim's fastest variant that agrees is the one simcore is compared with.
TOL = {"avg_rel": 1e-3, "avg_pp": 1e-2, "pp_rel": 2e-2, "dev_pp": 2e-2, "fund_rel": 5e-3, "thd_abs": 0.2,
       "dev_fund": 1e-2}


# ---------------------------------------------------------------------------
# netlists
# ---------------------------------------------------------------------------

def read_lines(path):
    with open(path, encoding="latin-1") as f:
        return f.read().splitlines()


def with_options(lines, options, tran=None):
    """The netlist with `.options OPTIONS` after the title and, if tran, its .tran card replaced."""
    out = lines[:1] + [".options " + options]
    for ln in lines[1:]:
        if tran and ln.strip().lower().startswith(".tran"):
            ln = tran
        out.append(ln)
    return out


MODEL_RE = re.compile(r"^\s*\.model\s+(\S+)\s+pwldiode\s*\(?(.*?)\)?\s*$", re.I)


def pwl_as_bsource(lines):
    """ngspice version of an event-mode netlist: every D line whose model is a PWLDIODE becomes
    B a k I = v(a,k) > von ? (v(a,k) - von)/ron + von/roff : v(a,k)/roff
    (the PWLDIODE's static law: on-state v = von + ron*i, off-state conductance 1/roff; it is on
    exactly where its current is positive), and .options switching= is dropped."""
    models = {}
    for ln in lines:
        m = MODEL_RE.match(ln)
        if m:
            p = dict(von=0.0, ron=1e-3, roff=1e9)
            for k, v in re.findall(r"(\w+)\s*=\s*([^\s,)]+)", m.group(2)):
                p[k.lower()] = spice_number(v)
            models[m.group(1).lower()] = p
    out = []
    for ln in lines:
        w = ln.split()
        if MODEL_RE.match(ln) or (w and w[0].lower() == ".options" and "switching=" in ln.lower()):
            continue
        if w and w[0][0].lower() == "d" and len(w) >= 4 and w[3].lower() in models:
            p = models[w[3].lower()]
            v = "v(%s,%s)" % (w[1], w[2])
            ln = "B%s %s %s I = %s > %.10g ? (%s-%.10g)/%.10g + %.10g : %s/%.10g" % (
                w[0], w[1], w[2], v, p["von"], v, p["von"], p["ron"], p["von"] / p["roff"], v, p["roff"])
        out.append(ln)
    return out


SUFFIX = {"t": 1e12, "g": 1e9, "meg": 1e6, "k": 1e3, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15}


def spice_number(s):
    m = re.match(r"^([-+]?[\d.]+(?:e[-+]?\d+)?)(meg|[tgkmunpf])?", s.lower())
    if not m:
        raise ValueError("not a number: %r" % s)
    return float(m.group(1)) * (SUFFIX[m.group(2)] if m.group(2) else 1.0)


def write_lines(path, lines):
    with open(path, "w", encoding="latin-1") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# waveforms and metrics (lists of floats; standard library only)
# ---------------------------------------------------------------------------

def load_raw(path, signals):
    """{key: (times, values)} for signals {key: raw name} from a SPICE raw file's first plot
    (path: the file, or simcore's output folder holding one *.tran.raw)."""
    if os.path.isdir(path):
        found = [f for f in sorted(os.listdir(path)) if f.endswith(".tran.raw")]
        if len(found) != 1:
            raise ValueError("%s: expected one *.tran.raw, found %s" % (path, found or "none"))
        path = os.path.join(path, found[0])
    plot = rawfile.read_raw(path)[0]
    names = [v[0].lower() for v in plot.variables]
    t = plot.columns[0]
    out = {}
    for key, name in signals.items():
        if name.lower() in names:
            out[key] = (t, plot.columns[names.index(name.lower())])
    return out, plot.points


def load_pulsim(prefix, signals):
    with open(prefix + ".json") as f:
        meta = json.load(f)
    cols = meta["columns"]
    a = array("d")
    with open(prefix + ".bin", "rb") as f:
        a.frombytes(f.read())
    if sys.byteorder != "little":
        a.byteswap()
    n = len(cols)
    data = {c: a[i::n].tolist() for i, c in enumerate(cols)}
    return {k: (data["time"], data[k]) for k in signals if k in data}, meta["points"], meta


def window(t, x, t0, t1):
    """Samples in [t0, t1] with linear interpolation at t0 (times ascending)."""
    lo = 0
    while lo < len(t) and t[lo] < t0:
        lo += 1
    tt, xx = [], []
    if 0 < lo < len(t) and t[lo] > t0:
        a = (t0 - t[lo - 1]) / (t[lo] - t[lo - 1])
        tt.append(t0)
        xx.append(x[lo - 1] + a * (x[lo] - x[lo - 1]))
    for i in range(lo, len(t)):
        if t[i] > t1 * (1 + 1e-12):
            break
        if tt and t[i] <= tt[-1]:
            continue
        tt.append(t[i])
        xx.append(x[i])
    return tt, xx


def trapz(t, y):
    return sum(0.5 * (y[i] + y[i + 1]) * (t[i + 1] - t[i]) for i in range(len(t) - 1))


def metrics(t, x, t0, t1, f0=None):
    tt, xx = window(t, x, t0, t1)
    if len(tt) < 2:
        return {"samples": len(tt)}
    span = tt[-1] - tt[0]
    m = {"samples": len(tt), "avg": trapz(tt, xx) / span, "pp": max(xx) - min(xx)}
    if f0:
        w = 2 * math.pi * f0
        a = 2.0 / span * trapz(tt, [v * math.cos(w * s) for s, v in zip(tt, xx)])
        b = 2.0 / span * trapz(tt, [v * math.sin(w * s) for s, v in zip(tt, xx)])
        amp = math.hypot(a, b)
        rms2 = trapz(tt, [v * v for v in xx]) / span
        m["fund"] = amp
        m["phase_deg"] = math.degrees(math.atan2(a, b))  # x ~ amp*sin(w t + phase)
        m["thd_pct"] = 100.0 * math.sqrt(max(rms2 - m["avg"] ** 2 - amp * amp / 2, 0.0)) / (amp / math.sqrt(2))
    return m


def max_dev(run, ref, t0, t1):
    """max |run - ref| over the reference's points in [t0, t1], the run linearly interpolated
    (what a plot of the run's points would show)."""
    rt, rx = run
    ft, fx = ref
    j = 0
    worst = 0.0
    for i in range(len(ft)):
        s = ft[i]
        if s < t0 or s > t1:
            continue
        while j + 1 < len(rt) and rt[j + 1] < s:
            j += 1
        if j + 1 >= len(rt):
            v = rx[-1]
        elif rt[j + 1] == rt[j]:
            v = rx[j + 1]
        else:
            a = min(max((s - rt[j]) / (rt[j + 1] - rt[j]), 0.0), 1.0)
            v = rx[j] + a * (rx[j + 1] - rx[j])
        worst = max(worst, abs(v - fx[i]))
    return worst


def judge(c, waves, ref_waves, t0, t1):
    """Per-signal metrics of a run, deltas to the reference, and whether it agrees (TOL)."""
    out = {"signals": {}, "agrees": True}
    f0 = c.get("fundamental")
    for key in c["signals"]:
        if key not in waves:
            out["signals"][key] = {"missing": True}
            out["agrees"] = False
            continue
        m = metrics(*waves[key], t0, t1, f0)
        if key in ref_waves and "avg" in m:
            r = metrics(*ref_waves[key], t0, t1, f0)
            m["d_avg"] = m["avg"] - r["avg"]
            m["d_pp"] = m["pp"] - r["pp"]
            m["max_dev"] = max_dev(waves[key], ref_waves[key], t0, t1)
            ok = abs(m["d_avg"]) <= max(TOL["avg_rel"] * abs(r["avg"]), TOL["avg_pp"] * r["pp"])
            if f0:
                m["d_fund_rel"] = m["fund"] / r["fund"] - 1
                m["d_thd"] = m["thd_pct"] - r["thd_pct"]
                ok = ok and abs(m["d_fund_rel"]) <= TOL["fund_rel"] and abs(m["d_thd"]) <= TOL["thd_abs"]
                ok = ok and m["max_dev"] <= TOL["dev_fund"] * r["fund"]
            else:
                ok = ok and abs(m["d_pp"]) <= TOL["pp_rel"] * r["pp"] and m["max_dev"] <= TOL["dev_pp"] * r["pp"]
            m["agrees"] = ok
            out["agrees"] = out["agrees"] and ok
        elif "avg" not in m:
            out["agrees"] = False
        out["signals"][key] = m
    return out


# ---------------------------------------------------------------------------
# analytic figures
# ---------------------------------------------------------------------------

def diode_drop(i, IS, N, RS):
    return N * VT_27C * math.log(i / IS + 1) + RS * i


def analytic(name):
    """Averaged-model figures for the table header (CCM, losses of switch Ron and the SPICE diode
    law at its conduction current included; D from the gate's threshold crossings), as
    [(label, value, signal key or None, metric 'avg' | 'pp' | 'fund' or None)]."""
    if name == "buck":
        vin, d, L, C, R, f, ron = 12.0, 0.5, 47e-6, 22e-6, 5.0, 100e3, 50e-3
        vo = 5.6
        for _ in range(50):  # Vo = D(Vin - Ron*I) - (1-D)*Vd(I), I = Vo/R
            i = vo / R
            vo = d * (vin - ron * i) - (1 - d) * diode_drop(i, 1e-8, 1.5, 20e-3)
        dil = (vin - vo) * d / (L * f)
        return [("Vout", vo, "vout", "avg"), ("IL", vo / R, "il", "avg"),
                ("ΔIL = (Vin−Vout)·D/(L·f)", dil, "il", "pp"), ("ΔVout = ΔIL/(8·C·f)", dil / (8 * C * f), "vout", "pp")]
    if name == "boost":
        vin, d, L, C, R, f, ron = 5.0, 0.5, 47e-6, 10e-6, 20.0, 100e3, 50e-3
        vo = 9.0
        for _ in range(50):  # Vin = D*Ron*IL + (1-D)(Vo + Vd(IL)) ... with IL = Vo/(R(1-D))
            il = vo / (R * (1 - d))
            vo = (vin - d * ron * il) / (1 - d) - diode_drop(il, 1e-8, 1.5, 20e-3)
        il = vo / (R * (1 - d))
        return [("Vout", vo, "vout", "avg"), ("IL", il, "il", "avg"), ("ΔIL = Vin·D/(L·f)", vin * d / (L * f), "il", "pp"),
                ("ΔVout = Io·D/(C·f)", vo / R * d / (C * f), "vout", "pp")]
    if name == "half_bridge":
        tau, T, R = 1e-3 / 10.0, 50e-6, 10.0  # +-24 V square wave (dead time ignored) into R-L
        i0 = 24.0 / R * math.tanh(T / (4 * tau))
        return [("IL avg", 0.0, "il", "avg"), ("IL p-p (±24 V square wave into R-L)", 2 * i0, "il", "pp"),
                ("Vmid", 24.0, "vmid", "avg")]
    if name == "flyback":
        vin, d, Lp, n, R, f, ron = 24.0, 0.4, 500e-6, 0.5, 10.0, 100e3, 50e-3
        vo = 7.0
        for _ in range(50):  # volt-seconds on the magnetising inductance, lossless transfer otherwise
            io = vo / R
            isec = io / (1 - d)
            ip = n * isec
            vo = (vin - ron * ip) * d / (1 - d) * n - diode_drop(isec, 1e-8, 1.5, 20e-3)
        return [("Vout (K = 1, no snubber loss)", vo, "vout", "avg"), ("Ip avg", n * vo / R / (1 - d) * d, "ip", "avg"),
                ("ΔIp (on-time slope) = Vin·D/(Lp·f)", vin * d / (Lp * f), None, None)]
    if name == "vsi3":
        z = complex(10.0 + 10e-3, 2 * math.pi * 50 * 5e-3)
        i = 0.8 * 200.0 / z
        return [("Ia fundamental (A peak) = 0.8·200 V/|R + Ron + jωL|", abs(i), "ia", "fund"),
                ("its phase behind the sine (deg)", math.degrees(math.atan2(i.imag, i.real)), None, None)]
    return []
