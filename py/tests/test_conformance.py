"""Every circuit of the conformance suite, run through the native binding and judged
with the suite's own tools/compare.py (tolerances exactly as the suite defines them)."""
from __future__ import annotations

import importlib.util
import os
import sys

import pytest

import simcore
from conftest import circuits_dir, manifest

SLOW = {"power_grid_100x100"}
CIRCUITS = manifest()["circuits"]


def _compare_module():
    tools = circuits_dir() / "tools"
    sys.path.insert(0, str(tools))
    spec = importlib.util.spec_from_file_location("simcore_suite_compare", tools / "compare.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _signal_of(column):
    """The Result signal behind a reference column: vdb(x)/vp(x) -> v(x), db(i(x))/ph(i(x)) -> i(x)."""
    col = column.lower()
    for pre, to in (("vdb(", "v("), ("vp(", "v(")):
        if col.startswith(pre):
            return to + col[len(pre):]
    for pre in ("db(", "ph("):
        if col.startswith(pre):
            return col[len(pre):-1]
    return col


def test_suite_present(circuits):
    assert len(CIRCUITS) >= 23


@pytest.mark.parametrize("c", [pytest.param(c, id=c["name"], marks=[pytest.mark.slow] if c["name"] in SLOW else [])
                               for c in CIRCUITS])
def test_circuit_matches_reference(c, circuits, tmp_path):
    compare = _compare_module()
    result = simcore.simulate(circuits / c["file"])
    # Big circuits output every node; write only what the references hold (writing and
    # judging 10k columns in Python takes far longer than the simulation).
    wanted = None
    if sum(len(a) for a in result.values()) > 200:
        wanted = {_signal_of(col) for an in c["analyses"] for col in an["columns"]}
    result.write_csv(tmp_path, c["name"], wanted)
    report = compare.judge_circuit(str(circuits), c, str(tmp_path))
    bad = [i for i in report["signals"] + report["checks"] if i["status"] != "pass"]
    detail = "; ".join("%s %s %s %s ratio=%s" % (i["status"], i["analysis"], i.get("metric", "wave"), i["signal"],
                                                  i.get("ratio")) for i in bad)
    assert report["status"] == "pass", "missing: %s; %s" % (report["missing"], detail)
    # the CSV names follow the CLI's: NAME.<analysis>.csv, one per analysis
    assert sorted(os.listdir(tmp_path)) == sorted("%s.%s.csv" % (c["name"], a) for a in result)
