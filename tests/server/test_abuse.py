"""Abuse of `simcore serve`: what test_server.py does not already send.

test_server.py covers a syntax error (line/column), a 5 MB netlist (over --max-netlist-bytes,
under gRPC's receive limit), unknown ids for GetJob/StopSimulation/GetSession/StartSimulation/
StreamWaveforms, and missing/forged/foreign/alg:none tokens. Here: a 50 MB netlist (over gRPC's
own receive limit), binary garbage as a netlist, bytes that are not UTF-8, GetResult of an
unknown job, clients that hang up in the middle of a stream; the last test checks that the same
server still runs a normal job afterwards. Tests run in file order on the shared server.
"""
import os
import random
import re
import time

import grpc
import pytest

from conftest import error_detail, pb

FIFTY_MB = 50 * 1000 * 1000
OK_NETLIST = "ok\nV1 a 0 2\nR1 a b 1k\nR2 b 0 1k\n.op\n.end\n"
LONG_NETLIST = "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 1000\n.end\n"


def big_netlist(size):
    line = "* " + "x" * 98 + "\n"
    return "big\n" + line * (size // len(line) + 1) + "R1 a 0 1\n.op\n.end\n"


def test_fifty_megabyte_netlist_is_resource_exhausted(client):
    big = big_netlist(FIFTY_MB)
    assert len(big) >= FIFTY_MB
    # Larger than gRPC's receive limit (the server sets it to 4 x (--max-netlist-bytes + 1 MiB)):
    # gRPC refuses the message before the service sees it, so the status has no ErrorDetail, only
    # gRPC's own message with both sizes.
    for call, req in [(client.CreateSession, pb.CreateSessionRequest(netlist=big, name="big")),
                      (client.UploadModel, pb.UploadModelRequest(name="big.lib", text=big))]:
        t0 = time.monotonic()
        with pytest.raises(grpc.RpcError) as e:
            call(req)
        assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, e.value
        m = re.search(r"larger than max \((\d+) vs\. (\d+)\)", e.value.details() or "")
        assert m and int(m.group(1)) >= len(big) > int(m.group(2)), e.value.details()  # message size vs limit
        assert time.monotonic() - t0 < 60
    # Just over --max-netlist-bytes (4 MiB), well under gRPC's limit: the service's own answer.
    with pytest.raises(grpc.RpcError) as e:
        client.UploadModel(pb.UploadModelRequest(name="big.lib", text=big_netlist(4 * 1024 * 1024 + 1000)))
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert error_detail(e.value).engine_code == "limit"
    assert "big.lib" not in [m.name for m in client.ListModels(pb.ListModelsRequest()).models]
    client.CreateSession(pb.CreateSessionRequest(netlist=OK_NETLIST))  # the channel and server still work


@pytest.mark.parametrize("seed", range(6))
def test_binary_garbage_is_invalid_argument_with_line_and_column(client, seed):
    rnd = random.Random(seed)
    # Control characters, NUL and punctuation, many lines (the first line is the title and is
    # never parsed). The netlist field is a protobuf string: ASCII bytes go through unchanged.
    blob = bytes(rnd.randrange(128) for _ in range(rnd.choice([4096, 65536])))
    netlist = "garbage title\n" + blob.decode("ascii")
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(netlist=netlist))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT, (e.value.code(), e.value.details())
    d = error_detail(e.value)
    assert d is not None and d.engine_code in ("parse", "semantic") and d.message
    assert d.line >= 2 and d.column >= 1, d  # line 1 is the title
    assert ":%d:%d:" % (d.line, d.column) in e.value.details()


def test_non_ascii_garbage_gets_a_readable_error(client):
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(netlist="title\n\u00e91 a 0 1k\n.op\n.end\n"))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    d = error_detail(e.value)  # the message quotes the whole character: valid UTF-8
    assert (d.line, d.column) == (2, 1) and "\u00e9" in d.message


def test_bytes_that_are_not_utf8_are_invalid_argument(server):
    # Hand-made CreateSessionRequest{netlist (field 1)} / UploadModelRequest{name, text (field 2)}
    # holding invalid UTF-8 (Python's protobuf refuses to build one): INVALID_ARGUMENT naming the
    # field and the place, not gRPC's INTERNAL without a message.
    raw = b"title\n\xff\xfe\x80 R1 a 0 1k\n.op\n.end\n"
    c = server.stub()
    try:
        call = c.channel.unary_unary("/simcore.v1.Simulator/CreateSession", request_serializer=lambda b: b,
                                     response_deserializer=pb.Session.FromString)
        with pytest.raises(grpc.RpcError) as e:
            call(b"\x0a" + bytes([len(raw)]) + raw, metadata=c.md, timeout=30)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT, (e.value.code(), e.value.details())
        assert "netlist field is not UTF-8" in e.value.details() and "0xff at line 2, column 1" in e.value.details()
        d = error_detail(e.value)
        assert (d.file, d.line, d.column, d.engine_code) == ("<netlist>", 2, 1, "parse")
        up = c.channel.unary_unary("/simcore.v1.Simulator/UploadModel", request_serializer=lambda b: b,
                                   response_deserializer=pb.Model.FromString)
        text = b"* models\n.model d1 D(is=1e-14) \xe9t\xe9\n"
        with pytest.raises(grpc.RpcError) as e:
            up(b"\x0a\x06m1.lib" + b"\x12" + bytes([len(text)]) + text, metadata=c.md, timeout=30)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "text field is not UTF-8" in e.value.details()
        # Without a token it is still UNAUTHENTICATED first.
        with pytest.raises(grpc.RpcError) as e:
            call(b"\x0a" + bytes([len(raw)]) + raw, timeout=30)
        assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
        # Not a message at all.
        with pytest.raises(grpc.RpcError) as e:
            call(b"\x0a\x7f", metadata=c.md, timeout=30)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "CreateSessionRequest" in e.value.details()
        # Valid requests still work through the raw path.
        s = c.CreateSession(pb.CreateSessionRequest(netlist="t\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n", name="ok"))
        assert s.device_count == 2
    finally:
        c.close()


