"""CreateSession with the JSON circuit model (CreateSessionRequest.circuit_json, docs/interop.md):
the model runs like the netlist it stands for; a document that breaks the schema is INVALID_ARGUMENT
with the JSON Pointer of the value at fault (the cases of tests/model/cases.json)."""
import json
import os
import subprocess

import grpc
import pytest

from conftest import SIMCORE, error_detail, pb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RC = "rc divider\nV1 in 0 2\nR1 in out 1k ; top\nR2 out 0 {rb}\n.param rb=1k\n.op\n.end\n"


def model_of(netlist):
    r = subprocess.run([SIMCORE, "convert", "-", "--to", "json"], input=netlist, capture_output=True, text=True,
                       check=True)
    return r.stdout


def op_values(client, session):
    job = client.StartSimulation(pb.StartSimulationRequest(session_id=session.id))
    chunks = list(client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))
    names = [s.name for s in chunks[0].header.signals]
    return {n: chunks[0].values[k].re[0] for k, n in enumerate(names)}


def test_a_model_runs_like_its_netlist(client):
    model = model_of(RC)
    assert json.loads(model)["cards"][1]["comment"] == "top"
    a = client.CreateSession(pb.CreateSessionRequest(netlist=RC, name="text"))
    b = client.CreateSession(pb.CreateSessionRequest(circuit_json=model, name="model"))
    assert b.title == "rc divider" and b.device_count == a.device_count == 3
    assert op_values(client, b) == op_values(client, a)
    assert abs(op_values(client, b)["v(out)"] - 1.0) < 1e-12
    # parameters of the session apply to the model's .param too
    c = client.CreateSession(pb.CreateSessionRequest(circuit_json=model, name="p", params={"rb": 3000.0}))
    assert abs(op_values(client, c)["v(out)"] - 1.5) < 1e-12


def test_documents_that_break_the_schema_name_their_place(client):
    cases = json.load(open(os.path.join(ROOT, "tests", "model", "cases.json")))["cases"]
    for case in cases:
        if case["valid"]:
            continue
        with pytest.raises(grpc.RpcError) as e:
            client.CreateSession(pb.CreateSessionRequest(circuit_json=json.dumps(case["doc"])))
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT, case["name"]
        d = error_detail(e.value)
        assert d.engine_code == "parse", case["name"]
        assert d.json_pointer == case["path"], (case["name"], d.message)
        assert d.message.startswith("circuit_json: " + (case["path"] or "/") + ": "), d.message
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(circuit_json="{not json"))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "not JSON" in error_detail(e.value).message


def test_a_valid_model_with_a_netlist_error_reports_the_netlist_line(client):
    bad = json.loads(model_of(RC))
    bad["cards"][2]["model"] = "nosuchmodel"  # R2 out 0 {rb} nosuchmodel
    bad["cards"][2].pop("value")
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(circuit_json=json.dumps(bad)))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_detail(e.value).line > 0
