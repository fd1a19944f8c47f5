"""Shared fixtures: where the conformance suite lives (../shared/circuits beside the repo,
or SIMCORE_CIRCUITS) and its manifest."""
from __future__ import annotations

import json
import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


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
