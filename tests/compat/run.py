#!/usr/bin/env python3
"""Golden netlists of the ngspice dialect (issue 12): simcore against ngspice, computed here.

    python3 tests/compat/run.py --simcore build/bin/simcore [--only NAME ...] [--keep DIR]

For every tests/compat/NAME.cir this runs, in a scratch folder,

    ngspice -b -r ngspice.raw NAME.cir          (the reference, never stored)
    simcore run NAME.cir --format raw --out sim

and compares every analysis simcore wrote with ngspice's plot of the same kind
(in order): each signal both simulators saved, by name (v(x), i(vx)), and every
node voltage ngspice saved must be in simcore's output too.

    op    every value within 0.1 % (+ 1 nV / 1 pA)
    dc    same sweep points; values within 0.1 % of the signal's range (+ 1 nV)
    ac    the same frequencies (1e-9 relative: .ac dec places its points as ngspice does);
          complex values within 1 % of the reference's magnitude at that point (+ 1e-9 of its peak);
          device quantities (@r1[i]) are not compared: ngspice 39 writes zeros for them
    tran  simcore interpolated at ngspice's time points: within 2 % of the reference's range
    .meas every result ngspice prints (`name = value`, from a run without -r, which
          does not print them) within 1 % from simcore's stdout

A deck with a .control block runs in ngspice as written, with `set appendwrite` and a
`write ngspice.raw` after each analysis command (op tran ac dc run) added to its script
(plot commands are left out: they fail in batch mode without a display).
A line `* compat: warning TEXT` in a netlist requires simcore to print a warning containing
TEXT exactly once on stderr; `* compat: error TEXT` requires simcore to fail with TEXT;
`* compat: saves NAME ...` requires every op, dc and tran result of simcore to hold these
signals (in the normalised names above, e.g. i(@q1[ic])), so that they are compared.
ngspice comes from Debian (scripts/setup.sh); without it the run is skipped (exit 77).
Exit status: 0 all passed, 1 a failure, 77 skipped. Python 3 standard library only.
"""
import argparse
import bisect
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import rawfile  # noqa: E402

SKIP = 77


def directives(path):
    warns, errors = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if s.lower().startswith("* compat: warning "):
                warns.append(s[len("* compat: warning "):])
            elif s.lower().startswith("* compat: error "):
                errors.append(s[len("* compat: error "):])
    return warns, errors


