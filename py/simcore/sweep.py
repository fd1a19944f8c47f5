"""simcore.sweep: one netlist over a parameter grid or Monte Carlo samples.

    from simcore import sweep

    ds = sweep.grid("rc.cir", {"r": [1e3, 2e3, 5e3], "c": [1e-9, 1e-8]})       # xarray Dataset, dims (r, c, time)
    df = sweep.monte_carlo("rc.cir", {"r": (1e3, 0.05, "gauss"), "c": (1e-9, 0.1, "uniform")},
                           n=500, seed=1, measure=lambda res: {"vmax": res["tran"]["v(out)"].max()})
    sweep.failures(ds)                                  # [Failure(params, code, message, file, line, column)]

Backends (``backend=``): None / "threads" runs the engine in this process on a thread pool (the
binding releases the GIL); a ``dask.distributed.Client`` (or "dask": the default client) runs
batches of points on the cluster's workers, the netlist scattered once; a ``simcore.Client``
runs every point as a job on a ``simcore serve`` server (one session, params per job; quota
refusals are retried while the sweep's own jobs progress; server errors other than the
netlist's own raise at once).

A failing point never stops the others: its values are NaN (its row's measurements NaN) and its
error is kept in ``error``, ``error_code``, ``error_line``, ``error_column`` (read them back with
``failures()``); ``errors="raise"`` raises SweepError after every point has run.
"""
from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from ._errors import RemoteError, SimulationError

__all__ = ["grid", "monte_carlo", "run", "failures", "samples", "Failure", "SweepError"]

Measure = Callable[[Any], "Mapping[str, float] | float"]


@dataclasses.dataclass(frozen=True)
class Failure:
    """One point that did not produce a result: its index (point or sample number), its
    parameter values, and the error (code, message, file, line, column as in SimulationError)."""

    index: int
    params: dict[str, float]
    code: str
    message: str
    file: str = ""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        where = "%s:%d:%d: " % (self.file or "<netlist>", self.line, self.column) if self.line else ""
        values = ", ".join("%s=%g" % kv for kv in self.params.items())
        return "point %d (%s): %serror: %s" % (self.index, values, where, self.message)


class SweepError(SimulationError):
    """Raised by errors="raise" once every point has run: .failures, and .data (the Dataset or
    DataFrame with the points that did run)."""

    code = "sweep"

    def __init__(self, failures: list[Failure], data: Any):
        self.failures = failures
        self.data = data
        first = str(failures[0]) if failures else ""
        super().__init__("%d point(s) failed; first: %s" % (len(failures), first), code="sweep")

    def __reduce__(self):
        return (SweepError, (self.failures, self.data))


# --------------------------------------------------------------------------- parameter sets

def _grid_points(params: Mapping[str, Iterable[float]]) -> tuple[list[str], list[np.ndarray], list[dict]]:
    names = [str(k).lower() for k in params]
    if len(set(names)) != len(names):
        raise ValueError("parameter names must differ (case-insensitively): %s" % ", ".join(params))
    axes = [np.atleast_1d(np.asarray(list(v) if not isinstance(v, np.ndarray) else v, dtype=float))
            for v in params.values()]
    for n, a in zip(names, axes):
        if a.ndim != 1 or a.size == 0:
            raise ValueError("parameter %r: give a non-empty 1-D list of values" % n)
    points = [dict(zip(names, map(float, combo))) for combo in itertools.product(*axes)]
    return names, axes, points


def _param_rng(seed_seq: np.random.SeedSequence, name: str) -> np.random.Generator:
    # One stream per parameter name: a parameter's samples depend only on the seed and its name,
    # so adding or reordering parameters does not change the others. The spawn key is the whole
    # SHA-256 of the name (eight 32-bit words), so two names never share a stream (a 32-bit key
    # such as crc32 gives e.g. "plumless" and "buckeroo" the same one).
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    key = tuple(int.from_bytes(digest[k:k + 4], "little") for k in range(0, len(digest), 4))
    return np.random.default_rng(np.random.SeedSequence(seed_seq.entropy, spawn_key=key))


