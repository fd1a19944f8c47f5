"""Engine errors arrive as SimulationError subclasses with code, file, line, column."""
from __future__ import annotations

import pickle

import pytest

import simcore


def test_parse_error_location():
    with pytest.raises(simcore.ParseError) as ei:
        simcore.simulate("title\nR1 a 0 1k\nV1 a 0 foo(\n.tran 1n 1u\n.end\n")
    e = ei.value
    assert isinstance(e, simcore.NetlistError) and isinstance(e, simcore.SimulationError)
    assert e.code == "parse"
    assert (e.file, e.line, e.column) == ("<netlist>", 3, 11)
    assert e.message and str(e).startswith("<netlist>:3:11: error: ")


def test_error_in_file_names_the_file(tmp_path):
    p = tmp_path / "bad.cir"
    p.write_text("title\nV1 a 0 DC 1\nR1 a 0 1k\nQ1 a a 0 nomodel\n.op\n.end\n")
    with pytest.raises(simcore.NetlistError) as ei:
        simcore.simulate(p)
    e = ei.value
    assert e.file == str(p) and e.line == 4 and e.column >= 1
    assert str(e).startswith("%s:4:" % p)


def test_error_in_included_file(tmp_path):
    (tmp_path / "part.inc").write_text("* part\nR9 x 0 {1/0\n")
    (tmp_path / "top.cir").write_text("title\nV1 x 0 DC 1\n.include part.inc\n.op\n.end\n")
    with pytest.raises(simcore.NetlistError) as ei:
        simcore.simulate(tmp_path / "top.cir")
    assert ei.value.file.endswith("part.inc") and ei.value.line == 2


def test_missing_include_is_reported_at_the_card(tmp_path):
    (tmp_path / "top.cir").write_text("title\nV1 x 0 DC 1\nR1 x 0 1k\n.include nothere.inc\n.op\n.end\n")
    with pytest.raises(simcore.NetlistError) as ei:
        simcore.simulate(tmp_path / "top.cir")
    assert ei.value.line == 4 and "nothere.inc" in str(ei.value)


def test_resolver_exception_becomes_simulation_error():
    def resolver(path, from_file):
        raise RuntimeError("no includes here")

    with pytest.raises(simcore.SimulationError, match="no includes here") as ei:
        simcore.simulate("t\nV1 x 0 1\nR1 x 0 1\n.include a.inc\n.op\n.end\n", resolver=resolver)
    assert ei.value.line == 4


def test_topology_error():
    with pytest.raises(simcore.TopologyError) as ei:
        simcore.simulate("loop\nV1 a 0 DC 1\nV2 a 0 DC 2\nR1 a 0 1k\n.op\n.end\n")
    assert ei.value.code == "topology"


def test_error_pickles():
    e = simcore.ParseError("bad", file="x.cir", line=2, column=5, formatted="x.cir:2:5: error: bad")
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is simcore.ParseError and (e2.file, e2.line, e2.column, str(e2)) == ("x.cir", 2, 5, str(e))


def test_not_a_netlist_type():
    with pytest.raises(TypeError):
        simcore.simulate(42)
