"""Integration tests of `simcore serve` over gRPC (see docs/server.md).

One shared server (2 workers) runs the circuit suite and the error cases; the
crash, restart and limit tests start their own servers in their own data dirs.
"""
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import grpc
import pytest

from conftest import CIRCUITS, SIMCORE, Server, error_detail, pb

REPORT = []  # (name, value) printed at the end of the run

LONG_NETLIST = """long transient (minutes of steps unless stopped)
V1 in 0 SIN(0 1 1k)
R1 in out 1k
C1 out 0 1u
.tran 1u 1000
.end
"""


def pytest_report(name, value):
    REPORT.append((name, value))


def load_suite():
    sys.path.insert(0, os.path.join(CIRCUITS, "tools"))
    import compare  # noqa: E402
    with open(os.path.join(CIRCUITS, "manifest.json")) as f:
        return compare, json.load(f)["circuits"]


def run_remote(client, netlist, name, options=None):
    """CreateSession + StartSimulation + StreamWaveforms; returns (job, chunks, t_first_chunk)."""
    s = client.CreateSession(pb.CreateSessionRequest(netlist=netlist, name=name))
    t0 = time.monotonic()
    job = client.StartSimulation(pb.StartSimulationRequest(session_id=s.id, options=options))
    chunks, first = [], None
    for c in client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)):
        if first is None:
            first = time.monotonic() - t0
        chunks.append(c)
    return job, chunks, first


def fetch(client, job_id, fmt, dest, analysis=""):
    """GetResult into dest/; returns {file name: bytes}."""
    parts, cur = {}, None
    for c in client.GetResult(pb.GetResultRequest(job_id=job_id, format=fmt, analysis=analysis)):
        if c.file_name:
            cur = c.file_name
            parts[cur] = []
        parts[cur].append(c.data)
    files = {n: b"".join(p) for n, p in parts.items()}
    for n, b in files.items():
        with open(os.path.join(dest, n), "wb") as f:
            f.write(b)
    return files


def worker_pid(job_id, timeout=5):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % p, "rb") as f:
                    args = f.read().split(b"\0")
            except OSError:
                continue
            if b"worker" in args and job_id.encode() in args:
                return int(p)
        time.sleep(0.01)
    raise AssertionError("no worker process for " + job_id)


def wait_rows(client, job_id, rows=1, timeout=10):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        j = client.GetJob(pb.GetJobRequest(job_id=job_id))
        if j.rows >= rows:
            return j
        time.sleep(0.01)
    raise AssertionError("job %s produced no rows" % job_id)


def check_columnar(chunks):
    """Headers once per analysis, x and every signal with `rows` values."""
    headers = {}
    for c in chunks:
        if c.HasField("header"):
            assert c.analysis_index not in headers, "header sent twice"
            headers[c.analysis_index] = c.header
        h = headers[c.analysis_index]
        if c.rows:
            assert len(c.values) == len(h.signals)
            if h.x_name:
                assert len(c.x) == c.rows
            for v in c.values:
                assert len(v.re) == c.rows
                assert len(v.im) == (c.rows if h.complex else 0)
    ends = [c.analysis_index for c in chunks if c.analysis_end]
    assert sorted(ends) == sorted(headers), "every analysis ends once"
    return headers


# ------------------------------------------------------------------ the suite, remotely