def _draw(name: str, spec: Any, rng: np.random.Generator, n: int) -> np.ndarray:
    if isinstance(spec, (int, float, np.number)):
        return np.full(n, float(spec))
    if isinstance(spec, (tuple, list)):
        if len(spec) not in (2, 3):
            raise ValueError("parameter %r: expected (nominal, tolerance[, 'gauss'|'uniform'])" % name)
        nominal, tol = float(spec[0]), float(spec[1])
        kind = str(spec[2]).lower() if len(spec) == 3 else "gauss"
        if kind in ("gauss", "gaussian", "normal"):
            return nominal * (1.0 + (tol / 3.0) * rng.standard_normal(n))
        if kind in ("uniform", "flat"):
            return nominal * (1.0 + tol * rng.uniform(-1.0, 1.0, n))
        raise ValueError("parameter %r: distribution %r is not 'gauss' or 'uniform'" % (name, spec[2]))
    if hasattr(spec, "rvs"):  # a frozen scipy.stats distribution
        return np.asarray(spec.rvs(size=n, random_state=rng), dtype=float).reshape(n)
    if callable(spec):
        return np.array([float(spec(rng)) for _ in range(n)])
    raise TypeError("parameter %r: give a number, (nominal, tolerance, 'gauss'|'uniform'), a callable "
                    "taking a numpy Generator, or a scipy.stats distribution" % name)


def samples(params: Mapping[str, Any], n: int, seed: int | None = None) -> dict[str, np.ndarray]:
    """The Monte Carlo values monte_carlo() runs: {name: n values}. params as in monte_carlo();
    the same seed gives the same values (per parameter name, whatever the other parameters)."""
    return _samples(params, n, np.random.SeedSequence(seed))


def _samples(params: Mapping[str, Any], n: int, ss: np.random.SeedSequence) -> dict[str, np.ndarray]:
    if int(n) < 1:
        raise ValueError("n must be at least 1")
    names = [str(k).lower() for k in params]
    if len(set(names)) != len(names):
        raise ValueError("parameter names must differ (case-insensitively): %s" % ", ".join(map(str, params)))
    return {name: _draw(name, spec, _param_rng(ss, name), int(n)) for name, spec in zip(names, params.values())}


# --------------------------------------------------------------------------- one point

def _error_payload(e: BaseException) -> dict[str, Any]:
    if isinstance(e, SimulationError):
        return {"code": e.code or "error", "message": e.message, "file": e.file, "line": e.line, "column": e.column}
    return {"code": type(e).__name__, "message": str(e) or type(e).__name__, "file": "", "line": 0, "column": 0}


def _extract(res: Any, measure: Measure | None, analysis: str | None, signals: Sequence[str] | None):
    """What travels back from a worker: the measurements, or one analysis's arrays."""
    if measure is not None:
        m = measure(res)
        if isinstance(m, Mapping):
            return {str(k): _scalar(v) for k, v in m.items()}
        return {"value": _scalar(m)}
    name = analysis or next(iter(res))
    a = res[name]
    sigs = list(a) if signals is None else [s.lower() for s in signals]
    return {"analysis": name, "kind": a.kind, "x_name": a.x_name, "x": np.asarray(a.x),
            "signals": {s: np.asarray(a[s]) for s in sigs}, "kinds": {s: a.signal_kinds.get(s, "") for s in sigs}}


def _scalar(v: Any) -> Any:
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.reshape(())[()]
    if isinstance(v, np.generic):
        v = v.item()
    return v


def _run_point(text: str, index: int, params: dict, opts: dict, measure, analysis, signals):
    from . import simulate

    try:
        res = simulate(text, params=params, **opts)
        return index, True, _extract(res, measure, analysis, signals)
    except Exception as e:  # noqa: BLE001 - every failure is reported with its point
        return index, False, _error_payload(e)


def _run_batch(text: str, batch: list, opts: dict, measure, analysis, signals) -> list:
    """A Dask task: several points in a row on one worker."""
    return [_run_point(text, i, p, opts, measure, analysis, signals) for i, p in batch]


