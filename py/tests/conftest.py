"""Shared fixtures: where the conformance suite lives (../shared/circuits beside the repo,
or SIMCORE_CIRCUITS) and its manifest; a real `simcore serve` on loopback (SIMCORE: the
executable, default build/bin/simcore) for the client and remote-sweep tests."""
from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SIMCORE = os.path.abspath(os.environ.get("SIMCORE", REPO / "build" / "bin" / "simcore"))


@contextlib.contextmanager
def serve(extra=(), limits: str | None = None):
    """A `simcore serve` on 127.0.0.1 (any free ports) with its own data dir; limits: the text of
    DATA/limits.toml. Yields {url, address, token (the ready line's admin token), data}."""
    if not os.path.exists(SIMCORE):
        pytest.skip("no simcore executable at %s (build it first, or set SIMCORE)" % SIMCORE)
    data = tempfile.mkdtemp(prefix="simcore-py-serve-")
    if limits is not None:
        with open(os.path.join(data, "limits.toml"), "w") as f:
            f.write(limits)
    log = open(os.path.join(data, "server.log"), "ab")
    proc = subprocess.Popen([SIMCORE, "serve", "--data-dir", data, "--bind", "127.0.0.1", "--grpc-port", "0",
                             "--http-port", "0", *extra], stdout=subprocess.PIPE, stderr=log)
    try:
        line = proc.stdout.readline().decode()
        assert "ready:" in line, "simcore serve did not start: %r (log: %s)" % (line, data)
        url = re.search(r"(grpc://\S+)", line).group(1)
        yield {"url": url, "address": re.match(r"grpc://([^/?]+)", url).group(1),
               "token": re.search(r"token=(\S+)", url).group(1), "data": data}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


def token_for(server: dict, user: str, role: str = "user") -> str:
    """A token of another user (`simcore token` with the server's data dir)."""
    return subprocess.run([SIMCORE, "token", "--data-dir", server["data"], "--user", user, "--role", role],
                          check=True, stdout=subprocess.PIPE).stdout.decode().strip()


@pytest.fixture(scope="session")
def server():
    with serve(["--workers", "2"]) as s:
        yield s


@pytest.fixture
def client(server):
    import simcore

    with simcore.Client(server["address"], token=server["token"]) as c:
        yield c


def circuits_dir() -> pathlib.Path:
    env = os.environ.get("SIMCORE_CIRCUITS")
    return pathlib.Path(env).resolve() if env else (REPO.parent / "shared" / "circuits").resolve()


def manifest() -> dict:
    path = circuits_dir() / "manifest.json"
    if not path.is_file():
        return {"circuits": []}
    with open(path) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def circuits() -> pathlib.Path:
    d = circuits_dir()
    if not (d / "manifest.json").is_file():
        pytest.fail("conformance suite not found at %s (set SIMCORE_CIRCUITS)" % d)
    return d


RC = """RC low-pass with a parameter
.param r=1k c=1u
V1 in 0 PULSE(0 1 0 1n 1n 1 2)
R1 in out {r}
C1 out 0 {c}
.tran 10u 5m
.end
"""


@pytest.fixture
def rc_netlist() -> str:
    return RC
