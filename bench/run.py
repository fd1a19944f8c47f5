#!/usr/bin/env python3
"""Benchmark simcore against ngspice (default solver and `.options klu`) on the circuit suite.

    python3 bench/run.py [--simcore PATH] [--only NAME ...] [--skip NAME ...] [--all]
                         [--rounds N] [--warmup N] [--quick] [--timeout S] [--results DIR]

For every circuit (the suite's manifest, then bench/circuits/*.cir) the three runs
  A  simcore run C.cir --out TMP --format raw --quiet
  B  ngspice -b -r TMP/ng.raw C.cir
  C  ngspice -b -r TMP/ngklu.raw C-with-.options-klu.cir
are repeated alternately (A B C A B C ...) after --warmup unmeasured rounds, each as a
whole process started in the circuit's directory; wall time (perf_counter around the
process) and peak RSS (wait4's ru_maxrss) are recorded and the medians reported.
Outside the timed runs, once per circuit: ngspice with `.options acct` (its statistics and
its raw file, judged for accuracy), simcore with --stats (its statistics) and simcore with
--format csv (judged for accuracy).
Results: a Markdown table on stdout, RESULTS/latest.md and RESULTS/latest.json.
See bench/README.md.  Python 3 standard library only.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import rawfile  # noqa: E402

VACASK_RC_US_PER_POINT = 0.94  # VACASK's published figure for its 1 M point RC case
SKIPPED_BY_DEFAULT = {"power_grid_100x100": "ngspice needs ~2 minutes per run; use --all"}
BIG_UNKNOWNS = 10000
SIMS = ("simcore", "simcore-2t", "ngspice", "ngspice-klu")


# ---------------------------------------------------------------------------
# process running
# ---------------------------------------------------------------------------

def gnu_time():
    """Path of GNU time (Debian package `time`), used only for the peak-memory runs."""
    for p in ("/usr/bin/time",):
        try:
            out = subprocess.run([p, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, timeout=10).stdout.decode("utf-8", "replace")
        except (OSError, subprocess.TimeoutExpired):
            continue
        if "GNU" in out:
            return p
    return None


def run_timed(argv, cwd, log_path, timeout, rss_wrapper=None):
    """Run argv in cwd with stdout+stderr to log_path.  Returns a dict with wall_s,
    exit (exit status, or -signal), maxrss_kb and timed_out.

    maxrss_kb is wait4's ru_maxrss.  On Linux a child's ru_maxrss is never below the RSS
    of the process that spawned it (exec records the old, inherited address space's high
    water mark), i.e. this Python harness, ~15 MB.  With rss_wrapper (GNU time) the
    command runs under `time -f %M`, which forks it from a small process and reports
    its own peak; that value is returned as maxrss_kb and the run is not a timed one."""
    rss_file = None
    if rss_wrapper:
        rss_file = log_path + ".rss"
        argv = [rss_wrapper, "-f", "%M", "-o", rss_file] + list(argv)
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        except OSError as e:
            return {"wall_s": None, "exit": None, "maxrss_kb": None, "timed_out": False, "error": str(e)}
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the process group of the child we started
            except OSError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        if timer:
            timer.cancel()
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code  # already reaped; keep Popen from waiting again
    rss = ru.ru_maxrss
    if rss_file:
        rss = None
        try:
            with open(rss_file) as f:
                rss = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
    return {"wall_s": wall, "exit": code, "maxrss_kb": rss, "timed_out": bool(timed_out)}


def tail(path, n=6):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 8192))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [ln.strip() for ln in text.replace("\r", "\n").splitlines() if ln.strip()]
    return " | ".join(lines[-n:])


def version_of(argv):
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30,
                             stdin=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return None
    for ln in out.splitlines():
        ln = ln.strip().strip("*").strip()
        if ln:
            return ln
    return None


# ---------------------------------------------------------------------------
# netlists
# ---------------------------------------------------------------------------

INCLUDE_RE = re.compile(r"^(\s*\.(?:include|inc|lib)\s+)(['\"]?)([^'\"\s]+)(['\"]?)(.*)$", re.I)


def variant_netlist(src, dst, options):
    """Copy netlist src to dst with `.options OPTIONS` after the title line; relative
    .include/.lib paths are made absolute so the copy may live anywhere."""
    srcdir = os.path.dirname(os.path.abspath(src))
    with open(src, encoding="latin-1") as f:
        lines = f.read().splitlines()
    out = lines[:1] + [".options " + options]
    for ln in lines[1:]:
        m = INCLUDE_RE.match(ln)
        if m and not os.path.isabs(m.group(3)):
            ln = "%s%s%s%s%s" % (m.group(1), m.group(2), os.path.join(srcdir, m.group(3)), m.group(4), m.group(5))
        out.append(ln)
    with open(dst, "w", encoding="latin-1") as f:
        f.write("\n".join(out) + "\n")


# ---------------------------------------------------------------------------
# statistics parsing
# ---------------------------------------------------------------------------

def _int(rx, text):
    m = None
    for m in re.finditer(rx, text, re.M):
        pass
    return int(m.group(1)) if m else None


def parse_simcore_stats(text):
    st = {
        "unknowns": _int(r"^\s*unknowns\s+(\d+)", text),
        "accepted": _int(r"^\s*accepted time points\s+(\d+)", text),
        "rejected": _int(r"^\s*rejected steps\s+(\d+)", text),
        "newton": _int(r"^\s*newton iterations\s+(\d+)", text),
        "newton_failed": _int(r"^\s*newton iterations\s+\d+\s*\(failed solves\s+(\d+)", text),
        "factorizations": _int(r"^\s*lu factorizations\s+(\d+)", text),
        "refactorizations": _int(r"^\s*lu refactorizations\s+(\d+)", text),
        "solves": _int(r"^\s*lu solves\s+(\d+)", text),
    }
    m = re.search(r"time: setup ([\d.eE+-]+) s, load ([\d.eE+-]+) s, factor ([\d.eE+-]+) s, "
                  r"solve ([\d.eE+-]+) s, total ([\d.eE+-]+) s", text)
    if m:
        st["time_s"] = dict(zip(("setup", "load", "factor", "solve", "total"), map(float, m.groups())))
    m = re.search(r"operating points:(.*)", text)
    if m:
        st["op_strategies"] = [s.strip() for s in m.group(1).split(";") if s.strip()]
    return st


def parse_ngspice_acct(text):
    """ngspice 39 `.options acct` wording: 'Transient timepoints', 'Accepted timepoints',
    'Rejected timepoints', 'Total iterations', 'Transient iterations', 'Circuit Equations'."""
    def num(label):
        v = _int(r"^\s*%s\s*=\s*(\d+)" % label, text)
        return v

    def flt(label):
        m = None
        for m in re.finditer(r"^\s*%s\s*=\s*([\d.eE+-]+)" % label, text, re.M):
            pass
        return float(m.group(1)) if m else None

    return {
        "equations": num("Circuit Equations"),
        "timepoints": num("Transient timepoints"),
        "accepted": num("Accepted timepoints"),
        "rejected": num(r"(?:Rejected timepoints|Transient timepoints rejected)"),
        "newton": num("Total iterations"),
        "tran_iterations": num("Transient iterations"),
        "analysis_s": flt(r"Total analysis time \(seconds\)"),
        "load_s": flt("Matrix load time"),
        "factor_s": flt("Matrix factor time"),
        "solve_s": flt("Matrix solve time"),
    }


# ---------------------------------------------------------------------------
# accuracy
# ---------------------------------------------------------------------------

def load_compare(suite):
    sys.path.insert(0, os.path.join(suite, "tools"))
    import compare  # noqa: E402 (the suite's judge, tools/compare.py)
    return compare


def judge(compare, suite, entry, resdir):
    try:
        r = compare.judge_circuit(suite, entry, resdir)
    except Exception as e:  # noqa: BLE001 - a broken candidate must not stop the benchmark
        return {"worst_ratio": None, "status": "error", "error": "%s: %s" % (type(e).__name__, e)}
    failed = [("%s %s %s" % (i["analysis"], i.get("metric", "wave"), i["signal"]))
              for i in r["signals"] + r["checks"] if i["status"] != "pass"]
    ratio = r["worst_ratio"]
    return {"worst_ratio": None if ratio == float("inf") else ratio, "status": r["status"],
            "missing": r["missing"], "failed": failed[:8]}


def ngspice_raw_to_csv(raw_path, entry, outdir):
    """Write ngspice's plots as NAME.<analysis>.csv in the reference layout."""
    os.makedirs(outdir, exist_ok=True)
    sweeps = {}
    for an in entry["analyses"]:
        if an["type"] == "dc":
            sweeps["dc"] = an["card"].split()[1].lower()
    written = []
    for plot in rawfile.read_raw(raw_path):
        a = rawfile.analysis_of(plot)
        if a is None or not plot.columns:
            continue
        header, cols = rawfile.to_reference_layout(plot, a, sweeps.get(a))
        path = os.path.join(outdir, "%s.%s.csv" % (entry["name"], a))
        with open(path, "w") as f:
            f.write(",".join(header) + "\n")
            for row in zip(*cols):
                f.write(",".join("%.12g" % v for v in row) + "\n")
        written.append(a)
    return written


