#!/usr/bin/env python3
"""Checks of bench/power.py's own arithmetic and of the bench/power netlist pairs (no simulator,
no Pulsim, no timing).  python3 bench/test_power.py  (ctest: bench_power_harness)."""
import math
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import power  # noqa: E402
import power_analysis as pa  # noqa: E402


def sampled(f, t0, t1, n):
    t = [t0 + (t1 - t0) * k / n for k in range(n + 1)]
    return t, [f(s) for s in t]


class Metrics(unittest.TestCase):
    def test_triangle_average_and_peak_to_peak(self):
        # 1 + 0.5 * triangle(-1..1), 10 periods of 10 us, sampled on the corners and between them
        def tri(s):
            u = math.fmod(s, 1e-5) / 1e-5
            return -1 + 4 * u if u < 0.5 else 3 - 4 * u
        t, x = sampled(lambda s: 1 + 0.5 * tri(s), 0.0, 2e-4, 4000)
        m = pa.metrics(t, x, 1e-4, 2e-4)
        self.assertAlmostEqual(m["avg"], 1.0, places=9)
        self.assertAlmostEqual(m["pp"], 1.0, places=9)

    def test_window_interpolates_its_start(self):
        t, x = [0.0, 1.0, 2.0], [0.0, 10.0, 20.0]
        tt, xx = pa.window(t, x, 0.25, 2.0)
        self.assertEqual(tt, [0.25, 1.0, 2.0])
        self.assertEqual(xx, [2.5, 10.0, 20.0])

    def test_fundamental_phase_and_thd(self):
        w = 2 * math.pi * 50
        t, x = sampled(lambda s: 0.3 + 15.0 * math.sin(w * s - 0.2) + 1.5 * math.sin(5 * w * s), 0.0, 0.04, 40000)
        m = pa.metrics(t, x, 0.0, 0.04, 50.0)
        self.assertAlmostEqual(m["fund"], 15.0, places=5)
        self.assertAlmostEqual(math.radians(m["phase_deg"]), -0.2, places=5)
        self.assertAlmostEqual(m["thd_pct"], 10.0, places=3)
        self.assertAlmostEqual(m["avg"], 0.3, places=6)

    def test_max_dev_sees_sparse_output(self):
        ref = sampled(lambda s: math.sin(2 * math.pi * s), 0.0, 1.0, 1000)
        dense = sampled(lambda s: math.sin(2 * math.pi * s), 0.0, 1.0, 2000)
        sparse = ([0.0, 0.5, 1.0], [0.0, 0.0, 0.0])  # misses both peaks
        self.assertLess(pa.max_dev(dense, ref, 0.0, 1.0), 1e-5)
        self.assertAlmostEqual(pa.max_dev(sparse, ref, 0.0, 1.0), 1.0, places=5)

    def test_judge_agreement_rules(self):
        c = {"signals": {"v": "v(out)"}}
        ref = {"v": sampled(lambda s: 5 + 0.02 * math.sin(2 * math.pi * s), 0.0, 1.0, 4000)}
        same = pa.judge(c, ref, ref, 0.0, 1.0)
        self.assertTrue(same["agrees"])
        off = {"v": (ref["v"][0], [v + 0.01 for v in ref["v"][1]])}  # 0.2 % off on the average
        self.assertFalse(pa.judge(c, off, ref, 0.0, 1.0)["agrees"])
        self.assertFalse(pa.judge(c, {}, ref, 0.0, 1.0)["agrees"])