# --------------------------------------------------------------------------- backends

def _is_dask_client(backend: Any) -> bool:
    return type(backend).__module__.split(".")[0] == "distributed" and hasattr(backend, "scatter")


def _is_simcore_client(backend: Any) -> bool:
    return type(backend).__module__ == "simcore.client" and type(backend).__name__ == "Client"


def _threads(text, points, opts, measure, analysis, signals, workers):
    n = workers or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="simcore-sweep") as pool:
        futs = [pool.submit(_run_point, text, i, p, opts, measure, analysis, signals) for i, p in enumerate(points)]
        return [f.result() for f in futs]


def _dask(client, text, points, opts, measure, analysis, signals, workers, batch_size):
    from distributed import as_completed

    slots = workers or sum(client.nthreads().values()) or 1
    if batch_size is None:  # about four batches per worker thread: balance without per-task overhead
        batch_size = max(1, math.ceil(len(points) / (4 * slots)))
    indexed = list(enumerate(points))
    batches = iter([indexed[k:k + batch_size] for k in range(0, len(indexed), batch_size)])
    text_future = client.scatter(text, broadcast=True, hash=False)
    pending: dict[str, tuple[Any, list]] = {}
    queue = as_completed()

    def submit(batch):
        f = client.submit(_run_batch, text_future, batch, opts, measure, analysis, signals, pure=False)
        pending[f.key] = (f, batch)
        queue.add(f)

    out = []
    try:
        for batch in itertools.islice(batches, 2 * slots):  # at most two batches queued per worker thread
            submit(batch)
        for f in queue:
            _, batch = pending.pop(f.key)
            try:
                out.extend(f.result())
            except Exception as e:  # noqa: BLE001 - a lost worker, an unpicklable measure...
                err = _error_payload(e)
                out.extend((i, False, err) for i, _ in batch)
            f.release()
            nxt = next(batches, None)
            if nxt is not None:
                submit(nxt)
    finally:
        if pending:  # the loop raised (an interrupt, a closed client...): drop the work still queued
            futures = [f for f, _ in pending.values()]
            try:
                client.cancel(futures)
            finally:
                for f in futures:
                    f.release()
                pending.clear()
        text_future.release()
    return out


# Engine codes of a netlist that fails with its own .param values: CreateSession refuses it, but
# the points' values may still work, so each point then sends the netlist itself.
_NETLIST_CODES = frozenset({"parse", "semantic", "topology"})
# Server refusals that no other point would escape (bad token, bad request, server gone...): the
# sweep stops at the first and raises it.
_FATAL_REMOTE_CODES = frozenset({"unauthenticated", "permission_denied", "unavailable", "bad_request",
                                 "invalid_argument", "not_found", "unimplemented"})
# How long a point refused for the job quota ("quota": queued + running jobs per user) waits
# while no job of this sweep runs or finishes (the quota is held by the user's other jobs).
# While the sweep's own jobs run or finish, the wait has no bound.
_QUOTA_IDLE_SECONDS = 60.0


