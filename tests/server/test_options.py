"""`simcore serve`'s options from the environment and a TOML config file, and
the limits file in TOML and in the deprecated INI form (docs/server.md)."""
import json
import os
import re
import signal
import subprocess
import urllib.request

import grpc
import pytest

from conftest import SIMCORE, free_port, pb, Server, error_detail

LONG = "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 1000\n.end\n"


def start(args, env=None, data_dir=None):
    """Starts simcore serve with exactly these arguments; returns (proc, ready line)."""
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.Popen([SIMCORE, "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
    line = p.stdout.readline().decode()
    return p, line


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    err = p.stderr.read().decode()
    p.stdout.close()
    p.stderr.close()
    return err


def healthz(http_port):
    with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % http_port, timeout=10) as r:
        return json.loads(r.read())


def test_ports_and_data_dir_from_the_environment(tmp_path):
    g, h = free_port(), free_port()
    p, line = start(["--bind", "127.0.0.1"], env={"SIMCORE_GRPC_PORT": str(g), "SIMCORE_HTTP_PORT": str(h),
                                                   "SIMCORE_DATA_DIR": str(tmp_path / "envdata"),
                                                   "SIMCORE_WORKERS": "3"})
    try:
        assert "ready:" in line, line
        assert "http://127.0.0.1:%d/" % h in line and "grpc://127.0.0.1:%d/" % g in line, line
        assert (tmp_path / "envdata" / "simcore.db").exists()
        assert healthz(h)["workers"] == 3
    finally:
        stop(p)


def test_config_file_and_the_command_line_wins(tmp_path):
    g, h, h2 = free_port(), free_port(), free_port()
    cfg = tmp_path / "serve.toml"
    cfg.write_text('# simcore serve options\nbind = "127.0.0.1"\ndata-dir = "%s"\ngrpc_port = %d\n'
                   'http-port = %d\nworkers = 5\nmax-jobs-per-user = 1\n' % (tmp_path / "cfgdata", g, h))
    # The environment loses against the file.
    p, line = start(["--config", str(cfg), "--http-port", str(h2)], env={"SIMCORE_GRPC_PORT": str(free_port())})
    try:
        assert "ready:" in line, line
        assert "grpc://127.0.0.1:%d/" % g in line, line
        assert "http://127.0.0.1:%d/" % h2 in line, line  # the command line over the file
        hz = healthz(h2)
        assert hz["workers"] == 5 and hz["auth"] == "jwt"
        # max-jobs-per-user from the file is every user's quota.
        tok = re.search(r"token=(\S+)", line).group(1)
        ch = grpc.insecure_channel("127.0.0.1:%d" % g)
        md = [("authorization", "Bearer " + tok)]
        stub = __import__("simcore.v1.simulator_pb2_grpc", fromlist=["x"]).SimulatorStub(ch)
        s = stub.CreateSession(pb.CreateSessionRequest(netlist=LONG, name="long"), metadata=md, timeout=60)
        job = stub.StartSimulation(pb.StartSimulationRequest(session_id=s.id), metadata=md, timeout=60)
        with pytest.raises(grpc.RpcError) as e:
            stub.StartSimulation(pb.StartSimulationRequest(session_id=s.id), metadata=md, timeout=60)
        assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "(the limit is 1)" in error_detail(e.value).message
        stub.StopSimulation(pb.StopSimulationRequest(job_id=job.id), metadata=md, timeout=60)
        ch.close()
    finally:
        stop(p)


def test_a_missing_config_file_is_a_usage_error(tmp_path):
    r = subprocess.run([SIMCORE, "serve", "--config", str(tmp_path / "nope.toml")], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30)
    assert r.returncode == 2 and b"nope.toml" in r.stderr, r.stderr


def test_toml_limits_file_applies_by_role_and_user(tmp_path):
    (tmp_path / "limits.toml").write_text("[role.user]\nmax_jobs = 1\n[user.big]\nmax_jobs = 2\n")
    srv = Server(str(tmp_path)).start()
    try:
        for user, limit in [("ann", 1), ("big", 2)]:
            c = srv.stub(srv.token_for(user))
            s = c.CreateSession(pb.CreateSessionRequest(netlist=LONG, name="long"))
            jobs = [c.StartSimulation(pb.StartSimulationRequest(session_id=s.id)) for _ in range(limit)]
            with pytest.raises(grpc.RpcError) as e:
                c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
            assert "(the limit is %d)" % limit in error_detail(e.value).message
            for j in jobs:
                c.StopSimulation(pb.StopSimulationRequest(job_id=j.id))
            c.close()
    finally:
        srv.stop()
    with open(os.path.join(str(tmp_path), "server.log"), "rb") as f:
        assert b"deprecated" not in f.read()


def test_old_ini_limits_file_is_read_with_a_deprecation_warning(tmp_path):
    (tmp_path / "limits.conf").write_text("# old form\n[role user]\nmax_jobs = 1\n[user big]\nmax_jobs = 2\n")
    srv = Server(str(tmp_path)).start()
    try:
        c = srv.stub(srv.token_for("ann"))
        s = c.CreateSession(pb.CreateSessionRequest(netlist=LONG, name="long"))
        j = c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        with pytest.raises(grpc.RpcError) as e:
            c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        assert "(the limit is 1)" in error_detail(e.value).message
        c.StopSimulation(pb.StopSimulationRequest(job_id=j.id))
        c.close()
    finally:
        srv.stop()
    with open(os.path.join(str(tmp_path), "server.log"), "rb") as f:
        log = f.read().decode()
    assert "limits.conf is in the old INI form of the limits file, which is deprecated" in log, log
    # The warning gives the same limits as TOML, and that TOML reads back to the same limits.
    assert "[role.user]\nmax_jobs = 1\n[user.big]\nmax_jobs = 2\n" in log, log
    assert "limits.deprecated_ini" in log


def test_log_lines_are_json_even_for_odd_paths(tmp_path):
    """The JSON-lines log (nlohmann-json) escapes quotes and backslashes and replaces bytes that are
    not UTF-8, so every line parses."""
    data = os.path.join(os.fsencode(str(tmp_path)), b'we"ird\\dir\xff')
    p = subprocess.Popen([os.fsencode(SIMCORE), b"serve", b"--data-dir", data, b"--grpc-port", b"0",
                          b"--http-port", b"0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = p.stdout.readline().decode()
    err = stop(p) if "ready:" in line else p.communicate()[1].decode(errors="replace")
    assert "ready:" in line, err
    events = {}
    for raw in err.splitlines():
        if raw.startswith("{"):
            rec = json.loads(raw)  # raises on a line that is not JSON
            events[rec["event"]] = rec
    assert events["server.ready"]["data_dir"].endswith('we"ird\\dir\ufffd'), events["server.ready"]
    assert "server.stopped" in events


def test_a_signal_straight_after_ready_stops_the_server(tmp_path):
    """SIGTERM right after the ready line (before the HTTP listener's thread runs) stops the
    server: httplib's stop() does nothing until its listener runs, so the server waits for it."""
    for k in range(20):
        p = subprocess.Popen([SIMCORE, "serve", "--data-dir", str(tmp_path / str(k)), "--grpc-port", "0",
                              "--http-port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = p.stdout.readline().decode()
        assert "ready:" in line, p.communicate()[1].decode(errors="replace")
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise AssertionError("run %d: the server did not stop within 20 s of SIGTERM" % k)
        err = p.stderr.read().decode()
        p.stdout.close()
        p.stderr.close()
        assert '"server.stopped"' in err, err
