"""One error-code table: the engine's codes (simcore._native.error_codes), the proto enum
simcore.v1.ErrorCode and the Python exception classes agree; every engine code raises the same
class with the same code natively and through a real `simcore serve`; sweep failure tables are
the same on both backends."""
from __future__ import annotations

import pytest

import simcore
from conftest import serve
from simcore import _errors, _native, sweep

pb = pytest.importorskip("simcore.v1.simulator_pb2")

# Netlists that fail with each engine code a netlist can cause (internal cannot: it is a bug;
# cancelled and limit come from the caller, below).
FAILING = {
    "parse": "t\nR1 a 0 1k\nV1 a 0 foo(\n.tran 1n 1u\n.end\n",
    "semantic": "t\nV1 a 0 DC 1\nR1 a 0 1k\nQ1 a a 0 nomodel\n.op\n.end\n",
    "topology": "loop\nV1 a 0 DC 1\nV2 a 0 DC 2\nR1 a 0 1k\n.op\n.end\n",
    "singular": "self-driven\nE1 a 0 a 0 1\nR1 a 0 1k\n.op\n.end\n",
    # a negative resistance in series with a diode: no operating point exists
    "convergence": "no solution\nV1 a 0 1\nR1 a b -1\nD1 b 0 dm\n.model dm D(IS=1e-14)\n.op\n.end\n",
    "timestep_too_small": ("lte impossible\nV1 a 0 SIN(0 1 1k)\nR1 a b 1k\nC1 b 0 1u\n"
                           ".options trtol=1e-20 reltol=1e-9\n.tran 1u 1m\n.end\n"),
}
LONG = "long\nV1 in 0 SIN(0 1 1meg)\nR1 in out 1k\nC1 out 0 1n\n.tran 10n 10\n.end\n"


def engine_names_from_proto() -> list[str]:
    values = sorted(v for v in pb.ErrorCode.values() if 1 <= v < 100)
    return [pb.ErrorCode.Name(v).removeprefix("ERROR_CODE_").lower() for v in values]


def test_engine_codes_proto_enum_and_classes_are_one_table():
    codes = list(_native.error_codes)
    assert codes == engine_names_from_proto()
    assert "timestep_too_small" in codes and len(codes) == len(set(codes))
    classes = [_errors._BY_CODE[c] for c in codes]
    assert len(set(classes)) == len(codes)
    for code, cls in zip(codes, classes):
        assert cls.code == code and issubclass(cls, simcore.SimulationError)
        assert not issubclass(cls, simcore.RemoteError)
        assert cls.__name__ in simcore.__all__


def test_every_wire_code_decodes_to_the_class_of_the_native_name():
    from simcore.client import _from_detail

    for value in pb.ErrorCode.values():
        if value == pb.ERROR_CODE_UNSPECIFIED:
            continue
        name = pb.ErrorCode.Name(value).removeprefix("ERROR_CODE_").lower()
        native = _errors.from_native(name, "m", "", 0, 0, "m")
        # a current server sends both; an older one only engine_code
        for detail in (pb.ErrorDetail(code=value, engine_code=name, message="m"),
                       pb.ErrorDetail(engine_code=name, message="m")):
            remote = _from_detail(detail)
            assert remote.code == name
            if value < 100:
                assert type(remote) is type(native) and type(remote) is _errors._BY_CODE[name]
            else:  # the server's own codes (quota, crashed, ...)
                assert type(remote) is simcore.RemoteError


@pytest.fixture(scope="module")
def limited_server():
    with serve(["--workers", "2", "--max-time-points", "50"]) as s:
        yield s


@pytest.mark.parametrize("code", sorted(FAILING))
def test_same_exception_natively_and_remotely(code, client):
    with pytest.raises(simcore.SimulationError) as local:
        simcore.simulate(FAILING[code])
    with pytest.raises(simcore.SimulationError) as remote:
        client.simulate(FAILING[code])
    assert type(local.value) is _errors._BY_CODE[code] and local.value.code == code
    assert type(remote.value) is type(local.value) and remote.value.code == code
    assert (remote.value.line, remote.value.column, remote.value.message) == (
        local.value.line, local.value.column, local.value.message)


def test_limit_natively_and_remotely(limited_server):
    with pytest.raises(simcore.SimulationError) as local:
        simcore.simulate(LONG, max_points=50)
    with simcore.Client(limited_server["address"], token=limited_server["token"]) as c:
        with pytest.raises(simcore.SimulationError) as remote:
            c.simulate(LONG)
    assert type(local.value) is simcore.LimitError and local.value.code == "limit"
    assert type(remote.value) is simcore.LimitError and remote.value.code == "limit"


def test_cancelled_natively_and_remotely(client):
    import threading
    import time

    ev = threading.Event()
    ev.set()
    with pytest.raises(simcore.SimulationError) as local:
        simcore.simulate(LONG, cancel=ev)
    job = client.submit(LONG)
    t0 = time.monotonic()
    while client.job(job).state == "queued" and time.monotonic() - t0 < 20:
        time.sleep(0.02)
    client.stop(job)
    with pytest.raises(simcore.SimulationError) as remote:
        for _ in client.stream(job=job):
            pass
    assert type(local.value) is simcore.SimulationCancelled and local.value.code == "cancelled"
    assert type(remote.value) is simcore.SimulationCancelled and remote.value.code == "cancelled"
    assert client.job(job).error.code == "cancelled"


def test_sweep_failure_tables_are_the_same_on_every_backend(client):
    # r=0 is a semantic error at line 4; trtol=1e-20 makes the transient step too small.
    net = ("rc\n.param r=1k tol=7\nV1 in 0 SIN(0 1 1k)\nR1 in out {r}\nC1 out 0 1u\n"
           ".options trtol={tol} reltol=1e-9\n.tran 1u 1m\n.end\n")
    grid = {"r": [1e3, 0.0], "tol": [7.0, 1e-20]}
    local = sweep.grid(net, grid, measure=lambda res: {"n": len(res["tran"].x)})
    remote = sweep.grid(net, grid, measure=lambda res: {"n": len(res["tran"].x)}, backend=client, workers=2)
    table = lambda df: [(f.index, f.params, f.code, f.message, f.line, f.column)  # noqa: E731
                        for f in sweep.failures(df)]
    assert table(remote) == table(local)
    assert sorted({f[2] for f in table(local)}) == ["semantic", "timestep_too_small"]
    assert local["error_code"].tolist() == remote["error_code"].tolist()
