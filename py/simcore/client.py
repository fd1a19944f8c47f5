"""simcore.Client: runs netlists on a `simcore serve` server over gRPC (simcore.v1.Simulator).

    with simcore.Client("localhost:50051", token=TOKEN) as c:
        r = c.simulate("buck.cir", params={"duty": 0.5})      # a Result, like simcore.simulate()
        for chunk in c.stream("buck.cir"):                    # numpy arrays as rows arrive
            plot(chunk.x, chunk["v(out)"])
        files = c.result(job_id, format="csv")                # {file name: bytes}; json, raw, hdf5
        c.jobs(); c.stop(job_id); c.wait(job)

    # the design's names, on the same client:
    c = simcore.Client.connect("grpc://localhost:50051", token=TOKEN)
    s = c.create_session(open("buck.cir", "rb").read(), file_name="buck.cir")
    job = c.start_simulation(s, {"tstart": 0, "tstop": 2e-3, "dt": 1e-6})
    for chunk in c.stream_waveforms(s): ...

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


_FORMATS = {"csv": 1, "hdf5": 2, "raw": 3, "json": 4, "parquet": 5}
_KINDS = {1: "op", 2: "dc", 3: "ac", 4: "tran", 5: "pss", 6: "fra", 7: "losses", 8: "noise", 9: "noise_total", 10: "tf", 11: "pz", 12: "pss_spectrum", 13: "sens", 14: "sp"}
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
    file_name: str = "<netlist>"  # the name errors give the netlist


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


def _from_detail(d, status: str = "", file_name: str | None = None) -> SimulationError:
    """The SimulationError of an ErrorDetail; file_name replaces the server's "<netlist>" (a
    server older than CreateSessionRequest.file_name does not know the client's file)."""
    file = d.file
    if file_name and file in ("", "<netlist>") and d.line:
        file = file_name
    formatted = d.message
    if d.line:
        formatted = "%s:%d:%d: error: %s" % (file or "<netlist>", d.line, d.column, d.message)
    e = from_native(_code_name(d), d.message, file, d.line, d.column, formatted, default=RemoteError)
    e.status = status
    return e


def _raise_rpc(err: Any, file_name: str | None = None) -> None:
    """Turn a grpc.RpcError into a SimulationError (engine errors keep their class and location)."""
    status = err.code().name if hasattr(err, "code") and err.code() else ""
    d = _error_detail(err)
    if d is not None and _code_name(d):
        exc = _from_detail(d, status, file_name)
    elif status == "CANCELLED":
        exc = SimulationCancelled(err.details() or "cancelled", code="cancelled")
    else:
        exc = RemoteError("%s: %s" % (status, err.details()), code=status.lower())
    exc.status = status
    raise exc from err


_LOSS_FIELDS = ("device", "conduction_loss", "switching_loss", "conduction_energy", "switching_energy", "tj_max",
                "tj_avg", "switching_events")


def _located_warning(w: str) -> dict[str, Any]:
    """A job's warning "LINE:COL: text" as the native module's {message, file, line, col}."""
    parts = w.split(":", 2)
    if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
        return {"message": parts[2].strip(), "file": "", "line": int(parts[0]), "col": int(parts[1])}
    return {"message": w, "file": "", "line": 0, "col": 0}


def _stats(s) -> dict[str, Any]:
    d = {k: getattr(s, k) for k in ("accepted_points", "rejected_steps", "newton_iterations", "factorizations",
                                    "refactorizations", "events", "unknowns", "nonzeros", "wall_seconds",
                                    "cpu_seconds", "max_rss_kb", "switching_mode", "configurations",
                                    "factor_cache_hits", "loss_from", "loss_to", "input_power", "output_power",
                                    "loss_power", "efficiency", "thermal_step", "parallel_loads",
                                    "parallel_refactorizations")}
    d["losses"] = [{k: getattr(l, k) for k in _LOSS_FIELDS} for l in s.losses]
    # same keys as the native module's (file: the session's netlist)
    d["measures"] = [{"name": m.name, "ok": m.ok, "value": m.value, "error": m.error, "file": "", "line": m.line,
                      "col": 0} for m in s.measures]
    d["script_output"] = s.script_output
    d["script_errors"] = list(s.script_errors)
    # a file the server cut (over its size cap) keeps its first bytes; script_files_truncated names them
    d["script_files"] = {f.name: bytes(f.data) for f in s.script_files}
    d["script_files_truncated"] = [f.name for f in s.script_files if f.truncated]
    d["warnings"] = list(s.warnings)  # the job's own, "LINE:COL: text" (Result.warnings, not its stats)
    return d


