"""Packaging: one version (the repository's VERSION file), the gRPC client as the `client`
extra, typed (py.typed and the generated stubs of the native module)."""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from importlib.metadata import version

import simcore
from conftest import REPO

PACKAGE = pathlib.Path(simcore.__file__).parent


def test_one_version():
    v = (REPO / "VERSION").read_text().strip()
    assert simcore.__version__ == v == version("simcore")
    # the npm packages are private (never published) but carry the same number
    for pkg in ("web", "wasm"):
        assert json.loads((REPO / pkg / "package.json").read_text())["version"] == v, pkg


def test_typed_package_with_native_stubs():
    assert (PACKAGE / "py.typed").is_file()
    stub = (PACKAGE / "_native.pyi").read_text()
    for name in ("def run(", "class Simulation", "def step(", "error_codes", "engine_version"):
        assert name in stub, name


# Runs in a fresh interpreter where grpc and protobuf cannot be imported.
NO_GRPC = r"""
import importlib.abc, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "grpc" or name.startswith("google.protobuf"):
            raise ImportError("blocked: " + name)
        return None

sys.meta_path.insert(0, Block())
import simcore
r = simcore.simulate("t\nV1 a 0 1\nR1 a 0 2\n.op\n.end\n")
assert r["op"]["v(a)"][0] == 1.0
assert sum(c.rows for c in simcore.stream("t\nV1 a 0 1\nR1 a 0 2\n.op\n.end\n")) == 1
try:
    simcore.simulate("t\nR1 a 0 1k\nV1 a 0 foo(\n.op\n.end\n")
except simcore.ParseError:
    pass
try:
    simcore.Client("localhost:1")
except ImportError as e:
    print(e)
assert "grpc" not in sys.modules
"""


def test_import_and_native_runs_without_grpc(tmp_path):
    out = subprocess.run([sys.executable, "-c", NO_GRPC], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "pip install 'simcore[client]'" in out.stdout
