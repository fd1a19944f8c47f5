"""Integration tests of the HTTP/1.1 port of `simcore serve` (docs/server.md):
binary gRPC-Web, Connect unary JSON (and the refusal of the rest), CORS,
/healthz, /metrics and the web app, with the standard library's http.client
against a real server.
"""
import base64
import concurrent.futures
import http.client
import json
import os
import re
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib

import pytest

from conftest import CIRCUITS, SIMCORE, Server, pb, status_pb2

REPORT = []  # (name, value) printed at the end of the run (conftest)

SVC = "/simcore.v1.Simulator/"
RC = open(os.path.join(CIRCUITS, "rc_lowpass_step.cir")).read() if os.path.exists(
    os.path.join(CIRCUITS, "rc_lowpass_step.cir")) else None
SMALL_RC = "rc\nV1 in 0 PULSE(0 1 0 1u 1u 1 2)\nR1 in out 1k\nC1 out 0 1u\n.tran 10u 5m\n.end\n"
LONG_NETLIST = "long\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 1000\n.end\n"
BAD_NETLIST = "title\nR1 a 0 1k\nQ1 !! garbage ((\n.tran 1u\n.end\n"


def report(name, value):
    REPORT.append((name, value))


# ------------------------------------------------------------------ wire helpers

def frame(flags, payload):
    return struct.pack(">BI", flags, len(payload)) + payload


def parse_frames(data):
    """[(flags, payload)] of a gRPC-Web / Connect body; asserts it is whole."""
    out, i = [], 0
    while i < len(data):
        assert len(data) - i >= 5, "truncated frame header"
        flags, n = struct.unpack(">BI", data[i:i + 5])
        assert len(data) - i - 5 >= n, "truncated frame"
        out.append((flags, data[i + 5:i + 5 + n]))
        i += 5 + n
    return out


def b64_loose(s):
    return base64.b64decode(s + "=" * (-len(s) % 4))


def trailer_dict(payload):
    d = {}
    for line in payload.decode().split("\r\n"):
        if line:
            k, v = line.split(":", 1)
            d[k.strip().lower()] = v.strip()
    return d


