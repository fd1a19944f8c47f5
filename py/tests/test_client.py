"""simcore.Client against a real `simcore serve` started here (SIMCORE: the executable,
default build/bin/simcore), compared with the in-process engine."""
from __future__ import annotations

import json
import time

import numpy as np
import pytest

import simcore
from conftest import manifest

LONG = "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 1000\n.end\n"


def _same_result(local, remote):
    """Same analyses and signals, same values up to roundoff: the server's worker is another
    build of the engine (other compiler flags), so the last bits and, rarely, a step may differ."""
    assert list(local) == list(remote)
    for name in local:
        a, b = local[name], remote[name]
        assert a.x_name == b.x_name and list(a) == list(b)
        assert a.x.shape == b.x.shape or a.kind == "tran", name
        if a.x_name:
            assert np.isclose(a.x[0], b.x[0]) and np.isclose(a.x[-1], b.x[-1])
        for sig in a:
            assert a[sig].dtype == b[sig].dtype
            ref = a[sig]
            got = b[sig] if b[sig].shape == ref.shape else np.interp(a.x, b.x, b[sig])
            tol = 1e-6 * max(float(np.max(np.abs(ref))), 1e-12)
            assert np.max(np.abs(got - ref)) <= tol, (name, sig, float(np.max(np.abs(got - ref))), tol)


def test_remote_matches_native(client, circuits):
    for name in ("rc_lowpass_step", "opamp_inverting", "bjt_ce_amp"):
        path = circuits / ("%s.cir" % name)
        local = simcore.simulate(path)
        remote = client.simulate(path)
        _same_result(local, remote)
        assert remote.title == local.title and remote.netlist == local.netlist
        assert remote.stats["unknowns"] == local.stats["unknowns"]


def test_remote_results_pass_the_suite(client, circuits, tmp_path):
    tools = str(circuits / "tools")
    import sys
    sys.path.insert(0, tools)
    import compare

    cs = {c["name"]: c for c in manifest()["circuits"]}
    for name in ("buck_converter", "diode_clipper", "lc_ladder_filter"):
        client.simulate(circuits / cs[name]["file"]).write_csv(tmp_path, name)
        assert compare.judge_circuit(str(circuits), cs[name], str(tmp_path))["status"] == "pass", name


def test_url_with_token_and_params(server, rc_netlist):
    with simcore.Client(server["url"]) as c:
        r = c.simulate(rc_netlist, params={"r": 2e3})
    local = simcore.simulate(rc_netlist, params={"r": 2e3})
    _same_result(local, r)


def test_stream_yields_numpy_chunks(client, rc_netlist):
    chunks = list(client.stream(rc_netlist, chunk_rows=64, save=["v(out)"]))
    assert len(chunks) > 3
    assert all(c.analysis == "tran" and c.x_name == "time" and list(c) == ["v(out)"] for c in chunks)
    assert all(isinstance(c.x, np.ndarray) and c["v(out)"].dtype == np.float64 for c in chunks)
    assert chunks[-1].end and not any(c.end for c in chunks[:-1])
    x = np.concatenate([c.x for c in chunks])
    assert np.all(np.diff(x) > 0)
    local = simcore.simulate(rc_netlist)["tran"].x
    assert x.shape == local.shape and np.allclose(x, local, rtol=1e-9, atol=0)
    progress = [c.progress for c in chunks]
    assert progress == sorted(progress) and progress[-1] == pytest.approx(1.0)


def test_stream_ac_and_two_transients(client):
    net = "x\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac dec 5 1 1k\n.tran 1u 10u\n.tran 1u 20u\n.end\n"
    names = []
    for c in client.stream(net):
        if c.analysis not in names:
            names.append(c.analysis)
        if c.kind == "ac":
            assert np.iscomplexobj(c["v(out)"])
    assert names == ["ac", "tran", "tran2"]


def test_parse_error_has_line_and_column(client):
    with pytest.raises(simcore.ParseError) as ei:
        client.simulate("t\nR1 a 0 1k\nV1 a 0 foo(\n.tran 1n 1u\n.end\n")
    local = pytest.raises(simcore.ParseError, simcore.simulate, "t\nR1 a 0 1k\nV1 a 0 foo(\n.tran 1n 1u\n.end\n")
    assert (ei.value.line, ei.value.column, ei.value.message) == (local.value.line, local.value.column,
                                                                   local.value.message)
    assert ei.value.status == "INVALID_ARGUMENT"


def test_floating_node_warning_as_the_native_module_gives_it(client):
    """A node with no DC path to ground runs, tied to ground through gmin: the remote Result's
    warnings hold the simulation's warning with its line and column, as simcore.simulate's do."""
    net = "floating\nV1 a 0 1\nR1 a 0 1k\nC1 a b 1n\nR2 b c 1k\n.op\n.end\n"
    remote = [w for w in client.simulate(net).warnings if "DC path" in w["message"]]
    local = [w for w in simcore.simulate(net).warnings if "DC path" in w["message"]]
    assert len(remote) == len(local) == 1
    assert remote[0]["message"] == local[0]["message"]
    assert (remote[0]["line"], remote[0]["col"]) == (local[0]["line"], local[0]["col"]) == (4, 1)


