"""Parquet results (io/include/simcore/io/parquet_layout.hpp): `simcore run --format parquet`
and the server's GetResult(RESULT_FORMAT_PARQUET), read by pyarrow and DuckDB, against the CSV of
the same run; the run's metadata in the file's key-value metadata; a job killed mid-run still
gives a readable partial file (rewritten from the waveform log)."""
import hashlib
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pytest

from conftest import CIRCUITS, SIMCORE, Server, pb
from test_server import LONG_NETLIST, fetch, read_csv, run_remote, wait_rows

pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")


def meta(path):
    return {k.decode(): v.decode() for k, v in pq.read_metadata(path).metadata.items()}


def check_against_csv(parquet_path, csv_path):
    cols, rows = read_csv(csv_path)
    table = pq.read_table(parquet_path)
    assert table.column_names == cols
    csv = np.array(rows)
    for k, c in enumerate(cols):
        assert str(table.schema.field(c).type) == "double"
        np.testing.assert_allclose(table.column(c).to_numpy(), csv[:, k], rtol=1e-11, atol=1e-300, err_msg=c)
    # DuckDB reads the same file (BYTE_STREAM_SPLIT + ZSTD) and gets the same numbers
    con = duckdb.connect()
    n, last = con.execute('SELECT count(*), max("%s") FROM read_parquet(?)' % cols[0], [str(parquet_path)]).fetchone()
    assert n == len(rows) and last == pytest.approx(csv[:, 0].max(), rel=1e-15)
    return table


def test_cli_writes_parquet_that_matches_its_csv(tmp_path):
    ex = os.path.join(CIRCUITS, "rc_lowpass_step.cir")
    for fmt in ("csv", "parquet"):
        r = subprocess.run([SIMCORE, "run", ex, "--out", str(tmp_path), "--format", fmt, "--quiet"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    check_against_csv(tmp_path / "rc_lowpass_step.tran.parquet", tmp_path / "rc_lowpass_step.tran.csv")
    m = meta(tmp_path / "rc_lowpass_step.tran.parquet")
    with open(ex, "rb") as f:
        assert m["simcore.netlist_sha256"] == hashlib.sha256(f.read()).hexdigest()
    assert (m["simcore.analysis"], m["simcore.x"], m["simcore.x_unit"], m["simcore.partial"]) == ("tran", "time", "s", "false")
    assert [s["unit"] for s in json.loads(m["simcore.signals"])] and m["simcore.version"]
    # AC: real and imaginary columns; |v| agrees with the CSV's vdb
    ac = pq.read_table(tmp_path / "rc_lowpass_step.ac.parquet")
    cols, rows = read_csv(tmp_path / "rc_lowpass_step.ac.csv")
    sig = cols[1][4:-1]  # vdb(out) -> out
    z = ac.column("v(%s).re" % sig).to_numpy() + 1j * ac.column("v(%s).im" % sig).to_numpy()
    np.testing.assert_allclose(20 * np.log10(np.abs(z)), np.array(rows)[:, 1], atol=1e-8)


def test_cli_without_the_module_says_how_to_get_it(tmp_path):
    # a copy of the executable alone, without the modules beside it
    exe = tmp_path / "simcore"
    shutil.copy(SIMCORE, exe)
    r = subprocess.run([str(exe), "run", os.path.join(CIRCUITS, "rc_lowpass_step.cir"), "--format", "parquet",
                        "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode == 2
    assert "needs the Parquet module" in r.stderr and "libsimcore_parquet.so" in r.stderr


def test_server_parquet_results_with_run_metadata(server, client, tmp_path):
    with open(os.path.join(CIRCUITS, "rc_lowpass_step.cir")) as f:
        netlist = f.read()
    job, _, _ = run_remote(client, netlist, "rc")
    files = fetch(client, job.id, pb.RESULT_FORMAT_PARQUET, str(tmp_path))
    assert set(files) == {"rc.tran.parquet", "rc.ac.parquet"}
    fetch(client, job.id, pb.RESULT_FORMAT_CSV, str(tmp_path))
    check_against_csv(tmp_path / "rc.tran.parquet", tmp_path / "rc.tran.csv")
    job = client.GetJob(pb.GetJobRequest(job_id=job.id))
    reported = {r.name: r for r in job.results if r.format == pb.RESULT_FORMAT_PARQUET}
    assert set(reported) == set(files)
    for name, r in reported.items():
        assert r.size_bytes == len(files[name]) and not r.partial and r.rows > 0
    m = meta(tmp_path / "rc.tran.parquet")
    assert m["simcore.job_id"] == job.id
    assert m["simcore.netlist_sha256"] == hashlib.sha256(netlist.encode()).hexdigest()
    assert isinstance(json.loads(m["simcore.options"]), dict)
    assert json.loads(m["simcore.parameters"]) == {}
    assert int(m["simcore.rows"]) == reported["rc.tran.parquet"].rows


def test_a_job_killed_at_its_wall_limit_has_a_readable_partial_parquet(tmp_path):
    d = tempfile.mkdtemp(prefix="simcore-serve-pqkill-")
    srv = Server(d, ["--max-wall-seconds", "1"]).start()
    try:
        c = srv.stub()
        s = c.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="long"))
        job = c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        wait_rows(c, job.id, 100)
        for _ in range(200):
            j = c.GetJob(pb.GetJobRequest(job_id=job.id))
            if j.state == pb.JOB_STATE_FAILED:
                break
            __import__("time").sleep(0.05)
        assert j.state == pb.JOB_STATE_FAILED
        files = fetch(c, job.id, pb.RESULT_FORMAT_PARQUET, str(tmp_path))
        assert list(files) == ["long.tran.parquet"]
        m = meta(tmp_path / "long.tran.parquet")
        assert m["simcore.partial"] == "true"
        t = pq.read_table(tmp_path / "long.tran.parquet")
        assert t.num_rows == int(m["simcore.rows"]) == j.rows > 0
        c.close()
    finally:
        srv.stop()
        shutil.rmtree(d, ignore_errors=True)


def test_meas_results_reach_the_job_stats(server, client):
    net = ("meas\nV1 in 0 PULSE(0 1 0 1n 1n 1 2)\nR1 in out 1k\nC1 out 0 1u\n.tran 10u 5m\n"
           ".meas tran vfinal FIND v(out) AT=5m\n.meas tran never WHEN v(out)=2\n.end\n")
    job, _, _ = run_remote(client, net, "meas")
    j = client.GetJob(pb.GetJobRequest(job_id=job.id))
    ms = {m.name: m for m in j.stats.measures}
    assert list(ms) == ["vfinal", "never"]
    assert ms["vfinal"].ok and abs(ms["vfinal"].value - (1 - np.exp(-5))) < 2e-3 and ms["vfinal"].line == 6
    assert not ms["never"].ok and ms["never"].error