def test_every_suite_circuit_matches_reference(server, tmp_path):
    compare, circuits = load_suite()
    results = {}

    def one(c):
        cl = server.stub()
        try:
            with open(os.path.join(CIRCUITS, c["file"])) as f:
                net = f.read()
            job, chunks, _ = run_remote(cl, net, c["name"])
            headers = check_columnar(chunks)
            streamed = sum(ch.rows for ch in chunks)
            j = cl.GetJob(pb.GetJobRequest(job_id=job.id))
            assert j.state == pb.JOB_STATE_SUCCEEDED, j.error
            assert streamed == j.rows
            fetch(cl, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
            return c["name"], len(headers), j
        finally:
            cl.close()

    with concurrent.futures.ThreadPoolExecutor(3) as ex:
        for name, n, j in ex.map(one, circuits):
            results[name] = j
    failed = []
    for c in circuits:
        r = compare.judge_circuit(CIRCUITS, c, str(tmp_path))
        if r["status"] != "pass":
            failed.append((c["name"], r["missing"], [s for s in r["signals"] + r["checks"] if s["status"] != "pass"][:3]))
    assert not failed, failed
    pytest_report("suite circuits passed remotely", "%d/%d" % (len(circuits), len(circuits)))


def read_csv(path):
    """(header, rows as float lists) of a result CSV."""
    with open(path) as f:
        lines = f.read().splitlines()
    return lines[0].split(","), [[float(v) for v in ln.split(",")] for ln in lines[1:]]


def test_raw_json_and_hdf5_results(server, client, tmp_path):
    import h5py
    import numpy as np
    with open(os.path.join(CIRCUITS, "rc_lowpass_step.cir")) as f:
        netlist = f.read()
    job, _, _ = run_remote(client, netlist, "rc")
    raw = fetch(client, job.id, pb.RESULT_FORMAT_RAW, str(tmp_path), analysis="tran")
    assert list(raw) == ["rc.tran.raw"] and raw["rc.tran.raw"].startswith(b"Title:")
    js = fetch(client, job.id, pb.RESULT_FORMAT_JSON, str(tmp_path))
    assert set(js) == {"rc.tran.json", "rc.ac.json"}
    assert json.loads(js["rc.ac.json"])["analysis"] == "ac"

    # HDF5 (docs/server.md, io/include/simcore/io/hdf5_sink.hpp) against the CSV of the same job
    h5 = fetch(client, job.id, pb.RESULT_FORMAT_HDF5, str(tmp_path))
    assert set(h5) == {"rc.tran.h5", "rc.ac.h5"}
    fetch(client, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
    job = client.GetJob(pb.GetJobRequest(job_id=job.id))
    reported = {r.name: r for r in job.results if r.format == pb.RESULT_FORMAT_HDF5}
    assert set(reported) == set(h5)
    for name, r in reported.items():
        assert r.size_bytes == len(h5[name]) and not r.partial and r.rows > 0
    sha = __import__("hashlib").sha256(netlist.encode()).hexdigest()

    with h5py.File(tmp_path / "rc.tran.h5", "r") as f:
        cols, rows = read_csv(tmp_path / "rc.tran.csv")
        a = f.attrs
        assert (a["analysis"], a["x"], bool(a["complex"]), bool(a["partial"])) == ("tran", "time", False, False)
        assert a["rows"] == len(rows) == reported["rc.tran.h5"].rows
        assert a["netlist_sha256"] == sha and a["job_id"] == job.id and a["title"]
        assert isinstance(json.loads(a["options"]), dict)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", a["end_time"])
        assert a["start_time"] <= a["end_time"]
        assert list(f) == cols and list(a["columns"]) == cols[1:]
        csv = np.array(rows)
        for k, c in enumerate(cols):
            d = f[c]
            assert d.dtype == np.float64 and d.shape == (len(rows),) and d.maxshape == (None,) and d.chunks
            np.testing.assert_allclose(d[:], csv[:, k], rtol=1e-11, atol=1e-300, err_msg=c)
            kind, unit = {"t": ("time", "s"), "v": ("voltage", "V"), "i": ("current", "A")}[c[0]]
            assert (d.attrs["kind"], d.attrs["unit"]) == (kind, unit) and "name" not in d.attrs

    with h5py.File(tmp_path / "rc.ac.h5", "r") as f:
        cols, rows = read_csv(tmp_path / "rc.ac.csv")  # frequency, vdb(n), vp(n), ...
        csv = np.array(rows)
        assert f.attrs["analysis"] == "ac" and bool(f.attrs["complex"]) and f.attrs["rows"] == len(rows)
        np.testing.assert_allclose(f["frequency"][:], csv[:, 0], rtol=1e-11)
        assert f["frequency"].attrs["unit"] == "Hz"
        names = list(f.attrs["columns"])
        assert len(cols) == 1 + 2 * len(names)
        for k, n in enumerate(names):
            z = f[n][:]
            assert z.dtype == np.complex128  # the {r, i} compound
            db = 20 * np.log10(np.maximum(np.abs(z), 1e-20))
            np.testing.assert_allclose(db, csv[:, 1 + 2 * k], rtol=0, atol=1e-8, err_msg=cols[1 + 2 * k])
            dph = np.angle(z, deg=True) - csv[:, 2 + 2 * k]
            dph = (dph + 180) % 360 - 180  # -180 and 180 are the same phase
            assert np.max(np.abs(dph)) < 1e-8, cols[2 + 2 * k]

    # A stopped job's .h5 holds the rows so far and says partial.
    s = client.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="stopped"))
    job = client.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    wait_rows(client, job.id, 500)
    assert client.StopSimulation(pb.StopSimulationRequest(job_id=job.id)).state == pb.JOB_STATE_CANCELLED
    h5 = fetch(client, job.id, pb.RESULT_FORMAT_HDF5, str(tmp_path))
    assert list(h5) == ["stopped.tran.h5"]
    r = [r for r in client.GetJob(pb.GetJobRequest(job_id=job.id)).results if r.format == pb.RESULT_FORMAT_HDF5][0]
    assert r.partial and r.rows >= 500
    with h5py.File(tmp_path / "stopped.tran.h5", "r") as f:
        assert bool(f.attrs["partial"]) and f.attrs["rows"] == r.rows
        t = f["time"][:]
        assert len(t) == r.rows and np.all(np.diff(t) > 0)
        assert all(f[n].shape == (r.rows,) for n in f.attrs["columns"])


