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
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
POWER = os.path.join(HERE, "power")
sys.path.insert(0, HERE)
from power_analysis import (TOL, analytic, judge, load_pulsim, load_raw, metrics, pwl_as_bsource,  # noqa: E402
                            read_lines, with_options, write_lines)
from run import (host_info, loadavg, mark_noisy, parse_ngspice_acct, parse_simcore_stats, publish,  # noqa: E402
                 run_timed, tail, version_of)

PULSIM_REQ = ["pulsim==2.0.0", "numpy"]

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

# ---------------------------------------------------------------------------
# PSS and switching-Bode timings of simcore (coordinator: wire .pss / .fra here)
# ---------------------------------------------------------------------------

def simcore_pss_fra(circuit, simcore, rounds=5, timeout=120):
    """simcore's periodic steady state (`.pss PERIOD`) and ~40-point switching Bode (`.fra dec 20
    200 20k`, 41 points) of `circuit` (a CIRCUITS entry), both on bench/power/<name>.event.cir with
    the .tran card replaced: medians over `rounds` of the whole process and of the --stats engine
    total. The Bode perturbs a duty reference where the circuit has a comparator-driven gate (the
    buck is given one: VREF against a 0..1 triangle through an E comparator, the PULSE gate's duty),
    else the input source (line-to-output). The VSI is not periodic with a switching period (its
    period is 20 ms): only its PSS is timed."""
    simcore = os.path.abspath(simcore)
    src = os.path.join(POWER, circuit["name"] + ".event.cir")
    lines = read_lines(src)
    period = circuit["period"]
    tmp = tempfile.mkdtemp(prefix="simcore-pssfra-")
    out = {}
    try:
        def card_net(card, gate_ref):
            net = []
            for ln in lines:
                low = ln.strip().lower()
                if low.startswith(".tran"):
                    net.append(card)
                    continue
                if gate_ref and low.startswith("vg "):
                    # the same gate (0/5 V at 100 kHz, duty 0.5) from a comparator of VREF against a triangle
                    net += ["VREF ref 0 DC 0.5", "VTRI tri 0 PULSE(0 1 0 5u 5u 0 10u)", "EG g 0 ref tri 1e6"]
                    continue
                net.append(ln)
            return net

        def timed(tag, net):
            path = os.path.join(tmp, tag + ".cir")
            write_lines(path, net)
            walls, engines = [], []
            for _ in range(max(rounds, 1)):
                log = os.path.join(tmp, tag + ".log")
                r = run_timed([simcore, "run", path, "--stats", "-o", os.path.join(tmp, tag)], tmp, log, timeout)
                if r["exit"] != 0:
                    return {"error": failure_text(log)}
                st = simcore_stats(log)
                walls.append(r["wall_s"])
                engines.append((st.get("time_s") or {}).get("total"))
            with open(os.path.join(tmp, tag + ".log"), encoding="utf-8", errors="replace") as f:
                text = f.read()
            m = re.search(r"shooting\s+(\d+) Newton iterations, relative residual ([\d.eE+-]+)", text)
            res = {"wall_s": statistics.median(walls), "engine_s": statistics.median(e for e in engines if e)}
            if m:
                res["newton"] = int(m.group(1))
                res["residual"] = float(m.group(2))
            return res

        pss = timed("pss", card_net(".pss %g" % period, False))
        out["pss_s"], out["pss_wall_s"] = pss.get("engine_s"), pss.get("wall_s")
        out["pss_newton"], out["pss_residual"] = pss.get("newton"), pss.get("residual")
        if "error" in pss:
            out["pss_error"] = pss["error"]
        if circuit["name"] != "vsi3":
            buck = circuit["name"] == "buck"
            source = "VREF" if buck else next((ln.split()[0] for ln in lines if re.match(r"(?i)^v(in|dc)\b", ln.strip())), None)
            if source:
                fra = timed("fra", card_net(".fra dec 20 200 20k period=%g source=%s" % (period, source), buck))
                out["fra40_s"], out["fra40_wall_s"] = fra.get("engine_s"), fra.get("wall_s")
                out["fra_source"] = source
                if "error" in fra:
                    out["fra_error"] = fra["error"]
        if out.get("pss_s") is None:
            out["status"] = "PSS failed: %s" % out.get("pss_error", "?")
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
    res["pss_fra"] = {"simcore": simcore_pss_fra(c, args.simcore, args.rounds, args.timeout)}
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
                         sc.get("status") or "PSS %s ms (%s Newton iterations, residual %s), Bode %s" % (
                             fms(sc.get("pss_s")), sc.get("pss_newton", "n/a"), sc.get("pss_residual", "n/a"),
                             "%s ms (source %s)" % (fms(sc.get("fra40_s")), sc["fra_source"]) if sc.get("fra40_s")
                             else "not run (no switching-period source to perturb)"),
                         pl.get("error", "not run")))
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
    mark_noisy(data)
    publish(report_md(data), data, None if args.no_save else args.results, "power", "power.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
