#!/usr/bin/env python3
"""Run simcore over the circuit conformance suite and judge it with the suite's own code.

    python3 tests/conformance/run.py [--simcore PATH | --runner wasm] [--only NAME ...] [-j N]
                                     [--json REPORT.json] [--markdown TABLE.md]

For every circuit of manifest.json this runs

    simcore run NAME.cir --out TMPDIR/results --quiet

from the circuits folder (so relative .include paths work), records the wall time,
exit status and stderr, then judges the CSV files with tools/compare.py's
judge_circuit (tolerances exactly as the suite defines them; nothing is loosened).

The suite is found at $SIMCORE_CIRCUITS, else ../shared/circuits relative to the
repository root.  Circuits named in tests/conformance/expected_failures.txt may fail
for now: they are reported as XFAIL, and as XPASS when they pass (remove them from
the list then).  A crash (killed by a signal, unexpected exit status) or a timeout
is always a failure, listed or not.

Exit status: 0 when nothing failed unexpectedly, 1 otherwise, 2 on bad usage.
Python 3 standard library only.
"""
import argparse
import concurrent.futures
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Outcomes.  "failed" are the ones that make the run fail.
PASS, FAIL, XFAIL, XPASS, CRASH, TIMEOUT = "pass", "FAIL", "XFAIL", "XPASS", "CRASH", "TIMEOUT"
FAILED = (FAIL, CRASH, TIMEOUT)


def default_circuits_dir():
    env = os.environ.get("SIMCORE_CIRCUITS")
    if env:
        return os.path.abspath(env)
    return os.path.normpath(os.path.join(ROOT, "..", "shared", "circuits"))


def load_suite_tools(circuits_dir):
    """Import the suite's suitelib and compare modules (their directory first on sys.path)."""
    tools = os.path.join(circuits_dir, "tools")
    if not os.path.isfile(os.path.join(tools, "compare.py")):
        sys.exit("run.py: no tools/compare.py in %s (set SIMCORE_CIRCUITS or --circuits)" % circuits_dir)
    sys.path.insert(0, tools)
    import suitelib  # noqa: F401,E402  (imported for its side effect of being the one compare.py uses)
    import compare  # noqa: E402
    return compare


def read_expected_failures(path):
    """{name: reason} from lines `name  # reason`; blank lines and whole-line comments ignored."""
    out = {}
    if not path or not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            body, _, reason = line.partition("#")
            name = body.strip()
            if name:
                out[name] = reason.strip()
    return out


def run_simcore(simcore, circuits_dir, c, resdir, timeout):
    """Run one circuit; returns a dict with wall time, exit status, stderr, timeout flag."""
    cmd = [simcore, "run", c["file"], "--out", resdir, "--quiet"]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=circuits_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        rc, err, timed_out = p.returncode, p.stderr.decode("utf-8", "replace"), False
    except subprocess.TimeoutExpired as e:
        rc, timed_out = None, True
        err = (e.stderr or b"").decode("utf-8", "replace")
    except OSError as e:
        rc, err, timed_out = None, "cannot start %s: %s" % (simcore, e), False
    wall = time.monotonic() - t0
    return {"exit": rc, "stderr": err, "timed_out": timed_out, "wall_s": wall}


def first_line(s):
    for line in s.splitlines():
        if line.strip():
            return line.strip()
    return ""


def judge(compare, circuits_dir, c, resdir, run, expected):
    """Combine the run record with the suite's verdict into one circuit report."""
    rep = {"name": c["name"], "category": c.get("category", ""),
           "analyses": [a["type"] for a in c["analyses"]],
           "wall_s": run["wall_s"], "exit": run["exit"], "stderr": run["stderr"],
           "ngspice_wall_s": c.get("ngspice_wall_s"),
           "expected_failure": c["name"] in expected,
           "expected_reason": expected.get(c["name"], ""),
           "signals": [], "checks": [], "missing": [], "worst_ratio": math.inf}
    try:
        r = compare.judge_circuit(circuits_dir, c, resdir)
        rep.update(signals=r["signals"], checks=r["checks"], missing=r["missing"],
                   worst_ratio=r["worst_ratio"])
        verdict = r["status"]
    except Exception as e:  # noqa: BLE001  (malformed output: a failure of simcore, not of the runner)
        rep["judge_error"] = "%s: %s" % (type(e).__name__, e)
        verdict = FAIL
    if run["exit"] != 0:
        verdict = FAIL  # a non-zero exit is a failure even if stale files would pass
    crashed = run["exit"] is None or run["exit"] < 0 or run["exit"] not in (0, 1, 2)
    if run["timed_out"]:
        outcome = TIMEOUT
        rep["stderr"] = ("killed after %.0f s; " % run["wall_s"]) + rep["stderr"]
    elif crashed:
        outcome = CRASH
    elif verdict == "pass":
        outcome = XPASS if rep["expected_failure"] else PASS
    else:
        outcome = XFAIL if rep["expected_failure"] else FAIL
    rep["outcome"] = outcome
    return rep