def _remote(client, text, points, opts, measure, analysis, signals, workers, name):
    from .client import session_name

    if opts.get("max_points"):
        raise ValueError("max_points does not apply to a simcore.Client backend (the server has no per-job "
                         "option for it; its max_time_points limit applies): leave it out")
    name = session_name(name)
    n = max(1, int(workers or 4))  # 4: the server's default per-user quota of queued + running jobs
    save = opts.get("save")
    try:
        base: Any = client.session(text, name=name)
    except SimulationError as e:
        if isinstance(e, RemoteError) or e.code not in _NETLIST_CODES:
            raise  # not the netlist's fault: every point would fail the same way
        base = None  # the netlist fails with its own parameters: let every point report its error
    idle_bound = float(_QUOTA_IDLE_SECONDS)
    cond = threading.Condition()
    # running: jobs of this sweep started and not yet collected; progress: when one last started,
    # ran or ended; gen: counts those events (a waiting point retries at once after one).
    state: dict[str, Any] = {"running": 0, "progress": time.monotonic(), "gen": 0, "fatal": None}

    def progressed(running_delta: int = 0) -> None:
        with cond:
            state["running"] += running_delta
            state["progress"] = time.monotonic()
            state["gen"] += 1
            cond.notify_all()

    def wait_for_slot(delay: float) -> bool:
        """After a quota refusal: wait (woken when a point of this sweep finishes); False when
        the sweep stopped or nothing of this sweep ran or finished for idle_bound seconds."""
        with cond:
            if state["fatal"] is not None:
                return False
            now = time.monotonic()
            if state["running"]:
                state["progress"] = now  # our own jobs hold the quota: they will free it
            idle = now - state["progress"]
            if idle >= idle_bound:
                return False
            cond.wait(min(delay, idle_bound - idle))
            return state["fatal"] is None

    def failed(i, e):
        if isinstance(e, RemoteError) and e.code in _FATAL_REMOTE_CODES:
            with cond:
                if state["fatal"] is None:
                    state["fatal"] = e
                cond.notify_all()
        progressed()
        return i, False, _error_payload(e)

    def one(i, p):
        delay = 0.05
        while True:
            if state["fatal"] is not None:
                return i, False, {"code": "aborted", "message": "not run: the sweep stopped at a server error",
                                  "file": "", "line": 0, "column": 0}
            seen = state["gen"]
            try:
                session, net, job = client._start(base if base is not None else text, save=save, params=p,
                                                  name=name, analyses=None, tstop=None, interpolate=False,
                                                  chunk_rows=None)
            except RemoteError as e:
                if e.code == "quota" and wait_for_slot(delay):
                    # back off while nothing happens; after a point of this sweep ended, start over
                    delay = 0.05 if state["gen"] != seen else min(delay * 2, 1.0)
                    continue
                return failed(i, e)
            except Exception as e:  # noqa: BLE001 - the point's netlist error, with its location
                return failed(i, e)
            progressed(+1)
            try:
                res = client._collect(session, net, job)
                out = _extract(res, measure, analysis, signals)
            except Exception as e:  # noqa: BLE001
                progressed(-1)
                return failed(i, e)
            progressed(-1)
            return i, True, out

    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="simcore-sweep-remote") as pool:
        out = list(pool.map(lambda ip: one(*ip), enumerate(points)))
    if state["fatal"] is not None:
        raise state["fatal"]
    return out


def _execute(text, points, opts, measure, analysis, signals, backend, workers, batch_size, name):
    if backend is None or backend == "threads":
        return _threads(text, points, opts, measure, analysis, signals, workers)
    if backend == "dask":
        from distributed import default_client

        backend = default_client()
    if _is_dask_client(backend):
        return _dask(backend, text, points, opts, measure, analysis, signals, workers, batch_size)
    if _is_simcore_client(backend):
        return _remote(backend, text, points, opts, measure, analysis, signals, workers, name)
    raise TypeError("backend must be None/'threads', 'dask', a dask.distributed.Client or a simcore.Client, "
                    "not %r" % (backend,))


# --------------------------------------------------------------------------- assembling

_ERROR_COLUMNS = ("error", "error_code", "error_file", "error_line", "error_column")


def _frame(points: list[dict], outcomes: dict, index_name: str):
    import pandas as pd

    measured: list[str] = []
    for ok, payload in outcomes.values():
        if ok:
            measured += [k for k in payload if k not in measured]
    rows = []
    for i, p in enumerate(points):
        ok, payload = outcomes[i]
        row = dict(p)
        row.update({k: (payload.get(k, np.nan) if ok else np.nan) for k in measured})
        if ok:
            row.update(error=None, error_code=None, error_file=None, error_line=0, error_column=0)
        else:
            row.update(error=payload["message"], error_code=payload["code"], error_file=payload["file"],
                       error_line=payload["line"], error_column=payload["column"])
        rows.append(row)
    df = pd.DataFrame(rows, index=pd.RangeIndex(len(points), name=index_name))
    df.attrs["params"] = list(dict.fromkeys(k for p in points for k in p))
    df.attrs["failed"] = sum(1 for ok, _ in outcomes.values() if not ok)
    return df