def percent_decode(s):
    return re.sub(b"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), s.encode()).decode()


class Http:
    """One HTTP/1.1 connection to the server's HTTP port."""

    def __init__(self, server, timeout=120):
        self.conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        self.conn.request(method, path, body=body, headers=headers or {})
        r = self.conn.getresponse()
        return r, r.read()

    def close(self):
        self.conn.close()


def http_call(server, method, path, body=None, headers=None):
    c = Http(server)
    try:
        r, data = c.request(method, path, body, headers)
        return r, data
    finally:
        c.close()


class GrpcWebResult:
    def __init__(self, http_status, headers, messages, trailers):
        self.http_status, self.headers, self.messages, self.trailers = http_status, headers, messages, trailers

    @property
    def code(self):
        return int(self.trailers.get("grpc-status", "-1"))

    @property
    def message(self):
        return percent_decode(self.trailers.get("grpc-message", ""))

    def error_detail(self):
        v = self.trailers.get("grpc-status-details-bin")
        if not v:
            return None
        st = status_pb2.Status.FromString(b64_loose(v))
        d = pb.ErrorDetail()
        assert st.details[0].Unpack(d)
        return d


def grpc_web(server, method, req, resp_type, token="default", headers=None):
    """One binary gRPC-Web call; returns GrpcWebResult with decoded messages."""
    h = {"Content-Type": "application/grpc-web+proto", "X-Grpc-Web": "1", "Accept": "application/grpc-web"}
    tok = server.token if token == "default" else token
    if tok:
        h["Authorization"] = "Bearer " + tok
    h.update(headers or {})
    body = frame(0, req.SerializeToString())
    r, data = http_call(server, "POST", SVC + method, body, h)
    assert r.status == 200, (r.status, data[:200])
    assert r.getheader("Content-Type").startswith("application/grpc-web")
    msgs, trailers = [], None
    for flags, payload in parse_frames(data):
        if flags & 0x80:
            trailers = trailer_dict(payload)
        else:
            assert trailers is None, "message after the trailers"
            msgs.append(resp_type.FromString(payload))
    assert trailers is not None, "no trailer frame"
    return GrpcWebResult(r.status, dict(r.getheaders()), msgs, trailers)


def connect_unary(server, method, body_obj, token="default", headers=None):
    h = {"Content-Type": "application/json", "Connect-Protocol-Version": "1"}
    tok = server.token if token == "default" else token
    if tok:
        h["Authorization"] = "Bearer " + tok
    h.update(headers or {})
    return http_call(server, "POST", SVC + method, json.dumps(body_obj).encode(), h)


def start_job(server, netlist, name="rc", options=None):
    s = grpc_web(server, "CreateSession", pb.CreateSessionRequest(netlist=netlist, name=name), pb.Session)
    assert s.code == 0, s.trailers
    j = grpc_web(server, "StartSimulation", pb.StartSimulationRequest(session_id=s.messages[0].id, options=options),
                 pb.Job)
    assert j.code == 0, j.trailers
    return j.messages[0]


def metrics(server):
    r, data = http_call(server, "GET", "/metrics")
    assert r.status == 200
    assert r.getheader("Content-Type").startswith("text/plain; version=0.0.4")
    return parse_prometheus(data.decode())


def parse_prometheus(text):
    """{(name, frozenset(labels)): value}; asserts every line is valid 0.0.4 exposition."""
    out, types = {}, {}
    line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"'
                         r'(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*)?\})? (\S+)$')
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ", 3)
            assert typ in ("counter", "gauge", "histogram", "summary", "untyped"), line
            types[name] = typ
            continue
        if line.startswith("#"):
            assert line.startswith("# HELP "), line
            continue
        m = line_re.match(line)
        assert m, "not Prometheus text: %r" % line
        labels = frozenset(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"', m.group(3) or ""))
        assert m.group(1) in types, "sample before its TYPE: %r" % line
        out[(m.group(1), labels)] = float(m.group(5))
    return out


def metric(ms, name, **labels):
    return ms.get((name, frozenset(labels.items())), 0.0)


# ------------------------------------------------------------------ gRPC-Web

def test_grpc_web_streams_an_rc_circuit(server, client):
    s = grpc_web(server, "CreateSession", pb.CreateSessionRequest(netlist=SMALL_RC, name="rc"), pb.Session)
    assert s.code == 0 and s.messages[0].id.startswith("s-")
    j = grpc_web(server, "StartSimulation", pb.StartSimulationRequest(
        session_id=s.messages[0].id, options=pb.SimulationOptions(chunk_rows=64)), pb.Job)
    assert j.code == 0
    job = j.messages[0]
    w = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id=job.id), pb.WaveformChunk)
    assert w.code == 0, w.trailers
    assert w.headers.get("Transfer-Encoding") == "chunked"
    chunks = w.messages
    assert chunks[0].HasField("header") and chunks[0].header.x_name == "time"
    names = [sig.name for sig in chunks[0].header.signals]
    assert "v(out)" in names
    assert chunks[-1].analysis_end
    rows = sum(c.rows for c in chunks)
    assert all(len(c.x) == c.rows and all(len(v.re) == c.rows for v in c.values) for c in chunks)
    assert len(chunks) > 1 and max(c.rows for c in chunks) <= 64
    # The same rows as the gRPC port gives for the job, and as the job counted.
    ref = list(client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job.id)))
    assert [c.SerializeToString() for c in ref] == [c.SerializeToString() for c in chunks]
    g = grpc_web(server, "GetJob", pb.GetJobRequest(job_id=job.id), pb.Job)
    assert g.messages[0].state == pb.JOB_STATE_SUCCEEDED and g.messages[0].rows == rows
    # v(out) of an RC step: rises towards 1 V (tau = 1 ms, 5 ms long).
    k = names.index("v(out)")
    last = chunks[-1].values[k].re[-1] if chunks[-1].rows else chunks[-2].values[k].re[-1]
    assert 0.98 < last < 1.0


def test_grpc_web_error_statuses(server):
    bad = grpc_web(server, "CreateSession", pb.CreateSessionRequest(netlist=BAD_NETLIST), pb.Session)
    assert bad.code == 3 and not bad.messages
    d = bad.error_detail()
    assert d.line == 3 and d.column >= 1 and d.file == "<netlist>", d
    assert ":3:" in bad.message

    h, p, sig = server.token.split(".")
    forged = ".".join([h, p, sig[:-4] + ("AAAA" if not sig.endswith("AAAA") else "BBBB")])
    for tok in [None, "garbage", forged]:
        r = grpc_web(server, "ListSessions", pb.ListSessionsRequest(), pb.ListSessionsResponse, token=tok)
        assert r.code == 16, (tok, r.trailers)
        assert r.error_detail().engine_code == "unauthenticated"
    r = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id="j-x"), pb.WaveformChunk, token=None)
    assert r.code == 16

    for method, req, typ in [("GetJob", pb.GetJobRequest(job_id="j-nope"), pb.Job),
                             ("StreamWaveforms", pb.StreamWaveformsRequest(job_id="j-nope"), pb.WaveformChunk),
                             ("GetResult", pb.GetResultRequest(job_id="j-nope"), pb.ResultChunk)]:
        r = grpc_web(server, method, req, typ)
        assert r.code == 5, (method, r.trailers)
        assert "j-nope" in r.message
    # A method the service does not have.
    r = grpc_web(server, "NoSuchMethod", pb.GetJobRequest(), pb.Job)
    assert r.code == 12