# ---------------------------------------------------------------------------
# one circuit
# ---------------------------------------------------------------------------

def bench_circuit(c, args, compare, suite, work):
    name = c["name"]
    cir = c["path"]
    cwd = os.path.dirname(cir)
    tmp = os.path.join(work, name)
    os.makedirs(tmp, exist_ok=True)
    klu_cir = os.path.join(tmp, "klu_" + os.path.basename(cir))
    acct_cir = os.path.join(tmp, "acct_" + os.path.basename(cir))
    variant_netlist(cir, klu_cir, "klu")
    variant_netlist(cir, acct_cir, "acct")
    cmds = {
        # timed without --stats (which reads the clock around every load, factorization and solve);
        # the statistics come from one more, untimed run, as ngspice's from its `.options acct` run
        "simcore": [args.simcore, "run", cir, "--out", os.path.join(tmp, "sc"), "--format", "raw", "--quiet"],
        # device evaluation on two threads (groups of >= 256 semiconductors; bit-identical results)
        "simcore-2t": [args.simcore, "run", cir, "--out", os.path.join(tmp, "sc2"), "--format", "raw", "--quiet",
                       "--threads", "2"],
        "ngspice": [args.ngspice, "-b", "-r", os.path.join(tmp, "ng.raw"), cir],
        "ngspice-klu": [args.ngspice, "-b", "-r", os.path.join(tmp, "ngklu.raw"), klu_cir],
    }
    res = {"name": name, "file": os.path.relpath(cir, ROOT), "source": c["source"], "runs": {s: [] for s in SIMS},
           "failure": {}, "manifest_ngspice_wall_s": (c.get("entry") or {}).get("ngspice_wall_s")}
    outputs = {"simcore": os.path.join(tmp, "sc"), "simcore-2t": os.path.join(tmp, "sc2"), "ngspice": os.path.join(tmp, "ng.raw"),
               "ngspice-klu": os.path.join(tmp, "ngklu.raw")}

    def wrote_output(sim):
        p = outputs[sim]
        if os.path.isdir(p):
            return any(f.endswith(".raw") and os.path.getsize(os.path.join(p, f)) > 0 for f in os.listdir(p))
        return os.path.isfile(p) and os.path.getsize(p) > 0

    active = list(SIMS)
    for rnd in range(args.warmup + args.rounds):
        warm = rnd < args.warmup
        for sim in list(active):
            log = os.path.join(tmp, "%s.log" % sim)
            shutil.rmtree(outputs[sim], ignore_errors=True) if sim.startswith("simcore") else (
                os.path.exists(outputs[sim]) and os.remove(outputs[sim]))
            r = run_timed(cmds[sim], cwd, log, args.timeout)
            if r["exit"] == 0 and not r["timed_out"] and not wrote_output(sim):
                r["exit"] = None
                r["error"] = "exit 0 but no raw output: %s" % tail(log, 3)
            r["warmup"] = warm
            res["runs"][sim].append(r)
            if r["timed_out"] or r["exit"] != 0:
                why = "timeout after %g s" % args.timeout if r["timed_out"] else (
                    r.get("error") or "exit %s: %s" % (r["exit"], tail(log, 3)))
                res["failure"][sim] = why
                active.remove(sim)  # a failed or hung simulator is not timed again on this circuit
            sys.stderr.write("  %-12s %s %-11s %8.3f s  %s\n" % (
                name, "warm " if warm else "round", sim, r["wall_s"] or float("nan"),
                "ok" if sim not in res["failure"] else "FAILED " + res["failure"][sim]))
    for sim in SIMS:
        good = [r for r in res["runs"][sim] if not r["warmup"] and r["exit"] == 0 and not r["timed_out"]]
        if good and sim not in res["failure"]:
            res[sim] = {"median_wall_s": statistics.median(r["wall_s"] for r in good),
                        "min_wall_s": min(r["wall_s"] for r in good),
                        "median_maxrss_kb": statistics.median(r["maxrss_kb"] for r in good), "n": len(good)}
    res["harness_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    res["peak_rss_source"] = "GNU time, one untimed run" if args.gnu_time else "wait4 median (>= harness RSS)"
    for sim in ("simcore", "ngspice"):
        if res.get(sim):
            res[sim]["peak_kb"] = res[sim]["median_maxrss_kb"]
    # simcore statistics (untimed run with --stats)
    if "simcore" not in res["failure"]:
        log = os.path.join(tmp, "scstats.log")
        r = run_timed(cmds["simcore"] + ["--stats"], cwd, log, args.timeout)
        if r["exit"] == 0 and not r["timed_out"]:
            with open(log, encoding="utf-8", errors="replace") as f:
                res["simcore_stats"] = parse_simcore_stats(f.read())
    # simcore peak memory (untimed run of the timed command under GNU time)
    if args.gnu_time and "simcore" not in res["failure"]:
        r = run_timed(cmds["simcore"], cwd, os.path.join(tmp, "scmem.log"), args.timeout, args.gnu_time)
        if res.get("simcore"):
            res["simcore"]["peak_kb"] = r["maxrss_kb"] if r["exit"] == 0 else None
    # ngspice statistics, peak memory and raw output (untimed, default solver + .options acct)
    if "ngspice" not in res["failure"]:
        log = os.path.join(tmp, "ngacct.log")
        raw = os.path.join(tmp, "ngacct.raw")
        r = run_timed([args.ngspice, "-b", "-r", raw, acct_cir], cwd, log, args.timeout, args.gnu_time)
        if r["exit"] == 0 and not r["timed_out"]:
            if args.gnu_time and res.get("ngspice"):
                res["ngspice"]["peak_kb"] = r["maxrss_kb"]
            with open(log, encoding="utf-8", errors="replace") as f:
                res["ngspice_stats"] = parse_ngspice_acct(f.read())
            if c.get("entry") and os.path.exists(raw):
                try:
                    ngspice_raw_to_csv(raw, c["entry"], os.path.join(tmp, "ngcsv"))
                    res["ngspice_accuracy"] = judge(compare, suite, c["entry"], os.path.join(tmp, "ngcsv"))
                except (ValueError, OSError, IndexError) as e:
                    res["ngspice_accuracy"] = {"worst_ratio": None, "status": "error", "error": str(e)}
    # simcore accuracy from its CSV output (untimed; not after a timeout)
    if c.get("entry") and not res["failure"].get("simcore", "").startswith("timeout"):
        out = os.path.join(tmp, "sccsv")
        log = os.path.join(tmp, "sccsv.log")
        r = run_timed([args.simcore, "run", cir, "--out", out, "--format", "csv", "--quiet"], cwd, log, args.timeout)
        stem = os.path.splitext(os.path.basename(cir))[0]
        if stem != name and os.path.isdir(out):
            for fn in os.listdir(out):
                if fn.startswith(stem + "."):
                    os.replace(os.path.join(out, fn), os.path.join(out, name + fn[len(stem):]))
        if r["exit"] == 0 and not r["timed_out"]:
            res["simcore_accuracy"] = judge(compare, suite, c["entry"], out)
        else:
            res["simcore_accuracy"] = {"worst_ratio": None, "status": "run failed",
                                       "error": "timeout" if r["timed_out"] else "exit %s: %s" % (r["exit"], tail(log, 3))}
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    derive(res)
    return res


def derive(res):
    sc = res.get("simcore", {}).get("median_wall_s")
    for sim, key in (("ngspice", "speedup"), ("ngspice-klu", "speedup_klu")):
        ng = res.get(sim, {}).get("median_wall_s")
        res[key] = ng / sc if sc and ng else None
    sc2 = res.get("simcore-2t", {}).get("median_wall_s")
    res["threads_speedup"] = sc / sc2 if sc and sc2 else None
    st = res.get("simcore_stats") or {}
    acc = st.get("accepted")
    res["us_per_point"] = sc / acc * 1e6 if sc and acc else None
    ng = res.get("ngspice_stats") or {}
    unk = st.get("unknowns")
    if unk is None and ng.get("equations") is not None:
        unk = ng["equations"]
    res["unknowns"] = unk


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------

def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return (math.exp(sum(math.log(x) for x in xs) / len(xs)), len(xs)) if xs else (None, 0)


def fmt_s(x):
    if x is None:
        return "n/a"
    return "%.3g" % x if x < 100 else "%.0f" % x


def fmt_x(x):
    return "n/a" if x is None else "%.2f" % x


def fmt_i(x):
    return "n/a" if x is None else str(x)


def fmt_mb(kb):
    return "n/a" if kb is None else "%.0f" % (kb / 1024.0)


def fmt_acc(a):
    if not a:
        return "n/a"
    if a.get("worst_ratio") is None:
        return a.get("status", "n/a").replace("|", "/")
    return "%.2g%s" % (a["worst_ratio"], "" if a["worst_ratio"] <= 1 else "!")


def pair(a, b):
    return "%s / %s" % (a, b)


def report_md(data):
    h = data["host"]
    lines = ["# simcore vs ngspice benchmark", ""]
    lines.append("- date: %s; host: %s, %s CPUs (%s); load average at start %s, at end %s%s" % (
        data["date"], h["hostname"], h["nproc"], h["cpu_model"], h["loadavg_start"], h["loadavg_end"],
        " — **noisy** (other work was running)" if data["noisy"] else ""))
    lines.append("- simcore: `%s` (%s; repo HEAD %s); ngspice: %s" % (
        data["simcore"]["path"], data["simcore"]["version"], data["git_commit"], data["ngspice"]["version"]))
    lines.append("- %d measured round(s) after %d warm-up round(s), runs alternated simcore / simcore "
                 "`--threads 2` / ngspice / ngspice `.options klu`; medians of whole-process wall time. Speedup = ngspice / simcore "
                 "(> 1: simcore faster). Accuracy = worst err/allowed against the suite's references "
                 "(<= 1 passes, `!` fails). Pairs read simcore / ngspice. Peak memory: %s." % (
                     data["rounds"], data["warmup"], "GNU time on one extra untimed run per simulator"
                     if data["gnu_time"] else "wait4 ru_maxrss of the timed runs, never below the harness's "
                     "own RSS (%s MB)" % fmt_mb(max((r.get("harness_rss_kb") or 0) for r in data["circuits"]))))
    if data.get("note"):
        lines.append("- note: %s" % data["note"])
    lines.append("")
    lines.append("| circuit | unknowns | simcore s | simcore 2 threads s | ngspice s | ngspice-klu s | speedup | "
                 "speedup klu | 2 threads / 1 | accepted points | rejected steps | Newton iterations | peak MB | "
                 "accuracy | µs/point simcore |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in data["circuits"]:
        sc = r.get("simcore_stats") or {}
        ng = r.get("ngspice_stats") or {}
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["name"] + ("" if r["source"] == "suite" else " †"), fmt_i(r.get("unknowns")),
            fmt_s(r.get("simcore", {}).get("median_wall_s")) if "simcore" not in r["failure"] else "FAIL",
            fmt_s(r.get("simcore-2t", {}).get("median_wall_s")) if "simcore-2t" not in r["failure"] else "FAIL",
            fmt_s(r.get("ngspice", {}).get("median_wall_s")) if "ngspice" not in r["failure"] else "FAIL",
            fmt_s(r.get("ngspice-klu", {}).get("median_wall_s")) if "ngspice-klu" not in r["failure"] else "FAIL",
            fmt_x(r.get("speedup")), fmt_x(r.get("speedup_klu")), fmt_x(r.get("threads_speedup")),
            pair(fmt_i(sc.get("accepted")), fmt_i(ng.get("accepted"))),
            pair(fmt_i(sc.get("rejected")), fmt_i(ng.get("rejected"))),
            pair(fmt_i(sc.get("newton")), fmt_i(ng.get("newton"))),
            pair(fmt_mb(r.get("simcore", {}).get("peak_kb")), fmt_mb(r.get("ngspice", {}).get("peak_kb"))),
            pair(fmt_acc(r.get("simcore_accuracy")) if r["source"] == "suite" else "n/a",
                 fmt_acc(r.get("ngspice_accuracy")) if r["source"] == "suite" else "n/a"),
            "%.3g" % r["us_per_point"] if r.get("us_per_point") else "n/a"))
    lines.append("")
    lines.append("† bench/circuits (no reference results: accuracy n/a).")
    lines.append("")
    s = data["summary"]
    for key, label in (("all", "all measured circuits"), ("suite", "suite circuits (manifest)"),
                       ("big", "circuits with >= %d unknowns" % BIG_UNKNOWNS)):
        g = s[key]
        lines.append("- geometric mean speedup over %s: %s vs ngspice, %s vs ngspice-klu (%d / %d circuits)" % (
            label, fmt_x(g["speedup"]), fmt_x(g["speedup_klu"]), g["n"], g["n_klu"]))
    rc = next((r for r in data["circuits"] if r["name"] == "rc_1m"), None)
    if rc:
        lines.append("- rc_1m: simcore %s µs per accepted time point (whole process, output included); "
                     "VACASK publishes %.2f µs for its 1 M point RC case (other host)." % (
                         "%.3g" % rc["us_per_point"] if rc.get("us_per_point") else "n/a", VACASK_RC_US_PER_POINT))
    fails = [(r["name"], sim, why) for r in data["circuits"] for sim, why in r["failure"].items()]
    if fails:
        lines.append("")
        lines.append("Failures:")
        lines.append("")
        for name, sim, why in fails:
            lines.append("- %s, %s: %s" % (name, sim, why.replace("|", "/")))
    accfail = [(r["name"], who, r[k]) for r in data["circuits"] for who, k in
               (("simcore", "simcore_accuracy"), ("ngspice", "ngspice_accuracy"))
               if r.get(k) and r[k].get("status") != "pass" and who not in r["failure"]]
    if accfail:
        lines.append("")
        lines.append("Accuracy failures (worst first few signals/checks):")
        lines.append("")
        for name, who, a in accfail:
            detail = a.get("error") or ", ".join((a.get("missing") or []) + (a.get("failed") or []))
            lines.append("- %s, %s: %s" % (name, who, detail.replace("|", "/")))
    return "\n".join(lines) + "\n"


