"""Fixtures for the `simcore serve` integration tests.

Environment: SIMCORE (the simcore executable, default build/bin/simcore),
SIMCORE_PY_GEN (where the Python stubs are generated, default build/py-gen),
SIMCORE_CIRCUITS (the circuit suite, default ../shared/circuits).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIMCORE = os.path.abspath(os.environ.get("SIMCORE", os.path.join(ROOT, "build", "bin", "simcore")))
GEN = os.path.abspath(os.environ.get("SIMCORE_PY_GEN", os.path.join(ROOT, "build", "py-gen")))
CIRCUITS = os.path.abspath(os.environ.get("SIMCORE_CIRCUITS", os.path.join(ROOT, "..", "shared", "circuits")))


def generate_stubs():
    """Python stubs from proto/ with grpcio-tools, into GEN (never committed)."""
    from grpc_tools import protoc
    import grpc_tools
    os.makedirs(GEN, exist_ok=True)
    inc = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    protos = ["simcore/v1/simulator.proto", "google/rpc/status.proto"]
    rc = protoc.main(["protoc", "-I" + os.path.join(ROOT, "proto"), "-I" + inc,
                      "--python_out=" + GEN, "--grpc_python_out=" + GEN] + protos)
    assert rc == 0, "protoc failed"
    if GEN not in sys.path:
        sys.path.insert(0, GEN)
    # The venv may also hold the `simcore` Python package (py/); the stubs are
    # imported as simcore.v1 from GEN regardless, without importing that package.
    import types
    pkg = types.ModuleType("simcore")
    pkg.__path__ = [os.path.join(GEN, "simcore")]
    sys.modules["simcore"] = pkg


generate_stubs()
import grpc  # noqa: E402
from simcore.v1 import simulator_pb2 as pb  # noqa: E402,F401
from simcore.v1 import simulator_pb2_grpc as pbg  # noqa: E402
from google.rpc import status_pb2  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Server:
    """A `simcore serve` process on a loopback port with its own data dir."""

    def __init__(self, data_dir, extra=()):
        self.data_dir = data_dir
        self.extra = list(extra)
        self.proc = None
        self.port = None
        self.http_port = None
        self.token = None

    def start(self, timeout=20):
        self.port = free_port()
        cmd = [SIMCORE, "serve", "--data-dir", self.data_dir, "--bind", "127.0.0.1",
               "--grpc-port", str(self.port)] + self.extra
        if "--http-port" not in self.extra:
            cmd += ["--http-port", "0"]  # any free port (read back from the ready line)
        self.log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log)
        t0 = time.monotonic()
        line = self.proc.stdout.readline().decode()
        assert "ready:" in line, "no ready line from simcore serve: %r" % line
        # simcore serve: ready: http://HOST:PORT/?token=T grpc://HOST:PORT/?token=T
        self.ready_line = line.strip()
        m = re.search(r"token=(\S+)", line)
        self.token = m.group(1) if m else None
        m = re.search(r"http://[^\s/]+:(\d+)/", line)
        self.http_port = int(m.group(1)) if m else None
        self.startup_s = time.monotonic() - t0
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stdout.close()
        self.log.close()

    def token_for(self, user, role="user"):
        out = subprocess.run([SIMCORE, "token", "--data-dir", self.data_dir, "--user", user, "--role", role],
                             check=True, stdout=subprocess.PIPE).stdout.decode().strip()
        return out

    def channel(self):
        return grpc.insecure_channel("127.0.0.1:%d" % self.port,
                                     options=[("grpc.max_receive_message_length", 64 << 20)])

    def stub(self, token=None):
        return Client(self.channel(), token if token is not None else self.token)


class Client:
    """Stub wrapper that adds the bearer token to every call."""

    def __init__(self, channel, token):
        self.channel = channel
        self.stub = pbg.SimulatorStub(channel)
        self.md = [("authorization", "Bearer " + token)] if token else []

    def __getattr__(self, name):
        fn = getattr(self.stub, name)

        def call(req, **kw):
            kw.setdefault("metadata", self.md)
            kw.setdefault("timeout", 120)
            return fn(req, **kw)
        return call

    def close(self):
        self.channel.close()


def error_detail(err):
    """The simcore.v1.ErrorDetail of a grpc.RpcError (None when absent)."""
    for k, v in (err.trailing_metadata() or ()):
        if k == "grpc-status-details-bin":
            st = status_pb2.Status.FromString(v)
            for any_ in st.details:
                d = pb.ErrorDetail()
                if any_.Unpack(d):
                    return d
    return None


@pytest.fixture(scope="session")
def server():
    d = tempfile.mkdtemp(prefix="simcore-serve-test-")
    s = Server(d, ["--workers", "2", "--max-jobs-per-user", "64"]).start()
    yield s
    s.stop()
    if not os.environ.get("SIMCORE_KEEP_DATA"):
        shutil.rmtree(d, ignore_errors=True)
    else:
        print("server data kept in", d)


@pytest.fixture()
def client(server):
    c = server.stub()
    yield c
    c.close()


def pytest_terminal_summary(terminalreporter):
    rows = []
    for mod in ("test_server", "test_http", "test_harden"):
        if mod in sys.modules:
            rows += getattr(sys.modules[mod], "REPORT", [])
    if rows:
        terminalreporter.section("simcore serve measurements")
        for name, value in rows:
            terminalreporter.write_line("%-66s %s" % (name, value))
