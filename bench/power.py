#!/usr/bin/env python3
"""Power-electronics benchmark: simcore event mode vs ngspice vs Pulsim on bench/power/.

    python3 bench/power.py [--simcore PATH] [--ngspice ngspice] [--only NAME ...] [--rounds 5]
                           [--warmup 1] [--no-pulsim] [--venv DIR] [--timeout 300]
                           [--results bench/results] [--no-save] [--note TEXT] [--keep]

For each circuit of bench/power (buck, boost, half_bridge, flyback, vsi3):
  simcore-event  simcore run NAME.event.cir --format raw --stats      (PWLDIODE, .options switching=event)
  simcore-spice  simcore run NAME.cir --format raw --stats            (the SPICE circuit, Newton path)
  ngspice        ngspice -b -r OUT.raw NAME.cir with `.options acct`  (the SPICE circuit)
  pulsim ...     bench/power/pulsim_circuits.py NAME --engine E [--dt DT] in a venv (the PWL circuit)
are run alternated over --rounds rounds after --warmup ones (medians of whole-process wall time and
of each tool's own engine time). Accuracy: averages and peak-to-peak ripple (VSI: the phase-current
fundamental by DFT over whole 50 Hz periods, and its THD) over the last periods, against tight ngspice
references (reltol 1e-5, small tmax): the SPICE circuit for the SPICE runs, and the same PWL circuit
(each PWLDIODE written as a piecewise-linear B source) for simcore event mode and Pulsim.
Pulsim is installed by this script (pip, into --venv, default bench/.venv-power); tests never use it.
Results: a Markdown table on stdout, RESULTS/power.md and RESULTS/power.json.  See bench/README.md.
Python 3 standard library only (Pulsim's side runs in its venv).
"""
import argparse
import datetime
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
POWER = os.path.join(HERE, "power")
sys.path.insert(0, HERE)
import rawfile  # noqa: E402
from run import host_info, loadavg, parse_ngspice_acct, parse_simcore_stats, run_timed, tail, version_of  # noqa: E402

PULSIM_REQ = ["pulsim==2.0.0", "numpy"]
VT_27C = 1.380649e-23 * 300.15 / 1.602176634e-19  # thermal voltage at 27 C (SPICE's TNOM)

# Per circuit: the window is the last `window` periods of `period`; signals map a key to the SPICE
# raw name (simcore and ngspice write the same names); `fundamental` (Hz) switches the signal metrics
# to DFT amplitude / phase / THD; ref_tmax is the tight reference's maximum step; pulsim lists the
# (engine, dt[, gates]) variants timed (dt None: the engine's own step control; gates "fn": Pulsim's
# make_pwm_switch_fn with the same edges instead of a NativeMultiMaskPwm, see pulsim_circuits.py).
CIRCUITS = [
    {"name": "buck", "t_end": 2e-3, "period": 10e-6, "window": 10, "ref_tmax": 5e-9,
     "signals": {"vout": "v(out)", "il": "i(vil)"},
     "pulsim": [("pwl", 50e-9), ("pwl", 10e-9), ("trbdf2", None), ("dsed", None), ("dsed", None, "fn")]},
    {"name": "boost", "t_end": 2e-3, "period": 10e-6, "window": 10, "ref_tmax": 5e-9,
     "signals": {"vout": "v(out)", "il": "i(vil)"},
     "pulsim": [("pwl", 50e-9), ("pwl", 10e-9), ("trbdf2", None), ("dsed", None), ("dsed", None, "fn")]},
    {"name": "half_bridge", "t_end": 2e-3, "period": 50e-6, "window": 4, "ref_tmax": 5e-9,
     "signals": {"il": "i(vil)", "vmid": "v(mid)"},
     "pulsim": [("pwl", 50e-9), ("pwl", 10e-9), ("trbdf2", None), ("dsed", None)]},
    {"name": "flyback", "t_end": 5e-3, "period": 10e-6, "window": 10, "ref_tmax": 5e-9,
     "signals": {"vout": "v(out)", "ip": "i(vip)"},
     "pulsim": [("pwl", 50e-9), ("pwl", 10e-9), ("pwl", 5e-9), ("trbdf2", None), ("dsed", None)]},
    # ngspice stops with "timestep too small" on the SPICE VSI (floating neutral) at reltol <= 1e-4,
    # so its SPICE reference keeps reltol 1e-3 (with tmax 50 ns).
    {"name": "vsi3", "t_end": 60e-3, "period": 20e-3, "window": 2, "ref_tmax": 50e-9, "fundamental": 50.0,
     "ref_reltol": {"spice": 1e-3},
     "signals": {"ia": "i(via)", "ib": "i(vib)"},
     "pulsim": [("pwl", 1e-6), ("pwl", 1e-7), ("trbdf2", 5e-6), ("trbdf2", None), ("dsed", None)]},
]