def test_grpc_web_stream_is_live_and_disconnect_cancels_it(server):
    job = start_job(server, LONG_NETLIST, "long")
    conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=30)
    conn.request("POST", SVC + "StreamWaveforms", frame(0, pb.StreamWaveformsRequest(job_id=job.id).SerializeToString()),
                 {"Content-Type": "application/grpc-web+proto", "Authorization": "Bearer " + server.token})
    r = conn.getresponse()
    assert r.status == 200
    head = r.read(5)  # the first frame arrives while the job runs (nothing is buffered to the end)
    flags, n = struct.unpack(">BI", head)
    assert flags == 0
    first = pb.WaveformChunk.FromString(r.read(n))
    assert first.HasField("header")
    g = grpc_web(server, "GetJob", pb.GetJobRequest(job_id=job.id), pb.Job)
    assert g.messages[0].state == pb.JOB_STATE_RUNNING
    assert metric(metrics(server), "simcore_active_streams") >= 1
    conn.sock.shutdown(socket.SHUT_RDWR)
    conn.close()
    # The in-process call ends soon after the client went away.
    t0 = time.monotonic()
    while metric(metrics(server), "simcore_active_streams") > 0 and time.monotonic() - t0 < 5:
        time.sleep(0.05)
    assert metric(metrics(server), "simcore_active_streams") == 0
    report("HTTP client disconnect -> stream cancelled", "%.0f ms" % ((time.monotonic() - t0) * 1e3))
    stop = grpc_web(server, "StopSimulation", pb.StopSimulationRequest(job_id=job.id), pb.Job)
    assert stop.code == 0 and stop.messages[0].state == pb.JOB_STATE_CANCELLED


def test_disconnect_cancels_a_stream_that_waits(tmp_path):
    # One worker busy, so the second job waits in the queue and its stream
    # writes nothing: the server must notice the closed socket by itself.
    srv = Server(str(tmp_path), ["--workers", "1", "--web-dir", ""]).start()
    try:
        busy = start_job(srv, LONG_NETLIST, "busy")
        queued = start_job(srv, LONG_NETLIST, "queued")
        conn = http.client.HTTPConnection("127.0.0.1", srv.http_port, timeout=30)
        conn.request("POST", SVC + "StreamWaveforms",
                     frame(0, pb.StreamWaveformsRequest(job_id=queued.id).SerializeToString()),
                     {"Content-Type": "application/grpc-web+proto", "Authorization": "Bearer " + srv.token})
        t0 = time.monotonic()
        while metric(metrics(srv), "simcore_active_streams") < 1 and time.monotonic() - t0 < 5:
            time.sleep(0.02)
        ms = metrics(srv)
        assert metric(ms, "simcore_active_streams") == 1 and metric(ms, "simcore_jobs", state="queued") == 1
        conn.sock.shutdown(socket.SHUT_RDWR)
        conn.close()
        t0 = time.monotonic()
        while metric(metrics(srv), "simcore_active_streams") > 0 and time.monotonic() - t0 < 5:
            time.sleep(0.02)
        assert metric(metrics(srv), "simcore_active_streams") == 0
        report("HTTP client disconnect -> waiting stream cancelled", "%.0f ms" % ((time.monotonic() - t0) * 1e3))
        for j in (queued, busy):
            grpc_web(srv, "StopSimulation", pb.StopSimulationRequest(job_id=j.id), pb.Job)
    finally:
        srv.stop()


def test_grpc_web_deadline_from_grpc_timeout(server):
    job = start_job(server, LONG_NETLIST, "long")
    t0 = time.monotonic()
    r = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id=job.id), pb.WaveformChunk,
                 headers={"grpc-timeout": "300m"})
    assert r.code == 4, r.trailers  # DEADLINE_EXCEEDED
    assert time.monotonic() - t0 < 5
    grpc_web(server, "StopSimulation", pb.StopSimulationRequest(job_id=job.id), pb.Job)