def test_interpolate_streams_and_writes_the_tstep_grid(server, client, tmp_path):
    """options.interpolate: tran rows at 0, tstep, ..., tstop (the engine's dense output), streamed and in the files."""
    with open(os.path.join(CIRCUITS, "rc_lowpass_step.cir")) as f:
        netlist = f.read()  # .tran 5u 6m: 1201 grid rows
    job, chunks, _ = run_remote(client, netlist, "grid", pb.SimulationOptions(interpolate=True))
    headers = check_columnar(chunks)
    tran = [k for k, h in headers.items() if h.x_name == "time"][0]
    xs = [x for c in chunks if c.analysis_index == tran for x in c.x]
    assert len(xs) == 1201
    assert all(abs(x - k * 5e-6) <= 1e-12 * 6e-3 for k, x in enumerate(xs))
    assert client.GetJob(pb.GetJobRequest(job_id=job.id)).state == pb.JOB_STATE_SUCCEEDED
    fetch(client, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path), analysis="tran")
    cols, rows = read_csv(tmp_path / "grid.tran.csv")
    assert len(rows) == 1201 and all(abs(r[0] - x) <= 1e-12 * 6e-3 for r, x in zip(rows, xs))
    # the same run without the grid: every accepted point, more of them, same curve
    job, chunks, _ = run_remote(client, netlist, "points")
    pts = [x for c in chunks if c.analysis_index == tran for x in c.x]
    assert len(pts) != 1201 and abs(pts[-1] - xs[-1]) <= 1e-12 * 6e-3


# ------------------------------------------------------------------ bad requests

def test_bad_requests_get_precise_statuses_and_server_keeps_serving(server, client):
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(netlist="title\nR1 a 0 1k\nQ1 !! garbage ((\n.tran 1u\n.end\n"))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    d = error_detail(e.value)
    assert d is not None and d.line == 3 and d.column >= 1, d
    assert ":3:" in e.value.details()

    big = "big\n" + ("* " + "x" * 98 + "\n") * 50000 + "R1 a 0 1\n.op\n.end\n"  # ~5 MB > 4 MiB limit
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(netlist=big))
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert error_detail(e.value).engine_code == "limit"

    for call, req in [(client.GetJob, pb.GetJobRequest(job_id="j-nope")),
                      (client.StopSimulation, pb.StopSimulationRequest(job_id="j-nope")),
                      (client.GetSession, pb.GetSessionRequest(session_id="s-nope")),
                      (client.StartSimulation, pb.StartSimulationRequest(session_id="s-nope"))]:
        with pytest.raises(grpc.RpcError) as e:
            call(req)
        assert e.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as e:
        list(client.StreamWaveforms(pb.StreamWaveformsRequest(job_id="j-nope")))
    assert e.value.code() == grpc.StatusCode.NOT_FOUND

    # Bad options: an analysis card with an error is located in "<analyses>".
    s = client.CreateSession(pb.CreateSessionRequest(netlist="rc\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n"))
    with pytest.raises(grpc.RpcError) as e:
        client.StartSimulation(pb.StartSimulationRequest(
            session_id=s.id, options=pb.SimulationOptions(analyses=[".tran zzz"])))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_detail(e.value).file == "<analyses>"

    # Still serving.
    job, chunks, _ = run_remote(client, "ok\nV1 a 0 2\nR1 a b 1k\nR2 b 0 1k\n.op\n.end\n", "ok")
    hdr = chunks[0].header
    k = [s.name for s in hdr.signals].index("v(b)")
    assert abs(chunks[0].values[k].re[0] - 1.0) < 1e-9