# A run "agrees" with its reference when, for every signal: |d avg| <= max(0.1 % |avg|, 1 % p-p),
# |d p-p| <= 2 % p-p and its plot (linear interpolation) stays within 2 % of p-p of the reference
# (VSI: |d fundamental| <= 0.5 %, |d THD| <= 0.2 points, max deviation <= 1 % of the fundamental).
# Pulsim's fastest variant that agrees is the one simcore is compared with.
TOL = {"avg_rel": 1e-3, "avg_pp": 1e-2, "pp_rel": 2e-2, "dev_pp": 2e-2, "fund_rel": 5e-3, "thd_abs": 0.2,
       "dev_fund": 1e-2}


# ---------------------------------------------------------------------------
# PSS and switching-Bode timings of simcore (coordinator: wire .pss / .fra here)
# ---------------------------------------------------------------------------

def simcore_pss_fra(circuit, simcore):
    """simcore's periodic steady state and 40-point switching Bode of `circuit` (a CIRCUITS entry).

    TO BE WIRED when simcore has the `.pss` and `.fra` cards: run `simcore run` on a copy of
    bench/power/<name>.event.cir with the .tran card replaced by `.pss` (one switching period:
    circuit["period"]; the VSI's is 20 ms) and by `.fra` (40 points, 200 Hz..20 kHz, duty/reference
    perturbation; the buck's is the one compared with Pulsim), time each (whole process and the
    `--stats` engine time) and return {"pss_s", "pss_wall_s", "fra40_s", "fra40_wall_s", ...}.
    Until then it reports that nothing was measured; no figure is made up."""
    del circuit, simcore
    return {"status": "not measured: simcore has no .pss / .fra cards yet"}


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


# ---------------------------------------------------------------------------
# tools
# ---------------------------------------------------------------------------

