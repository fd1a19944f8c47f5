""".step points and .temp values: every analysis per circuit variant, each Analysis with its
label (Analysis.variant, Result.steps), per-variant .meas names, in-process, streamed and remote."""
from __future__ import annotations

import numpy as np
import pytest

import simcore

STEP = """divider
v1 in 0 1
r1 in out {rx}
r2 out 0 1k
.param rx=1k
.step param rx list 3k 1k
.op
.dc v1 0 2 1
.meas dc vo find v(out) at=2
.end
"""

TEMPS = """diode at three temperatures
v1 a 0 5
r1 a k 4.3k
d1 k 0 dm
.model dm d is=1e-14
.temp 0 50 100
.op
.end
"""


def test_step_analyses_carry_their_labels():
    r = simcore.simulate(STEP)
    assert list(r) == ["op", "dc", "op2", "dc2"]
    assert [r[n].variant for n in r] == ["rx=1000", "rx=1000", "rx=3000", "rx=3000"]
    steps = r.steps
    assert list(steps) == ["rx=1000", "rx=3000"]
    assert list(steps["rx=3000"]) == ["op", "dc"]
    assert steps["rx=1000"]["op"]["v(out)"][0] == pytest.approx(0.5)
    assert steps["rx=3000"]["op"]["v(out)"][0] == pytest.approx(0.25)
    assert np.allclose(steps["rx=3000"]["dc"]["v(out)"], [0, 0.25, 0.5])
    assert r.measures == pytest.approx({"vo[rx=1000]": 1.0, "vo[rx=3000]": 0.5})
    assert "rx=3000" in repr(r["op2"])
    assert r["op2"].to_xarray().attrs["variant"] == "rx=3000"


def test_plain_runs_have_no_variant(rc_netlist):
    r = simcore.simulate(rc_netlist)
    assert r["tran"].variant == ""
    assert list(r.steps) == [""]


def test_temperature_list_and_dc_temp():
    r = simcore.simulate(TEMPS)
    assert [a.variant for a in r.values()] == ["temp=0", "temp=50", "temp=100"]
    vk = [a["v(k)"][0] for a in r.values()]
    assert vk[0] > vk[1] > vk[2]
    d = simcore.simulate(TEMPS.replace(".temp 0 50 100\n.op\n", ".dc temp 0 100 50\n"))
    assert d["dc"].x_name == "temp" and np.allclose(d["dc"].x, [0, 50, 100])
    assert np.allclose(d["dc"]["v(k)"], vk, rtol=1e-9)


def test_stream_chunks_carry_the_variant():
    chunks = list(simcore.stream(STEP))
    assert {(c.analysis, c.variant) for c in chunks} == {
        ("op", "rx=1000"), ("dc", "rx=1000"), ("op2", "rx=3000"), ("dc2", "rx=3000")}
    r = simcore.Result.from_chunks(chunks)
    assert r["dc2"].variant == "rx=3000"


def test_remote_variants(client):
    r = client.simulate(STEP)
    assert [r[n].variant for n in r] == ["rx=1000", "rx=1000", "rx=3000", "rx=3000"]
    assert r.steps["rx=3000"]["op"]["v(out)"][0] == pytest.approx(0.25)
    assert {c.variant for c in client.stream(STEP)} == {"rx=1000", "rx=3000"}