def test_auth_rejects_missing_forged_and_foreign_tokens(server):
    other = tempfile.mkdtemp()
    try:
        foreign = subprocess.run([SIMCORE, "token", "--data-dir", other, "--user", "admin", "--role", "admin"],
                                 check=True, stdout=subprocess.PIPE).stdout.decode().strip()
    finally:
        shutil.rmtree(other)
    good = server.token
    h, p, sig = good.split(".")
    forged = ".".join([h, p, sig[:-4] + ("AAAA" if not sig.endswith("AAAA") else "BBBB")])
    none_alg = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + p + "."
    for tok in ["", "garbage", forged, foreign, none_alg]:
        c = server.stub(token=tok)
        with pytest.raises(grpc.RpcError) as e:
            c.ListSessions(pb.ListSessionsRequest())
        assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED, tok
        c.close()
    c = server.stub()
    c.ListSessions(pb.ListSessionsRequest())
    c.close()


def test_users_see_only_their_own_sessions_and_jobs(server):
    ann = server.stub(token=server.token_for("ann"))
    bob = server.stub(token=server.token_for("bob"))
    s = ann.CreateSession(pb.CreateSessionRequest(netlist="a\nV1 a 0 1\nR1 a 0 1\n.op\n.end\n", name="anns"))
    job = ann.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    with pytest.raises(grpc.RpcError) as e:
        bob.GetSession(pb.GetSessionRequest(session_id=s.id))
    assert e.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as e:
        bob.GetJob(pb.GetJobRequest(job_id=job.id))
    assert e.value.code() == grpc.StatusCode.NOT_FOUND
    assert all(x.owner == "bob" for x in bob.ListSessions(pb.ListSessionsRequest()).sessions)
    assert [x.id for x in ann.ListSessions(pb.ListSessionsRequest()).sessions] == [s.id]
    admin = server.stub()
    assert s.id in [x.id for x in admin.ListSessions(pb.ListSessionsRequest()).sessions]
    for c in (ann, bob, admin):
        c.close()


def test_uploaded_model_is_included_by_name(server, client):
    client.UploadModel(pb.UploadModelRequest(name="divider.lib",
                                             text=".subckt div top mid\nR1 top mid 1k\nR2 mid 0 3k\n.ends\n"))
    assert "divider.lib" in [m.name for m in client.ListModels(pb.ListModelsRequest()).models]
    job, chunks, _ = run_remote(client, "inc\n.include divider.lib\nV1 a 0 4\nX1 a m div\n.op\n.end\n", "inc")
    names = [s.name for s in chunks[0].header.signals]
    assert abs(chunks[0].values[names.index("v(m)")].re[0] - 3.0) < 1e-9
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(netlist="inc\n.include nothere.lib\n.op\n.end\n"))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_detail(e.value).line == 2


def test_model_library_is_served_read_only(server, client):
    # "models/..." names the server's model library (models/README.md) with no upload;
    # ngspice-39 gives 0.5847395 V for the 1N4148 at 1 mA (tests/models/diodes.cir).
    job, chunks, _ = run_remote(client, "lib\n.include models/diodes.lib\nI1 0 a 1m\nD1 a 0 1N4148\n.op\n.end\n", "lib")
    names = [s.name for s in chunks[0].header.signals]
    assert abs(chunks[0].values[names.index("v(a)")].re[0] - 0.5847395) < 1e-3
    for bad in ("models/../VERSION", "models/nothere.lib", "/etc/hostname"):
        with pytest.raises(grpc.RpcError) as e:
            client.CreateSession(pb.CreateSessionRequest(netlist="lib\n.include %s\n.op\n.end\n" % bad))
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert error_detail(e.value).line == 2


# ------------------------------------------------------------------ job control

def test_stop_ends_a_long_job(server, client):
    s = client.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="long"))
    job = client.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    wait_rows(client, job.id, 1000)
    t0 = time.monotonic()
    j = client.StopSimulation(pb.StopSimulationRequest(job_id=job.id))
    dt = time.monotonic() - t0
    # the call returns once the job has stopped (its time is reported, not tested: a loaded
    # machine took 200 ms once, where it takes a few ms alone)
    assert j.state == pb.JOB_STATE_CANCELLED
    pytest_report("StopSimulation round trip (running job)", "%.1f ms" % (dt * 1e3))
    with pytest.raises(grpc.RpcError) as e:
        n = 0
        for c in client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)):
            n += c.rows
    assert e.value.code() == grpc.StatusCode.CANCELLED
    # The rows computed before the stop are kept (partial result files).
    j = client.GetJob(pb.GetJobRequest(job_id=job.id))
    assert any(r.partial and r.rows > 0 for r in j.results)
    # Stopping again is harmless.
    assert client.StopSimulation(pb.StopSimulationRequest(job_id=job.id)).state == pb.JOB_STATE_CANCELLED