def _common_x(waves: list[dict], x: Any) -> tuple[np.ndarray | None, bool]:
    """The x coordinate of the Dataset, and whether the points must be interpolated onto it."""
    if not waves[0]["x_name"]:
        return None, False
    if x is not None:
        if isinstance(x, (int, np.integer)):
            lo = max(float(w["x"][0]) for w in waves)
            hi = min(float(w["x"][-1]) for w in waves)
            return np.linspace(lo, hi, int(x)), True
        return np.asarray(x, dtype=float), True
    first = waves[0]["x"]
    if all(w["x"].shape == first.shape and np.array_equal(w["x"], first) for w in waves):
        return first, False
    # Adaptive time steps differ between points: a uniform grid as fine as the densest run.
    lo = max(float(w["x"][0]) for w in waves)
    hi = min(float(w["x"][-1]) for w in waves)
    return np.linspace(lo, hi, max(len(w["x"]) for w in waves)), True


def _interp(xq: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if np.iscomplexobj(y):
        return np.interp(xq, x, y.real) + 1j * np.interp(xq, x, y.imag)
    return np.interp(xq, x, y)


def _dataset(points: list[dict], outcomes: dict, dims: list[str], shape: tuple[int, ...], coords: dict,
             x: Any, attrs: dict):
    import xarray as xr

    waves = [outcomes[i][1] for i in range(len(points)) if outcomes[i][0]]
    cols: dict[str, list] = {c: [] for c in _ERROR_COLUMNS}
    for i in range(len(points)):
        ok, p = outcomes[i]
        for c, key, empty in (("error", "message", ""), ("error_code", "code", ""), ("error_file", "file", ""),
                              ("error_line", "line", 0), ("error_column", "column", 0)):
            cols[c].append(empty if ok else p[key])
    data: dict[str, Any] = {
        c: (dims, np.array(v, dtype=np.int64 if c in ("error_line", "error_column") else str).reshape(shape))
        for c, v in cols.items()}
    attrs = dict(attrs, failed=int(sum(1 for i in range(len(points)) if not outcomes[i][0])),
                 params=list(dict.fromkeys(k for p in points for k in p)))
    if not waves:
        return xr.Dataset(data, coords=coords, attrs=attrs)
    ref = waves[0]
    xs, interpolated = _common_x(waves, x)
    x_name = ref["x_name"]
    n_x = () if xs is None else (len(xs),)
    for sig, first in ref["signals"].items():
        dtype = np.complex128 if np.iscomplexobj(first) else np.float64
        arr = np.full((len(points),) + n_x, np.nan, dtype=dtype)
        for i in range(len(points)):
            ok, w = outcomes[i]
            if not ok or sig not in w["signals"]:
                continue
            y = w["signals"][sig]
            if xs is None:
                arr[i] = y[0] if y.size else np.nan
            elif interpolated:
                arr[i] = _interp(xs, w["x"], y)
            else:
                arr[i] = y
        vdims = dims + ([x_name] if xs is not None else [])
        data[sig] = (vdims, arr.reshape(shape + n_x), {"kind": ref["kinds"].get(sig, "")})
    if xs is not None:
        coords = dict(coords, **{x_name: xs})
    attrs.update(analysis=ref["analysis"], kind=ref["kind"], interpolated=int(interpolated))
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _read(netlist_or_path: Any) -> tuple[str, str, str]:
    """(text, file name for errors, file stem for server-side names; the remote backend makes it
    a valid session name)."""
    from . import _is_path

    if _is_path(netlist_or_path):
        path = os.fspath(netlist_or_path)
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(), path, os.path.splitext(os.path.basename(path))[0]
    if not isinstance(netlist_or_path, str):
        raise TypeError("expected netlist text or a path, not %s" % type(netlist_or_path).__name__)
    return netlist_or_path, "<netlist>", "sweep"


def run(netlist_or_path: str | os.PathLike, points: Sequence[Mapping[str, float]], *,
        measure: Measure | None = None, backend: Any = None, workers: int | None = None,
        batch_size: int | None = None, analysis: str | None = None, signals: Sequence[str] | None = None,
        save: Iterable[str] | None = None, max_points: int | None = None, x: Any = None,
        errors: str = "report", index_name: str = "point"):
    """Run an explicit list of parameter sets ({name: value} each). With measure=: a DataFrame
    (one row per point: parameters, measurements, error columns); without: an xarray Dataset with
    dimension index_name. grid() and monte_carlo() are built on this; arguments as there."""
    points = [{str(k).lower(): float(v) for k, v in p.items()} for p in points]
    if not points:
        raise ValueError("no points to run")
    names = list(dict.fromkeys(k for p in points for k in p))
    data = _sweep(netlist_or_path, points, measure=measure, backend=backend, workers=workers,
                  batch_size=batch_size, analysis=analysis, signals=signals, save=save, max_points=max_points,
                  x=x, errors=errors, index_name=index_name,
                  layout=([index_name], (len(points),),
                          {n: (index_name, np.array([p.get(n, np.nan) for p in points])) for n in names}))
    return data


def _sweep(netlist_or_path, points, *, measure, backend, workers, batch_size, analysis, signals, save, max_points,
           x, errors, index_name, layout, attrs=None):
    if errors not in ("report", "raise"):
        raise ValueError("errors must be 'report' or 'raise'")
    text, file_name, stem = _read(netlist_or_path)
    opts: dict[str, Any] = {"file_name": file_name}
    if save is not None:
        opts["save"] = [save] if isinstance(save, str) else list(save)
    elif signals is not None:
        opts["save"] = list(signals)  # only what the Dataset keeps travels back
    if max_points:
        opts["max_points"] = int(max_points)
    t0 = time.perf_counter()
    raw = _execute(text, points, opts, measure, analysis, signals, backend, workers, batch_size, stem)
    wall = time.perf_counter() - t0
    outcomes = {i: (ok, payload) for i, ok, payload in raw}
    missing = [i for i in range(len(points)) if i not in outcomes]
    for i in missing:  # defensive: a backend that lost a point reports it rather than dropping it
        outcomes[i] = (False, {"code": "lost", "message": "no result came back for this point", "file": "",
                               "line": 0, "column": 0})
    if measure is not None:
        data = _frame(points, outcomes, index_name)
        data.attrs.update(attrs or {}, wall_seconds=wall)
    else:
        dims, shape, coords = layout
        data = _dataset(points, outcomes, dims, shape, coords, x, dict(attrs or {}, wall_seconds=wall))
    if errors == "raise":
        f = failures(data)
        if f:
            raise SweepError(f, data)
    return data


def grid(netlist_or_path: str | os.PathLike, params: Mapping[str, Iterable[float]], *,
         measure: Measure | None = None, backend: Any = None, workers: int | None = None,
         batch_size: int | None = None, analysis: str | None = None, signals: Sequence[str] | None = None,
         save: Iterable[str] | None = None, max_points: int | None = None, x: Any = None,
         errors: str = "report"):
    """Run the netlist at every combination of the parameter values (cartesian product).

    params: {.param name: values}; names are case-insensitive (lower-cased, as simulate() does).
    measure: f(Result) -> {name: scalar} (or one scalar, column "value"); then the answer is a
      pandas DataFrame, one row per point: the parameters, the measurements, error columns.
    Without measure: an xarray Dataset with one dimension per parameter (in the given order) plus
      the analysis's x ("time", "frequency"...; none for .op): one variable per signal, NaN where a
      point failed, and error / error_code / error_line / error_column per point.
    analysis: which analysis goes into the Dataset (default: the netlist's first); signals: which
      signals (default all, or save=); x: the x coordinate: default the points' own x when they all
      agree (AC, DC), else a uniform grid as fine as the densest run (adaptive .tran steps differ
      per point) with values linearly interpolated; an int N: N uniform points; an array: those.
    backend: None/"threads" (this process, `workers` threads, default the CPU count), a
      dask.distributed.Client or "dask" (batches of batch_size points per task, default about four
      per worker thread), or a simcore.Client (`workers` jobs at a time, default 4).
    max_points: a limit on transient points per run (LimitError for that point); not with a
      simcore.Client backend (ValueError: the server applies its own max_time_points limit).
    errors: "report" (default; see failures()) or "raise" (SweepError once all points have run).
    """
    names, axes, points = _grid_points(params)
    coords = {n: a for n, a in zip(names, axes)}
    return _sweep(netlist_or_path, points, measure=measure, backend=backend, workers=workers,
                  batch_size=batch_size, analysis=analysis, signals=signals, save=save, max_points=max_points,
                  x=x, errors=errors, index_name="point",
                  layout=(names, tuple(len(a) for a in axes), coords))


def monte_carlo(netlist_or_path: str | os.PathLike, params: Mapping[str, Any], n: int, *,
                seed: int | None = None, measure: Measure | None = None, backend: Any = None,
                workers: int | None = None, batch_size: int | None = None, analysis: str | None = None,
                signals: Sequence[str] | None = None, save: Iterable[str] | None = None,
                max_points: int | None = None, x: Any = None, errors: str = "report"):
    """n runs with randomly drawn parameter values; the same seed gives the same samples and results.

    params: {name: distribution}, each one of
      (nominal, tol, "gauss")   nominal * (1 + N(0, tol/3)): tol is the 3-sigma relative tolerance
      (nominal, tol, "uniform") nominal * (1 + U(-tol, tol));  (nominal, tol) means "gauss"
      a callable f(rng) -> float (rng: numpy.random.Generator), called once per sample
      a frozen scipy.stats distribution (its rvs with the parameter's Generator), or a constant.
    Each parameter draws from its own stream (seed, SHA-256 of the name), so adding a parameter
    keeps the others' samples (earlier versions keyed the stream by crc32 of the name: the same
    seed now draws other values). A name given twice (in any case) is a ValueError. seed=None draws fresh entropy, recorded in the answer's attrs["seed"] to rerun it.
    With measure=: a DataFrame indexed by "sample" (the usual case); without: a Dataset with
    dimensions ("sample", x) and the parameters as coordinates along "sample". Other arguments
    as in grid().
    """
    ss = np.random.SeedSequence(seed)
    values = _samples(params, n, ss)
    points = [{k: float(v[i]) for k, v in values.items()} for i in range(int(n))]
    coords = {k: ("sample", v) for k, v in values.items()}
    coords["sample"] = np.arange(int(n))
    return _sweep(netlist_or_path, points, measure=measure, backend=backend, workers=workers,
                  batch_size=batch_size, analysis=analysis, signals=signals, save=save, max_points=max_points,
                  x=x, errors=errors, index_name="sample", layout=(["sample"], (int(n),), coords),
                  attrs={"seed": str(ss.entropy)})


def failures(data: Any) -> list[Failure]:
    """The failed points of a grid() / monte_carlo() / run() answer (Dataset or DataFrame)."""
    names = list(data.attrs.get("params", []))
    out: list[Failure] = []
    if hasattr(data, "data_vars"):  # xarray
        err = data["error"].values
        dims = list(data["error"].dims)
        for idx in zip(*np.nonzero(data["error_code"].values != "")):
            sel = dict(zip(dims, idx))
            params = {n: float(data.coords[n].values[tuple(sel[d] for d in data.coords[n].dims)]) for n in names}
            out.append(Failure(int(np.ravel_multi_index(idx, err.shape)), params, str(data["error_code"].values[idx]),
                               str(err[idx]), str(data["error_file"].values[idx]),
                               int(data["error_line"].values[idx]), int(data["error_column"].values[idx])))
        return out
    for i, row in data[data["error_code"].notna()].iterrows():
        out.append(Failure(int(i), {n: float(row[n]) for n in names}, str(row["error_code"]), str(row["error"]),
                           str(row["error_file"] or ""), int(row["error_line"]), int(row["error_column"])))
    return out
