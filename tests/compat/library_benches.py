#!/usr/bin/env python3
"""Test benches for the models and sub-circuits of a vendor model library.

    python3 tests/compat/library_benches.py --library DIR --out DECKS [--seed N] [--models N] [--subckts N]
    python3 tests/compat/survey.py --simcore build/bin/simcore --out survey.txt DECKS/*/*.cir

For model collections that cannot live in this repository (KiCad's spice
library, a vendor's .lib files): a random sample (fixed by --seed) of the
top-level .model cards, by type, each in a small DC sweep that uses it (a
diode through a resistor, a transistor with a load, a switch), and of the
top-level .subckt definitions, each instantiated with every pin tied through
10 kOhm to a source (0, 5, -5, 2.5, 1 V in turn) for an operating point. One
folder per bench, which `.include`s the library file by its absolute path,
so survey.py compares it with ngspice 39 as it does any deck. Not part of the
test suite: it needs files from outside the repository.
"""
import argparse
import os
import random
import re
import sys

BENCH = {
    "d": "V1 in 0 0\nR1 in a 100\nD1 a 0 {m}\n.dc V1 -2 2 0.05\n",
    "npn": "VCC vcc 0 5\nRC vcc c 1k\nVB vb 0 0\nRB vb b 10k\nQ1 c b 0 {m}\n.dc VB 0 2 0.05\n",
    "pnp": "VCC vcc 0 -5\nRC vcc c 1k\nVB vb 0 0\nRB vb b 10k\nQ1 c b 0 {m}\n.dc VB 0 -2 -0.05\n",
    "nmos": "VDD vdd 0 5\nRD vdd d 100\nVG g 0 0\nM1 d g 0 0 {m}\n.dc VG 0 5 0.1\n",
    "pmos": "VDD vdd 0 -5\nRD vdd d 100\nVG g 0 0\nM1 d g 0 0 {m}\n.dc VG 0 -5 -0.1\n",
    "vdmos": "VDD vdd 0 5\nRD vdd d 100\nVG g 0 0\nM1 d g 0 {m}\n.dc VG 0 5 0.1\n",
    "njf": "VDD vdd 0 5\nRD vdd d 1k\nVG g 0 0\nJ1 d g 0 {m}\n.dc VG -3 0 0.05\n",
    "pjf": "VDD vdd 0 -5\nRD vdd d 1k\nVG g 0 0\nJ1 d g 0 {m}\n.dc VG 3 0 -0.05\n",
    "vswitch": "VC c 0 0\nV1 in 0 1\nR1 in a 1k\nS1 a 0 c 0 {m}\n.dc VC 0 5 0.1\n",
    "sw": "VC c 0 0\nV1 in 0 1\nR1 in a 1k\nS1 a 0 c 0 {m}\n.dc VC 0 5 0.1\n",
}
QUOTA = {"d": 30, "npn": 15, "pnp": 10, "nmos": 12, "pmos": 6, "vdmos": 15, "njf": 8, "pjf": 4, "vswitch": 6, "sw": 3}


def cards(path):
    """The file's cards, continuation lines joined."""
    out = []
    with open(path, encoding="latin-1") as f:
        for line in f.read().splitlines():
            s = line.strip()
            if s.startswith("+") and out:
                out[-1] += " " + s[1:]
            else:
                out.append(s)
    return out


def definitions(root):
    """(file, type, name) of every top-level .model; (file, name, pins) of every top-level .subckt."""
    models, subckts = [], []
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            depth = 0
            for c in cards(path):
                if re.match(r"\.subckt\b", c, re.I):
                    depth += 1
                    if depth == 1:
                        m = re.match(r"\.subckt\s+(\S+)\s*(.*)", c, re.I)
                        if m:
                            pins = []
                            for t in m.group(2).split():
                                if "=" in t or t.lower() == "params:":
                                    break
                                pins.append(t)
                            subckts.append((path, m.group(1), pins))
                elif re.match(r"\.ends\b", c, re.I):
                    depth = max(0, depth - 1)
                elif depth == 0:
                    m = re.match(r"\.model\s+(\S+)\s+([A-Za-z_]+)", c, re.I)
                    if m:
                        models.append((path, m.group(2).lower(), m.group(1)))
    return models, subckts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--library", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--subckts", type=int, default=120)
    args = ap.parse_args()
    models, subckts = definitions(args.library)
    rng = random.Random(args.seed)
    n = 0

    def write(name, text):
        nonlocal n
        n += 1
        base = "%03d_%s" % (n, re.sub(r"[^A-Za-z0-9_]", "_", name)[:30])
        os.makedirs(os.path.join(args.out, base), exist_ok=True)
        with open(os.path.join(args.out, base, base + ".cir"), "w") as f:
            f.write(text)

    for kind, quota in QUOTA.items():
        pool = [m for m in models if m[1] == kind]
        for path, _, name in rng.sample(pool, min(quota, len(pool))):
            write(name, "* %s %s from %s\n.include \"%s\"\n%s.end\n" % (
                kind, name, os.path.relpath(path, args.library), path, BENCH[kind].format(m=name)))
    for path, name, pins in rng.sample(subckts, min(args.subckts, len(subckts))):
        if not pins or len(pins) > 20:
            continue
        lines = ["* subckt %s (%d pins) from %s" % (name, len(pins), os.path.relpath(path, args.library)),
                 '.include "%s"' % path, "X1 " + " ".join("p%d" % i for i in range(len(pins))) + " " + name]
        for i in range(len(pins)):
            lines += ["R%d p%d s%d 10k" % (i, i, i), "V%d s%d 0 %g" % (i, i, [0, 5, -5, 2.5, 1][i % 5])]
        write(name, "\n".join(lines + [".op", ".end"]) + "\n")
    print("library_benches: %d .model and %d .subckt cards found, %d benches in %s" % (len(models), len(subckts), n, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