def _job(j, file_name: str | None = None) -> Job:
    err = (_from_detail(j.error, file_name=file_name) if j.HasField("error") and (_code_name(j.error) or j.error.message)
           else None)
    results = [{"name": r.name, "analysis": r.analysis, "format": r.format, "size_bytes": r.size_bytes,
                "rows": r.rows, "partial": r.partial} for r in j.results]
    return Job(j.id, j.session_id, _STATES.get(j.state, str(j.state)), j.progress, j.rows, _stats(j.stats), results,
               err, j.created_unix_ms, j.finished_unix_ms)


def session_name(stem: str) -> str:
    """A server session name from a file stem: the server takes 1-64 characters of [A-Za-z0-9_-],
    so other characters become "_" and the name is cut to 64 ("circuit" when nothing is left)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", stem)[:64] or "circuit"


def _read_netlist(netlist_or_path: str | os.PathLike | bytes) -> tuple[str, str, str | None]:
    """(text, session name, path) from a path (its file stem, made a valid name), netlist text
    (same rule as simcore.simulate; path None) or bytes (UTF-8 netlist text)."""
    from . import _is_path

    if isinstance(netlist_or_path, (bytes, bytearray, memoryview)):
        data = bytes(netlist_or_path)
        try:
            return data.decode("utf-8"), "circuit", None
        except UnicodeDecodeError as e:
            raise ValueError("the netlist is not UTF-8 text (byte %d: %r)" % (e.start, data[e.start:e.start + 1])) from None
    if _is_path(netlist_or_path):
        path = os.fspath(netlist_or_path)
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(), session_name(os.path.splitext(os.path.basename(path))[0]), path
    if not isinstance(netlist_or_path, str):
        raise TypeError("expected netlist text or a path, not %s" % type(netlist_or_path).__name__)
    return netlist_or_path, "circuit", None


# (and a .control script's `source FILE`: a script deck's circuit, ngspice's Monte Carlo examples)
_INCLUDE = re.compile(r"^\s*(?:\.(?:include|inc|lib)|source)\s+(\"[^\"]*\"|'[^']*'|[^\s$]\S*)", re.IGNORECASE | re.MULTILINE)


def include_files(text: str, base_dir: str) -> dict[str, str]:
    """The files a netlist's .include/.lib cards (and its script's `source FILE`) reach (recursively), read from base_dir (an
    included file's own cards from its directory): {path as written in the card: text}. A path
    that does not exist here is left out (the server may already hold a model of that name)."""
    found: dict[str, str] = {}

    def walk(body: str, folder: str) -> None:
        for m in _INCLUDE.finditer(body):
            written = m.group(1).strip("\"'")
            if written in found:
                continue
            local = written if os.path.isabs(written) else os.path.join(folder, written)
            if not os.path.isfile(local):
                continue
            with open(local, encoding="utf-8", errors="replace") as f:
                found[written] = f.read()
            walk(found[written], os.path.dirname(local))

    walk(text, base_dir)
    return found


_START_DEFAULTS = dict(save=None, params=None, name=None, analyses=None, tstop=None, interpolate=False,
                       chunk_rows=None, max_step=None, file_name=None, includes=None, threads=None)


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
        self._latest: dict[str, str] = {}  # session id -> its latest job id (stream_waveforms)
        self._files: dict[str, str] = {}   # job id -> the file name its errors give

    @classmethod
    def connect(cls, target: str, token: str | None = None, **kwargs: Any) -> "Client":
        """Client.connect("grpc://host:port") (the design's spelling of Client(target)); the ready
        line's form "grpc://host:port/?token=T" carries the token."""
        return cls(target, token, **kwargs)

    # --- plumbing --------------------------------------------------------------------------
    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _unary(self, name: str, request: Any, file_name: str | None = None) -> Any:
        try:
            return getattr(self._stub, name)(request, metadata=self._md, timeout=self.timeout)
        except grpc.RpcError as e:
            _raise_rpc(e, file_name)

    def _create(self, netlist_or_path, *, name, params, file_name=None, includes=None) -> Session:
        """CreateSession with the netlist's include files uploaded first (see session())."""
        text, stem, path = _read_netlist(netlist_or_path)
        # A circuit model goes to the server as circuit_json (checked against the schema there);
        # its includes are found in the netlist it stands for.
        from . import _native

        model = text if _native.looks_like_circuit_json(text) else None
        if model is not None:
            try:
                text = _native.json_to_netlist(model, file_name or path or "<netlist>")
            except Exception:
                text = ""  # the server names the error (its JSON Pointer)
        files = dict(include_files(text, os.path.dirname(os.path.abspath(path)) if path else os.getcwd()))
        for written, body in (includes or {}).items():
            if isinstance(body, os.PathLike) or (isinstance(body, str) and "\n" not in body and os.path.isfile(body)):
                with open(os.fspath(body), encoding="utf-8", errors="replace") as f:
                    body = f.read()
            files[str(written)] = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else str(body)
        for written, body in files.items():
            self.upload_model(written, body)
        shown = file_name or path or "<netlist>"
        source = {"circuit_json": model} if model is not None else {"netlist": text}
        s = self._unary("CreateSession", pb.CreateSessionRequest(
            name=name or stem, params={str(k).lower(): float(v) for k, v in (params or {}).items()},
            file_name=shown, **source), file_name=shown)
        return Session(s.id, s.name, s.title, text, list(s.warnings), shown)

    def _start(self, netlist_or_path, *, save, params, name, analyses, tstop, interpolate, chunk_rows,
               max_step=None, file_name=None, includes=None, threads=None):
        overrides = {str(k).lower(): float(v) for k, v in (params or {}).items()}
        opts = pb.SimulationOptions(save=list(save or []), analyses=list(analyses or []), interpolate=interpolate,
                                    chunk_rows=int(chunk_rows or 0), threads=int(threads or 0))
        if isinstance(netlist_or_path, Session):  # params go with the job, on top of the session's
            session = netlist_or_path
            opts.params.update(overrides)
        else:
            session = self._create(netlist_or_path, name=name, params=overrides, file_name=file_name,
                                   includes=includes)
        if tstop is not None:
            opts.tstop = float(tstop)
        if max_step is not None:
            opts.max_step = float(max_step)
        job = self._unary("StartSimulation", pb.StartSimulationRequest(session_id=session.id, options=opts),
                          file_name=session.file_name)
        self._latest[session.id] = job.id
        self._files[job.id] = session.file_name
        return session, session.netlist, job

    # --- API -------------------------------------------------------------------------------
    def session(self, netlist_or_path: str | os.PathLike | bytes, *, name: str | None = None,
                params: Mapping[str, float] | None = None, file_name: str | None = None,
                includes: Mapping[str, Any] | None = None) -> Session:
        """Parse a netlist on the server once (errors: ParseError etc. with line/column) and keep
        it; pass the Session to submit()/stream()/simulate() in place of the netlist.

        The files its .include/.lib cards name (recursively) are uploaded first as models of the
        same name (read next to the netlist file, or the current directory for text); includes:
        more {name as written in the card: text, bytes or a path}. file_name: the name errors
        give the netlist (default: the path, or "<netlist>" for text)."""
        return self._create(netlist_or_path, name=name, params=params, file_name=file_name, includes=includes)

    def create_session(self, model: str | bytes | os.PathLike, *, name: str | None = None,
                       params: Mapping[str, float] | None = None, file_name: str | None = None,
                       includes: Mapping[str, Any] | None = None) -> Session:
        """The design's create_session(model_bytes): a Session from netlist bytes (UTF-8), text
        or a path; same as session()."""
        return self.session(model, name=name, params=params, file_name=file_name, includes=includes)

    def start_simulation(self, session: Session, options: Mapping[str, Any] | None = None, **kwargs: Any) -> Job:
        """The design's start_simulation(session, {"tstart", "tstop", "dt"}): start a job of a
        Session and return its Job. With tstop and dt the session's analyses are replaced by
        `.tran dt tstop tstart` and the rows lie on that grid; other keys as in submit() (params,
        save, analyses, max_step, interpolate, chunk_rows, threads). Unknown keys raise TypeError."""
        opts = {**dict(options or {}), **kwargs}
        known = {"tstart", "tstop", "dt", "params", "save", "analyses", "max_step", "interpolate", "chunk_rows",
                 "threads"}
        unknown = sorted(set(opts) - known)
        if unknown:
            raise TypeError("unknown simulation option(s) %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(known))))
        dt, tstop, tstart = opts.pop("dt", None), opts.pop("tstop", None), float(opts.pop("tstart", 0.0))
        if dt is not None:
            if tstop is None:
                raise ValueError("dt needs tstop")
            if not (float(dt) > 0 and float(tstop) > tstart >= 0):
                raise ValueError("need dt > 0 and tstop > tstart >= 0")
            if opts.get("analyses"):
                raise ValueError("give dt/tstop or analyses, not both")
            opts["analyses"] = [".tran %r %r %r" % (float(dt), float(tstop), tstart)]
            opts.setdefault("interpolate", True)
            tstop = None
        return self.submit(session, tstop=tstop, **opts)

    def stream_waveforms(self, session_or_job: Session | Job | str) -> Iterator[Chunk]:
        """The design's stream_waveforms(session): the Chunks of the latest job started for a
        Session (by this client), or of a Job / job id, from its first row as it runs."""
        if isinstance(session_or_job, Session):
            job_id = self._latest.get(session_or_job.id)
            if job_id is None:
                raise ValueError("no job of session %s was started by this client (start_simulation first)"
                                 % session_or_job.id)
        else:
            job_id = session_or_job.id if isinstance(session_or_job, Job) else str(session_or_job)
        yield from self._chunks(job_id)

    def wait(self, job: str | Job, timeout: float | None = None, poll: float = 0.05) -> Job:
        """Wait until a job has ended (succeeded, failed, cancelled or interrupted) and return it;
        TimeoutError after `timeout` seconds. The job's error, if any, is in Job.error (not raised)."""
        import time

        job_id = job.id if isinstance(job, Job) else str(job)
        deadline = None if timeout is None else time.monotonic() + float(timeout)
        delay = poll
        while True:
            j = self.job(job_id)
            if j.done:
                return j
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError("job %s is still %s after %g s" % (job_id, j.state, timeout))
            time.sleep(delay if deadline is None else max(0.0, min(delay, deadline - time.monotonic())))
            delay = min(delay * 1.5, 1.0)

    def upload_model(self, name: str, text: str | bytes) -> dict[str, Any]:
        """Store a file on the server under `name` (the path a netlist's .include/.lib gives it,
        e.g. "models/diodes.lib"); returns {name, size_bytes}."""
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8")
        m = self._unary("UploadModel", pb.UploadModelRequest(name=name, text=text))
        return {"name": m.name, "size_bytes": m.size_bytes}

    def models(self) -> list[dict[str, Any]]:
        """This user's uploaded models: [{name, size_bytes}]."""
        return [{"name": m.name, "size_bytes": m.size_bytes} for m in self._unary("ListModels", pb.ListModelsRequest()).models]

    def submit(self, netlist_or_path: str | os.PathLike, *, save: Iterable[str] | None = None,
               params: Mapping[str, float] | None = None, name: str | None = None,
               analyses: Iterable[str] | None = None, tstop: float | None = None, interpolate: bool = False,
               chunk_rows: int | None = None, max_step: float | None = None, file_name: str | None = None,
               includes: Mapping[str, Any] | None = None, threads: int | None = None) -> Job:
        """Start a run on the server and return its Job at once (see stream(), result(), stop(),
        wait()). tstop / max_step replace tstop and the largest step of every .tran; file_name and
        includes as in session(); threads: threads evaluating the device models of a large circuit
        (bit-identical results; at most the server's max_threads limit, else LimitError)."""
        _, _, job = self._start(netlist_or_path, save=save, params=params, name=name, analyses=analyses,
                                tstop=tstop, interpolate=interpolate, chunk_rows=chunk_rows, max_step=max_step,
                                file_name=file_name, includes=includes, threads=threads)
        return _job(job)

    def stream(self, netlist_or_path: str | os.PathLike | None = None, *, job: str | Job | None = None,
               **options: Any) -> Iterator[Chunk]:
        """Yield Chunks (numpy arrays) as the server produces them: of a new run of the netlist
        (options as in submit()), or of an existing job (job=ID, replayed from the start)."""
        if (netlist_or_path is None) == (job is None):
            raise TypeError("stream() takes a netlist or job=..., not both")
        if job is None:
            _, _, started = self._start(netlist_or_path, **{**_START_DEFAULTS, **options})
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
                            np.array(c.x, dtype=np.float64), signals, c.analysis_end, c.progress, kinds, h.variant)
        except grpc.RpcError as e:
            _raise_rpc(e, self._files.get(job_id))
        finally:
            call.cancel()

    def simulate(self, netlist_or_path: str | os.PathLike, **options: Any) -> Result:
        """Run on the server and return the whole Result (like simcore.simulate; options as in submit())."""
        session, text, job = self._start(netlist_or_path, **{**_START_DEFAULTS, **options})
        return self._collect(session, text, job)

    def _collect(self, session: Any, text: str, job: Any) -> Result:
        """The whole Result of a job started by _start() (its chunks, then its final stats)."""
        chunks = list(self._chunks(job.id))
        final = self.job(job.id)
        stats = dict(final.stats)
        stats["job"] = final.id
        # the session's warnings (the netlist reader's), then the job's own (floating nodes tied to ground)
        warnings = [{"message": w, "file": "", "line": 0, "col": 0} for w in session.warnings]
        warnings += [_located_warning(w) for w in stats.pop("warnings", [])]
        return Result.from_chunks(chunks, title=session.title, netlist=text, file=session.file_name, stats=stats,
                                  warnings=warnings)

    def result(self, job: str | Job, format: str = "csv", analysis: str | None = None,
               dest: str | os.PathLike | None = None) -> dict[str, bytes]:
        """The result files of a finished job as {file name: bytes}, one per analysis
        (format: csv, json, raw, parquet, hdf5 - <name>.<analysis>.h5, when the server was built with
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
        job_id = job.id if isinstance(job, Job) else str(job)
        return _job(self._unary("GetJob", pb.GetJobRequest(job_id=job_id)), self._files.get(job_id))

    def jobs(self, session: str | None = None) -> list[Job]:
        """This user's jobs (of one session when given)."""
        return [_job(j) for j in self._unary("ListJobs", pb.ListJobsRequest(session_id=session or "")).jobs]

    def stop(self, job: str | Job) -> Job:
        """Stop a queued or running job (harmless when it has ended); returns its Job."""
        return _job(self._unary("StopSimulation",
                                pb.StopSimulationRequest(job_id=job.id if isinstance(job, Job) else str(job))))

    def delete_job(self, job: str | Job) -> int:
        """Delete a job with its result files (a queued or running one is stopped first);
        returns the bytes freed on the server."""
        return int(self._unary("DeleteJob", pb.DeleteJobRequest(
            job_id=job.id if isinstance(job, Job) else str(job))).freed_bytes)

    def delete_session(self, session: str | Session) -> int:
        """Delete a session and every job of it (as delete_job); returns the bytes freed."""
        r = self._unary("DeleteSession", pb.DeleteSessionRequest(
            session_id=session.id if isinstance(session, Session) else str(session)))
        return int(r.freed_bytes)
