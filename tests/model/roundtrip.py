#!/usr/bin/env python3
"""Round trip of every circuit through the JSON circuit model, compared by results.

    python3 tests/model/roundtrip.py --simcore build/bin/simcore [--only NAME ...] [-j N]

For every NAME.cir of examples/, tests/compat/ and the conformance suite
(../shared/circuits or $SIMCORE_CIRCUITS) this runs, in a scratch folder that
links the circuit's own folder (so relative .include paths resolve alike):

    simcore convert NAME.cir --to json -o NAME.json
    simcore convert NAME.json --to spice -o NAME.rt.cir
    simcore run NAME.cir    --out a        simcore run NAME.rt.cir --out b
    simcore run NAME.json   --out c        (run takes the model too)

and requires the same exit status, the same result files with the same columns
and the same numbers (exactly: the two netlists parse to the same circuit), and
the same .meas lines on stdout. Exit status 0 all passed, 1 a failure.
Python 3 standard library only.
"""
import argparse
import concurrent.futures
import csv
import glob
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def circuits(only):
    suite = os.environ.get("SIMCORE_CIRCUITS") or os.path.join(ROOT, "..", "shared", "circuits")
    found = []
    for d in (os.path.join(ROOT, "examples"), os.path.join(ROOT, "tests", "compat"), suite):
        for p in sorted(glob.glob(os.path.join(d, "*.cir"))):
            name = os.path.splitext(os.path.basename(p))[0]
            if not only or name in only:
                found.append(p)
    return found


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900)


def results(folder):
    out = {}
    for p in sorted(glob.glob(os.path.join(folder, "*.csv"))):
        with open(p, newline="") as f:
            rows = list(csv.reader(f))
        # the file stem differs (NAME vs NAME.rt): key by the analysis
        out[os.path.basename(p).split(".")[-2]] = rows
    return out


def measures(stdout):
    return [line for line in stdout.splitlines() if "=" in line]


def check(simcore, path):
    name = os.path.splitext(os.path.basename(path))[0]
    with tempfile.TemporaryDirectory(prefix="rt-") as tmp:
        # the circuit's folder, linked file by file, so .include "x.lib" resolves as for the original
        src = os.path.dirname(os.path.abspath(path))
        for entry in os.listdir(src):
            os.symlink(os.path.join(src, entry), os.path.join(tmp, entry))
        j = run([simcore, "convert", name + ".cir", "--to", "json", "-o", name + ".model.json"], tmp)
        if j.returncode != 0:
            return f"{name}: convert to json failed: {j.stderr.strip()}"
        s = run([simcore, "convert", name + ".model.json", "--to", "spice", "-o", name + ".rt.cir"], tmp)
        if s.returncode != 0:
            return f"{name}: convert to spice failed: {s.stderr.strip()}"
        runs = {}
        for tag, netlist in (("a", name + ".cir"), ("b", name + ".rt.cir"), ("c", name + ".model.json")):
            r = run([simcore, "run", netlist, "--out", tag, "--quiet"], tmp)
            runs[tag] = (r.returncode, results(os.path.join(tmp, tag)), measures(r.stdout))
        code, files, meas = runs["a"]
        for tag in ("b", "c"):
            c2, f2, m2 = runs[tag]
            what = "the round-tripped netlist" if tag == "b" else "the model run directly"
            if c2 != code:
                return f"{name}: exit status {code} for the original, {c2} for {what}"
            if sorted(f2) != sorted(files):
                return f"{name}: analyses {sorted(files)} for the original, {sorted(f2)} for {what}"
            for analysis, rows in files.items():
                other = f2[analysis]
                if rows[:1] != other[:1]:
                    return f"{name}: {analysis} columns differ for {what}: {rows[:1]} vs {other[:1]}"
                if rows != other:
                    return f"{name}: {analysis} values differ for {what} ({len(rows)} vs {len(other)} rows)"
            if m2 != meas:
                return f"{name}: .meas output differs for {what}: {meas} vs {m2}"
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--simcore", required=True)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("-j", type=int, default=2)
    a = ap.parse_args()
    simcore = os.path.abspath(a.simcore)
    paths = circuits(a.only)
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as pool:
        for path, why in zip(paths, pool.map(lambda p: check(simcore, p), paths)):
            print(("FAIL " + why) if why else ("ok   " + os.path.relpath(path, ROOT)), flush=True)
            if why:
                failures.append(why)
    print(f"{len(paths) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures or not paths else 0


if __name__ == "__main__":
    sys.exit(main())
