"""simcore.describe(): the netlist's size (unknowns, expected points, devices) without running it."""
from __future__ import annotations

import pytest

import simcore


def test_describe_counts_unknowns_devices_and_points(rc_netlist):
    d = simcore.describe(rc_netlist)
    r = simcore.simulate(rc_netlist)
    assert d["title"] == r.title
    assert d["unknowns"] == r.stats["unknowns"] == d["nodes"] + d["branches"]
    assert d["branches"] == 1
    assert [a["type"] for a in d["analyses"]] == ["tran"]
    assert d["points"] == d["analyses"][0]["points"] > 1
    assert {k["letter"]: k["count"] for k in d["devices"]} == {"r": 1, "c": 1, "v": 1}
    assert d["devices"][0]["kind"] == "resistor"


def test_describe_params_and_parse_errors():
    net = "t\n.param tend=1m\nV1 a 0 1\nR1 a 0 1k\n.tran 1u {tend}\n.end\n"
    assert simcore.describe(net)["points"] == 1001
    assert simcore.describe(net, params={"tend": 2e-3})["points"] == 2001
    with pytest.raises(simcore.ParseError) as e:
        simcore.describe("t\nR1 a\n.end\n", file_name="bad.cir")
    assert e.value.file == "bad.cir" and e.value.line == 2
