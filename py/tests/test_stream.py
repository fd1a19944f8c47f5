"""simcore.stream: a local run's rows as the engine computes them (the resumable Simulation of
the native module), the same chunks a Client.stream gives."""
from __future__ import annotations

import threading

import numpy as np
import pytest

import simcore
from simcore import _native

MULTI = """multi
V1 in 0 DC 1 AC 1 SIN(0 1 1k)
R1 in out 1k
C1 out 0 100n
.op
.ac dec 5 10 100k
.tran 20u 1m
.tran 10u 2m
.end
"""
ENDLESS = "endless\nV1 in 0 SIN(0 1 1meg)\nR1 in out 1k\nC1 out 0 1n\n.tran 10n 10\n.end\n"


def test_stream_gives_the_same_rows_as_simulate():
    whole = simcore.simulate(MULTI)
    chunks = list(simcore.stream(MULTI, chunk_rows=64))
    names = list(dict.fromkeys(c.analysis for c in chunks))
    assert names == list(whole) == ["ac", "op", "tran", "tran2"]  # (ngspice's order, by kind)
    for name in names:
        parts = [c for c in chunks if c.analysis == name]
        a = whole[name]
        assert [c.end for c in parts].count(True) == 1 and parts[-1].end
        assert all(c.kind == a.kind and c.x_name == a.x_name for c in parts)
        for sig in a:
            got = np.concatenate([c[sig] for c in parts])
            assert got.dtype == np.asarray(a[sig]).dtype and np.array_equal(got, a[sig])
        if a.x is not None:
            assert np.array_equal(np.concatenate([c.x for c in parts]), a.x)
        assert parts[0].signal_kinds == a.signal_kinds
    tran = [c for c in chunks if c.analysis == "tran"]
    assert len(tran) > 2 and all(c.rows <= 64 for c in tran)
    assert np.iscomplexobj(next(c for c in chunks if c.analysis == "ac")["v(out)"])
    progress = [c.progress for c in chunks]
    assert progress == sorted(progress) and progress[-1] == pytest.approx(1.0)


def test_stream_options_save_and_params():
    net = "div\n.param rb=1k\nV1 in 0 DC 1\nR1 in out 1k\nR2 out 0 {rb}\n.op\n.end\n"
    (c,) = list(simcore.stream(net, save=["v(out)"], params={"rb": 3e3}))
    assert list(c) == ["v(out)"] and c["v(out)"][0] == pytest.approx(0.75) and c.end and c.rows == 1


def test_stream_error_after_the_rows_before_it():
    net = ("lte impossible\nV1 a 0 SIN(0 1 1k)\nR1 a b 1k\nC1 b 0 1u\n"
           ".options trtol=1e-20 reltol=1e-9\n.tran 1u 1m\n.end\n")
    got = []
    with pytest.raises(simcore.TimestepTooSmallError) as ei:
        for c in simcore.stream(net, chunk_rows=1):
            got.append(c)
    assert sum(c.rows for c in got) >= 1 and not any(c.end for c in got)
    assert ei.value.code == "timestep_too_small" and ei.value.line == 6


def test_stream_netlist_error_raises_at_once():
    with pytest.raises(simcore.ParseError):
        next(simcore.stream("t\nR1 a 0 1k\nV1 a 0 foo(\n.tran 1n 1u\n.end\n"))


def test_stream_cancel_event_and_early_close():
    ev = threading.Event()
    it = simcore.stream(ENDLESS, cancel=ev, chunk_rows=100, max_points=2_000_000)
    first = next(it)
    assert first.rows == 100 and not first.end
    ev.set()
    with pytest.raises(simcore.SimulationCancelled):
        for _ in it:
            pass
    # closing the iterator early cancels the run (nothing left running to the backstop)
    it = simcore.stream(ENDLESS, chunk_rows=100, max_points=2_000_000)
    next(it)
    it.close()


def test_native_simulation_steps_and_stats():
    sim = _native.Simulation("t\nV1 a 0 1\nR1 a 0 2\n.op\n.end\n", "t.cir")
    events = []
    while not sim.done:
        events += sim.step(10)
    assert [e["type"] for e in events] == ["header", "chunk", "end"]
    assert events[0]["analysis"] == "op" and events[1]["values"][events[0]["signals"].index("v(a)")][0] == 1.0
    assert sim.progress == pytest.approx(1.0) and sim.stats()["unknowns"] == 2
    assert sim.step(10) == []
    sim2 = _native.Simulation(ENDLESS, max_points=2_000_000)
    sim2.step(5)
    sim2.cancel()
    with pytest.raises(simcore.SimulationCancelled):
        sim2.step(5)  # returns the rows before the stop (if any) ...
        sim2.step(5)  # ... and the step after raises
    assert not sim2.done and sim2.step(5) == []