def fmt(v, spec=".4g"):
    if v is None:
        return "-"
    if isinstance(v, float) and math.isinf(v):
        return "inf"
    return format(v, spec)


def item_rows(rep):
    """(analysis, what, error, allowed, ratio, status) per compared signal and check."""
    rows = []
    for i in rep["signals"]:
        rows.append((i["analysis"], i["signal"], i.get("err"), i.get("allowed"), i.get("ratio"),
                     i["status"]))
    for i in rep["checks"]:
        p = i.get("params", {})
        arg = ",".join("%s=%s" % (k, fmt(v) if isinstance(v, float) else v) for k, v in sorted(p.items()))
        what = "%s %s(%s)" % (i["signal"], i["metric"], arg)
        rows.append((i["analysis"], what, i.get("err"), i.get("allowed"), i.get("ratio"), i["status"]))
    return rows


def exit_text(rep):
    if rep["outcome"] == TIMEOUT:
        return "timeout"
    e = rep["exit"]
    if e is None:
        return "not run"
    if e < 0:
        return "signal %d" % -e
    return "exit %d" % e


def print_report(reports, out, verbose):
    w = max([len(r["name"]) for r in reports] + [7])
    out.write("%-*s  %-4s  %-44s %11s %11s %9s  %s\n" % (
        w, "circuit", "an.", "signal / check", "error", "allowed", "ratio", "status"))
    for rep in reports:
        note = " (listed as expected failure: %s)" % rep["expected_reason"] if rep["expected_failure"] else ""
        out.write("%-*s  %-7s %7.2f s  %s%s\n" % (w, rep["name"], rep["outcome"], rep["wall_s"],
                                                 exit_text(rep), note))
        if rep["exit"] != 0 or rep["outcome"] in (CRASH, TIMEOUT):
            line = first_line(rep["stderr"])
            if line:
                out.write("%-*s  simcore: %s\n" % (w, "", line))
        if rep.get("judge_error") and (rep["exit"] == 0 or verbose):
            out.write("%-*s  judge: %s\n" % (w, "", rep["judge_error"]))
        for m in rep["missing"]:
            if rep["exit"] == 0 or verbose:
                out.write("%-*s  missing %s\n" % (w, "", m))
        show_items = verbose or rep["outcome"] in (PASS, XPASS, FAIL) and rep["exit"] == 0
        if show_items:
            for an, what, err, allowed, ratio, st in item_rows(rep):
                out.write("%-*s  %-4s  %-44s %11s %11s %9s  %s\n" % (
                    w, "", an, what[:44], fmt(err), fmt(allowed), fmt(ratio, ".3g"), st))
    out.flush()


def counts(reports):
    c = {k: 0 for k in (PASS, FAIL, XFAIL, XPASS, CRASH, TIMEOUT)}
    for r in reports:
        c[r["outcome"]] += 1
    return c