# ------------------------------------------------------------------ Connect

def test_connect_unary_json(server):
    r, body = connect_unary(server, "CreateSession", {"netlist": SMALL_RC.replace("\n", "\n.param x=1\n", 1),
                                                          "name": "cj", "params": {"x": 1.5}})
    assert r.status == 200 and r.getheader("Content-Type") == "application/json", body
    sess = json.loads(body)
    assert sess["id"].startswith("s-") and sess["name"] == "cj" and sess["params"] == {"x": 1.5}
    assert sess["analyses"][0]["type"] == "ANALYSIS_TYPE_TRAN"
    r, body = connect_unary(server, "StartSimulation", {"sessionId": sess["id"], "options": {"chunkRows": 100}})
    assert r.status == 200, body
    job = json.loads(body)
    assert job["state"] in ("JOB_STATE_QUEUED", "JOB_STATE_RUNNING")
    r, body = connect_unary(server, "GetJob", {"jobId": job["id"]})
    assert r.status == 200 and json.loads(body)["id"] == job["id"]
    # Unknown fields in JSON are ignored; an empty body is the empty message.
    r, body = connect_unary(server, "ListSessions", {"futureField": 1})
    assert r.status == 200 and any(s["id"] == sess["id"] for s in json.loads(body)["sessions"])


def test_connect_unary_errors(server):
    r, body = connect_unary(server, "CreateSession", {"netlist": BAD_NETLIST})
    assert r.status == 400 and r.getheader("Content-Type") == "application/json"
    err = json.loads(body)
    assert err["code"] == "invalid_argument" and ":3:" in err["message"]
    det = err["details"][0]
    assert det["type"] == "simcore.v1.ErrorDetail"
    d = pb.ErrorDetail.FromString(b64_loose(det["value"]))
    assert d.line == 3 and det["debug"]["line"] == 3
    for token, status, code in [(None, 401, "unauthenticated"), ("x.y.z", 401, "unauthenticated")]:
        r, body = connect_unary(server, "ListJobs", {}, token=token)
        assert r.status == status and json.loads(body)["code"] == code
    r, body = connect_unary(server, "GetJob", {"jobId": "j-nope"})
    assert r.status == 404 and json.loads(body)["code"] == "not_found"
    r, body = http_call(server, "POST", SVC + "GetJob", b"{not json", {"Content-Type": "application/json",
                                                                       "Authorization": "Bearer " + server.token})
    assert r.status == 400 and json.loads(body)["code"] == "invalid_argument"
    r, body = connect_unary(server, "NoSuchMethod", {})
    assert r.status == 404 and json.loads(body)["code"] == "unimplemented"
    # Streaming methods are served over gRPC-Web only.
    r, _ = connect_unary(server, "StreamWaveforms", {"jobId": "j"})
    assert r.status == 415 and r.getheader("Accept-Post") == "application/grpc-web+proto"


def test_protocols_no_client_uses_are_refused(server):
    """The HTTP port serves what clients use: binary gRPC-Web (the web app) and Connect unary JSON
    (curl). gRPC-Web text, Connect binary unary and Connect streaming are refused with 415 and the
    accepted types."""
    auth = {"Authorization": "Bearer " + server.token}
    msg = pb.GetJobRequest(job_id="j-x").SerializeToString()
    for ct, method, body in [("application/grpc-web-text", "GetJob", base64.b64encode(frame(0, msg))),
                             ("application/grpc-web-text+proto", "GetJob", base64.b64encode(frame(0, msg))),
                             ("application/proto", "GetJob", msg),
                             ("application/connect+json", "StreamWaveforms", frame(0, b'{"jobId":"j"}')),
                             ("application/connect+proto", "StreamWaveforms", frame(0, msg))]:
        r, _ = http_call(server, "POST", SVC + method, body, dict(auth, **{"Content-Type": ct}))
        assert r.status == 415, ct
        assert r.getheader("Accept-Post") == "application/grpc-web+proto, application/json", ct


# ------------------------------------------------------------------ CORS, health, metrics

CORS_HEADERS = {"content-type", "authorization", "x-grpc-web", "x-user-agent", "grpc-timeout",
                "connect-protocol-version", "connect-timeout-ms"}


