"""simcore.Client: runs netlists on a `simcore serve` server over gRPC (simcore.v1.Simulator).

    with simcore.Client("localhost:50051", token=TOKEN) as c:
        r = c.simulate("buck.cir", params={"duty": 0.5})      # a Result, like simcore.simulate()
        for chunk in c.stream("buck.cir"):                    # numpy arrays as rows arrive
            plot(chunk.x, chunk["v(out)"])
        files = c.result(job_id, format="csv")                # {file name: bytes}; json, raw, hdf5
        c.jobs(); c.stop(job_id)

The stubs (simcore.v1.simulator_pb2*) are generated from proto/ when the package is built.
Server errors arrive as the same SimulationError classes as local runs (ParseError with
line/column, LimitError, SimulationCancelled...); other failures as RemoteError.
"""
from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from ._errors import RemoteError, SimulationCancelled, SimulationError, from_native
from ._result import Analysis, Chunk, Result

try:  # generated at build time; absent when the package was built without grpcio-tools
    import grpc

    from .v1 import simulator_pb2 as pb
    from .v1 import simulator_pb2_grpc as pbg
except ImportError as e:  # grpcio / protobuf are the `client` extra
    grpc = None
    _IMPORT_ERROR: ImportError | None = e
else:
    _IMPORT_ERROR = None

__all__ = ["Client", "Chunk", "Job", "Session"]


def missing_client() -> ImportError:
    """The error for using the client without grpcio/protobuf (or without the generated stubs)."""
    e = ImportError("simcore.Client needs grpcio and protobuf: pip install 'simcore[client]' (%s)" % _IMPORT_ERROR)
    e.__cause__ = _IMPORT_ERROR
    return e


_FORMATS = {"csv": 1, "hdf5": 2, "raw": 3, "json": 4}
_KINDS = {1: "op", 2: "dc", 3: "ac", 4: "tran", 5: "pss", 6: "fra", 7: "losses"}
_STATES = {0: "unspecified", 1: "queued", 2: "running", 3: "succeeded", 4: "failed", 5: "cancelled",
           6: "interrupted"}


@dataclasses.dataclass
class Job:
    """A job on the server. state: "queued", "running", "succeeded", "failed", "cancelled",
    "interrupted"; error: a SimulationError when it failed; results: [{name, analysis, rows, ...}]."""

    id: str
    session_id: str
    state: str
    progress: float
    rows: int
    stats: dict[str, Any]
    results: list[dict[str, Any]]
    error: SimulationError | None
    created_unix_ms: int = 0
    finished_unix_ms: int = 0

    @property
    def done(self) -> bool:
        return self.state not in ("queued", "running", "unspecified")


@dataclasses.dataclass
class Session:
    """A netlist parsed and kept on the server (Client.session()); run it any number of times
    with different params: c.simulate(session, params={...}) starts a job without resending it."""

    id: str
    name: str
    title: str
    netlist: str
    warnings: list[str] = dataclasses.field(default_factory=list)


def _parse_target(target: str) -> tuple[str, str | None]:
    """"host:port" or the server's ready line form "grpc://host:port/?token=T"."""
    m = re.match(r"^grpcs?://([^/?]+)/?(?:\?token=(\S+))?$", target)
    if m:
        return m.group(1), m.group(2)
    return target, None


def _error_detail(err: Any):
    """simcore.v1.ErrorDetail from a grpc.RpcError's google.rpc.Status details (None when absent)."""
    for key, value in (err.trailing_metadata() or ()):
        if key != "grpc-status-details-bin":
            continue
        # google.rpc.Status: 1 code (varint), 2 message (bytes), 3 details (repeated Any): read field 3.
        from google.protobuf import any_pb2

        data, i = bytes(value), 0
        while i < len(data):
            tag, i = _varint(data, i)
            field, wire = tag >> 3, tag & 7
            if wire == 0:
                _, i = _varint(data, i)
            elif wire == 2:
                n, i = _varint(data, i)
                body, i = data[i:i + n], i + n
                if field == 3:
                    a = any_pb2.Any.FromString(body)
                    if a.type_url.endswith("simcore.v1.ErrorDetail"):
                        return pb.ErrorDetail.FromString(a.value)
            else:
                return None
    return None


