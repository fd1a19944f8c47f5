"""The event engine from Python: the switching mode in the stats, steady_state() and
frequency_response() against analytic results (an ideal CCM buck), in this process and (mode and
result kinds) through a real `simcore serve`."""
import math

import numpy as np
import pytest

import simcore

BUCK = """ideal buck, duty 0.5 from a comparator
.model SWM SW(RON=1m ROFF=1meg VT=0 VH=0)
.model DI PWLDIODE(von=0 ron=1m)
VIN vin 0 DC 12
VTRI tri 0 PULSE(0 1 0 5u 5u 0 10u)
VREF ref 0 DC 0.5
S1 vin sw ref tri SWM
D1 0 sw DI
L1 sw l 47u
VIL l out DC 0
C1 out 0 22u
RLOAD out 0 5
.tran 50n 1m
.end
"""


def test_simulate_reports_the_switching_mode():
    r = simcore.simulate(BUCK)
    assert r.stats["switching_mode"] == "event"
    assert r.stats["configurations"] <= 4
    spice = simcore.simulate(BUCK.replace(".tran", ".options switching=spice\n.tran"))
    assert spice.stats["switching_mode"] == "spice"


def test_steady_state_matches_the_analytic_buck():
    pss = simcore.steady_state(BUCK, 10e-6)
    assert pss.kind == "pss" and pss.x_name == "time"
    assert pss.x[-1] - pss.x[0] == pytest.approx(10e-6, rel=1e-9)
    df = pss.to_pandas()
    t, vout, il = df.index.to_numpy(), df["v(out)"].to_numpy(), df["i(vil)"].to_numpy()
    avg = float(np.sum(0.5 * (vout[1:] + vout[:-1]) * np.diff(t))) / (t[-1] - t[0])
    assert avg == pytest.approx(6.0, rel=0.005)
    ripple = (12 - avg) * 0.5 / (47e-6 * 100e3)
    assert il.max() - il.min() == pytest.approx(ripple, rel=0.005)
    assert vout[0] == pytest.approx(vout[-1], abs=1e-6)


def test_frequency_response_matches_the_averaged_model():
    fra = simcore.frequency_response(BUCK, source="VREF", period=10e-6, fstart=200, fstop=10e3,
                                     points_per_decade=5)
    assert fra.kind == "fra" and fra.complex
    L, C, R = 47e-6, 22e-6, 5.0
    for f, h in zip(fra.x, fra["v(out)"]):
        s = 2j * math.pi * f
        avg = 12 / (1 + s * L / R + s * s * L * C)
        assert 20 * math.log10(abs(h) / abs(avg)) == pytest.approx(0, abs=0.5), f
        assert math.degrees(np.angle(h / avg)) == pytest.approx(0, abs=3), f


def test_steady_state_errors_name_the_card():
    with pytest.raises(simcore.SemanticError, match="no source named 'vnope'"):
        simcore.frequency_response(BUCK, source="VNOPE", period=10e-6, fstart=100, fstop=1e3)


def test_remote_runs_report_the_mode_and_the_new_analyses(client):
    local = simcore.simulate(BUCK, analyses=[".pss 10u", ".fra dec 2 1k 10k period=10u source=VREF"])
    remote = client.simulate(BUCK, analyses=[".pss 10u", ".fra dec 2 1k 10k period=10u source=VREF"])
    assert list(remote) == ["pss", "fra"] == list(local)
    assert remote["fra"].complex and remote["fra"].kind == "fra"
    assert remote.stats["switching_mode"] == "event"
    np.testing.assert_allclose(remote["pss"]["v(out)"], local["pss"]["v(out)"], rtol=1e-12)
    np.testing.assert_allclose(remote["fra"]["v(out)"], local["fra"]["v(out)"], rtol=1e-9)