def test_cors_preflight_and_exposed_headers(server):
    r, _ = http_call(server, "OPTIONS", SVC + "StreamWaveforms", None, {
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,authorization,x-grpc-web"})
    assert r.status in (200, 204)
    assert r.getheader("Access-Control-Allow-Origin") == "*"
    assert "POST" in r.getheader("Access-Control-Allow-Methods")
    allowed = {h.strip().lower() for h in r.getheader("Access-Control-Allow-Headers").split(",")}
    assert CORS_HEADERS <= allowed
    exposed = {h.strip().lower() for h in r.getheader("Access-Control-Expose-Headers").split(",")}
    assert {"grpc-status", "grpc-message", "grpc-status-details-bin"} <= exposed
    res = grpc_web(server, "ListJobs", pb.ListJobsRequest(), pb.ListJobsResponse,
                   headers={"Origin": "http://localhost:5173"})
    assert res.headers.get("Access-Control-Allow-Origin") == "*"


def test_cors_origin_option_restricts(tmp_path):
    srv = Server(str(tmp_path), ["--cors-origin", "https://app.example.org", "--web-dir", ""]).start()
    try:
        pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
        r, _ = http_call(srv, "OPTIONS", SVC + "GetJob", None, dict(pre, Origin="https://app.example.org"))
        assert r.getheader("Access-Control-Allow-Origin") == "https://app.example.org"
        assert "Origin" in (r.getheader("Vary") or "")
        r, _ = http_call(srv, "OPTIONS", SVC + "GetJob", None, dict(pre, Origin="https://evil.example"))
        assert r.getheader("Access-Control-Allow-Origin") is None
        assert r.getheader("Access-Control-Allow-Headers") is None
        # Without a web app, / says how to build one.
        r, body = http_call(srv, "GET", "/")
        assert r.status == 200 and b"make web" in body
    finally:
        srv.stop()


def test_healthz(server):
    r, body = http_call(server, "GET", "/healthz")
    assert r.status == 200 and r.getheader("Content-Type") == "application/json"
    h = json.loads(body)
    assert h["status"] == "ok" and h["version"] and h["workers"] == 2
    assert h["queued"] >= 0 and h["running"] >= 0


def test_metrics_move_after_a_job(server):
    before = metrics(server)
    for name in ["simcore_jobs", "simcore_time_points_streamed_total", "simcore_time_points_per_second",
                 "simcore_active_streams", "simcore_rpc_errors_total", "simcore_http_requests_total",
                 "simcore_worker_processes"]:
        assert any(k[0] == name for k in before), name
    job = start_job(server, SMALL_RC, "m")
    w = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id=job.id), pb.WaveformChunk)
    rows = sum(c.rows for c in w.messages)
    grpc_web(server, "GetJob", pb.GetJobRequest(job_id="j-nope"), pb.Job)
    after = metrics(server)
    assert metric(after, "simcore_time_points_streamed_total") - metric(before, "simcore_time_points_streamed_total") \
        >= rows > 0
    assert metric(after, "simcore_time_points_per_second") > 0
    assert metric(after, "simcore_jobs", state="succeeded") >= metric(before, "simcore_jobs", state="succeeded") + 1
    assert metric(after, "simcore_rpc_errors_total", code="NOT_FOUND") >= \
        metric(before, "simcore_rpc_errors_total", code="NOT_FOUND") + 1
    assert metric(after, "simcore_http_requests_total", route="grpc_web") >= \
        metric(before, "simcore_http_requests_total", route="grpc_web") + 4
    assert metric(after, "simcore_http_requests_total", route="metrics") >= 1


# ------------------------------------------------------------------ the web app

@pytest.fixture(scope="module")
def web_server():
    d = tempfile.mkdtemp(prefix="simcore-http-test-")
    web = os.path.join(d, "web")
    os.makedirs(os.path.join(web, "assets"))
    files = {"index.html": b"<!doctype html><title>simcore</title>", "assets/index-3f9a1c.js": b"console.log(1)",
             "assets/engine-77aa.wasm": b"\0asm\1\0\0\0", "assets/app-1b2c.css": b"body{}",
             "sw.js": b"self.x=1", "manifest.webmanifest": b"{}", "icon.svg": b"<svg/>"}
    for n, b in files.items():
        with open(os.path.join(web, n), "wb") as f:
            f.write(b)
    with open(os.path.join(d, "secret.txt"), "w") as f:
        f.write("secret")
    os.symlink(os.path.join(d, "secret.txt"), os.path.join(web, "escape.txt"))
    os.symlink(d, os.path.join(web, "up"))
    data = os.path.join(d, "data")
    os.makedirs(data)
    s = Server(data, ["--web-dir", web]).start()
    s.files = files
    yield s
    s.stop()
    import shutil
    shutil.rmtree(d, ignore_errors=True)