def test_get_result_of_an_unknown_job_is_not_found(client):
    for fmt in (pb.RESULT_FORMAT_CSV, pb.RESULT_FORMAT_JSON):
        with pytest.raises(grpc.RpcError) as e:
            list(client.GetResult(pb.GetResultRequest(job_id="j-nope", format=fmt)))
        assert e.value.code() == grpc.StatusCode.NOT_FOUND
        assert "j-nope" in e.value.details()
    with pytest.raises(grpc.RpcError) as e:
        list(client.GetResult(pb.GetResultRequest(job_id="", format=pb.RESULT_FORMAT_CSV)))
    assert e.value.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT)


def test_a_huge_job_id_is_not_echoed_back(client):
    huge = "j-" + "x" * 1_000_000
    for call, req in [(client.GetJob, pb.GetJobRequest(job_id=huge)),
                      (client.StopSimulation, pb.StopSimulationRequest(job_id=huge))]:
        with pytest.raises(grpc.RpcError) as e:
            call(req)
        assert e.value.code() == grpc.StatusCode.NOT_FOUND
        assert len(e.value.details()) < 200, len(e.value.details())
        assert "1000002 bytes" in e.value.details()


def test_the_database_is_private_to_the_server_user(server):
    mode = os.stat(os.path.join(server.data_dir, "simcore.db")).st_mode & 0o777
    assert mode == 0o600, oct(mode)


@pytest.mark.parametrize("netlist", ["only a title\n.op\n.end\n", "R1 a 0 1k\n.op\n.end\n"])
def test_a_netlist_without_devices_runs_on_ground_alone_with_a_warning(client, netlist):
    """As ngspice (its regression test empty-1.cir): the analyses run, and the session says
    why there is nothing to see (the title line is never a device)."""
    s = client.CreateSession(pb.CreateSessionRequest(netlist=netlist))
    assert s.device_count == 0
    assert any("no devices" in w and w.startswith("1:") for w in s.warnings), s.warnings
    job = client.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    list(client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))
    j = client.GetJob(pb.GetJobRequest(job_id=job.id))
    assert j.state == pb.JOB_STATE_SUCCEEDED, j


def test_a_nul_byte_is_refused_at_its_line_and_column(client):
    with pytest.raises(grpc.RpcError) as e:
        client.CreateSession(pb.CreateSessionRequest(netlist="t\nR1 a 0 1k\nC1 a\x00 0 1u\n.op\n.end\n",
                                                     name="nul"))
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    d = error_detail(e.value)
    assert (d.line, d.column) == (3, 5) and "NUL byte" in e.value.details(), (d, e.value.details())


def test_clients_hanging_up_mid_stream(server, client):
    """Ten streams of a running job dropped after their first chunk; the job keeps running and
    a new stream still replays it from the start."""
    s = client.CreateSession(pb.CreateSessionRequest(netlist=LONG_NETLIST, name="hangup"))
    job = client.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    try:
        for _ in range(10):
            c = server.stub()
            call = c.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id))
            first = next(call)
            assert first.HasField("header")
            call.cancel()
            c.close()  # the connection goes away with the call in flight
        j = client.GetJob(pb.GetJobRequest(job_id=job.id))
        assert j.state == pb.JOB_STATE_RUNNING
        again = client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id))
        assert next(again).HasField("header")
        again.cancel()
    finally:
        assert client.StopSimulation(pb.StopSimulationRequest(job_id=job.id)).state == pb.JOB_STATE_CANCELLED


def test_after_the_abuse_a_normal_job_succeeds(server):
    c = server.stub()
    bad = server.stub(token="abuse")
    try:
        with pytest.raises(grpc.RpcError) as e:
            bad.ListJobs(pb.ListJobsRequest())
        assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
        s = c.CreateSession(pb.CreateSessionRequest(netlist=OK_NETLIST, name="after"))
        job = c.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
        chunks = list(c.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))
        names = [sig.name for sig in chunks[0].header.signals]
        assert abs(chunks[0].values[names.index("v(b)")].re[0] - 1.0) < 1e-9
        assert c.GetJob(pb.GetJobRequest(job_id=job.id)).state == pb.JOB_STATE_SUCCEEDED
        assert server.proc.poll() is None
    finally:
        c.close()
        bad.close()
