"""The design's API names (Client.connect, create_session, start_simulation, stream_waveforms,
simulate_from_string), wait(), max_step/tstop, include uploads, file names in remote errors and
the live plot: in process and against a real `simcore serve`."""
from __future__ import annotations

import numpy as np
import pytest

import simcore

RC = """rc low-pass
V1 in 0 PULSE(0 1 0 1n 1n 1m 2m)
R1 in out 1k
C1 out 0 1u
.tran 10u 2m
.end
"""


def test_simulate_from_string_is_a_structured_array_on_the_dt_grid():
    a = simcore.simulate_from_string(RC, tstop=1e-3, dt=1e-5)
    assert a.dtype.names[0] == "time" and "v(out)" in a.dtype.names and "i(v1)" in a.dtype.names
    assert len(a) == 101 and np.allclose(np.diff(a["time"]), 1e-5)
    tau = 1e-3
    exact = 1 - np.exp(-a["time"] / tau)
    assert np.max(np.abs(a["v(out)"] - exact)) < 2e-3
    own = simcore.simulate_from_string(RC)  # the netlist's own .tran, every accepted point
    assert own["time"][-1] == pytest.approx(2e-3) and len(own) != 101


def test_simulate_from_string_checks_its_arguments():
    with pytest.raises(ValueError, match="tstop and dt together"):
        simcore.simulate_from_string(RC, tstop=1e-3)
    with pytest.raises(ValueError, match="dt > 0"):
        simcore.simulate_from_string(RC, tstop=1e-3, dt=-1)
    with pytest.raises(ValueError, match="no .tran"):
        simcore.simulate_from_string("op only\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n")
    with pytest.raises(TypeError):
        simcore.simulate_from_string(b"bytes")


def test_max_step_and_tstop_locally():
    base = simcore.simulate(RC)
    short = simcore.simulate(RC, tstop=1e-3, max_step=2e-6)
    t = short["tran"].x
    assert t[-1] == pytest.approx(1e-3)
    assert np.max(np.diff(t)) <= 2e-6 * (1 + 1e-9)
    assert np.max(np.diff(base["tran"].x)) > 2e-6
    chunks = list(simcore.stream(RC, max_step=5e-6, tstop=5e-4))
    x = np.concatenate([c.x for c in chunks])
    assert x[-1] == pytest.approx(5e-4) and np.max(np.diff(x)) <= 5e-6 * (1 + 1e-9)
    with pytest.raises(simcore.SemanticError, match="max_step must be positive"):
        simcore.simulate(RC, max_step=0)
    with pytest.raises(simcore.SemanticError, match="tstop must be greater"):
        simcore.simulate(RC, tstop=-1)


class _FakeDisplay:
    """Records what live_plot shows (stands in for IPython.display.display)."""

    def __init__(self):
        self.shown = 0
        self.updates = 0

    def __call__(self, fig, display_id=False):
        self.shown += 1
        assert display_id is True
        return self

    def update(self, fig):
        self.updates += 1


def test_live_plot_draws_while_streaming_and_returns_the_result():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = _FakeDisplay()
    fig, ax = plt.subplots()
    r = simcore.live_plot(simcore.stream(RC, chunk_rows=50), ["v(out)"], every=0.0, ax=ax, display=shown)
    ref = simcore.simulate(RC)
    assert shown.shown == 1 and shown.updates >= 3  # redrawn as chunks came, not once at the end
    line = ax.get_lines()[0]
    assert line.get_label() == "v(out)" and len(line.get_xdata()) == len(ref["tran"].x)
    assert np.allclose(r["tran"]["v(out)"], ref["tran"]["v(out)"]) and np.allclose(r["tran"].x, ref["tran"].x)
    with pytest.raises(KeyError, match="v\\(nope\\)"):
        simcore.live_plot(simcore.stream(RC), ["v(nope)"], ax=ax, display=shown)
    plt.close(fig)


# --- against a server ---------------------------------------------------------------------