def test_ready_line_names_the_web_app_and_grpc(web_server):
    line = web_server.ready_line
    assert re.search(r"ready: http://127\.0\.0\.1:%d/\?token=\S+" % web_server.http_port, line), line
    assert "grpc://127.0.0.1:%d/" % web_server.port in line


def test_static_files_types_and_caching(web_server):
    s = web_server
    for path, ctype, body in [("/", "text/html", s.files["index.html"]),
                              ("/index.html", "text/html", s.files["index.html"]),
                              ("/assets/index-3f9a1c.js", "text/javascript", s.files["assets/index-3f9a1c.js"]),
                              ("/assets/engine-77aa.wasm", "application/wasm", s.files["assets/engine-77aa.wasm"]),
                              ("/assets/app-1b2c.css", "text/css", None),
                              ("/manifest.webmanifest", "application/manifest+json", None),
                              ("/icon.svg", "image/svg+xml", None),
                              ("/sw.js", "text/javascript", None)]:
        r, data = http_call(s, "GET", path)
        assert r.status == 200, path
        assert r.getheader("Content-Type").startswith(ctype), (path, r.getheader("Content-Type"))
        if body is not None:
            assert data == body, path
        cc = r.getheader("Cache-Control")
        if path.startswith("/assets/"):
            assert "max-age=31536000" in cc and "immutable" in cc, path
        else:
            assert cc == "no-cache", path
    # The page URL the ready line prints.
    r, data = http_call(s, "GET", "/?token=abc")
    assert r.status == 200 and data == s.files["index.html"]


def test_spa_fallback_and_not_found(web_server):
    s = web_server
    for path in ["/jobs", "/jobs/j-123", "/editor/"]:
        r, data = http_call(s, "GET", path)
        assert r.status == 200 and data == s.files["index.html"], path
        assert r.getheader("Cache-Control") == "no-cache"
    for path in ["/missing.js", "/assets/nope-123.wasm"]:
        r, _ = http_call(s, "GET", path)
        assert r.status == 404, path
    r, _ = http_call(s, "GET", SVC + "GetJob")
    assert r.status == 405


def test_no_file_outside_the_web_dir(web_server):
    s = web_server
    for path in ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt",
                 "/escape.txt", "/up/secret.txt", "/up/data/server.log", "/..%2fsecret.txt"]:
        r, data = http_call(s, "GET", path)
        assert r.status in (400, 404), (path, r.status)
        assert b"secret" not in data, path
    # Raw request line with a traversal (http.client sends the path as given).
    sock = socket.create_connection(("127.0.0.1", s.http_port), timeout=10)
    sock.sendall(b"GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    resp = b""
    while True:
        b = sock.recv(65536)
        if not b:
            break
        resp += b
    sock.close()
    assert resp.split(b" ")[1] in (b"400", b"404"), resp[:100]
    assert b"root:" not in resp


# ------------------------------------------------------------------ robustness

def test_garbage_bodies_do_not_hurt_the_server(server):
    auth = {"Authorization": "Bearer " + server.token}
    gw = dict(auth, **{"Content-Type": "application/grpc-web+proto"})
    msg = pb.GetJobRequest(job_id="j-x").SerializeToString()
    # Truncated frame.
    r, data = http_call(server, "POST", SVC + "GetJob", frame(0, msg)[:-3], gw)
    assert r.status == 200 and trailer_dict(parse_frames(data)[-1][1])["grpc-status"] == "3"
    # Truncated header.
    r, data = http_call(server, "POST", SVC + "GetJob", b"\0\0", gw)
    assert trailer_dict(parse_frames(data)[-1][1])["grpc-status"] == "3"
    # Huge declared length: refused at once.
    r, data = http_call(server, "POST", SVC + "GetJob", struct.pack(">BI", 0, 0xfffffff0) + b"abc", gw)
    assert r.status == 200 and trailer_dict(parse_frames(data)[-1][1])["grpc-status"] == "8"
    # Not a protobuf message; two messages; a compressed flag; no message.
    for body in [frame(0, b"\xff\xff\xff\xff\xff"), frame(0, msg) + frame(0, msg), frame(1, msg), b""]:
        r, data = http_call(server, "POST", SVC + "GetJob", body, gw)
        assert r.status == 200 and trailer_dict(parse_frames(data)[-1][1])["grpc-status"] in ("3", "12"), body
    # Wrong content types.
    for ct in ["text/plain", "application/grpc", "application/x-www-form-urlencoded", "application/grpc-web+json"]:
        r, _ = http_call(server, "POST", SVC + "GetJob", msg, dict(auth, **{"Content-Type": ct}))
        assert r.status == 415, ct
    r, _ = http_call(server, "POST", SVC + "GetJob", msg, auth)  # no content type
    assert r.status == 415
    # A body that stops short of its Content-Length (client gives up).
    sock = socket.create_connection(("127.0.0.1", server.http_port), timeout=10)
    sock.sendall(b"POST " + SVC.encode() + b"GetJob HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc-web\r\n"
                 b"Content-Length: 1000\r\n\r\nabc")
    sock.close()
    # A Content-Length over the limit (httplib answers 413 only after skipping
    # the body, so the client here just goes away).
    sock = socket.create_connection(("127.0.0.1", server.http_port), timeout=10)
    sock.sendall(b"POST " + SVC.encode() + b"GetJob HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc-web\r\n"
                 b"Content-Length: 99999999999\r\n\r\nabc")
    sock.close()
    # Still serving, both ports.
    r, body = http_call(server, "GET", "/healthz")
    assert r.status == 200
    job = start_job(server, SMALL_RC, "after-garbage")
    w = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id=job.id), pb.WaveformChunk)
    assert w.code == 0 and w.messages


