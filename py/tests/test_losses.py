"""Losses and thermal networks from Python (issue 16): the `losses` analysis and the loss summary
in `stats`, in this process and through a real `simcore serve` (the same numbers)."""
import numpy as np
import pytest

import simcore

BUCK = """buck at constant load current, inline loss data
.model SWM PWLMOS(ron=10m vt=0.5 diode=0 eon=100u eoff=200u vref=100 iref=10 rthjc=0.5)
.model DM PWLDIODE(von=0.8 ron=5m err=50u vref=100 iref=10)
VIN vin 0 DC 100
VG g 0 PULSE(0 1 0 1n 1n 3u 10u)
S1 vin sw g 0 SWM
D1 0 sw DM
IL sw 0 DC 10
.thermal
Js1 s1 hs
Jd1 d1 hs
Rhs hs 0 0.2
Chs hs 0 1m
.endthermal
.options lossperiod=10u
.tran 0.1u 100u
.end
"""

D = 3.001e-6 / 10e-6


def test_losses_analysis_and_summary():
    r = simcore.simulate(BUCK)
    assert list(r) == ["tran", "losses"]
    L = r["losses"]
    assert L.kind == "losses" and L.x_name == "time"
    assert len(L.x) == 10 and L.x[-1] == pytest.approx(100e-6)
    for name in ("p_cond(s1)", "p_sw(s1)", "e_cond(s1)", "e_sw(s1)", "tj(s1)", "p_sw(d1)", "t(hs)"):
        assert name in L.signals
    by = {d["device"]: d for d in r.stats["losses"]}
    assert by["s1"]["conduction_loss"] == pytest.approx(100 * 10e-3 * D, rel=1e-3)
    assert by["s1"]["switching_loss"] == pytest.approx(300e-6 * (100.85 / 100) * 1e5, rel=1e-3)
    assert by["d1"]["switching_loss"] == pytest.approx(50e-6 * 0.999 * 1e5, rel=1e-3)
    assert by["s1"]["switching_events"] == 20
    assert by["s1"]["tj_max"] > L["t(hs)"][-1] > 27
    assert r.stats["loss_from"] == pytest.approx(90e-6) and r.stats["loss_to"] == pytest.approx(100e-6)
    assert 0 < r.stats["efficiency"] < 1
    assert r.stats["input_power"] == pytest.approx(100 * 10 * D, rel=2e-3)


def test_remote_run_streams_the_losses_analysis(client):
    local = simcore.simulate(BUCK)
    remote = client.simulate(BUCK)
    assert list(remote) == ["tran", "losses"]
    np.testing.assert_allclose(remote["losses"]["tj(s1)"], local["losses"]["tj(s1)"], rtol=1e-12)
    rs = {d["device"]: d for d in remote.stats["losses"]}
    ls = {d["device"]: d for d in local.stats["losses"]}
    assert rs["s1"]["switching_loss"] == pytest.approx(ls["s1"]["switching_loss"], rel=1e-12)
    assert remote.stats["efficiency"] == pytest.approx(local.stats["efficiency"], rel=1e-12)


def test_get_losses_is_the_designs_long_table():
    r = simcore.simulate(BUCK)
    df = simcore.get_losses(r)
    assert list(df.columns) == ["time", "component", "power_loss", "p_cond", "p_sw", "temp", "cumulative_energy",
                                "e_cond", "e_sw"]
    assert set(df["component"]) == {"s1", "d1"} and len(df) == 2 * len(r["losses"].x)
    s1 = df[df["component"] == "s1"]
    np.testing.assert_allclose(s1["power_loss"], r["losses"]["p_cond(s1)"] + r["losses"]["p_sw(s1)"])
    np.testing.assert_allclose(s1["temp"], r["losses"]["tj(s1)"])
    # the last row's cumulative energy over the run's time is the run's average loss
    last = s1.iloc[-1]
    assert last["cumulative_energy"] == pytest.approx(last["e_cond"] + last["e_sw"])
    assert r.losses.equals(df)  # Result.losses is the same table
    with pytest.raises(KeyError, match="no losses analysis"):
        simcore.get_losses(simcore.simulate("rc\nV1 a 0 1\nR1 a b 1k\nC1 b 0 1u\n.tran 1u 10u\n.end\n"))


def test_efficiency_map_example_grid():
    """examples/vsi3_efficiency.cir through simcore.sweep (the efficiency_map.py example, 2 x 2):
    the FF300R12KE3 loss files from models/, efficiency and losses from every point's stats."""
    import os

    from simcore import sweep

    netlist = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "vsi3_efficiency.cir")

    def measure(r):
        return {"eff": r.stats["efficiency"], "loss": r.stats["loss_power"], "pout": r.stats["output_power"]}

    df = sweep.grid(netlist, {"m": [0.5, 0.9], "rl": [2.0, 8.0]}, measure=measure, errors="raise")
    assert len(df) == 4 and ((df["eff"] > 0.9) & (df["eff"] < 1.0)).all()
    at = {(row.m, row.rl): row for row in df.itertuples()}
    # more output current (higher m, lower rl) -> more semiconductor loss, more output power
    assert at[(0.9, 2.0)].loss > at[(0.5, 2.0)].loss > at[(0.5, 8.0)].loss
    assert at[(0.9, 2.0)].pout > at[(0.5, 2.0)].pout
