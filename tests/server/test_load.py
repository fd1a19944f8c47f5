"""Load test of `simcore serve`: 50 concurrent clients stream the buck converter.

Its own server with the defaults a deployment gets (--workers 2, --max-jobs-per-user 4) and 50
distinct users (tokens from `simcore token`), so every client holds one job within its quota and
the jobs queue FIFO for the two workers: the numbers measure queuing, not a raised quota.
The measurements are printed at the end of the run (section "simcore serve measurements") and
written to build/server-load.txt (or SIMCORE_LOAD_REPORT); nothing asserts on time.
"""
import os
import shutil
import tempfile
import threading
import time

import pytest

from conftest import CIRCUITS, ROOT, Server, pb

import test_server

CLIENTS = 50
WORKERS = 2
REPORT_FILE = os.environ.get("SIMCORE_LOAD_REPORT", os.path.join(ROOT, "build", "server-load.txt"))


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * (len(s) - 1)))))]


@pytest.fixture(scope="module")
def load_server():
    d = tempfile.mkdtemp(prefix="simcore-serve-load-")
    srv = Server(d, ["--workers", str(WORKERS), "--max-jobs-per-user", "4"]).start()
    try:
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(d, ignore_errors=True)


def test_fifty_concurrent_clients_stream_the_buck_converter(load_server):
    with open(os.path.join(CIRCUITS, "buck_converter.cir")) as f:
        net = f.read()
    tokens = [load_server.token_for("load%02d" % i) for i in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS)
    results = [None] * CLIENTS
    errors = []

    def one(i):
        c = load_server.stub(token=tokens[i])
        try:
            barrier.wait(timeout=60)
            t_start = time.monotonic()
            s = c.CreateSession(pb.CreateSessionRequest(netlist=net, name="buck%02d" % i))
            t_submit = time.monotonic()
            job = c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
            first, rows, samples = None, 0, 0
            for ch in c.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id), timeout=120):
                if first is None:
                    first = time.monotonic() - t_submit
                rows += ch.rows
                samples += ch.rows * len(ch.values)
            t_end = time.monotonic()
            j = c.GetJob(pb.GetJobRequest(job_id=job.id))
            results[i] = {"first": first, "total": t_end - t_start, "rows": rows, "samples": samples,
                          "start": t_start, "end": t_end, "state": j.state,
                          "created": j.created_unix_ms, "started": j.started_unix_ms, "finished": j.finished_unix_ms}
        except Exception as e:  # noqa: BLE001 - counted, reported below
            errors.append("client %d: %r" % (i, e))
        finally:
            c.close()

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 300  # bounded: the test ends even if the server hangs
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "clients still running after 300 s"
    assert errors == []
    assert all(r is not None and r["state"] == pb.JOB_STATE_SUCCEEDED for r in results)
    assert len({r["rows"] for r in results}) == 1 and results[0]["rows"] > 0  # every client got the whole run

    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    samples = sum(r["samples"] for r in results)
    firsts = [r["first"] * 1e3 for r in results]
    queued = [r["started"] - r["created"] for r in results]
    runs = [r["finished"] - r["started"] for r in results]
    # Jobs running at once, from the server's own timestamps (an end before a start at the same ms).
    events = sorted([(r["started"], 1) for r in results] + [(r["finished"], -1) for r in results],
                    key=lambda e: (e[0], e[1]))
    running = peak = 0
    for _, d in events:
        running += d
        peak = max(peak, running)
    lines = [
        ("50 clients x buck_converter (%d workers, 50 users, quota 4 each)" % WORKERS,
         "%.2f s wall, 0 errors, %d jobs succeeded" % (wall, len(results))),
        ("  aggregate samples/s received (rows x signals)", "%.3g (%d samples)" % (samples / wall, samples)),
        ("  StartSimulation -> first chunk per client, p50 / p95 / max",
         "%.0f / %.0f / %.0f ms" % (pct(firsts, 50), pct(firsts, 95), max(firsts))),
        ("  queue wait (server: created -> started), p50 / p95 / max",
         "%.0f / %.0f / %.0f ms" % (pct(queued, 50), pct(queued, 95), max(queued))),
        ("  job run time (server: started -> finished), p50 / max", "%.0f / %.0f ms" % (pct(runs, 50), max(runs))),
        ("  jobs running at once (peak, from the server's timestamps)", "%d" % peak),
    ]
    for name, value in lines:
        test_server.pytest_report(name, value)
        print("%-66s %s" % (name, value))
    try:
        os.makedirs(os.path.dirname(REPORT_FILE), exist_ok=True)
        with open(REPORT_FILE, "w") as f:
            f.write("# tests/server/test_load.py, %s\n" % time.strftime("%Y-%m-%d %H:%M:%S"))
            for name, value in lines:
                f.write("%-66s %s\n" % (name, value))
    except OSError as e:  # a read-only checkout still runs the test
        print("cannot write %s: %s" % (REPORT_FILE, e))