def test_sigkill_of_a_worker_fails_only_its_job(server, client):
    s = client.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="victim"))
    job = client.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    wait_rows(client, job.id, 100)
    os.kill(worker_pid(job.id), signal.SIGKILL)
    with pytest.raises(grpc.RpcError) as e:
        list(client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))
    assert e.value.code() == grpc.StatusCode.ABORTED
    j = client.GetJob(pb.GetJobRequest(job_id=job.id))
    assert j.state == pb.JOB_STATE_FAILED
    assert "SIGKILL" in j.error.message and j.error.engine_code == "crashed"
    job2, _, _ = run_remote(client, "ok\nV1 a 0 1\nR1 a 0 1\n.op\n.end\n", "after")
    assert client.GetJob(pb.GetJobRequest(job_id=job2.id)).state == pb.JOB_STATE_SUCCEEDED


def test_twenty_concurrent_clients_stream_the_buck_converter(server):
    with open(os.path.join(CIRCUITS, "buck_converter.cir")) as f:
        net = f.read()
    errors, rows = [], []

    def one(i):
        c = server.stub()
        try:
            job, chunks, _ = run_remote(c, net, "buck%d" % i)
            rows.append(sum(ch.rows for ch in chunks))
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))
        finally:
            c.close()

    t0 = time.monotonic()
    ts = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    dt = time.monotonic() - t0
    assert errors == []
    assert len(set(rows)) == 1 and rows[0] > 0
    pytest_report("20 concurrent buck converter jobs (2 workers)", "%.2f s, 0 errors" % dt)


def test_overhead_and_throughput(server, client):
    # Per-job overhead: StartSimulation -> first chunk for a tiny circuit.
    firsts = []
    for _ in range(5):
        _, _, first = run_remote(client, "tiny\nV1 a 0 1\nR1 a 0 1\n.op\n.end\n", "tiny")
        firsts.append(first)
    firsts.sort()
    pytest_report("StartSimulation -> first chunk, tiny circuit (median of 5)", "%.1f ms" % (firsts[2] * 1e3))
    # Throughput: samples (rows x signals) per second received by the client.
    with open(os.path.join(CIRCUITS, "rc_ladder_1k.cir")) as f:
        net = f.read()
    t0 = time.monotonic()
    job, chunks, _ = run_remote(client, net, "ladder")
    dt = time.monotonic() - t0
    samples = sum(c.rows * len(c.values) for c in chunks)
    pytest_report("streaming throughput, rc_ladder_1k (end to end incl. simulation)",
                  "%.3g samples/s (%d samples in %.2f s)" % (samples / dt, samples, dt))
    # Replay of the finished job (no simulation): the streaming path alone.
    t0 = time.monotonic()
    n = sum(c.rows * len(c.values) for c in client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))
    dt = time.monotonic() - t0
    assert n == samples
    pytest_report("streaming throughput, replay of a finished job", "%.3g samples/s" % (n / dt))


# ------------------------------------------------------------------ own servers

def test_limits_quota_and_wall_time():
    d = tempfile.mkdtemp(prefix="simcore-serve-limits-")
    srv = Server(d, ["--workers", "1", "--max-jobs-per-user", "1", "--max-wall-seconds", "1"]).start()
    try:
        c = srv.stub()
        s = c.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="long"))
        job = c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        with pytest.raises(grpc.RpcError) as e:
            c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert error_detail(e.value).engine_code == "quota"
        with pytest.raises(grpc.RpcError) as e:
            list(c.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))
        assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "wall time" in error_detail(e.value).message
        # The quota is free again.
        c.StopSimulation(pb.StopSimulationRequest(job_id=c.StartSimulation(
            pb.StartSimulationRequest(session_id=s.id)).id))
        c.close()
    finally:
        srv.stop()
        shutil.rmtree(d, ignore_errors=True)