def summarize(circuits):
    def g(rs):
        sp, n = geomean([r.get("speedup") for r in rs])
        spk, nk = geomean([r.get("speedup_klu") for r in rs])
        return {"speedup": sp, "n": n, "speedup_klu": spk, "n_klu": nk}
    return {"all": g(circuits), "suite": g([r for r in circuits if r["source"] == "suite"]),
            "big": g([r for r in circuits if (r.get("unknowns") or 0) >= BIG_UNKNOWNS])}


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def host_info():
    model = None
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.lower().startswith("model name"):
                    model = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"hostname": platform.node(), "nproc": os.cpu_count(), "cpu_model": model or platform.processor(),
            "kernel": platform.release(), "python": platform.python_version()}


def loadavg():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "n/a"



def mark_noisy(data):
    """data["noisy"]: the machine's load average, at the start or the end, was above half its cores."""
    data["host"]["loadavg_end"] = loadavg()
    try:
        la = max(float(data["host"]["loadavg_start"]), float(data["host"]["loadavg_end"]))
        data["noisy"] = la > 0.5 * (os.cpu_count() or 1) + 0.5
    except ValueError:
        data["noisy"] = None


def publish(md, data, results, stem, prog):
    """The report to stdout and, unless results is None, RESULTS/STEM.md and STEM.json."""
    sys.stdout.write(md)
    if results is None:
        return
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, stem + ".md"), "w") as f:
        f.write(md)
    with open(os.path.join(results, stem + ".json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    sys.stderr.write("%s: wrote %s/%s.md and %s.json\n" % (prog, results, stem, stem))

def find_suite(arg):
    for d in ([arg] if arg else [os.path.join(ROOT, "..", "shared", "circuits"), "/work/shared/circuits"]):
        if d and os.path.exists(os.path.join(d, "manifest.json")):
            return os.path.abspath(d)
    return None


def circuit_list(args, suite):
    out = []
    man = {"circuits": []}
    if suite:
        with open(os.path.join(suite, "manifest.json")) as f:
            man = json.load(f)
    for e in man["circuits"]:
        out.append({"name": e["name"], "path": os.path.join(suite, e["file"]), "source": "suite", "entry": e})
    bdir = os.path.join(HERE, "circuits")
    if os.path.isdir(bdir):
        for fn in sorted(os.listdir(bdir)):
            if fn.endswith(".cir"):
                out.append({"name": fn[:-4], "path": os.path.join(bdir, fn), "source": "bench", "entry": None})
    # SkyWater sky130 decks (bench/circuits/sky130, with the .spiceinit the library asks for): when
    # the library is here ($SIMCORE_PDK_SKY130_FD_PR, else build/pdk/sky130_fd_pr as
    # tests/pdk/run.sh fetches it), linked beside them as the folder their .lib names
    sdir = os.path.join(bdir, "sky130")
    lib = os.environ.get("SIMCORE_PDK_SKY130_FD_PR") or os.path.join(ROOT, "build", "pdk", "sky130_fd_pr")
    if os.path.isdir(sdir):
        if os.path.isfile(os.path.join(lib, "combined_models", "sky130.lib.spice")):
            link = os.path.join(sdir, "sky130_fd_pr")
            if os.path.islink(link) and os.readlink(link) != os.path.abspath(lib):
                os.remove(link)
            if not os.path.lexists(link):
                os.symlink(os.path.abspath(lib), link)
            for fn in sorted(os.listdir(sdir)):
                if fn.endswith(".cir"):
                    out.append({"name": "sky130_" + fn[:-4], "path": os.path.join(sdir, fn), "source": "bench",
                                "entry": None})
        else:
            sys.stderr.write("run.py: note: no sky130 library (tests/pdk/run.sh build . fetches it into "
                             "build/pdk): the sky130 cases are left out\n")
    if args.quick:
        suite_c = sorted((c for c in out if c["source"] == "suite"), key=lambda c: os.path.getsize(c["path"]))
        names = [c["name"] for c in suite_c[:2]]
        out = [c for c in out if c["name"] in names]
    if args.only:
        known = {c["name"] for c in out}
        for n in args.only:
            if n not in known:
                sys.exit("run.py: unknown circuit %r (known: %s)" % (n, ", ".join(sorted(known))))
        out = [c for c in out if c["name"] in args.only]
    elif not args.all:
        out = [c for c in out if c["name"] not in SKIPPED_BY_DEFAULT]
    if args.skip:
        out = [c for c in out if c["name"] not in args.skip]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--simcore", default=os.path.join(ROOT, "build", "bin", "simcore"),
                    help="simcore executable (default: build/bin/simcore)")
    ap.add_argument("--ngspice", default="ngspice", help="ngspice executable (default: ngspice on PATH)")
    ap.add_argument("--suite", help="circuit suite folder with manifest.json (default: ../shared/circuits)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these circuits")
    ap.add_argument("--skip", nargs="+", metavar="NAME", default=[], help="leave these circuits out")
    ap.add_argument("--all", action="store_true",
                    help="also run the circuits skipped by default: %s" % ", ".join(SKIPPED_BY_DEFAULT))
    ap.add_argument("--rounds", type=int, help="measured rounds (default 5; 2 with --quick)")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured warm-up rounds (default 1)")
    ap.add_argument("--quick", action="store_true", help="the two smallest suite circuits, 2 rounds")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per run before it is killed (default 900)")
    ap.add_argument("--results", default=os.path.join(HERE, "results"),
                    help="folder for latest.md / latest.json (default bench/results)")
    ap.add_argument("--no-save", action="store_true", help="print the table only, write no result files")
    ap.add_argument("--note", help="free text stored with the results (e.g. 'machine busy')")
    ap.add_argument("--no-gnu-time", action="store_true",
                    help="take peak memory from the timed runs' wait4 only (see README: floor = harness RSS)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary output folders (path printed)")
    args = ap.parse_args()
    args.gnu_time = None if args.no_gnu_time else gnu_time()
    if args.rounds is None:
        args.rounds = 2 if args.quick else 5
    args.simcore = os.path.abspath(args.simcore)
    if not os.access(args.simcore, os.X_OK):
        sys.exit("run.py: simcore not found at %s (build it, or pass --simcore PATH)" % args.simcore)
    if shutil.which(args.ngspice) is None:
        sys.exit("run.py: ngspice not found (%s)" % args.ngspice)
    suite = find_suite(args.suite)
    if suite is None:
        sys.stderr.write("run.py: warning: circuit suite not found; only bench/circuits are run\n")
    compare = load_compare(suite) if suite else None
    circuits = circuit_list(args, suite)
    if not circuits:
        sys.exit("run.py: no circuits selected")

    data = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "host": host_info(),
            "simcore": {"path": args.simcore, "version": version_of([args.simcore, "--version"])},
            "ngspice": {"path": shutil.which(args.ngspice), "version": version_of([args.ngspice, "--version"])},
            "git_commit": None, "suite": suite, "rounds": args.rounds, "warmup": args.warmup,
            "timeout_s": args.timeout, "note": args.note, "gnu_time": args.gnu_time, "argv": sys.argv[1:], "circuits": []}
    try:
        data["git_commit"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL).stdout.decode().strip() or None
    except OSError:
        pass
    data["host"]["loadavg_start"] = loadavg()
    work = tempfile.mkdtemp(prefix="simcore-bench-")
    sys.stderr.write("run.py: %d circuits, %d round(s) + %d warm-up, temp %s\n" % (
        len(circuits), args.rounds, args.warmup, work))
    try:
        for c in circuits:
            data["circuits"].append(bench_circuit(c, args, compare, suite, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    mark_noisy(data)
    data["summary"] = summarize(data["circuits"])
    publish(report_md(data), data, None if args.no_save else args.results, "latest", "run.py")
    # exit 0 even when circuits fail: failures are results; bad usage exits early
    return 0


if __name__ == "__main__":
    sys.exit(main())
