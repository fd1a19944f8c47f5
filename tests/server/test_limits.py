"""Per-user limits: DATA/limits.conf (or --limits-file) overrides the command
line's limits by role and by user, and is re-read when it changes."""
import os
import shutil
import subprocess
import tempfile
import time

import grpc
import pytest

from conftest import SIMCORE, Server, error_detail, pb

# Runs until stopped (minutes of steps).
LONG = "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 1000\n.end\n"
# Five nodes: more unknowns than the 'tiny' user may have.
LADDER = "ladder\nV1 a 0 1\nR1 a b 1\nR2 b c 1\nR3 c d 1\nR4 d e 1\nR5 e 0 1\n.op\n.end\n"

LIMITS = """\
# test limits
[role user]
max_jobs = 1
[user big]
max_jobs = 3
[user tiny]
max_netlist_bytes = 120
max_unknowns = 3
"""


@pytest.fixture()
def limited():
    d = tempfile.mkdtemp(prefix="simcore-serve-userlimits-")
    with open(os.path.join(d, "limits.conf"), "w") as f:
        f.write(LIMITS)
    srv = Server(d, ["--workers", "4", "--max-jobs-per-user", "5"]).start()
    yield srv
    srv.stop()
    shutil.rmtree(d, ignore_errors=True)


def start_long(c):
    s = c.CreateSession(pb.CreateSessionRequest(netlist=LONG, name="long"))
    return c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))


def quota_refused(c):
    with pytest.raises(grpc.RpcError) as e:
        start_long(c)
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    d = error_detail(e.value)
    assert d.engine_code == "quota"
    return d.message


def stop_all(c, jobs):
    for j in jobs:
        c.StopSimulation(pb.StopSimulationRequest(job_id=j.id))


def test_role_and_user_sections_set_the_job_quota(limited):
    ann = limited.stub(limited.token_for("ann"))
    big = limited.stub(limited.token_for("big"))
    admin = limited.stub()  # the ready line's admin token: no [role admin] section -> command line (5)
    jobs = [start_long(ann)]
    assert "(the limit is 1)" in quota_refused(ann)
    bigs = [start_long(big) for _ in range(3)]
    assert "(the limit is 3)" in quota_refused(big)
    admins = [start_long(admin) for _ in range(2)]  # more than the [role user] limit
    stop_all(ann, jobs)
    stop_all(big, bigs)
    stop_all(admin, admins)
    # Stopped jobs free the quota.
    stop_all(ann, [start_long(ann)])


def test_user_section_limits_netlist_size_and_unknowns(limited):
    tiny = limited.stub(limited.token_for("tiny"))
    with pytest.raises(grpc.RpcError) as e:
        tiny.CreateSession(pb.CreateSessionRequest(netlist=LONG + "* padding to pass 120 bytes\n" * 3))
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "the limit is 120" in error_detail(e.value).message
    s = tiny.CreateSession(pb.CreateSessionRequest(netlist=LADDER, name="ladder"))
    job = tiny.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    with pytest.raises(grpc.RpcError) as e:
        list(tiny.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "unknowns" in error_detail(e.value).message
    # Another user runs the same netlist: the command line's limits apply to them.
    other = limited.stub(limited.token_for("ann"))
    s = other.CreateSession(pb.CreateSessionRequest(netlist=LADDER, name="ladder"))
    job = other.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    assert len(list(other.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))) > 0


def test_an_edited_file_applies_without_a_restart_and_a_bad_edit_keeps_the_old(limited):
    path = os.path.join(limited.data_dir, "limits.conf")
    ann = limited.stub(limited.token_for("ann"))
    jobs = [start_long(ann)]
    quota_refused(ann)

    def rewrite(text, bump):
        with open(path, "w") as f:
            f.write(text)
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))

    rewrite(LIMITS.replace("[user big]", "[user ann]\nmax_jobs = 2\n[user big]"), 5)
    deadline = time.monotonic() + 5  # the server looks at the file at most once a second
    while True:
        try:
            jobs.append(start_long(ann))
            break
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert time.monotonic() < deadline, "the edited limits file was not picked up"
            time.sleep(0.2)
    assert "(the limit is 2)" in quota_refused(ann)

    rewrite("[user ann]\nmax_jobs = lots\n", 10)
    time.sleep(1.2)
    assert "(the limit is 2)" in quota_refused(ann)  # still in force
    with open(os.path.join(limited.data_dir, "server.log"), "rb") as f:
        log = f.read().decode()
    assert "limits.reload_failed" in log and "expected a number for 'max_jobs'" in log
    stop_all(ann, jobs)


def test_a_bad_limits_file_is_refused_at_start_with_its_line(tmp_path):
    bad = tmp_path / "limits.conf"
    bad.write_text("[role user]\nmax_jobs = 1\nmax_wall = 5\n")
    r = subprocess.run([SIMCORE, "serve", "--data-dir", str(tmp_path), "--grpc-port", "0", "--http-port", "0",
                        "--limits-file", str(bad)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    assert r.returncode == 1
    err = r.stderr.decode()
    assert "limits.conf:3: unknown key 'max_wall'" in err, err
    r = subprocess.run([SIMCORE, "serve", "--data-dir", str(tmp_path), "--grpc-port", "0", "--http-port", "0",
                        "--limits-file", str(tmp_path / "missing.conf")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    assert r.returncode == 1 and "does not exist" in r.stderr.decode()