def markdown(reports, simcore_version, suite):
    c = counts(reports)
    lines = []
    lines.append("Conformance against `%s` (%s; references from %s). %d circuits: %d pass, "
                 "%d expected failures (XFAIL), %d XPASS, %d fail, %d crash, %d timeout." % (
                     "../shared/circuits", simcore_version, suite.get("reference_simulator", "?"),
                     len(reports), c[PASS], c[XFAIL], c[XPASS], c[FAIL], c[CRASH], c[TIMEOUT]))
    lines.append("")
    lines.append("| circuit | category | analyses | result | worst err/allowed | simcore s | ngspice s | note |")
    lines.append("|---|---|---|---|---:|---:|---:|---|")
    for r in reports:
        note = ""
        if r["exit"] != 0:
            note = first_line(r["stderr"]).replace("|", "\\|")
            note = "%s: %s" % (exit_text(r), note) if note else exit_text(r)
        elif r["expected_failure"]:
            note = r["expected_reason"]
        ratio = fmt(r["worst_ratio"], ".3g") if r["exit"] == 0 else "-"
        lines.append("| %s | %s | %s | %s | %s | %.2f | %s | %s |" % (
            r["name"], r["category"], " ".join(r["analyses"]), r["outcome"], ratio, r["wall_s"],
            fmt(r["ngspice_wall_s"], ".3g"), note))
    lines.append("")
    lines.append("<details><summary>Every compared signal and check</summary>")
    lines.append("")
    lines.append("| circuit | analysis | signal / check | error | allowed | ratio | status |")
    lines.append("|---|---|---|---:|---:|---:|---|")
    for r in reports:
        for an, what, err, allowed, ratio, st in item_rows(r):
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                r["name"], an, what.replace("|", "\\|"), fmt(err), fmt(allowed), fmt(ratio, ".3g"), st))
    lines.append("")
    lines.append("</details>")
    return "\n".join(lines) + "\n"


def jsonable(o):
    if isinstance(o, float) and not math.isfinite(o):
        return None if o != o else ("inf" if o > 0 else "-inf")
    if isinstance(o, dict):
        return {k: jsonable(v) for k, v in o.items()}
    if isinstance(o, list):
        return [jsonable(v) for v in o]
    return o


