#!/usr/bin/env python3
"""Test decks for the models of a SPICE model library, for survey.py.

    python3 tests/compat/model_decks.py --out DIR [--per-kind N] [--subckts N] [--seed S] LIBRARY_FOLDER ...
    python3 tests/compat/survey.py --simcore build/bin/simcore --out res.txt --timeout 60 DIR/*/deck.cir

Vendor model libraries (KiCad's collected SPICE library, a manufacturer's download) hold
`.model` cards and `.subckt` definitions, not circuits. For each one drawn, this writes a
folder holding a copy of the model file and a small deck that uses it the way a first
user would: a diode, BJT, MOSFET, VDMOS or JFET model in a DC sweep of its main
characteristic; a sub-circuit with every pin driven through 1 kOhm from its own source
(an operating point, then a 2 ms transient with a 1 kHz sine on the first pin). survey.py
then runs each deck in simcore and in ngspice 39 (given `ngbehavior ps`, as vendor
PSpice libraries need) and compares every signal. Not part of the test suite: the
libraries are not in this repository.
"""
import argparse
import os
import random
import re
import shutil
import sys

# pin potentials (V) of a sub-circuit's pins in order: for the usual op-amp order
# (in+ in- V+ V- out) the inputs near 0, supplies at +-5 and the output loaded to 0
PIN_VOLTS = [0.2, 0.0, 5.0, -5.0, 0.0, 2.5, 1.2, 3.3, -1.0, 0.8, 4.0, -2.5]
KINDS = ("d", "npn", "pnp", "nmos", "pmos", "vdmos", "njf", "pjf", "subckt")


def logical_lines(text):
    """(line number, text) of each card, `+` continuations joined, comments dropped."""
    out = []
    for no, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if not s or s.startswith("*"):
            continue
        s = re.split(r"\s;|^;", s)[0].strip()
        if s.startswith("+") and out:
            out[-1] = (out[-1][0], out[-1][1] + " " + s[1:])
        elif s:
            out.append((no, s))
    return out


def items(path):
    """Top-level .model and .subckt definitions of one library file: (kind, name, pins, detail)."""
    try:
        text = open(path, encoding="latin-1").read()
    except OSError:
        return []
    found = []
    depth = 0
    for _, card in logical_lines(text):
        low = card.lower()
        if low.startswith(".subckt"):
            depth += 1
            if depth == 1:
                toks = card.split()
                if len(toks) < 3:
                    continue
                pins = []
                for t in toks[2:]:
                    if "=" in t or t.lower().rstrip(":") in ("params", "optional", "text"):
                        break
                    pins.append(t)
                if pins:
                    found.append(("subckt", toks[1], pins, ""))
        elif low.startswith(".ends"):
            depth = max(0, depth - 1)
        elif low.startswith(".model") and depth == 0:
            m = re.match(r"\.model\s+(\S+)\s+([A-Za-z]+)\s*(.*)", card, re.I)
            if not m:
                continue
            name, mtype, rest = m.group(1), m.group(2).lower(), m.group(3).lower()
            if mtype == "vdmos":
                found.append(("vdmos", name, [], "p" if "pchan" in rest else "n"))
            elif mtype in ("d", "npn", "pnp", "nmos", "pmos", "njf", "pjf"):
                found.append((mtype, name, [], ""))
    return found


def deck(kind, name, pins, detail, libfile):
    head = ["* model survey: %s %s from %s" % (kind, name, libfile),
            "* compat: ngbehavior ps",
            '.include "lib%s"' % os.path.splitext(libfile)[1].lower()]
    if kind == "d":
        body = ["V1 a 0 DC 0", "R1 a k 10", "D1 k 0 %s" % name, ".dc V1 -3 1.5 0.01"]
    elif kind in ("npn", "pnp"):
        s = 1 if kind == "npn" else -1
        body = ["VC c 0 DC %g" % (5 * s), "VB b 0 DC 0", "RB b bx 10k", "RC c cx 100",
                "Q1 cx bx 0 %s" % name, ".dc VB 0 %g %g" % (3 * s, 0.02 * s)]
    elif kind in ("nmos", "pmos"):
        s = 1 if kind == "nmos" else -1
        body = ["VD d 0 DC %g" % (3 * s), "VG g 0 DC 0", "RD d dx 10",
                "M1 dx g 0 0 %s L=2u W=20u" % name, ".dc VG 0 %g %g" % (5 * s, 0.05 * s)]
    elif kind == "vdmos":
        s = 1 if detail == "n" else -1
        body = ["VD d 0 DC %g" % (10 * s), "VG g 0 DC 0", "RD d dx 1",
                "M1 dx g 0 %s" % name, ".dc VG 0 %g %g" % (10 * s, 0.05 * s)]
    elif kind in ("njf", "pjf"):
        s = 1 if kind == "njf" else -1
        body = ["VD d 0 DC %g" % (5 * s), "VG g 0 DC 0", "RD d dx 10",
                "J1 dx g 0 %s" % name, ".dc VG %g 0 %g" % (-3 * s, 0.02 * s)]
    else:
        nodes = ["p%d" % (i + 1) for i in range(len(pins))]
        body = ["X1 %s %s" % (" ".join(nodes), name)]
        for i, n in enumerate(nodes):
            v = PIN_VOLTS[i % len(PIN_VOLTS)]
            src = "DC %g SIN(%g 0.2 1k)" % (v, v) if i == 0 else "DC %g" % v
            body += ["R%d %s s%d 1k" % (i + 1, n, i + 1), "V%d s%d 0 %s" % (i + 1, i + 1, src)]
        body += [".op", ".tran 5u 2m"]
    return "\n".join(head + body + [".end", ""])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="folder to write one sub-folder per deck into")
    ap.add_argument("--per-kind", type=int, default=100, help="decks drawn per model kind (default 100)")
    ap.add_argument("--subckts", type=int, default=300, help="sub-circuit decks drawn (default 300)")
    ap.add_argument("--seed", type=int, default=20261205)
    ap.add_argument("libraries", nargs="+", help="folders (searched recursively) or files")
    args = ap.parse_args()
    files = []
    for lib in args.libraries:
        if os.path.isfile(lib):
            files.append(lib)
        for root, _, names in os.walk(lib):
            files += [os.path.join(root, n) for n in sorted(names)]
    by_kind = {k: [] for k in KINDS}
    seen = set()
    for f in sorted(files):
        if os.path.getsize(f) > 5_000_000:
            continue
        for kind, name, pins, detail in items(f):
            key = (kind, name.lower())
            if key in seen:  # the same part in several files: once
                continue
            seen.add(key)
            by_kind[kind].append((f, name, pins, detail))
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    count = 0
    for kind in KINDS:
        pool = by_kind[kind]
        want = args.subckts if kind == "subckt" else args.per_kind
        drawn = rng.sample(pool, min(want, len(pool)))
        for f, name, pins, detail in drawn:
            count += 1
            folder = os.path.join(args.out, "%s-%04d" % (kind, count))
            os.makedirs(folder, exist_ok=True)
            ext = os.path.splitext(f)[1].lower()
            shutil.copy(f, os.path.join(folder, "lib" + ext))
            with open(os.path.join(folder, "deck.cir"), "w", encoding="latin-1") as out:
                out.write(deck(kind, name, pins, detail, os.path.basename(f)))
        print("%s: %d found, %d drawn" % (kind, len(pool), len(drawn)))
    print("%d decks in %s" % (count, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