class Ratios(unittest.TestCase):
    @staticmethod
    def row(label, tool, engine_s, wall_s, agrees, dev=0.01, mode=None):
        sig = {"avg": 1.0, "pp": 1.0, "d_pp": 0.0, "max_dev": dev}
        return {"label": label, "tool": tool, "engine_s": engine_s, "wall_s": wall_s, "mode": mode,
                "accuracy": {"agrees": agrees, "signals": {"v": sig}}}

    def test_fastest_agreeing_pulsim_and_event_mode_only(self):
        res = {"runs": [self.row("simcore event", "simcore", 0.01, 0.02, True, mode="event"),
                        self.row("ngspice", "ngspice", 0.3, 0.32, True),
                        self.row("Pulsim a", "pulsim", 0.02, 0.5, False),
                        self.row("Pulsim b", "pulsim", 0.04, 0.45, True),
                        self.row("Pulsim c", "pulsim", 0.05, 0.44, True)]}
        power.derive(res)
        self.assertEqual(res["pulsim_best"], "Pulsim b")
        self.assertEqual(res["pulsim_best_wall"], "Pulsim c")
        self.assertAlmostEqual(res["ratios"]["ngspice_engine_s"], 30.0)
        self.assertAlmostEqual(res["ratios"]["pulsim_engine_s"], 4.0)
        self.assertAlmostEqual(res["ratios"]["pulsim_wall_s"], 22.0)
        res["runs"][0]["mode"] = "spice"  # not event mode: no ratio
        power.derive(res)
        self.assertIsNone(res["ratios"]["ngspice_engine_s"])

    def test_closest_pulsim_when_none_agrees(self):
        res = {"runs": [self.row("simcore event", "simcore", 0.01, 0.02, True, mode="event"),
                        self.row("Pulsim a", "pulsim", 0.02, 0.5, False, dev=0.2),
                        self.row("Pulsim b", "pulsim", 0.04, 0.45, False, dev=0.05)]}
        power.derive(res)
        self.assertTrue(res["pulsim_none_agrees"])
        self.assertEqual(res["pulsim_best"], "Pulsim b")


class Netlists(unittest.TestCase):
    def test_spice_numbers(self):
        self.assertEqual(pa.spice_number("20m"), 20e-3)
        self.assertEqual(pa.spice_number("1meg"), 1e6)
        self.assertEqual(pa.spice_number("1e9"), 1e9)
        self.assertAlmostEqual(pa.spice_number("4.7n"), 4.7e-9)

    def test_pwl_diode_as_b_source(self):
        lines = ["title", ".options switching=event", ".model DF PWLDIODE(von=0.7 ron=20m roff=1e9)",
                 "D1 0 sw DF", "R1 sw 0 1k", ".end"]
        out = pa.pwl_as_bsource(lines)
        self.assertEqual(out[0], "title")
        self.assertNotIn(".options switching=event", out)
        self.assertFalse(any("PWLDIODE" in ln for ln in out))
        b = [ln for ln in out if ln.startswith("BD1 ")]
        self.assertEqual(len(b), 1)
        self.assertIn("I = v(0,sw) > 0.7 ? (v(0,sw)-0.7)/0.02 + 7e-10 : v(0,sw)/1000000000", b[0])
        self.assertIn("R1 sw 0 1k", out)

    def test_event_netlists_are_the_spice_circuits(self):
        """NAME.event.cir = NAME.cir but for the diode model (PWLDIODE, ron = RS) and .options."""
        def body(path):
            keep, models = [], {}
            for ln in pa.read_lines(path)[1:]:
                s = ln.strip()
                if not s or s.startswith("*") or s.lower().startswith(".options"):  # settings, not circuit
                    continue
                if s.lower().startswith(".model df"):
                    models = dict((k.lower(), pa.spice_number(v)) for k, v in
                                  pa.re.findall(r"(\w+)=([^\s)]+)", s))
                    continue
                keep.append(s)
            return keep, models
        for c in power.CIRCUITS:
            spice, sm = body(os.path.join(power.POWER, c["name"] + ".cir"))
            event, em = body(os.path.join(power.POWER, c["name"] + ".event.cir"))
            self.assertEqual(spice, event, c["name"])
            self.assertEqual(em["ron"], sm["rs"], c["name"])
            self.assertTrue(0.6 < em["von"] < 0.9, c["name"])
            for sig in c["signals"].values():
                node = sig[2:-1]
                self.assertTrue(any(node in ln.lower().split() for ln in spice), (c["name"], sig))


if __name__ == "__main__":
    unittest.main()
