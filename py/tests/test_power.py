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


VDP = """van der pol: an LC tank with a cubic negative conductance (mu = 0.0316, amplitude 2 V)
B1 n 0 I=-1e-3*v(n)+(1e-3/3)*v(n)*v(n)*v(n)
L1 n 0 1u
C1 n 0 1n ic=0.5
.tran 1n 10u uic
.end
"""


def test_oscillator_steady_state_finds_the_van_der_pol_limit_cycle():
    period, spectrum = simcore.oscillator_steady_state(VDP, "n", 4e6, settle=5e-6, points=128, harmonics=4,
                                                       iterations=20, uic=True)
    assert period.kind == "pss" and period.x_name == "time" and len(period.x) == 129
    assert spectrum.kind == "pss_spectrum" and spectrum.x_name == "frequency" and len(spectrum.x) == 4
    f0 = 1 / (2 * math.pi * math.sqrt(1e-6 * 1e-9))
    mu = 1e-3 * math.sqrt(1e-6 / 1e-9)
    assert spectrum.x[1] == pytest.approx(f0 * (1 - mu * mu / 16), rel=2e-4)
    assert period.x[-1] - period.x[0] == pytest.approx(1 / spectrum.x[1], rel=1e-9)
    assert spectrum["v(n)"][1] == pytest.approx(2.0, rel=0.01)
    assert spectrum["v(n)"][3] == pytest.approx(mu / 4, rel=0.15)


def test_remote_oscillator_pss_has_both_results(client):
    card = ".pss 4e6 5u n 128 4 20 5e-3 uic"
    local = simcore.simulate(VDP, analyses=[card])
    remote = client.simulate(VDP, analyses=[card])
    assert list(remote) == ["pss", "pss_spectrum"] == list(local)
    assert remote["pss_spectrum"].kind == "pss_spectrum" and remote["pss_spectrum"].x_name == "frequency"
    np.testing.assert_allclose(remote["pss_spectrum"].x, local["pss_spectrum"].x, rtol=1e-12)
    np.testing.assert_allclose(remote["pss_spectrum"]["v(n)"], local["pss_spectrum"]["v(n)"], rtol=1e-12)
    np.testing.assert_allclose(remote["pss"]["v(n)"], local["pss"]["v(n)"], rtol=1e-12)