def ensure_pulsim(venv):
    """Create venv (if needed) and pip-install Pulsim into it.  Returns its python or None."""
    py = os.path.join(venv, "bin", "python")
    try:
        if not os.path.exists(py):
            sys.stderr.write("power.py: creating %s\n" % venv)
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        chk = subprocess.run([py, "-c", "import pulsim, numpy; print(pulsim.__version__)"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if chk.returncode != 0:
            sys.stderr.write("power.py: pip install %s into %s\n" % (" ".join(PULSIM_REQ), venv))
            subprocess.run([py, "-m", "pip", "install", "--quiet"] + PULSIM_REQ, check=True)
        return py
    except (OSError, subprocess.CalledProcessError) as e:
        sys.stderr.write("power.py: Pulsim not available (%s); its rows are left out\n" % e)
        return None


def ngspice_stats(log):
    with open(log, encoding="utf-8", errors="replace") as f:
        return parse_ngspice_acct(f.read())


def simcore_stats(log):
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    st = parse_simcore_stats(text)
    m = re.search(r"^\s*(?:switching(?:\s+mode)?|mode)\s*[:=]?\s+(event|spice)\b", text, re.M | re.I)
    st["mode"] = m.group(1).lower() if m else None
    for key, rx in (("events", r"^\s*(?:switching )?events\s+(\d+)"),
                    ("configurations", r"^\s*(?:switch )?configurations(?: visited)?\s+(\d+)")):
        m = re.search(rx, text, re.M | re.I)
        st[key] = int(m.group(1)) if m else None
    return st


def failure_text(log):
    """The line of a failed run's log that says why (an error line if there is one)."""
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            lines = [ln.strip() for ln in f if ln.strip()]
    except OSError:
        return ""
    for key in ("Underlying C++ error:", "error:", "Error:", "Timestep too small"):
        for ln in lines:
            if key in ln:
                return ln[ln.index(key):] if key.startswith("Underlying") else ln
    return " | ".join(lines[-2:])


def make_runs(c, args, tmp, pulsim_py):
    """[(label, kind, argv, output path, circuit for accuracy: 'spice' | 'pwl')]"""
    name = c["name"]
    spice = os.path.join(POWER, name + ".cir")
    event = os.path.join(POWER, name + ".event.cir")
    acct = os.path.join(tmp, name + ".acct.cir")
    write_lines(acct, with_options(read_lines(spice), "acct"))
    runs = [("simcore event", "simcore", [args.simcore, "run", event, "--out", os.path.join(tmp, "sce"), "--format",
                                          "raw", "--quiet", "--stats"], os.path.join(tmp, "sce"), "pwl"),
            ("simcore spice", "simcore", [args.simcore, "run", spice, "--out", os.path.join(tmp, "scs"), "--format",
                                          "raw", "--quiet", "--stats"], os.path.join(tmp, "scs"), "spice")]
    if args.ngspice_path:
        runs.append(("ngspice", "ngspice", [args.ngspice_path, "-b", "-r", os.path.join(tmp, "ng.raw"), acct],
                     os.path.join(tmp, "ng.raw"), "spice"))
    if pulsim_py:
        for eng, dt, *gates in c["pulsim"]:
            gates = gates[0] if gates else "exact"
            label = "Pulsim %s%s%s" % (eng, " dt=%g" % dt if dt else "", "" if gates == "exact" else " " + gates)
            prefix = os.path.join(tmp, "pl_%s_%s_%s" % (eng, dt or "auto", gates))
            argv = [pulsim_py, os.path.join(POWER, "pulsim_circuits.py"), name, "--engine", eng, "--t-end",
                    repr(c["t_end"]), "--out", prefix, "--gates", gates] + (["--dt", repr(dt)] if dt else [])
            runs.append((label, "pulsim", argv, prefix, "pwl"))
    return runs


def ref_reltol(c, kind):
    return c.get("ref_reltol", {}).get(kind, 1e-5)


def reference(c, args, tmp, kind):
    """Tight ngspice run of the SPICE circuit (kind 'spice') or of the PWL circuit (kind 'pwl').
    Returns (waves, points, analysis seconds, note)."""
    name = c["name"]
    src = os.path.join(POWER, name + (".cir" if kind == "spice" else ".event.cir"))
    lines = read_lines(src)
    if kind == "pwl":
        lines = pwl_as_bsource(lines)
    tran = ".tran %g %g 0 %g" % (c["ref_tmax"], c["t_end"], c["ref_tmax"])
    cir = os.path.join(tmp, "ref_%s_%s.cir" % (kind, name))
    write_lines(cir, with_options(lines, "reltol=%g acct" % ref_reltol(c, kind), tran))
    raw = os.path.join(tmp, "ref_%s.raw" % kind)
    log = os.path.join(tmp, "ref_%s.log" % kind)
    r = run_timed([args.ngspice_path, "-b", "-r", raw, cir], POWER, log, args.timeout * 4)
    if r["exit"] != 0 or r["timed_out"]:
        return None, None, None, "reference failed: %s" % failure_text(log)
    waves, pts = load_raw(raw, c["signals"])
    return waves, pts, ngspice_stats(log).get("analysis_s"), None


# ---------------------------------------------------------------------------
# one circuit
# ---------------------------------------------------------------------------

def bench_circuit(c, args, work, pulsim_py):
    name = c["name"]
    tmp = os.path.join(work, name)
    os.makedirs(tmp, exist_ok=True)
    t1 = c["t_end"]
    t0 = t1 - c["window"] * c["period"]
    res = {"name": name, "t_end": t1, "window": [t0, t1], "analytic": analytic(name), "refs": {}, "runs": []}
    refs = {}
    if args.ngspice_path:
        for kind in ("spice", "pwl"):
            sys.stderr.write("  %-12s reference (%s circuit, tight ngspice)\n" % (name, kind))
            waves, pts, an_s, err = reference(c, args, tmp, kind)
            refs[kind] = waves or {}
            entry = {"points": pts, "analysis_s": an_s, "error": err}
            if waves:
                entry["metrics"] = {k: metrics(*waves[k], t0, t1, c.get("fundamental")) for k in waves}
            res["refs"][kind] = entry
    runs = make_runs(c, args, tmp, pulsim_py)
    timings = {r[0]: [] for r in runs}
    failure = {}
    for rnd in range(args.warmup + args.rounds):
        warm = rnd < args.warmup
        for label, kind, argv, out, circ in runs:
            if label in failure:
                continue
            log = os.path.join(tmp, re.sub(r"\W+", "_", label) + ".log")
            r = run_timed(argv, POWER, log, args.pulsim_timeout if kind == "pulsim" else args.timeout)
            ok = r["exit"] == 0 and not r["timed_out"]
            rec = {"wall_s": r["wall_s"], "warmup": warm}
            if ok and kind == "simcore":
                st = simcore_stats(log)
                rec["engine_s"] = (st.get("time_s") or {}).get("total")
                rec["stats"] = st
            elif ok and kind == "ngspice":
                st = ngspice_stats(log)
                rec["engine_s"] = st.get("analysis_s")
                rec["stats"] = st
            elif ok and kind == "pulsim":
                with open(out + ".json") as f:
                    meta = json.load(f)
                rec["engine_s"] = meta["simulate_s"] + meta["dcop_s"]
                rec["stats"] = meta
            if not ok:
                failure[label] = ("timeout after %g s" % (args.pulsim_timeout if kind == "pulsim" else args.timeout)
                                  if r["timed_out"] else
                                  "exit %s: %s" % (r["exit"], failure_text(log)))
            timings[label].append(rec)
            sys.stderr.write("  %-12s %s %-22s %8.3f s  %s\n" % (
                name, "warm " if warm else "round", label, r["wall_s"] or float("nan"),
                "ok" if ok else "FAILED " + failure[label]))
    for label, kind, argv, out, circ in runs:
        recs = [x for x in timings[label] if not x["warmup"]]
        row = {"label": label, "tool": kind, "circuit": circ, "failure": failure.get(label)}
        if recs and label not in failure:
            row["wall_s"] = statistics.median(x["wall_s"] for x in recs)
            eng = [x["engine_s"] for x in recs if x.get("engine_s") is not None]
            row["engine_s"] = statistics.median(eng) if eng else None
            row["stats"] = recs[-1].get("stats")
            try:
                if kind == "pulsim":
                    waves, pts, _ = load_pulsim(out, c["signals"])
                else:
                    waves, pts = load_raw(out, c["signals"])
                row["points"] = pts
                row["accuracy"] = judge(c, waves, refs.get(circ, {}), t0, t1)
            except (OSError, ValueError, IndexError) as e:
                row["accuracy"] = {"error": str(e), "agrees": False}
        st = row.get("stats") or {}
        if kind == "simcore":
            row["mode"] = st.get("mode") or ("spice (no mode reported)" if st else None)
            extra = ["%s %s" % (st[k], k) for k in ("events", "configurations") if st.get(k) is not None]
            row["mode_detail"] = ", ".join(extra)
        elif kind == "pulsim" and st:
            row["mode"] = st.get("engine_used") + ("" if st.get("start", "").startswith("dc op") else
                                                   ", from a zero state") + (
                ", make_pwm_switch_fn gates" if st.get("gates") == "fn" else "")
        res["runs"].append(row)
    res["pss_fra"] = {"simcore": simcore_pss_fra(c, args.simcore)}
    if name == "buck" and pulsim_py:
        res["pss_fra"]["pulsim"] = pulsim_pss_fra(args, tmp, pulsim_py)
    derive(res)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


def pulsim_pss_fra(args, tmp, py):
    """Pulsim's steady_state and 40-point frequency_response on the buck: medians over the rounds."""
    out = []
    for _ in range(max(args.rounds, 1)):
        prefix = os.path.join(tmp, "pl_pssfra")
        r = run_timed([py, os.path.join(POWER, "pulsim_circuits.py"), "buck", "--pss-fra", "--out", prefix],
                      POWER, prefix + ".log", args.timeout)
        if r["exit"] != 0:
            return {"error": tail(prefix + ".log", 2)}
        with open(prefix + ".json") as f:
            out.append(json.load(f))
    last = out[-1]
    return {"pss_s": statistics.median(x["pss_s"] for x in out), "fra40_s": statistics.median(x["fra40_s"] for x in out),
            "pss_residual": last["pss_residual"], "pss_period_runs": last["pss_period_runs"],
            "fra_period_runs": last["fra_period_runs"], "pss_dt": last["pss_dt"], "fra_dt": last["fra_dt"]}


def deviation_score(row):
    """Worst plotted deviation of a run relative to its reference's scale (p-p, or the fundamental)."""
    worst = None
    for m in ((row.get("accuracy") or {}).get("signals") or {}).values():
        if "max_dev" not in m:
            return None
        scale = m["fund"] - m["d_fund_rel"] * m["fund"] if "fund" in m else m["pp"] - m["d_pp"]
        if not scale:
            return None
        worst = max(worst or 0.0, m["max_dev"] / abs(scale))
    return worst


def derive(res):
    """Ratios X / simcore event (engine and wall), Pulsim's fastest variant that agrees."""
    rows = {r["label"]: r for r in res["runs"]}
    sc = rows.get("simcore event") or {}
    ran = [r for r in res["runs"] if r["tool"] == "pulsim" and r.get("engine_s")]
    agreeing = [r for r in ran if (r.get("accuracy") or {}).get("agrees")]
    res["pulsim_none_agrees"] = bool(ran) and not agreeing
    if not agreeing:  # then the closest to the reference stands in, and the report says so
        scored = [(deviation_score(r), r) for r in ran]
        scored = [x for x in scored if x[0] is not None]
        agreeing = [min(scored, key=lambda x: x[0])[1]] if scored else []
    best = min(agreeing, key=lambda r: r["engine_s"], default=None)
    best_wall = min(agreeing, key=lambda r: r["wall_s"], default=None)
    res["pulsim_best"] = best["label"] if best else None
    res["pulsim_best_wall"] = best_wall["label"] if best_wall else None
    ng = rows.get("ngspice") or {}
    ratios = {}
    for key in ("engine_s", "wall_s"):
        base = sc.get(key) if sc.get("mode") == "event" else None
        ratios["ngspice_" + key] = ng.get(key) / base if base and ng.get(key) else None
        pb = best if key == "engine_s" else best_wall
        ratios["pulsim_" + key] = pb[key] / base if base and pb and pb.get(key) else None
    res["ratios"] = ratios
    scs = rows.get("simcore spice") or {}
    res["ratios_spice_path"] = {"ngspice_" + k: ng.get(k) / scs[k] if scs.get(k) and ng.get(k) else None
                                for k in ("engine_s", "wall_s")}


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------

def f3(x, unit=""):
    if x is None:
        return "n/a"
    return ("%.4g" % x) + unit


def fms(s):
    return "n/a" if s is None else ("%.3g" % (s * 1e3))


def fx(x):
    return "n/a" if x is None else "%.1f" % x if x >= 10 else "%.2f" % x


def signal_cell(c, m, ref=False):
    if not m or "avg" not in m:
        return "missing" if m and m.get("missing") else "n/a"
    if c.get("fundamental"):
        s = "%.4f A, THD %.2f %%" % (m["fund"], m["thd_pct"])
        if not ref and "d_fund_rel" in m:
            s += " (%+.3f %%, max dev %.3g)" % (100 * m["d_fund_rel"], m["max_dev"])
        return s
    s = "%.5g / %.4g" % (m["avg"], m["pp"])
    if not ref and "d_avg" in m:
        s += " (%+.2g / %+.2g, max dev %.2g)" % (m["d_avg"], m["d_pp"], m["max_dev"])
    return s


def report_md(data):
    h = data["host"]
    L = ["# Power electronics: simcore event mode vs ngspice vs Pulsim", ""]
    L.append("- date: %s; host: %s, %s CPUs (%s); load average at start %s, at end %s%s" % (
        data["date"], h["hostname"], h["nproc"], h["cpu_model"], h["loadavg_start"], h["loadavg_end"],
        " — **noisy** (other work was running)" if data["noisy"] else ""))
    L.append("- simcore: %s (repo HEAD %s); ngspice: %s; Pulsim: %s" % (
        data["simcore"]["version"], data["git_commit"], data["ngspice"]["version"], data["pulsim"] or "not run"))
    L.append("- %d measured round(s) after %d warm-up, runs alternated; medians. **engine** = simcore's `--stats` "
             "total (parse, solve, raw output), ngspice's \"Total analysis time\", Pulsim's compute_dc_op + "
             "simulate() (cache build included); **wall** = whole process (Python start and `import pulsim` "
             "included for Pulsim). Ratios are X / simcore event mode (> 1: simcore faster), against Pulsim's "
             "fastest variant that agrees with the reference." % (data["rounds"], data["warmup"]))
    L.append("- accuracy over the last periods of each run (window in the table): `avg / p-p` of each signal "
             "(VSI: phase-current fundamental by DFT over whole 50 Hz periods, and THD), and in brackets the "
             "difference to the reference and the max deviation of the run's linear interpolation from the "
             "reference over the window. References: tight ngspice (reltol 1e-5, tmax in the table) on the "
             "SPICE circuit for the SPICE runs (simcore spice, ngspice) and on the same PWL circuit (each "
             "PWLDIODE as a piecewise-linear B source) for simcore event mode and Pulsim. **agrees**: for every "
             "signal |Δavg| ≤ max(0.1 % of avg, 1 % of p-p), |Δp-p| ≤ 2 % of p-p and max dev ≤ 2 % of p-p (VSI: "
             "|Δfundamental| ≤ 0.5 %, |ΔTHD| ≤ 0.2 points, max dev ≤ 1 % of the fundamental).")
    L.append("- simcore rows run the same binary on `NAME.event.cir` (event) and on `NAME.cir` (SPICE path); a "
             "row whose `--stats` does not report event mode is marked, and no ratio is computed from it.")
    if data.get("note"):
        L.append("- note: %s" % data["note"])
    L.append("")
    for r in data["circuits"]:
        c = next(x for x in CIRCUITS if x["name"] == r["name"])
        sig = list(c["signals"])
        L.append("## %s (%g ms; window: last %d periods of %g µs)" % (
            r["name"], r["t_end"] * 1e3, c["window"], c["period"] * 1e6))
        L.append("")
        sref = (r["refs"].get("spice") or {}).get("metrics") or {}
        parts = []
        for label, value, key, metric in r["analytic"]:
            got = (sref.get(key) or {}).get(metric) if key else None
            parts.append("%s = %.5g%s" % (label, value, "" if got is None else " (SPICE reference %.5g%s)" % (
                got, ", %+.2f %%" % (100 * (got / value - 1)) if value else "")))
        L.append("Analytic (averaged model): " + "; ".join(parts))
        L.append("")
        for kind in ("spice", "pwl"):
            ref = r["refs"].get(kind)
            if ref:
                L.append("Reference, %s circuit (ngspice reltol %g, tmax %g ns, %s points): %s" % (
                    kind, ref_reltol(c, kind), c["ref_tmax"] * 1e9, ref.get("points"), ref.get("error") or "; ".join(
                        "%s %s" % (k, signal_cell(c, m, True)) for k, m in (ref.get("metrics") or {}).items())))
                L.append("")
        L.append("| run | circuit | mode | engine ms | wall ms | time points | %s | agrees |" % " | ".join(
            "%s %s" % (k, "fundamental" if c.get("fundamental") else "avg / p-p") for k in sig))
        L.append("|---|---|---|---:|---:|---:|%s---|" % ("---|" * len(sig)))
        for row in r["runs"]:
            acc = row.get("accuracy") or {}
            cells = [signal_cell(c, (acc.get("signals") or {}).get(k)) for k in sig]
            if row.get("failure"):
                L.append("| %s | %s | %s | FAILED: %s |  |  | %s |  |" % (
                    row["label"], row["circuit"], row.get("mode") or "", row["failure"].replace("|", "/")[:240],
                    " | ".join("" for _ in sig)))
                continue
            mode = row.get("mode") or ""
            if row["label"] == "simcore event" and mode != "event":
                mode = "**not event: %s**" % mode
            if row.get("mode_detail"):
                mode += " (%s)" % row["mode_detail"]
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                row["label"] + (" ★" if row["label"] in (r["pulsim_best"], r["pulsim_best_wall"]) else ""),
                row["circuit"], mode, fms(row.get("engine_s")), fms(row.get("wall_s")), row.get("points", "n/a"),
                " | ".join(cells), "yes" if acc.get("agrees") else "**no**" if acc else "n/a"))
        L.append("")
        q = r["ratios"]
        L.append("Ratios X / simcore event: ngspice engine %s, wall %s; Pulsim %s (★: %s) engine %s, "
                 "wall %s. Goal: ≥ 20 vs ngspice, > 1 vs Pulsim." % (
                     fx(q["ngspice_engine_s"]), fx(q["ngspice_wall_s"]),
                     "— no variant agrees; the closest to the reference" if r.get("pulsim_none_agrees") else
                     "fastest agreeing",
                     ", ".join(sorted({x for x in (r["pulsim_best"], r["pulsim_best_wall"]) if x})) or "none",
                     fx(q["pulsim_engine_s"]), fx(q["pulsim_wall_s"])))
        qs = r.get("ratios_spice_path") or {}
        L.append("")
        L.append("For scale, ngspice / simcore on the SPICE circuit (SPICE path): engine %s, wall %s." % (
            fx(qs.get("ngspice_engine_s")), fx(qs.get("ngspice_wall_s"))))
        pf = r.get("pss_fra")
        if pf and pf.get("simcore"):
            sc = pf.get("simcore") or {}
            pl = pf.get("pulsim") or {}
            if not pl:
                pl = {"error": "measured on the buck only"}
            L.append("")
            L.append("Periodic steady state and 40-point switching Bode: simcore %s; Pulsim steady_state %s ms "
                     "(dt %s ns, %s one-period runs, residual %s), frequency_response 40 points from scratch %s ms "
                     "(dt %s ns, %s one-period runs). Goal: PSS ≤ 3 ms, Bode ≤ 16 ms." % (
                         sc.get("status") or "PSS %s ms, Bode %s ms" % (fms(sc.get("pss_s")), fms(sc.get("fra40_s"))),
                         fms(pl.get("pss_s")), f3((pl.get("pss_dt") or 0) * 1e9), pl.get("pss_period_runs", "n/a"),
                         f3(pl.get("pss_residual")), fms(pl.get("fra40_s")), f3((pl.get("fra_dt") or 0) * 1e9),
                         pl.get("fra_period_runs", "n/a")) if pl and not pl.get("error") else
                     "Periodic steady state and 40-point switching Bode: simcore %s; Pulsim %s." % (
                         sc.get("status", "n/a"), pl.get("error", "not run")))
        L.append("")
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--simcore", default=os.path.join(ROOT, "build", "bin", "simcore"))
    ap.add_argument("--ngspice", default="ngspice")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these circuits")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per run before it is killed (references: 4x; default 60)")
    ap.add_argument("--pulsim-timeout", type=float, default=30.0, help="seconds per Pulsim run (default 30)")
    ap.add_argument("--no-pulsim", action="store_true", help="leave Pulsim out (no venv, no pip)")
    ap.add_argument("--venv", default=os.path.join(HERE, ".venv-power"), help="venv for Pulsim (created here)")
    ap.add_argument("--results", default=os.path.join(HERE, "results"))
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--note")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (path printed)")
    ap.add_argument("--from-json", metavar="PATH",
                    help="run nothing: re-derive the ratios and print the table of a saved power.json")
    args = ap.parse_args()
    if args.from_json:
        with open(args.from_json) as f:
            data = json.load(f)
        for r in data["circuits"]:
            derive(r)
        sys.stdout.write(report_md(data))
        return 0
    args.simcore = os.path.abspath(args.simcore)
    if not os.access(args.simcore, os.X_OK):
        sys.exit("power.py: simcore not found at %s (build it, or pass --simcore PATH)" % args.simcore)
    args.ngspice_path = shutil.which(args.ngspice)
    if not args.ngspice_path:
        sys.stderr.write("power.py: ngspice not found (%s): no ngspice rows and no references; install it "
                         "with scripts/setup.sh (Debian package ngspice)\n" % args.ngspice)
    names = {c["name"] for c in CIRCUITS}
    for n in args.only or []:
        if n not in names:
            sys.exit("power.py: unknown circuit %r (known: %s)" % (n, ", ".join(sorted(names))))
    circuits = [c for c in CIRCUITS if not args.only or c["name"] in args.only]
    pulsim_py = None if args.no_pulsim else ensure_pulsim(args.venv)
    pulsim_version = None
    if pulsim_py:
        pulsim_version = version_of([pulsim_py, "-c", "import pulsim; print('pulsim', pulsim.__version__)"])
    data = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "host": host_info(),
            "simcore": {"path": args.simcore, "version": version_of([args.simcore, "--version"])},
            "ngspice": {"path": args.ngspice_path, "version": version_of([args.ngspice_path, "--version"])
                        if args.ngspice_path else None},
            "pulsim": pulsim_version, "rounds": args.rounds, "warmup": args.warmup, "note": args.note,
            "tolerances": TOL, "argv": sys.argv[1:], "git_commit": None, "circuits": []}
    try:
        data["git_commit"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL).stdout.decode().strip() or None
    except OSError:
        pass
    data["host"]["loadavg_start"] = loadavg()
    work = tempfile.mkdtemp(prefix="simcore-power-")
    sys.stderr.write("power.py: %d circuits, %d round(s) + %d warm-up, temp %s\n" % (
        len(circuits), args.rounds, args.warmup, work))
    try:
        for c in circuits:
            data["circuits"].append(bench_circuit(c, args, work, pulsim_py))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    data["host"]["loadavg_end"] = loadavg()
    try:
        la = max(float(data["host"]["loadavg_start"]), float(data["host"]["loadavg_end"]))
        data["noisy"] = la > 0.5 * (os.cpu_count() or 1) + 0.5
    except ValueError:
        data["noisy"] = None
    md = report_md(data)
    sys.stdout.write(md)
    if not args.no_save:
        os.makedirs(args.results, exist_ok=True)
        with open(os.path.join(args.results, "power.md"), "w") as f:
            f.write(md)
        with open(os.path.join(args.results, "power.json"), "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        sys.stderr.write("power.py: wrote %s/power.md and power.json\n" % args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