def required_saves(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if s.lower().startswith("* compat: saves "):
                out += s[len("* compat: saves "):].lower().split()
    return out


ANALYSIS_COMMANDS = ("op", "tran", "ac", "dc", "run")


def scripted(path):
    with open(path, encoding="utf-8") as f:
        return any(line.strip().lower() == ".control" for line in f)


def control_driver(path):
    """The deck with its .control script writing every analysis's plot to ngspice.raw
    (`set appendwrite`, a `write` after each analysis command; `quit` and plots, which
    fail without a display, dropped)."""
    out, inside = [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            word = (line.split() or [""])[0].lower()
            if word == ".control":
                inside = True
                out += [line, "set appendwrite\n"]
                continue
            if word == ".endc":
                inside = False
            if inside and word in ("quit", "exit", "plot", "gnuplot", "asciiplot", "iplot", "hardcopy"):
                continue
            out.append(line)
            if inside and word in ANALYSIS_COMMANDS:
                out.append("write ngspice.raw\n")
    return "".join(out)


MEAS_LINE = re.compile(r"^([a-z_][a-z0-9_]*)\s*=\s*([-+0-9.eE]+)(\s|$)")


def meas_names(path):
    """Names of the deck's .meas cards and meas commands."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.split()
            if len(w) >= 3 and w[0].lower() in (".meas", ".measure", "meas", "measure"):
                out.append(w[2].lower())
    return out


def measures(stdout):
    """{name: value} of the .meas result lines of a simulator's stdout."""
    out = {}
    for line in stdout.splitlines():
        m = MEAS_LINE.match(line.strip().lower())
        if m:
            try:
                out[m.group(1)] = float(m.group(2))
            except ValueError:
                pass
    return out


def signals(plot):
    """{normalised name: column} of a plot; the scale is the first column."""
    out = {}
    for (name, vtype), col in zip(plot.variables[1:], plot.columns[1:]):
        out[rawfile.signal_name(name, vtype)] = col
    return out


def op_signals(plot):
    out = {}
    for (name, vtype), col in zip(plot.variables, plot.columns):
        out[rawfile.signal_name(name, vtype)] = col
    return out


def interp(xs, ys, x):
    k = bisect.bisect_left(xs, x)
    if k <= 0:
        return ys[0]
    if k >= len(xs):
        return ys[-1]
    x0, x1 = xs[k - 1], xs[k]
    if x1 == x0:
        return ys[k]
    f = (x - x0) / (x1 - x0)
    return ys[k - 1] + f * (ys[k] - ys[k - 1])


def compare_plot(kind, sim, ref, problems, label):
    if kind == "op":
        s, r = op_signals(sim), op_signals(ref)
    else:
        s, r = signals(sim), signals(ref)
    common = [n for n in r if n in s]
    if kind == "ac":  # ngspice 39 records device quantities (@r1[i]) in .ac as zeros: not compared
        common = [n for n in common if not n.startswith("i(@")]
    # ngspice's own internal nodes (x#branch, E/G TABLE's e1_int1) have no counterpart in simcore
    missing = [n for n in r if n.startswith("v(") and n not in s and "#" not in n and "." not in n
               and not re.search(r"_int\d+\)$", n)]
    if missing:
        problems.append("%s: simcore lacks %s" % (label, ", ".join(missing)))
    if not common:
        problems.append("%s: no signal in common (simcore %s, ngspice %s)" % (label, sorted(s), sorted(r)))
        return 0
    if kind == "ac":
        fs = [v.real for v in sim.columns[0]]
        fr = [v.real for v in ref.columns[0]]
        if len(fs) != len(fr) or any(abs(a - b) > 1e-9 * abs(b) for a, b in zip(fs, fr)):
            problems.append("%s: frequencies differ: simcore %d points %s..%s, ngspice %d points %s..%s" %
                            (label, len(fs), fs[:1], fs[-1:], len(fr), fr[:1], fr[-1:]))
            return 0
    if kind == "dc":
        xs = list(sim.columns[0])
        xr = list(ref.columns[0])
        if len(xs) != len(xr) or any(abs(a - b) > 1e-9 * (abs(b) + 1) for a, b in zip(xs, xr)):
            problems.append("%s: sweep points differ (%d vs %d)" % (label, len(xs), len(xr)))
            return 0
    checked = 0
    for n in common:
        a, b = s[n], r[n]
        if kind == "op":
            ok = abs(a[0] - b[0]) <= 1e-3 * abs(b[0]) + 1e-9
            worst = abs(a[0] - b[0])
        elif kind == "dc":
            span = max(b) - min(b)
            worst = max(abs(x - y) for x, y in zip(a, b))
            ok = worst <= 1e-3 * max(span, max(abs(v) for v in b)) + 1e-9
        elif kind == "ac":
            peak = max(abs(v) for v in b)
            bad = [k for k, (x, y) in enumerate(zip(a, b)) if abs(x - y) > 0.01 * abs(y) + 1e-9 * peak]
            ok = not bad
            worst = max(abs(x - y) / (abs(y) or 1) for x, y in zip(a, b))
        else:  # tran
            ts = [float(t) for t in sim.columns[0]]
            tr = [float(t) for t in ref.columns[0]]
            span = max(b) - min(b)
            worst = max(abs(interp(ts, a, t) - y) for t, y in zip(tr, b))
            ok = worst <= 0.02 * span + 1e-9
        checked += 1
        if not ok:
            problems.append("%s: %s differs from ngspice (worst deviation %.4g)" % (label, n, worst))
    return checked


def run_one(simcore, cir, keep):
    name = os.path.splitext(os.path.basename(cir))[0]
    work = tempfile.mkdtemp(prefix="compat-%s-" % name, dir=keep)
    shutil.copy(cir, work)
    problems = []
    warns, errors = directives(cir)
    sim = subprocess.run([simcore, "run", os.path.basename(cir), "--format", "raw", "--out", "sim"],
                         cwd=work, capture_output=True, text=True, timeout=600)
    if errors:
        if sim.returncode == 0:
            problems.append("simcore accepted it; expected an error")
        for e in errors:
            if e not in sim.stderr:
                problems.append("no error containing %r in simcore's stderr:\n%s" % (e, sim.stderr))
        return problems, 0
    if sim.returncode != 0:
        return ["simcore failed (exit %d):\n%s" % (sim.returncode, sim.stderr)], 0
    for w in warns:
        hits = [ln for ln in sim.stderr.splitlines() if "warning" in ln and w in ln]
        if len(hits) != 1:
            problems.append("expected one warning containing %r, got %d:\n%s" % (w, len(hits), sim.stderr))
    if scripted(cir):
        driver = control_driver(cir)
        with open(os.path.join(work, "driver.sp"), "w", encoding="utf-8") as f:
            f.write(driver)
        cmd = ["ngspice", "-b", "driver.sp"]
    else:
        cmd = ["ngspice", "-b", "-r", "ngspice.raw", os.path.basename(cir)]
    ng = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=600)
    # a scripted batch run ends with exit 1 ("no simulations run": nothing left for -b to do)
    failed = ng.returncode != 0 and not (scripted(cir) and "error" not in ng.stdout.lower() + ng.stderr.lower())
    if failed or not os.path.exists(os.path.join(work, "ngspice.raw")):
        return problems + ["ngspice failed (exit %d):\n%s" % (ng.returncode, ng.stdout[-2000:] + ng.stderr[-2000:])], 0
    # .meas results: "name = value" lines of both (ngspice adds "targ= ..." etc.)
    names = meas_names(cir)
    meas_out = ng.stdout
    if names and not scripted(cir):  # with -r ngspice does not print .meas results: a second run
        meas_out = subprocess.run(["ngspice", "-b", os.path.basename(cir)], cwd=work, capture_output=True,
                                  text=True, timeout=600).stdout
    ref_meas = {k: v for k, v in measures(meas_out).items() if k in names}
    sim_meas = measures(sim.stdout)
    for name in names:
        if name not in ref_meas:
            problems.append(".meas %s: ngspice printed no result" % name)
    for name, ref in ref_meas.items():
        got = sim_meas.get(name)
        if got is None:
            problems.append(".meas %s: simcore printed no result (ngspice: %g)" % (name, ref))
        elif abs(got - ref) > 0.01 * abs(ref) + 1e-15:
            problems.append(".meas %s: simcore %g, ngspice %g" % (name, got, ref))
    ref_plots = rawfile.read_raw(os.path.join(work, "ngspice.raw"))
    sim_plots = []
    for f in sorted(glob.glob(os.path.join(work, "sim", "*.raw"))):
        sim_plots += rawfile.read_raw(f)
    checked = 0
    used = set()
    required = required_saves(cir)
    for sp in sim_plots:
        kind = rawfile.analysis_of(sp)
        if kind in ("op", "dc", "tran"):
            have = op_signals(sp) if kind == "op" else signals(sp)
            lacking = [n for n in required if n not in have]
            if lacking:
                problems.append("%s %s: simcore lacks %s" % (name, kind, ", ".join(lacking)))
        ref = next((i for i, rp in enumerate(ref_plots) if i not in used and rawfile.analysis_of(rp) == kind), None)
        if ref is None:
            problems.append("ngspice has no %s plot to compare with" % kind)
            continue
        used.add(ref)
        checked += compare_plot(kind, sp, ref_plots[ref], problems, "%s %s" % (name, kind))
    for i, rp in enumerate(ref_plots):
        if i not in used and rawfile.analysis_of(rp):
            problems.append("simcore wrote no %s result (ngspice did)" % rawfile.analysis_of(rp))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return problems, checked + len(ref_meas)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--simcore", required=True)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--keep", help="keep the scratch folders under this directory")
    args = ap.parse_args()
    if not shutil.which("ngspice"):
        print("compat: ngspice not found (scripts/setup.sh installs it): skipped")
        return SKIP
    simcore = os.path.abspath(args.simcore)
    decks = sorted(glob.glob(os.path.join(HERE, "*.cir")))
    if args.only:
        decks = [d for d in decks if os.path.splitext(os.path.basename(d))[0] in args.only]
    passed = failed = 0
    for cir in decks:
        problems, checked = run_one(simcore, cir, args.keep)
        name = os.path.basename(cir)
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems:
                print("  " + p.replace("\n", "\n    "))
        else:
            passed += 1
            print("pass %s (%d signals compared)" % (name, checked))
    print("compat: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
