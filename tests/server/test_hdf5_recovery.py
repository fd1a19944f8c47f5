"""Result files of jobs whose worker could not close them: killed at the
wall-time limit, or gone with a crashed server. HDF5 marks a file left open by
a dead writer as unreadable, and the worker writes its files behind the
stream, so the server writes them all again from the job's waveform log: the
HDF5 file must open and say partial, and every format holds exactly the rows
that were streamed."""
import os
import shutil
import tempfile
import time

import grpc
import numpy as np
import pytest

from conftest import CIRCUITS, Server, pb
from test_server import LONG_NETLIST, fetch, wait_rows, worker_pid

h5py = pytest.importorskip("h5py")


def streamed(client, job_id):
    """(time, v(out)) of every row the job streamed; the stream ends with the job's error."""
    t, v, names = [], [], None
    try:
        for c in client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job_id)):
            if c.HasField("header"):
                names = [s.name for s in c.header.signals]
            t.extend(c.x)
            v.extend(c.values[names.index("v(out)")].re)
    except grpc.RpcError:
        pass
    return np.array(t), np.array(v)


def check_csv(path, t, v):
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    with open(path) as f:
        head = f.readline().strip().split(",")
    assert data.shape[0] == len(t)
    np.testing.assert_allclose(data[:, 0], t, rtol=1e-11)
    np.testing.assert_allclose(data[:, head.index("v(out)")], v, rtol=1e-11, atol=1e-15)


def check_h5(path, t, v):
    with h5py.File(path, "r") as f:
        assert bool(f.attrs["partial"]) is True
        assert f.attrs["analysis"] == "tran"
        assert int(f.attrs["rows"]) == len(t) == f["time"].shape[0]
        assert len(f.attrs["netlist_sha256"]) == 64
        np.testing.assert_array_equal(f["time"][:], t)
        np.testing.assert_array_equal(f["v(out)"][:], v)


def test_a_job_killed_at_its_wall_limit_keeps_a_readable_partial_hdf5(tmp_path):
    d = tempfile.mkdtemp(prefix="simcore-serve-h5kill-")
    srv = Server(d, ["--max-wall-seconds", "1"]).start()
    try:
        c = srv.stub()
        s = c.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="long"))
        job = c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        t, v = streamed(c, job.id)
        j = c.GetJob(pb.GetJobRequest(job_id=job.id))
        assert j.state == pb.JOB_STATE_FAILED and "wall time" in j.error.message
        assert len(t) > 0 and len(t) == j.rows
        h5 = [r for r in j.results if r.format == pb.RESULT_FORMAT_HDF5]
        assert [r.name for r in h5] == ["long.tran.h5"] and h5[0].partial
        fetch(c, job.id, pb.RESULT_FORMAT_HDF5, str(tmp_path))
        check_h5(tmp_path / "long.tran.h5", t, v)
        fetch(c, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
        check_csv(tmp_path / "long.tran.csv", t, v)
        c.close()
    finally:
        srv.stop()
        shutil.rmtree(d, ignore_errors=True)


def test_after_a_server_crash_the_interrupted_job_has_a_readable_partial_hdf5(tmp_path):
    d = tempfile.mkdtemp(prefix="simcore-serve-h5crash-")
    srv = Server(d).start()
    try:
        c = srv.stub()
        s = c.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="long"))
        job = c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        wait_rows(c, job.id, 200)
        wpid = worker_pid(job.id)
        c.close()
        srv.proc.kill()  # a crash: the worker follows (PR_SET_PDEATHSIG) without closing its files
        srv.proc.wait()
        srv.stop()
        t0 = time.monotonic()
        while os.path.exists("/proc/%d" % wpid) and time.monotonic() - t0 < 5:
            time.sleep(0.01)
        token = srv.token
        srv = Server(d).start()
        c = srv.stub(token=token)
        j = c.GetJob(pb.GetJobRequest(job_id=job.id))
        assert j.state == pb.JOB_STATE_INTERRUPTED
        t, v = streamed(c, job.id)  # the replay of what was streamed before the crash
        assert len(t) >= 200
        fetch(c, job.id, pb.RESULT_FORMAT_HDF5, str(tmp_path))
        check_h5(tmp_path / "long.tran.h5", t, v)
        fetch(c, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
        check_csv(tmp_path / "long.tran.csv", t, v)
        c.close()
    finally:
        srv.stop()
        shutil.rmtree(d, ignore_errors=True)


def test_stopping_a_wide_job_returns_at_once_and_its_files_are_consistent(server, client, tmp_path):
    """2 552 signals: the worker cannot close its files within the stop's grace
    period, so it is killed and the files are rewritten after StopSimulation
    has returned; GetResult waits for them."""
    path = os.path.join(CIRCUITS, "power_grid_50x50.cir")
    if not os.path.exists(path):
        pytest.skip("no power_grid_50x50 in the circuit suite")
    with open(path) as f:
        net = f.read().replace(".tran 20p 6n", ".tran 20p 60n")
    assert ".tran 20p 60n" in net
    s = client.CreateSession(pb.CreateSessionRequest(netlist=net, name="grid"))
    job = client.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    wait_rows(client, job.id, 200, timeout=60)
    stopped = client.StopSimulation(pb.StopSimulationRequest(job_id=job.id))
    assert stopped.state == pb.JOB_STATE_CANCELLED
    t, v = [], []
    names = None
    try:
        for c in client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)):
            if c.HasField("header"):
                names = [x.name for x in c.header.signals]
            t.extend(c.x)
            v.extend(c.values[names.index("v(n_25_25)")].re)
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.CANCELLED
    t, v = np.array(t), np.array(v)
    assert len(t) >= 200
    fetch(client, job.id, pb.RESULT_FORMAT_HDF5, str(tmp_path))
    with h5py.File(tmp_path / "grid.tran.h5", "r") as f:
        assert bool(f.attrs["partial"]) is True
        assert f["time"].shape[0] == len(t) and len(f.attrs["columns"]) == len(names)
        np.testing.assert_array_equal(f["v(n_25_25)"][:], v)
    fetch(client, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
    with open(tmp_path / "grid.tran.csv") as f:
        assert sum(1 for _ in f) == len(t) + 1
