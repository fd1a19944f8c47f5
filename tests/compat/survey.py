#!/usr/bin/env python3
"""Survey of decks that are not ours: each through run.py's comparison with ngspice 39.

    python3 tests/compat/survey.py --simcore build/bin/simcore --out survey.txt DECK ...

For decks written by others (ngspice's own examples/ and tests/, KiCad exports,
vendor models) that cannot live in this repository. Each deck runs in a scratch
folder holding a copy of its own folder (for .include files and data files; its
sub-folders' small files too, one level down: libraries in models/), exactly as
tests/compat/run.py runs a golden deck: simcore and ngspice side by
side, every signal both saved compared with run.py's tolerances. One line per
deck: `path | OK|FAIL | signals compared | first problem`, then a count by
outcome (simcore failed, both failed, ngspice failed, results differ, timeout,
OK; with --edges also "edges only": transient signals that differ only where the
two simulators place a switching edge within one of ngspice's steps). When simcore fails, ngspice runs the deck too, so that decks ngspice 39
rejects as well count as "both failed". `--timeout S` bounds each simulator run
(600 s by default, as in run.py). Not part of the test suite: it needs decks
from outside the repository.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as compat  # noqa: E402

_copy = shutil.copy


def copy_with_folder(src, dst):
    """run.py copies the deck into its scratch folder: bring the deck's folder along."""
    if not os.path.isdir(dst):
        return _copy(src, dst)
    folder = os.path.dirname(os.path.abspath(src))
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.path.getsize(path) < 5_000_000:
            _copy(path, dst)
        elif os.path.isdir(path) and not os.path.exists(os.path.join(dst, name)):
            # a folder of its libraries (ngspice's examples/optran/models): its small files, one level down
            os.makedirs(os.path.join(dst, name))
            for sub in os.listdir(path):
                p = os.path.join(path, sub)
                if os.path.isfile(p) and os.path.getsize(p) < 5_000_000:
                    _copy(p, os.path.join(dst, name))
    return dst


def ngspice_fails(deck):
    """Whether ngspice 39 fails on the deck as run.py would run it (for a deck simcore failed on)."""
    work = tempfile.mkdtemp(prefix="survey-ng-")
    try:
        copy_with_folder(deck, work)
        # the deck's `* compat:` directives, as run.py honours them: ngspice's compatibility mode
        # (.spiceinit) and a reference deck that spells out what ngspice 39 rejects
        with open(deck, encoding="utf-8", errors="surrogateescape") as f:
            lines = f.readlines()
        behavior = [ln.split()[3] for ln in lines if ln.lower().startswith("* compat: ngbehavior ")]
        if behavior:
            with open(os.path.join(work, ".spiceinit"), "w", encoding="utf-8") as f:
                f.write("set ngbehavior=%s\n" % behavior[0])
        reference = [ln.split()[3] for ln in lines if ln.lower().startswith("* compat: ngspice-deck ")]
        if reference:
            shutil.copy(os.path.join(os.path.dirname(deck), reference[0]), os.path.join(work, "reference.sp"))
            cmd = ["ngspice", "-b", "-r", "ngspice.raw", "reference.sp"]
        elif compat.scripted(deck):
            with open(os.path.join(work, "driver.sp"), "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(compat.control_driver(deck))
            cmd = ["ngspice", "-b", "driver.sp"]
        else:
            cmd = ["ngspice", "-b", "-r", "ngspice.raw", os.path.basename(deck)]
        try:
            ng = compat.subprocess.run(cmd, cwd=work, capture_output=True, text=True, errors="replace", timeout=600)
        except subprocess.TimeoutExpired:
            return True
        failed = ng.returncode != 0 and not (compat.scripted(deck) and not compat.reports_error(ng.stdout + ng.stderr))
        return failed or not os.path.exists(os.path.join(work, "ngspice.raw"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def outcome(problems):
    if not problems:
        return "OK"
    first = problems[0]
    if first.startswith("both failed"):
        return "both failed"
    if first.startswith("simcore failed"):
        return "simcore failed"
    if first.startswith("survey: TimeoutExpired"):
        return "timeout"
    if first.startswith("ngspice failed"):
        return "ngspice failed"
    if all(compat.EDGE_NOTE in p for p in problems):
        return "edges only"
    return "results differ"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--simcore", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=float, default=600, help="seconds per simulator run (default 600)")
    ap.add_argument("--memory-gb", type=float, default=4,
                    help="address-space limit of each simulator run in GB (default 4; a runaway deck must "
                         "not take the machine down)")
    ap.add_argument("--edges", action="store_true",
                    help="a transient signal that differs only where each simulator places an edge within "
                         "one of ngspice's steps counts as 'edges only' (OK in the deck's line), not as a "
                         "difference")
    ap.add_argument("decks", nargs="+")
    args = ap.parse_args()
    compat.EDGE_SHIFT = args.edges
    limit = int(args.memory_gb * (1 << 30))

    def bounded_memory():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    compat.shutil.copy = copy_with_folder
    run = subprocess.run

    def bounded_run(*a, **kw):
        kw["timeout"] = min(kw.get("timeout") or args.timeout, args.timeout)
        kw.setdefault("preexec_fn", bounded_memory)
        return run(*a, **kw)

    compat.subprocess.run = bounded_run
    simcore = os.path.abspath(args.simcore)
    counts = {}
    with open(args.out, "w", encoding="utf-8", errors="surrogateescape") as out:
        for deck in args.decks:
            # each deck's scratch folder below one the survey removes, whatever happens (a run
            # stopped by the timeout leaves its partial results, gigabytes for a long transient)
            parent = tempfile.mkdtemp(prefix="survey-")
            try:
                problems, checked = compat.run_one(simcore, os.path.abspath(deck), parent)
            except Exception as e:  # a deck that breaks the comparison itself is reported, not fatal
                problems, checked = ["survey: %r" % e], 0
            finally:
                shutil.rmtree(parent, ignore_errors=True)
            if problems and problems[0].startswith("simcore failed") and ngspice_fails(os.path.abspath(deck)):
                problems[0] = "both failed: " + problems[0]
            kind = outcome(problems)
            counts[kind] = counts.get(kind, 0) + 1
            first = problems[0].replace("\n", " | ")[:400] if problems else ""
            verdict = "OK" if not problems or kind == "edges only" else "FAIL"
            out.write("%s | %s | %d | %s\n" % (deck, verdict, checked, first))
            out.flush()
    summary = ", ".join("%s %d" % (k, counts[k]) for k in sorted(counts))
    print("survey: %d decks: %s" % (len(args.decks), summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