def _varint(data: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def _code_name(d) -> str:
    """The error code's name: the lower-case simcore.v1.ErrorCode name without its prefix (the
    engine's own name for engine codes), else engine_code (a server older than the enum, or a
    value newer than these stubs)."""
    if d.code:
        try:
            return pb.ErrorCode.Name(d.code).removeprefix("ERROR_CODE_").lower()
        except ValueError:
            pass
    return d.engine_code


def _from_detail(d, status: str = "") -> SimulationError:
    formatted = d.message
    if d.line:
        formatted = "%s:%d:%d: error: %s" % (d.file or "<netlist>", d.line, d.column, d.message)
    e = from_native(_code_name(d), d.message, d.file, d.line, d.column, formatted, default=RemoteError)
    e.status = status
    return e


def _raise_rpc(err: Any) -> None:
    """Turn a grpc.RpcError into a SimulationError (engine errors keep their class and location)."""
    status = err.code().name if hasattr(err, "code") and err.code() else ""
    d = _error_detail(err)
    if d is not None and _code_name(d):
        exc = _from_detail(d, status)
    elif status == "CANCELLED":
        exc = SimulationCancelled(err.details() or "cancelled", code="cancelled")
    else:
        exc = RemoteError("%s: %s" % (status, err.details()), code=status.lower())
    exc.status = status
    raise exc from err


_LOSS_FIELDS = ("device", "conduction_loss", "switching_loss", "conduction_energy", "switching_energy", "tj_max",
                "tj_avg", "switching_events")


def _stats(s) -> dict[str, Any]:
    d = {k: getattr(s, k) for k in ("accepted_points", "rejected_steps", "newton_iterations", "factorizations",
                                    "refactorizations", "events", "unknowns", "nonzeros", "wall_seconds",
                                    "cpu_seconds", "max_rss_kb", "switching_mode", "configurations",
                                    "factor_cache_hits", "loss_from", "loss_to", "input_power", "output_power",
                                    "loss_power", "efficiency", "thermal_step")}
    d["losses"] = [{k: getattr(l, k) for k in _LOSS_FIELDS} for l in s.losses]
    return d


def _job(j) -> Job:
    err = _from_detail(j.error) if j.HasField("error") and (_code_name(j.error) or j.error.message) else None
    results = [{"name": r.name, "analysis": r.analysis, "format": r.format, "size_bytes": r.size_bytes,
                "rows": r.rows, "partial": r.partial} for r in j.results]
    return Job(j.id, j.session_id, _STATES.get(j.state, str(j.state)), j.progress, j.rows, _stats(j.stats), results,
               err, j.created_unix_ms, j.finished_unix_ms)


def session_name(stem: str) -> str:
    """A server session name from a file stem: the server takes 1-64 characters of [A-Za-z0-9_-],
    so other characters become "_" and the name is cut to 64 ("circuit" when nothing is left)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", stem)[:64] or "circuit"


def _read_netlist(netlist_or_path: str | os.PathLike) -> tuple[str, str]:
    """(text, session name) from a path (its file stem, made a valid name) or netlist text
    (same rule as simcore.simulate)."""
    from . import _is_path

    if _is_path(netlist_or_path):
        path = os.fspath(netlist_or_path)
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(), session_name(os.path.splitext(os.path.basename(path))[0])
    if not isinstance(netlist_or_path, str):
        raise TypeError("expected netlist text or a path, not %s" % type(netlist_or_path).__name__)
    return netlist_or_path, "circuit"


class Client:
    """A connection to `simcore serve`. target: "host:port" (or "grpc://host:port/?token=T", the
    server's ready line); token: the bearer token (`simcore token`); credentials: grpc channel
    credentials for TLS (default: an insecure channel); timeout: seconds per unary call."""

    def __init__(self, target: str, token: str | None = None, *, credentials: Any = None,
                 timeout: float | None = 60.0, options: Iterable[tuple[str, Any]] = ()):
        if _IMPORT_ERROR is not None:
            raise missing_client()
        address, url_token = _parse_target(target)
        token = token if token is not None else url_token
        opts = [("grpc.max_receive_message_length", 64 << 20)] + list(options)
        self._channel = (grpc.secure_channel(address, credentials, options=opts) if credentials is not None
                         else grpc.insecure_channel(address, options=opts))
        self._stub = pbg.SimulatorStub(self._channel)
        self._md = [("authorization", "Bearer " + token)] if token else []
        self.timeout = timeout

    # --- plumbing --------------------------------------------------------------------------
    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _unary(self, name: str, request: Any) -> Any:
        try:
            return getattr(self._stub, name)(request, metadata=self._md, timeout=self.timeout)
        except grpc.RpcError as e:
            _raise_rpc(e)

    def _start(self, netlist_or_path, *, save, params, name, analyses, tstop, interpolate, chunk_rows):
        overrides = {str(k).lower(): float(v) for k, v in (params or {}).items()}
        opts = pb.SimulationOptions(save=list(save or []), analyses=list(analyses or []), interpolate=interpolate,
                                    chunk_rows=int(chunk_rows or 0))
        if isinstance(netlist_or_path, Session):  # params go with the job, on top of the session's
            session, text = netlist_or_path, netlist_or_path.netlist
            opts.params.update(overrides)
        else:
            text, stem = _read_netlist(netlist_or_path)
            session = self._unary("CreateSession", pb.CreateSessionRequest(netlist=text, name=name or stem,
                                                                           params=overrides))
        if tstop is not None:
            opts.tstop = float(tstop)
        job = self._unary("StartSimulation", pb.StartSimulationRequest(session_id=session.id, options=opts))
        return session, text, job

    # --- API -------------------------------------------------------------------------------
    def session(self, netlist_or_path: str | os.PathLike, *, name: str | None = None,
                params: Mapping[str, float] | None = None) -> Session:
        """Parse a netlist on the server once (errors: ParseError etc. with line/column) and keep
        it; pass the Session to submit()/stream()/simulate() in place of the netlist."""
        text, stem = _read_netlist(netlist_or_path)
        s = self._unary("CreateSession", pb.CreateSessionRequest(
            netlist=text, name=name or stem, params={str(k).lower(): float(v) for k, v in (params or {}).items()}))
        return Session(s.id, s.name, s.title, text, list(s.warnings))

    def submit(self, netlist_or_path: str | os.PathLike, *, save: Iterable[str] | None = None,
               params: Mapping[str, float] | None = None, name: str | None = None,
               analyses: Iterable[str] | None = None, tstop: float | None = None, interpolate: bool = False,
               chunk_rows: int | None = None) -> Job:
        """Start a run on the server and return its Job at once (see stream(), result(), stop())."""
        _, _, job = self._start(netlist_or_path, save=save, params=params, name=name, analyses=analyses,
                                tstop=tstop, interpolate=interpolate, chunk_rows=chunk_rows)
        return _job(job)

    def stream(self, netlist_or_path: str | os.PathLike | None = None, *, job: str | Job | None = None,
               **options: Any) -> Iterator[Chunk]:
        """Yield Chunks (numpy arrays) as the server produces them: of a new run of the netlist
        (options as in submit()), or of an existing job (job=ID, replayed from the start)."""
        if (netlist_or_path is None) == (job is None):
            raise TypeError("stream() takes a netlist or job=..., not both")
        if job is None:
            _, _, started = self._start(netlist_or_path, **{**dict(save=None, params=None, name=None, analyses=None,
                                                                   tstop=None, interpolate=False, chunk_rows=None),
                                                                **options})
            job_id = started.id
        else:
            job_id = job.id if isinstance(job, Job) else str(job)
        yield from self._chunks(job_id)

    def _chunks(self, job_id: str) -> Iterator[Chunk]:
        headers: dict[int, tuple[str, Any]] = {}
        seen: dict[str, int] = {}
        call = self._stub.StreamWaveforms(pb.StreamWaveformsRequest(job_id=job_id), metadata=self._md)
        try:
            for c in call:
                if c.HasField("header") and c.analysis_index not in headers:
                    kind = _KINDS.get(c.header.type, "op")
                    seen[kind] = seen.get(kind, 0) + 1
                    headers[c.analysis_index] = (kind if seen[kind] == 1 else "%s%d" % (kind, seen[kind]), c.header)
                name, h = headers[c.analysis_index]
                signals = {}
                for k, sig in enumerate(h.signals):
                    if k >= len(c.values):  # a closing chunk without rows
                        signals[sig.name] = np.empty(0, dtype=np.complex128 if h.complex else np.float64)
                        continue
                    re_ = np.array(c.values[k].re, dtype=np.float64)
                    signals[sig.name] = re_ + 1j * np.array(c.values[k].im, dtype=np.float64) if h.complex else re_
                kinds = {sig.name: "current" if sig.kind == pb.SIGNAL_KIND_CURRENT else "voltage" for sig in h.signals}
                yield Chunk(name, _KINDS.get(h.type, "op"), c.analysis_index, h.x_name,
                            np.array(c.x, dtype=np.float64), signals, c.analysis_end, c.progress, kinds)
        except grpc.RpcError as e:
            _raise_rpc(e)
        finally:
            call.cancel()

    def simulate(self, netlist_or_path: str | os.PathLike, **options: Any) -> Result:
        """Run on the server and return the whole Result (like simcore.simulate; options as in submit())."""
        session, text, job = self._start(netlist_or_path, **{**dict(save=None, params=None, name=None, analyses=None,
                                                                    tstop=None, interpolate=False, chunk_rows=None),
                                                             **options})
        return self._collect(session, text, job)

    def _collect(self, session: Any, text: str, job: Any) -> Result:
        """The whole Result of a job started by _start() (its chunks, then its final stats)."""
        parts: dict[int, list[Chunk]] = {}
        for ch in self._chunks(job.id):
            parts.setdefault(ch.index, []).append(ch)
        analyses: dict[str, Analysis] = {}
        for index in sorted(parts):
            chunks = parts[index]
            first = chunks[0]
            names = list(first.signals)
            x = np.concatenate([c.x for c in chunks]) if first.x_name else None
            signals = {n: np.concatenate([c.signals[n] for c in chunks]) for n in names}
            analyses[first.analysis] = Analysis(first.analysis, first.kind, first.x_name, x, signals,
                                                first.signal_kinds, first.kind in ("ac", "fra"))
        final = self.job(job.id)
        stats = dict(final.stats)
        stats["job"] = final.id
        return Result(analyses, title=session.title, netlist=text, file=session.name, stats=stats,
                      warnings=[{"message": w, "file": "", "line": 0, "col": 0} for w in session.warnings])

    def result(self, job: str | Job, format: str = "csv", analysis: str | None = None,
               dest: str | os.PathLike | None = None) -> dict[str, bytes]:
        """The result files of a finished job as {file name: bytes}, one per analysis
        (format: csv, json, raw, hdf5 - <name>.<analysis>.h5, when the server was built with
        libhdf5; else RemoteError UNIMPLEMENTED); dest: also write them into this folder."""
        job_id = job.id if isinstance(job, Job) else str(job)
        if format not in _FORMATS:
            raise ValueError("format must be one of %s" % ", ".join(_FORMATS))
        parts: dict[str, list[bytes]] = {}
        cur = None
        try:
            for c in self._stub.GetResult(pb.GetResultRequest(job_id=job_id, format=_FORMATS[format],
                                                              analysis=analysis or ""), metadata=self._md):
                if c.file_name:
                    cur = c.file_name
                    parts.setdefault(cur, [])
                if cur is not None:
                    parts[cur].append(c.data)
        except grpc.RpcError as e:
            _raise_rpc(e)
        files = {n: b"".join(p) for n, p in parts.items()}
        if dest is not None:
            os.makedirs(dest, exist_ok=True)
            for n, b in files.items():
                with open(os.path.join(os.fspath(dest), os.path.basename(n)), "wb") as f:
                    f.write(b)
        return files

    def job(self, job: str | Job) -> Job:
        return _job(self._unary("GetJob", pb.GetJobRequest(job_id=job.id if isinstance(job, Job) else str(job))))

    def jobs(self, session: str | None = None) -> list[Job]:
        """This user's jobs (of one session when given)."""
        return [_job(j) for j in self._unary("ListJobs", pb.ListJobsRequest(session_id=session or "")).jobs]

    def stop(self, job: str | Job) -> Job:
        """Stop a queued or running job (harmless when it has ended); returns its Job."""
        return _job(self._unary("StopSimulation",
                                pb.StopSimulationRequest(job_id=job.id if isinstance(job, Job) else str(job))))
