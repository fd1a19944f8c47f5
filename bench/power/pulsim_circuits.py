"""The bench/power circuits built with Pulsim's Python API (run only by bench/power.py, in its venv).

    python pulsim_circuits.py CIRCUIT --engine pwl|trbdf2|dsed [--dt S] --out PREFIX
    python pulsim_circuits.py buck --pss-fra --out PREFIX      (steady_state + 40-point frequency_response)

Each builder makes the same circuit as CIRCUIT.cir / CIRCUIT.event.cir:
  * S switches -> add_switch(g_on = 1/RON, g_off = 1/ROFF); gates are a NativeMultiMaskPwm whose edges
    are the instants at which the SPICE netlist's gate crosses the switch threshold (PULSE edges, or
    the sine-triangle crossings of the VSI computed here by bisection), because Pulsim has no
    voltage-controlled switch.
  * PWLDIODE(von, ron, roff) -> add_diode(V_th = 0, g_on = 1/ron, g_off = 1/roff) in series with a
    voltage source von: Pulsim's PWL diode has no forward drop of its own.
  * K -> add_inductor_coupling.
The state at t = 0 is Pulsim's DC operating point with the gates at t = 0 (SPICE starts from its OP).

Writes PREFIX.bin (float64 columns, time first) and PREFIX.json (column names, point count, timings:
dcop_s = compute_dc_op, simulate_s = the simulate() call including its cache build; engine_used).
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import pulsim as p

# ---------------------------------------------------------------------------
# element helpers
# ---------------------------------------------------------------------------


def pwl_diode(b, name, anode, cathode, von, ron, roff=1e9):
    """Ideal diode with a forward drop: on-state v = von + ron*i (as simcore's PWLDIODE)."""
    mid = name.lower() + "_vf"
    b.add_diode(name, anode, mid, 1.0 / ron, 1.0 / roff, 0.0)
    b.add_voltage_source("V" + name, mid, cathode, von)


def switch(b, name, a, k, ron, roff):
    b.add_switch(name, a, k, 1.0 / ron, 1.0 / roff)


def pulse_window(t0, rise, width, fall, vt_on, vt_off, vhigh):
    """On/off instants of an S switch (on above vt_on, off below vt_off) driven by
    PULSE(0 vhigh t0 rise fall width): linear edges."""
    on = t0 + rise * vt_on / vhigh
    off = t0 + rise + width + fall * (vhigh - vt_off) / vhigh
    return on, off


def mask_of(b, n, names):
    m = p.SwitchStateMask(n)
    for nm in names:
        m.set(b.switch_index_of(nm), True)
    return m


def schedule(b, period, edges):
    """edges: sorted list of (t in (0, period], set of switch names on AFTER t ... up to the next edge),
    plus the state at t = 0 as edges[0] = (0, names). Returns a NativeMultiMaskPwm and the mask at t=0."""
    n = b.graph.num_switches
    bounds, masks = [], []
    for k, (t, names) in enumerate(edges):
        t_end = edges[k + 1][0] if k + 1 < len(edges) else period
        if t_end <= t:
            continue
        bounds.append(t_end / period)
        masks.append(mask_of(b, n, names))
    bounds[-1] = 1.0
    return p.NativeMultiMaskPwm(period, bounds, masks), masks[0]


# ---------------------------------------------------------------------------
# circuits (values as in the .cir files next to this script)
# ---------------------------------------------------------------------------


def buck():
    b = p.CircuitBuilder()
    b.add_voltage_source("VIN", "vin", "0", 12.0)
    switch(b, "S1", "vin", "sw", 50e-3, 1e6)
    pwl_diode(b, "D1", "0", "sw", 0.7191, 20e-3)
    b.add_inductor("L1", "sw", "out", 47e-6)
    b.add_capacitor("C1", "out", "0", 22e-6)
    b.add_resistor("RLOAD", "out", "0", 5.0)
    T = 10e-6
    on, off = pulse_window(0.0, 20e-9, 4.98e-6, 20e-9, 2.6, 2.4, 5.0)
    sched, m0 = schedule(b, T, [(0.0, []), (on, ["S1"]), (off, [])])
    return b, sched, m0, T, {"vout": ("v", "out"), "il": ("i", "L1")}


def buck_duty(b, duty, T=10e-6):
    """The buck's gate family for frequency_response: on from 10.4 ns for duty*T."""
    on = 10.4e-9
    return schedule(b, T, [(0.0, []), (on, ["S1"]), (on + duty * T, [])])[0]


def boost():
    b = p.CircuitBuilder()
    b.add_voltage_source("VIN", "vin", "0", 5.0)
    b.add_inductor("L1", "vin", "sw", 47e-6)
    switch(b, "S1", "sw", "0", 50e-3, 1e6)
    pwl_diode(b, "D1", "sw", "out", 0.7115, 20e-3)
    b.add_capacitor("C1", "out", "0", 10e-6)
    b.add_resistor("RLOAD", "out", "0", 20.0)
    T = 10e-6
    on, off = pulse_window(0.0, 20e-9, 4.98e-6, 20e-9, 2.6, 2.4, 5.0)
    sched, m0 = schedule(b, T, [(0.0, []), (on, ["S1"]), (off, [])])
    return b, sched, m0, T, {"vout": ("v", "out"), "il": ("i", "L1")}


def half_bridge():
    b = p.CircuitBuilder()
    b.add_voltage_source("VBUS", "bus", "0", 48.0)
    b.add_capacitor("CB1", "bus", "mid", 100e-6)
    b.add_capacitor("CB2", "mid", "0", 100e-6)
    b.add_resistor("RB1", "bus", "mid", 10e3)
    b.add_resistor("RB2", "mid", "0", 10e3)
    switch(b, "SH", "bus", "sw", 20e-3, 1e6)
    switch(b, "SL", "sw", "0", 20e-3, 1e6)
    pwl_diode(b, "DH", "sw", "bus", 0.7068, 10e-3)
    pwl_diode(b, "DL", "0", "sw", 0.7068, 10e-3)
    b.add_resistor("RLOAD", "sw", "x", 10.0)
    b.add_inductor("LLOAD", "x", "mid", 1e-3)
    T = 50e-6
    hon, hoff = pulse_window(0.5e-6, 50e-9, 23.95e-6, 50e-9, 2.6, 2.4, 5.0)
    lon, loff = pulse_window(25.5e-6, 50e-9, 23.95e-6, 50e-9, 2.6, 2.4, 5.0)
    sched, m0 = schedule(b, T, [(0.0, []), (hon, ["SH"]), (hoff, []), (lon, ["SL"]), (loff, [])])
    return b, sched, m0, T, {"il": ("i", "LLOAD"), "vmid": ("v", "mid")}


def flyback():
    b = p.CircuitBuilder()
    b.add_voltage_source("VIN", "vin", "0", 24.0)
    b.add_inductor("LP", "vin", "drn", 500e-6)
    b.add_inductor("LS", "0", "sec", 125e-6)
    b.add_inductor_coupling("LP", "LS", 0.995)
    switch(b, "S1", "drn", "0", 50e-3, 1e6)
    b.add_resistor("RSN", "drn", "sn", 68.0)
    b.add_capacitor("CSN", "sn", "0", 1e-9)
    pwl_diode(b, "D1", "sec", "out", 0.7217, 20e-3)
    b.add_capacitor("C1", "out", "0", 22e-6)
    b.add_resistor("RLOAD", "out", "0", 10.0)
    T = 10e-6
    on, off = pulse_window(0.0, 20e-9, 3.98e-6, 20e-9, 2.6, 2.4, 5.0)
    sched, m0 = schedule(b, T, [(0.0, []), (on, ["S1"]), (off, [])])
    return b, sched, m0, T, {"vout": ("v", "out"), "ip": ("i", "LP")}


VSI_F, VSI_M, VSI_FC = 50.0, 0.8, 10e3


def vsi_tri(t):
    """PWL(0 -1 50u 1 100u -1) r=0."""
    tc = 1.0 / VSI_FC
    u = math.fmod(t, tc) / tc
    return -1.0 + 4.0 * u if u < 0.5 else 3.0 - 4.0 * u


def vsi_crossings(phase_deg, period):
    """Instants in (0, period) where 0.8*sin(2*pi*50*t + phase) crosses the triangle, one per
    triangle half-period (the triangle is 160x steeper than the sine), by bisection."""
    w = 2.0 * math.pi * VSI_F
    ph = math.radians(phase_deg)

    def f(t):
        return VSI_M * math.sin(w * t + ph) - vsi_tri(t)

    half = 0.5 / VSI_FC
    out = []
    k = 0
    while (k + 1) * half <= period * (1 + 1e-12):
        lo, hi = k * half, (k + 1) * half
        flo, fhi = f(lo + 1e-15), f(hi - 1e-15)
        if flo * fhi < 0:
            a, c = lo + 1e-15, hi - 1e-15
            for _ in range(200):
                m = 0.5 * (a + c)
                if m <= a or m >= c:
                    break
                if f(m) * flo > 0:
                    a = m
                else:
                    c = m
            out.append(0.5 * (a + c))
        k += 1
    return out


def vsi3():
    b = p.CircuitBuilder()
    b.add_voltage_source("VDP", "p", "0", 200.0)
    b.add_voltage_source("VDN", "0", "n", 200.0)
    legs = (("a", 0.0), ("b", -120.0), ("c", 120.0))
    for x, _ in legs:
        X = x.upper()
        switch(b, "S%sP" % X, "p", x, 10e-3, 1e6)
        switch(b, "S%sN" % X, x, "n", 10e-3, 1e6)
        pwl_diode(b, "D%sP" % X, x, "p", 0.8, 10e-3)
        pwl_diode(b, "D%sN" % X, "n", x, 0.8, 10e-3)
        b.add_resistor("R" + X, x, "x" + x, 10.0)
        b.add_inductor("L" + X, "x" + x, "nn", 5e-3)
    T = 1.0 / VSI_F  # the gate pattern repeats every 20 ms (10 kHz / 50 Hz = 200 carrier periods)
    w = 2.0 * math.pi * VSI_F
    events = []
    for x, ph in legs:
        for t in vsi_crossings(ph, T):
            events.append(t)
    events.sort()

    def state(t):
        names = []
        for x, ph in legs:
            up = VSI_M * math.sin(w * t + math.radians(ph)) > vsi_tri(t)
            names.append("S%s%s" % (x.upper(), "P" if up else "N"))
        return names

    edges = [(0.0, state(0.0))]
    pts = [0.0] + events + [T]
    for k in range(1, len(pts) - 1):
        edges.append((pts[k], state(0.5 * (pts[k] + pts[k + 1]))))
    sched, m0 = schedule(b, T, edges)
    return b, sched, m0, T, {"ia": ("i", "LA"), "ib": ("i", "LB")}


PWM_DUTY = {"buck": 0.5, "boost": 0.5, "flyback": 0.4}
BUILDERS = {"buck": buck, "boost": boost, "half_bridge": half_bridge, "flyback": flyback, "vsi3": vsi3}


# ---------------------------------------------------------------------------
# runs
# ---------------------------------------------------------------------------


def write(prefix, cols, meta):
    names = list(cols)
    arr = np.vstack([np.asarray(cols[k], dtype="<f8") for k in names])
    arr.T.copy().tofile(prefix + ".bin")  # point-major, like a binary raw file
    meta = dict(meta, columns=names, points=int(arr.shape[1]))
    with open(prefix + ".json", "w") as f:
        json.dump(meta, f)
    print(json.dumps(meta))


def transient(args):
    b, sched, m0, T, sig = BUILDERS[args.circuit]()
    if args.gates == "fn":
        # Pulsim's make_pwm_switch_fn: S1 on for D*T from the phase 10.4 ns, the SPICE gate's edges.
        # A plain switch_fn (no next_edge_after), which dsed polls; with the NativeMultiMaskPwm
        # schedule dsed did not finish the buck here.
        if args.circuit not in PWM_DUTY:
            sys.exit("--gates fn: only for %s" % ", ".join(sorted(PWM_DUTY)))
        sched = p.make_pwm_switch_fn(1.0 / T, PWM_DUTY[args.circuit], b.switch_index_of("S1"), b.graph.num_switches,
                                     10.4e-9)
    t0 = time.perf_counter()
    x0 = p.compute_dc_op(b, mask=m0)
    t1 = time.perf_counter()
    kw = {}
    if args.dt:
        kw["dt"] = args.dt
    start = "dc op"
    if args.engine == "dsed":  # dsed's state is its own reduced one, not the MNA vector: it starts at zero
        start = "zero"
    else:
        kw["initial_state"] = x0
    res = p.simulate(b, args.t_end, engine=args.engine, switch_fn=sched, **kw)
    t2 = time.perf_counter()
    cols = {"time": np.asarray(res.times)}
    for key, (kind, name) in sig.items():
        cols[key] = np.asarray(res.v(name) if kind == "v" else res.i(name))
    write(args.out, cols, {"dcop_s": t1 - t0, "simulate_s": t2 - t1,
                           "engine_used": getattr(res, "engine_used", args.engine), "engine": args.engine,
                           "dt": args.dt, "start": start, "gates": args.gates, "pulsim": p.__version__})


def pss_fra(args):
    """Pulsim's periodic steady state (monodromy, fixed step 50 ns) and a 40-point control-to-output
    Bode of the buck from scratch (steady state included, fixed step 10 ns, duty 0.5, 200 Hz..20 kHz):
    the figures simcore's .pss / .fra are measured against (peer study: 3.1 ms and 16.2 ms)."""
    b, sched, m0, T, sig = buck()
    t0 = time.perf_counter()
    ss = p.steady_state(b, period=T, dt=50e-9, switch_fn=sched)
    t1 = time.perf_counter()
    b2, _, _, _, _ = buck()
    freqs = np.logspace(math.log10(200.0), math.log10(20e3), 40)
    t2 = time.perf_counter()
    fr = p.frequency_response(b2, period=T, dt=10e-9, switch_fn_of=lambda d: buck_duty(b2, d, T), output="out",
                              frequencies=freqs, u0=0.5)
    t3 = time.perf_counter()
    meta = {"pss_s": t1 - t0, "pss_dt": 50e-9, "pss_residual": float(ss.residual), "pss_drift": float(ss.drift),
            "pss_period_runs": int(ss.n_period_runs), "pss_floquet_radius": float(ss.floquet_radius),
            "fra40_s": t3 - t2, "fra_dt": 10e-9, "fra_period_runs": int(fr.n_period_runs),
            "fra_f_hz": [float(f) for f in freqs], "fra_mag_db": [float(x) for x in fr.magnitude_db],
            "fra_phase_deg": [float(x) for x in fr.phase_deg], "pulsim": p.__version__}
    print(json.dumps({k: v for k, v in meta.items() if not k.startswith("fra_") or not isinstance(v, list)}))
    with open(args.out + ".json", "w") as f:
        json.dump(meta, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("circuit", choices=sorted(BUILDERS))
    ap.add_argument("--engine", default="pwl")
    ap.add_argument("--dt", type=float)
    ap.add_argument("--t-end", type=float, required=False)
    ap.add_argument("--out", required=True)
    ap.add_argument("--pss-fra", action="store_true")
    ap.add_argument("--gates", choices=("exact", "fn"), default="exact",
                    help="exact: NativeMultiMaskPwm on the SPICE gate's crossings; fn: make_pwm_switch_fn "
                         "with the same edges (buck, boost, flyback)")
    args = ap.parse_args()
    if args.pss_fra:
        return pss_fra(args)
    if args.t_end is None:
        sys.exit("--t-end is required")
    transient(args)


if __name__ == "__main__":
    main()