def vm_hwm_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def test_compressed_and_chunked_bodies_are_refused_before_reading(server):
    """A small gzip body inflates without bound and a chunked one has no
    Content-Length: both would get past the payload limit, so both are
    refused before the body is read, whoever sends them (no token needed)."""
    hwm0 = vm_hwm_kb(server.proc.pid)
    z = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip container
    zeros = bytes(1 << 20)
    bomb = b"".join(z.compress(zeros) for _ in range(256)) + z.flush()  # 256 MiB of zeros in ~0.3 MB
    assert len(bomb) < 2 << 20
    for enc in ("gzip", "deflate", "br"):
        r, body = http_call(server, "POST", SVC + "ListJobs", bomb,
                            {"Content-Type": "application/grpc-web+proto", "Content-Encoding": enc})
        assert r.status == 415 and enc.encode() in body, (enc, r.status, body)
    # Chunked: refused before the first chunk is read.
    sock = socket.create_connection(("127.0.0.1", server.http_port), timeout=10)
    try:
        sock.sendall(b"POST " + SVC.encode() + b"ListJobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/grpc-web+proto\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(64):
            try:
                sock.sendall(b"100000\r\n" + bytes(1 << 20) + b"\r\n")
            except OSError:
                break  # the server answered and closed
        reply = b""
        while True:
            try:
                part = sock.recv(65536)
            except OSError:
                break
            if not part:
                break
            reply += part
        assert reply.startswith(b"HTTP/1.1 411"), reply[:200]
    finally:
        sock.close()
    assert vm_hwm_kb(server.proc.pid) - hwm0 < 100 * 1024  # nothing near the inflated sizes was held
    r, _ = http_call(server, "GET", "/healthz")
    assert r.status == 200


def test_no_auth_server_answers_only_localhost_and_grants_no_cors(tmp_path):
    """--insecure-no-auth makes every caller an admin: pages on other origins
    get no CORS grant, and a Host header naming another machine (DNS
    rebinding) is refused."""
    srv = Server(str(tmp_path), ["--insecure-no-auth", "--web-dir", ""]).start()
    try:
        pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
               "Origin": "https://evil.example"}
        r, _ = http_call(srv, "OPTIONS", SVC + "CreateSession", None, pre)
        assert r.getheader("Access-Control-Allow-Origin") is None
        body = json.dumps({"netlist": SMALL_RC, "name": "rc"}).encode()
        hdr = {"Content-Type": "application/json", "Origin": "https://evil.example"}
        r, data = http_call(srv, "POST", SVC + "CreateSession", body, dict(hdr, Host="attacker.example:%d" % srv.http_port))
        assert r.status == 403 and b"localhost" in data
        assert r.getheader("Access-Control-Allow-Origin") is None
        for host in ["127.0.0.1:%d" % srv.http_port, "localhost:%d" % srv.http_port, "[::1]:%d" % srv.http_port]:
            r, data = http_call(srv, "POST", SVC + "CreateSession", body,
                                {"Content-Type": "application/json", "Host": host})
            assert r.status == 200, (host, data)
            assert r.getheader("Access-Control-Allow-Origin") is None
        r, data = http_call(srv, "GET", "/healthz")
        assert json.loads(data)["auth"] == "none"
    finally:
        srv.stop()