def test_restart_keeps_results_and_marks_running_jobs_interrupted(tmp_path):
    d = tempfile.mkdtemp(prefix="simcore-serve-restart-")
    srv = Server(d).start()
    try:
        c = srv.stub()
        with open(os.path.join(CIRCUITS, "rc_lowpass_step.cir")) as f:
            done, _, _ = run_remote(c, f.read(), "rc")
        before = fetch(c, done.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
        s = c.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="long"))
        running = c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        wait_rows(c, running.id, 100)
        wpid = worker_pid(running.id)
        c.close()
        srv.proc.kill()  # a crash, not a clean shutdown
        srv.proc.wait()
        srv.stop()
        t0 = time.monotonic()
        while os.path.exists("/proc/%d" % wpid) and time.monotonic() - t0 < 5:
            time.sleep(0.01)  # PR_SET_PDEATHSIG takes the worker down with the server
        assert not os.path.exists("/proc/%d" % wpid) or "Z" in open("/proc/%d/stat" % wpid).read().split()[2]

        old_token = srv.token
        srv2 = Server(d).start()
        c = srv2.stub(token=old_token)  # the secret persisted: old tokens stay valid
        assert c.GetJob(pb.GetJobRequest(job_id=done.id)).state == pb.JOB_STATE_SUCCEEDED
        after = fetch(c, done.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
        assert after == before
        chunks = list(c.StreamWaveforms(pb.StreamWaveformsRequest(job_id=done.id)))
        assert sum(ch.rows for ch in chunks) > 0
        j = c.GetJob(pb.GetJobRequest(job_id=running.id))
        assert j.state == pb.JOB_STATE_INTERRUPTED and j.error.engine_code == "interrupted"
        ids = [x.id for x in c.ListJobs(pb.ListJobsRequest()).jobs]
        assert done.id in ids and running.id in ids
        with pytest.raises(grpc.RpcError) as e:
            list(c.StreamWaveforms(pb.StreamWaveformsRequest(job_id=running.id)))
        assert e.value.code() == grpc.StatusCode.ABORTED
        c.close()
        srv2.stop()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_insecure_no_auth_only_on_loopback(tmp_path):
    p = subprocess.run([SIMCORE, "serve", "--data-dir", str(tmp_path), "--bind", "0.0.0.0", "--insecure-no-auth"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
    assert p.returncode == 2 and b"loopback" in p.stderr
    srv = Server(str(tmp_path), ["--insecure-no-auth"]).start()
    try:
        assert srv.token is None
        c = srv.stub(token="")
        c.ListSessions(pb.ListSessionsRequest())
        c.close()
    finally:
        srv.stop()


def test_control_script_output_and_files_reach_the_job_stats(server, client):
    """A .control script's text, failed commands and files are in the finished job's stats; files
    over the per-file cap keep their first 256 KiB and say so."""
    # (m on the op plot, which has no scale: one row; on the transient's plot wrdata would
    # repeat it along the 20 000 times, as ngspice does)
    net = ("script\nV1 in 0 DC 1\nR1 in out 1k\nC1 out 0 1u\n.control\nop\nprint v(out)\n"
           "let m = vecmax(v(out))\nwrdata rc.txt m\ntran 1u 20m 0 1u\nset filetype=ascii\nwrite rc.raw\n"
           "print nosuch\n.endc\n.end\n")
    job, _, _ = run_remote(client, net, "script")
    j = client.GetJob(pb.GetJobRequest(job_id=job.id))
    assert j.state == pb.JOB_STATE_SUCCEEDED
    assert j.stats.script_output.startswith("v(out) = 1.000000e+00\n")
    assert len(j.stats.script_errors) == 1 and "no such vector 'nosuch'" in j.stats.script_errors[0]
    files = {f.name: f for f in j.stats.script_files}
    assert list(files) == ["rc.txt", "rc.raw"]
    txt = files["rc.txt"]
    assert not txt.truncated and txt.size_bytes == len(txt.data)
    assert abs(float(txt.data.split(b"\n")[0].split()[1]) - 1.0) < 1e-9
    raw = files["rc.raw"]  # 20 000 points of 3 vectors in ASCII: over the cap
    assert raw.truncated and raw.size_bytes > len(raw.data) == 256 * 1024
    assert raw.data.startswith(b"Title: script\n")

def test_floating_node_warning_reaches_the_job_stats(server, client):
    """A node with no DC path to ground runs, tied to ground through gmin: the simulation's
    warning ("LINE:COL: text", once) is in the job's stats, not in the session's (parse) warnings."""
    net = "floating\nV1 a 0 1\nR1 a 0 1k\nC1 a b 1n\nR2 b c 1k\n.op\n.end\n"
    job, _, _ = run_remote(client, net, "floating")
    j = client.GetJob(pb.GetJobRequest(job_id=job.id))
    assert j.state == pb.JOB_STATE_SUCCEEDED
    assert len(j.stats.warnings) == 1
    assert j.stats.warnings[0].startswith("4:1: nodes 'b', 'c' have no DC path to ground")
    s = client.CreateSession(pb.CreateSessionRequest(netlist=net, name="floating2"))
    assert not any("DC path" in w for w in s.warnings)


def test_warning_raised_during_the_run_reaches_the_job_stats(server, client):
    """A transient that runs on with a junction a source forces forward: the warning the
    run raised ("LINE:COL: text", at the source's card, once) is in the job's final stats."""
    net = "forced\nV1 a 0 PWL(0 0 1n 0 2n 15)\nD1 a 0 DX\n.model DX D(IS=1e-14)\n.tran 0.01n 3n\n.end\n"
    job, _, _ = run_remote(client, net, "forced")
    j = client.GetJob(pb.GetJobRequest(job_id=job.id))
    assert j.state == pb.JOB_STATE_SUCCEEDED
    assert len(j.stats.warnings) == 1, list(j.stats.warnings)
    assert j.stats.warnings[0].startswith("2:1: the branch current of 'v1' reached ")
    assert "the currents are not physical" in j.stats.warnings[0]


def test_noise_and_tf_stream_and_files(server, client, tmp_path):
    # .noise and .tf (issue 12): their analysis types on the stream and in the result files
    # (the .tf runs first whatever the card order: ngspice's order by kind, TF before NOISE)
    net = "nt\nV1 in 0 DC 1 AC 1\nR1 in out 1k\nR2 out 0 1k\n.noise v(out) V1 dec 2 1k 10k\n.tf v(out) V1\n.end\n"
    job, chunks, _ = run_remote(client, net, "nt")
    headers = [(c.analysis_index, c.header.type) for c in chunks if c.HasField("header")]
    assert headers == [(0, pb.ANALYSIS_TYPE_TF), (1, pb.ANALYSIS_TYPE_NOISE), (3, pb.ANALYSIS_TYPE_NOISE_TOTAL)]
    tf = [c for c in chunks if c.analysis_index == 0 and c.rows]
    names = [s.name for s in [c for c in chunks if c.analysis_index == 0 and c.HasField("header")][0].header.signals]
    assert names == ["transfer_function", "v1#input_impedance", "output_impedance_at_v(out)"]
    assert [v.re[0] for v in tf[0].values] == pytest.approx([0.5, 2000, 500])
    files = fetch(client, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
    assert set(files) == {"nt.noise.csv", "nt.noise_total.csv", "nt.tf.csv"}
    assert files["nt.noise.csv"].startswith(b"frequency,onoise_spectrum,inoise_spectrum\n")


def test_pz_stream_and_files(server, client, tmp_path):
    # .pz: ANALYSIS_TYPE_PZ, one complex row without x (poles then zeros), real/imag columns in the CSV
    net = "pz\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nC1 out 0 1n\n.pz in 0 out 0 vol pz\n.end\n"
    job, chunks, _ = run_remote(client, net, "pz")
    headers = [c.header for c in chunks if c.HasField("header")]
    assert [h.type for h in headers] == [pb.ANALYSIS_TYPE_PZ]
    assert headers[0].complex and headers[0].x_name == ""
    assert [s.name for s in headers[0].signals] == ["pole(1)"]
    rows = [c for c in chunks if c.rows]
    assert rows[0].values[0].re[0] == pytest.approx(-1e6) and rows[0].values[0].im[0] == 0
    files = fetch(client, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
    assert files["pz.pz.csv"].startswith(b"real(pole(1)),imag(pole(1))\n")


def test_sens_stream_and_files(server, client, tmp_path):
    # .sens: ANALYSIS_TYPE_SENS; DC one real row without x (ngspice's names, sorted), AC complex
    # over frequency with real/imag columns in the CSV
    # (one kind's cards run last first, as in ngspice: the DC one first)
    net = ("sens\nV1 in 0 DC 10 AC 1\nR1 in out 1k\nR2 out 0 2k\n.sens v(out) ac dec 1 100 1k\n"
           ".sens v(out)\n.end\n")
    job, chunks, _ = run_remote(client, net, "sens")
    headers = [c.header for c in chunks if c.HasField("header")]
    assert [h.type for h in headers] == [pb.ANALYSIS_TYPE_SENS, pb.ANALYSIS_TYPE_SENS]
    assert not headers[0].complex and headers[0].x_name == ""
    names = [s.name for s in headers[0].signals]
    assert names == sorted(names) and "r1" in names and "v1" in names
    assert headers[1].complex and headers[1].x_name == "frequency"
    rows = [c for c in chunks if c.rows]
    assert rows[0].values[names.index("v1")].re[0] == pytest.approx(2 / 3)
    files = fetch(client, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
    assert files["sens.sens.csv"].startswith(b"r1,")
    assert files["sens.sens2.csv"].startswith(b"frequency,real(r1),imag(r1)")


def test_sp_stream_and_files(server, client, tmp_path):
    # .sp: ANALYSIS_TYPE_SP, complex over frequency (node values, then s_i_j, y_i_j, z_i_j);
    # real/imag columns in the CSV
    net = "sp\nV1 a 0 portnum 1\nR1 a b 30\nV2 b 0 portnum 2\n.sp lin 3 1k 3k\n.end\n"
    job, chunks, _ = run_remote(client, net, "sp")
    headers = [c.header for c in chunks if c.HasField("header")]
    assert [h.type for h in headers] == [pb.ANALYSIS_TYPE_SP]
    assert headers[0].complex and headers[0].x_name == "frequency"
    names = [s.name for s in headers[0].signals]
    assert names[-12:] == ["s_1_1", "s_1_2", "s_2_1", "s_2_2", "y_1_1", "y_1_2", "y_2_1", "y_2_2",
                           "z_1_1", "z_1_2", "z_2_1", "z_2_2"]
    rows = [c for c in chunks if c.rows]
    assert rows[0].values[names.index("s_2_1")].re[0] == pytest.approx(100 / 130)
    files = fetch(client, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
    assert b"real(s_1_1),imag(s_1_1)" in files["sp.sp.csv"].split(b"\n")[0]


def inverter_chain(stages=300):
    """600 MOSFETs: one group above the engine's threshold for threaded loads (512 level-1 evaluations)."""
    net = ("inverter chain\n"
           ".model NM NMOS(LEVEL=1 VTO=0.7 KP=110u LAMBDA=0.04 GAMMA=0.45 PHI=0.7 CGSO=0.3n CGDO=0.3n CBD=5f)\n"
           ".model PM PMOS(LEVEL=1 VTO=-0.8 KP=40u LAMBDA=0.05 GAMMA=0.5 PHI=0.7 CGSO=0.3n CGDO=0.3n CBD=5f)\n"
           ".subckt inv in out vdd\nMN out in 0 0 NM W=2u L=1u\nMP out in vdd vdd PM W=5u L=1u\nCL out 0 10f\n.ends\n"
           "VDD vdd 0 3.3\nVIN n0 0 PULSE(0 3.3 0.1n 0.1n 0.1n 2n 4n)\n")
    net += "".join("X%d n%d n%d vdd inv\n" % (k, k - 1, k) for k in range(1, stages + 1))
    return net + ".save v(n1) v(n75) v(n150)\n.tran 20p 3n\n.end\n"


def test_threads_option_gives_bit_identical_waveforms_within_the_limit(server, client):
    """options.threads: the worker lends that many threads to the engine (RunStats.parallel_loads counts the
    split loads); the waveforms are bit-identical to one thread; above the user's max_threads: RESOURCE_EXHAUSTED."""
    net = inverter_chain()
    runs = {}
    for n in (0, 2):
        job, chunks, _ = run_remote(client, net, "chain%d" % n, pb.SimulationOptions(threads=n))
        done = client.GetJob(pb.GetJobRequest(job_id=job.id))
        assert done.state == pb.JOB_STATE_SUCCEEDED, done.error
        runs[n] = ([(list(c.x), [list(v.re) + list(v.im) for v in c.values]) for c in chunks if c.x], done.stats)
    assert runs[0][1].parallel_loads == 0
    assert runs[2][1].parallel_loads > 100, runs[2][1]
    assert sum(len(x) for x, _ in runs[0][0]) > 100
    assert runs[0][0] == runs[2][0], "threads=2 changed the waveforms"
    s = client.CreateSession(pb.CreateSessionRequest(netlist=net, name="toomany"))
    with pytest.raises(grpc.RpcError) as e:
        client.StartSimulation(pb.StartSimulationRequest(session_id=s.id, options=pb.SimulationOptions(threads=3)))
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    d = error_detail(e.value)
    assert d.engine_code == "limit" and "3 threads; the limit is 2" in d.message, d.message
