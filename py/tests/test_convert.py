"""simcore.convert: a netlist to the JSON circuit model and back (docs/interop.md), the model run
in-process and on a server like the netlist it stands for, errors with their place."""
from __future__ import annotations

import json

import numpy as np
import pytest

import simcore


def test_round_trip_keeps_cards_comments_and_results(rc_netlist, tmp_path):
    title, rest = rc_netlist.split("\n", 1)
    text = title + "\n* the source\n" + rest  # a comment after the title line
    model = json.loads(simcore.convert(text))
    assert model["format"] == "simcore.circuit" and model["version"] == 1
    assert model["cards"][0] == {"type": "comment", "text": " the source"}
    assert any(c["type"] == "param" for c in model["cards"])
    back = simcore.convert(model)  # a dict converts too
    assert "* the source" in back and back.rstrip().endswith(".end")
    assert json.loads(simcore.convert(back))["cards"] == model["cards"]
    a = simcore.simulate(text)
    for source in (back, json.dumps(model), model):
        b = simcore.simulate(source)
        assert list(a) == list(b)
        for sig in a["tran"]:
            assert np.array_equal(a["tran"][sig], b["tran"][sig])
    path = tmp_path / "rc.json"
    path.write_text(json.dumps(model))
    assert simcore.convert(path) == back  # a path to a model
    assert simcore.describe(str(path))["unknowns"] == simcore.describe(rc_netlist)["unknowns"]


def test_errors_name_the_line_or_the_json_pointer():
    with pytest.raises(simcore.ParseError) as e:
        simcore.convert("t\nR1 a b {1+\n")
    assert e.value.line == 2
    bad = {"format": "simcore.circuit", "version": 1, "title": "t",
           "cards": [{"type": "element", "name": "R1", "kind": "r", "nodes": ["a b"]}]}
    with pytest.raises(simcore.ParseError) as e:
        simcore.convert(bad)
    assert str(e.value).find("/cards/0/nodes/0: ") >= 0
    with pytest.raises(ValueError):
        simcore.convert("t\nR1 a 0 1\n", to="spice")  # already a netlist
    with pytest.raises(ValueError):
        simcore.convert("t\nR1 a 0 1\n", to="kicad")


def test_the_client_sends_a_model_as_circuit_json(client, rc_netlist):
    model = simcore.convert(rc_netlist)
    local = simcore.simulate(rc_netlist)
    remote = client.simulate(model)
    assert list(remote) == list(local)
    assert np.allclose(remote["tran"]["v(out)"][-1], local["tran"]["v(out)"][-1], rtol=1e-6)
    bad = json.loads(model)
    k = next(i for i, c in enumerate(bad["cards"]) if c["type"] == "element")
    bad["cards"][k]["nodes"] = ["in out", "0"]
    with pytest.raises(simcore.ParseError) as e:
        client.session(json.dumps(bad))
    assert "/cards/%d/nodes/0" % k in str(e.value)