def test_run_time_warning_as_the_native_module_gives_it(client):
    """A transient that runs on with a junction a source forces forward warns once, at the
    source's card, while it runs: the remote Result's warnings hold it as simcore.simulate's do."""
    net = "forced\nV1 a 0 PWL(0 0 1n 0 2n 15)\nD1 a 0 DX\n.model DX D(IS=1e-14)\n.tran 0.01n 3n\n.end\n"
    remote = [w for w in client.simulate(net).warnings if "not physical" in w["message"]]
    local = [w for w in simcore.simulate(net).warnings if "not physical" in w["message"]]
    assert len(remote) == len(local) == 1
    assert local[0]["message"].startswith("the branch current of 'v1' reached ")
    assert remote[0]["message"] == local[0]["message"]
    assert (remote[0]["line"], remote[0]["col"]) == (local[0]["line"], local[0]["col"]) == (2, 1)


def test_bad_token(server):
    with simcore.Client(server["address"], token="not-a-token") as c:
        with pytest.raises(simcore.RemoteError) as ei:
            c.jobs()
    assert ei.value.status == "UNAUTHENTICATED"


def test_jobs_and_result_files(client, rc_netlist, tmp_path):
    job = client.submit(rc_netlist, name="rc")
    chunks = list(client.stream(job=job))
    assert chunks and client.job(job).state == "succeeded"
    assert job.id in [j.id for j in client.jobs()]
    files = client.result(job, format="csv", dest=tmp_path)
    assert set(files) == {"rc.tran.csv"} and (tmp_path / "rc.tran.csv").exists()
    assert files["rc.tran.csv"].splitlines()[0] == b"time,v(in),v(out),i(v1)"
    js = json.loads(client.result(job.id, format="json")["rc.tran.json"])
    assert js["analysis"] == "tran" and len(js["rows"]) == sum(len(c.x) for c in chunks)


def test_delete_job_and_session(client, rc_netlist):
    sess = client.session(rc_netlist, name="gone")
    job = client.submit(sess)
    list(client.stream(job=job))
    running = client.submit(LONG)
    assert client.delete_job(job) > 0
    assert job.id not in [j.id for j in client.jobs()]
    with pytest.raises(simcore.RemoteError) as ei:
        client.job(job)
    assert ei.value.status == "NOT_FOUND"
    assert client.delete_job(running) >= 0  # stopped first
    assert running.id not in [j.id for j in client.jobs()]
    client.delete_session(sess)
    with pytest.raises(simcore.RemoteError) as ei:
        client.delete_session(sess)
    assert ei.value.status == "NOT_FOUND"


def test_stop_a_running_job(client):
    job = client.submit(LONG)
    t0 = time.monotonic()
    while client.job(job).rows < 100 and time.monotonic() - t0 < 20:
        time.sleep(0.02)
    stopped = client.stop(job)
    assert stopped.state == "cancelled"
    with pytest.raises(simcore.SimulationCancelled):
        for _ in client.stream(job=job):
            pass
    assert client.stop(job).state == "cancelled"  # harmless again


def test_sweep_on_the_server(client, server):
    from simcore import sweep

    net = ("rc\n.param r=1k c=100n\nV1 in 0 DC 0 AC 1\nR1 in out {r}\nC1 out 0 {c}\n"
           ".ac dec 10 10 100k\n.end\n")
    grid = {"r": [1e3, 0.0, 2e3], "c": [47e-9, 100e-9]}
    local = sweep.grid(net, grid, signals=["v(out)"])
    remote = sweep.grid(net, grid, signals=["v(out)"], backend=client, workers=3)
    ok = local["error"].values == ""
    assert np.array_equal(ok, remote["error"].values == "") and ok.sum() == 4
    assert np.allclose(remote["v(out)"].values[ok], local["v(out)"].values[ok], rtol=1e-9)
    (f1, f2) = sweep.failures(remote)
    assert f1.params == {"r": 0.0, "c": 47e-9} and (f1.line, f1.column) == (4, 1) and "resistance" in f1.message
    # one session for the whole sweep: the jobs carry the params
    latest = sorted(client.jobs(), key=lambda j: j.created_unix_ms)[-4:]
    sessions = {j.session_id for j in latest}
    assert len(sessions) == 1


def test_hdf5_result_files(client, rc_netlist, tmp_path):
    job = client.submit(rc_netlist, name="rc")
    n = sum(len(c.x) for c in client.stream(job=job))
    try:
        files = client.result(job, format="hdf5", dest=tmp_path)
    except simcore.RemoteError as e:
        if e.status == "UNIMPLEMENTED":
            pytest.skip("this server was built without libhdf5")
        raise
    assert set(files) == {"rc.tran.h5"} and files["rc.tran.h5"].startswith(b"\x89HDF\r\n\x1a\n")
    assert (tmp_path / "rc.tran.h5").read_bytes() == files["rc.tran.h5"]
    listed = {r["name"]: r for r in client.job(job).results}
    assert listed["rc.tran.h5"]["rows"] == n and listed["rc.tran.h5"]["size_bytes"] == len(files["rc.tran.h5"])


def test_threads_option_reaches_the_worker(client):
    """submit/simulate(threads=2): the server's worker lends the engine two threads; the same rows as one."""
    from test_api import _inverter_chain

    net = _inverter_chain()
    one = client.simulate(net)
    two = client.simulate(net, threads=2)
    assert one.stats["parallel_loads"] == 0 and two.stats["parallel_loads"] > 100
    assert np.array_equal(one["tran"].x, two["tran"].x)
    assert np.array_equal(one["tran"]["v(n150)"], two["tran"]["v(n150)"])
    with pytest.raises(simcore.LimitError, match="the limit is 2"):
        client.simulate(net, threads=3)