def test_http_port_in_use_is_a_clear_error(tmp_path):
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen(1)
    port = blocker.getsockname()[1]
    try:
        p = subprocess.run([SIMCORE, "serve", "--data-dir", str(tmp_path), "--bind", "127.0.0.1", "--grpc-port", "0",
                            "--http-port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    finally:
        blocker.close()
    assert p.returncode == 1
    err = p.stderr.decode()
    assert "HTTP port %d" % port in err, err
    assert b"ready" not in p.stdout


def test_fifty_concurrent_http_streams(server):
    job = start_job(server, SMALL_RC, "fifty", pb.SimulationOptions(chunk_rows=32))
    ref = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id=job.id), pb.WaveformChunk)
    want = [c.SerializeToString() for c in ref.messages]
    live = [start_job(server, SMALL_RC, "live%d" % i) for i in range(4)]

    def one(i):
        jid = live[i % 4].id if i < 8 else job.id
        r = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id=jid), pb.WaveformChunk)
        return i, jid, r

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(50) as ex:
        results = list(ex.map(one, range(50)))
    dt = time.monotonic() - t0
    for i, jid, r in results:
        assert r.code == 0, (i, r.trailers)
        if jid == job.id:
            assert [c.SerializeToString() for c in r.messages] == want
        else:
            assert r.messages[-1].analysis_end
    report("50 concurrent gRPC-Web streams (46 replays + 4 x 2 live)", "%.2f s, 0 errors" % dt)


# ------------------------------------------------------------------ measurements (no thresholds)

def test_measure_http_vs_grpc(server, client):
    firsts = []
    for _ in range(5):
        s = grpc_web(server, "CreateSession", pb.CreateSessionRequest(netlist="tiny\nV1 a 0 1\nR1 a 0 1\n.op\n.end\n"),
                     pb.Session)
        t0 = time.monotonic()
        j = grpc_web(server, "StartSimulation", pb.StartSimulationRequest(session_id=s.messages[0].id), pb.Job)
        conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=60)
        conn.request("POST", SVC + "StreamWaveforms",
                     frame(0, pb.StreamWaveformsRequest(job_id=j.messages[0].id).SerializeToString()),
                     {"Content-Type": "application/grpc-web+proto", "Authorization": "Bearer " + server.token})
        r = conn.getresponse()
        r.read(5)
        firsts.append(time.monotonic() - t0)
        r.read()
        conn.close()
    firsts.sort()
    report("HTTP: StartSimulation -> first chunk, tiny circuit (median of 5)", "%.1f ms" % (firsts[2] * 1e3))

    with open(os.path.join(CIRCUITS, "rc_ladder_1k.cir")) as f:
        net = f.read()

    def samples_of(chunks):
        return sum(c.rows * len(c.values) for c in chunks)

    # gRPC-Web, end to end (simulation included), then a replay of the finished job.
    t0 = time.monotonic()
    job = start_job(server, net, "ladder_http")
    w = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id=job.id), pb.WaveformChunk)
    dt_http = time.monotonic() - t0
    n = samples_of(w.messages)
    t0 = time.monotonic()
    w2 = grpc_web(server, "StreamWaveforms", pb.StreamWaveformsRequest(job_id=job.id), pb.WaveformChunk)
    dt_http_replay = time.monotonic() - t0
    assert samples_of(w2.messages) == n and w2.code == 0
    # The gRPC port, same circuit.
    t0 = time.monotonic()
    s = client.CreateSession(pb.CreateSessionRequest(netlist=net, name="ladder_grpc"))
    gj = client.StartSimulation(pb.StartSimulationRequest(session_id=s.id))
    g = list(client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=gj.id)))
    dt_grpc = time.monotonic() - t0
    t0 = time.monotonic()
    g2 = list(client.StreamWaveforms(pb.StreamWaveformsRequest(job_id=gj.id)))
    dt_grpc_replay = time.monotonic() - t0
    assert samples_of(g) == samples_of(g2) == n
    report("rc_ladder_1k end to end: gRPC-Web (HTTP port) vs gRPC port",
           "%.3g vs %.3g samples/s (%d samples)" % (n / dt_http, n / dt_grpc, n))
    report("rc_ladder_1k replay: gRPC-Web (HTTP port) vs gRPC port",
           "%.3g vs %.3g samples/s" % (n / dt_http_replay, n / dt_grpc_replay))