def test_the_designs_client_api(server):
    c = simcore.Client.connect(server["url"])  # the ready line's URL carries the token
    try:
        s = c.create_session(RC.encode(), file_name="rc.cir")
        assert s.title == "rc low-pass" and s.file_name == "rc.cir"
        job = c.start_simulation(s, {"tstart": 0, "tstop": 1e-3, "dt": 1e-5})
        chunks = list(c.stream_waveforms(s))
        x = np.concatenate([ch.x for ch in chunks])
        assert len(x) == 101 and np.allclose(np.diff(x), 1e-5)
        done = c.wait(job, timeout=30)
        assert done.state == "succeeded" and done.rows >= 101
        local = simcore.simulate_from_string(RC, tstop=1e-3, dt=1e-5)
        v = np.concatenate([ch["v(out)"] for ch in chunks])
        assert np.max(np.abs(v - local["v(out)"])) < 1e-6
        with pytest.raises(TypeError, match="unknown simulation option"):
            c.start_simulation(s, {"t_stop": 1})
        with pytest.raises(ValueError, match="not UTF-8"):
            c.create_session(b"title\n\xff\xfe\n")
    finally:
        c.close()


def test_wait_times_out_on_a_long_job(client):
    job = client.submit("long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 1000\n.end\n")
    with pytest.raises(TimeoutError, match="still"):
        client.wait(job, timeout=0.2)
    client.stop(job)
    assert client.wait(job, timeout=30).state == "cancelled"


def test_max_step_remotely(client):
    r = client.simulate(RC, max_step=2e-6, tstop=1e-3)
    assert np.max(np.diff(r["tran"].x)) <= 2e-6 * (1 + 1e-9) and r["tran"].x[-1] == pytest.approx(1e-3)


def test_include_files_are_uploaded_with_the_session(client, tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "parts.lib").write_text("* parts\n.include values.inc\n.subckt lp a b\nR1 a b {rval}\n"
                                                "C1 b 0 1u\n.ends\n")
    (tmp_path / "lib" / "values.inc").write_text(".param rval=2k\n")
    net = tmp_path / "top.cir"
    net.write_text("top\n.include lib/parts.lib\nV1 in 0 1\nX1 in out lp\n.tran 10u 2m\n.end\n")
    remote = client.simulate(net)
    local = simcore.simulate(net)
    assert np.isclose(remote["tran"]["v(out)"][-1], local["tran"]["v(out)"][-1])
    names = {m["name"] for m in client.models()}
    assert {"lib/parts.lib", "values.inc"} <= names
    # explicit includes (text given directly)
    r = client.simulate("t\n.include extra.inc\nV1 a 0 {vv}\nR1 a 0 1k\n.op\n.end\n",
                        includes={"extra.inc": ".param vv=3\n"})
    assert np.isclose(r["op"]["v(a)"][0], 3.0)


def test_a_script_deck_sources_its_circuit_remotely_and_embedded(client, tmp_path):
    # ngspice's Monte Carlo script decks: the circuit comes from the file `source` names, read
    # again (its random values drawn anew) by mc_source after setseed; the client uploads it
    (tmp_path / "circ.net").write_text("random divider\nV1 a 0 1\nR1 a b 1k\nR2 b 0 {agauss(1k, 100, 1)}\n.end\n")
    net = tmp_path / "mc.cir"
    net.write_text("*ng_script\n.control\nsetseed 1\nsource circ.net\nop\nsetseed 2\nmc_source\nop\n.endc\n.end\n")
    local = simcore.simulate(net)
    remote = client.simulate(net)
    ops = [k for k in local if k.startswith("op")]
    assert len(ops) == 2
    for k in ops:
        assert np.isclose(remote[k]["v(b)"][0], local[k]["v(b)"][0], rtol=1e-12)
    assert not np.isclose(local[ops[0]]["v(b)"][0], local[ops[1]]["v(b)"][0])
    assert "circ.net" in {m["name"] for m in client.models()}


def test_remote_errors_name_the_file(client, tmp_path):
    bad = tmp_path / "bad.cir"
    bad.write_text("bad\nR1 a 0 1k\nQ1 a\n.op\n.end\n")
    with pytest.raises(simcore.SimulationError) as e:
        client.simulate(bad)
    assert e.value.file == str(bad) and e.value.line == 3
    with pytest.raises(simcore.SimulationError) as e:
        client.simulate("bad\nR1 a 0 1k\nQ1 a\n.op\n.end\n", file_name="mine.cir")
    assert e.value.file == "mine.cir" and str(e.value).startswith("mine.cir:3:")


def test_model_names_may_have_folders_but_not_escapes(client):
    assert client.upload_model("sub/dir/a.lib", "* a\n")["name"] == "sub/dir/a.lib"
    for bad in ("/abs.lib", "sub//a.lib", "../a.lib", "sub/../a.lib", "sub/.hidden", "a.lib/"):
        with pytest.raises(simcore.SimulationError):
            client.upload_model(bad, "* a\n")