def simcore_version(simcore):
    try:
        p = subprocess.run([simcore, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=10)
        return first_line(p.stdout.decode("utf-8", "replace")) or "simcore"
    except (OSError, subprocess.TimeoutExpired):
        return "simcore"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--simcore", default=os.path.join(ROOT, "build", "bin", "simcore"),
                    help="simcore executable (default: build/bin/simcore)")
    ap.add_argument("--circuits", default=default_circuits_dir(),
                    help="suite folder (default: $SIMCORE_CIRCUITS or ../shared/circuits from the repo root)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these circuits")
    ap.add_argument("--expected-failures", default=os.path.join(HERE, "expected_failures.txt"),
                    help="list of circuits allowed to fail (default: %(default)s)")
    ap.add_argument("--strict", action="store_true", help="ignore the expected-failure list")
    ap.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("SIMCORE_CONFORMANCE_JOBS", "2")),
                    help="parallel simcore runs (default 2; wall times are measured under this load)")
    ap.add_argument("--timeout", type=float,
                    default=float(os.environ.get("SIMCORE_CONFORMANCE_TIMEOUT", "300")),
                    help="longest time a circuit may take, in seconds (default 300, env "
                         "SIMCORE_CONFORMANCE_TIMEOUT)")
    ap.add_argument("--timeout-factor", type=float, default=50.0,
                    help="a circuit's own limit is this many times ngspice's time, at least "
                         "--min-timeout and at most --timeout (default 50; 0 = always --timeout)")
    ap.add_argument("--min-timeout", type=float, default=60.0, help="default 60 s")
    ap.add_argument("--results", help="keep the result CSVs in this folder (default: a temporary one)")
    ap.add_argument("--json", metavar="REPORT.json", help="write the full report as JSON")
    ap.add_argument("--markdown", metavar="FILE", help="write the table as Markdown")
    ap.add_argument("-v", "--verbose", action="store_true", help="show every signal of every circuit")
    # --runner wasm (WebAssembly target): the same runs through `node wasm/cli.mjs` (build: make wasm).
    ap.add_argument("--runner", choices=("native", "wasm"), default="native",
                    help="native: --simcore; wasm: the wasm engine under Node (wasm/cli.mjs)")
    args = ap.parse_args()
    if args.runner == "wasm":
        args.simcore = os.path.join(ROOT, "wasm", "cli.mjs")

    circuits_dir = os.path.abspath(args.circuits)
    manifest_path = os.path.join(circuits_dir, "manifest.json")
    if not os.path.isfile(manifest_path):
        print("run.py: no manifest.json in %s (set SIMCORE_CIRCUITS or --circuits)" % circuits_dir,
              file=sys.stderr)
        return 2
    simcore = os.path.abspath(args.simcore)
    if not os.access(simcore, os.X_OK):
        print("run.py: %s is not an executable (build first: make build)" % simcore, file=sys.stderr)
        return 2
    compare = load_suite_tools(circuits_dir)
    with open(manifest_path) as f:
        man = json.load(f)
    circuits = man["circuits"]
    names = [c["name"] for c in circuits]
    if args.only:
        unknown = [n for n in args.only if n not in names]
        if unknown:
            print("run.py: not in the manifest: %s" % ", ".join(unknown), file=sys.stderr)
            return 2
        circuits = [c for c in circuits if c["name"] in args.only]
    expected = {} if args.strict else read_expected_failures(args.expected_failures)
    for n in sorted(set(expected) - set(names)):
        print("run.py: warning: %s is listed in %s but not in the manifest" % (
            n, os.path.relpath(args.expected_failures)), file=sys.stderr)

    tmp = None
    if args.results:
        resdir = os.path.abspath(args.results)
        os.makedirs(resdir, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="simcore-conformance-")
        resdir = os.path.join(tmp, "results")
        os.makedirs(resdir)
    # Stale files from an earlier run must not be judged.
    for c in circuits:
        for an in c["analyses"]:
            p = os.path.join(resdir, "%s.%s.csv" % (c["name"], an["type"]))
            if os.path.exists(p):
                os.remove(p)

    print("conformance: %d circuits from %s, simcore %s, -j %d, timeout per circuit %s" % (
        len(circuits), circuits_dir, simcore, args.jobs,
        ("%g s" % args.timeout) if not args.timeout_factor else
        "%g x ngspice's time in [%g, %g] s" % (args.timeout_factor, args.min_timeout, args.timeout)), flush=True)
    t_start = time.monotonic()
    lock = threading.Lock()
    reports = {}

    def limit(c):
        ng = c.get("ngspice_wall_s")
        if not args.timeout_factor or not ng:
            return args.timeout
        return min(args.timeout, max(args.min_timeout, args.timeout_factor * ng))

    def one(c):
        run = run_simcore(simcore, circuits_dir, c, resdir, limit(c))
        rep = judge(compare, circuits_dir, c, resdir, run, expected)
        with lock:
            reports[c["name"]] = rep
            print("  [%2d/%d] %-22s %-7s %7.2f s" % (len(reports), len(circuits), c["name"], rep["outcome"],
                                                  rep["wall_s"]), flush=True)
        return rep

    # Longest first (ngspice's time as the estimate) so the slow ones do not end up last.
    order = sorted(circuits, key=lambda c: -(c.get("ngspice_wall_s") or 0.0))
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for fut in [pool.submit(one, c) for c in order]:
                fut.result()
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - t_start

    ordered = [reports[c["name"]] for c in circuits]
    print()
    print_report(ordered, sys.stdout, args.verbose)
    c = counts(ordered)
    print()
    for r in ordered:
        if r["outcome"] == XPASS:
            print("hint: %s passes now: remove it from %s" % (r["name"], os.path.relpath(args.expected_failures)))
        if r["outcome"] in (CRASH, TIMEOUT) and r["expected_failure"]:
            print("note: %s is listed as an expected failure, but a %s always counts as a failure" % (
                r["name"], r["outcome"].lower()))
    nfailed = sum(c[k] for k in FAILED)
    print("conformance: %d pass, %d xfail, %d xpass, %d fail, %d crash, %d timeout in %.1f s" % (
        c[PASS], c[XFAIL], c[XPASS], c[FAIL], c[CRASH], c[TIMEOUT], elapsed))
    # Machine-readable last line (scripts/test.sh sums it): XFAIL/XPASS are not failures.
    print("conformance: %d passed, %d failed" % (len(ordered) - nfailed, nfailed))

    version = simcore_version(simcore)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(jsonable({"simcore": version, "circuits_dir": circuits_dir, "elapsed_s": elapsed,
                                "jobs": args.jobs, "counts": c,
                                "passed": len(ordered) - nfailed, "failed": nfailed,
                                "circuits": ordered}), f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(ordered, version, man))
    return 1 if nfailed else 0


if __name__ == "__main__":
    sys.exit(main())
