"""simcore: a SPICE-class circuit simulator.

    import simcore
    r = simcore.simulate("rc.cir", params={"r1": 2e3})
    r["tran"].x, r["tran"]["v(out)"]          # numpy arrays
    r["tran"].to_pandas(); r["ac"].to_xarray()

simulate() runs the C++ engine in this process (the GIL is released while it
runs, so threads can simulate concurrently); simcore.Client("host:port", token=...)
runs netlists on a `simcore serve` server (.simulate, .stream, .result, .jobs, .stop; it needs
grpcio and protobuf, the `client` extra: pip install 'simcore[client]');
simcore.sweep runs parameter grids and Monte Carlo samples (threads, Dask or a server). Engine errors raise
SimulationError subclasses carrying .code, .file, .line, .column, .message.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from . import _native
from ._errors import (ConvergenceError, InternalError, LimitError, NetlistError, ParseError, RemoteError,
                      SemanticError, SimulationCancelled, SimulationError, SingularMatrixError, TimestepTooSmallError,
                      TopologyError)
from ._result import Analysis, Chunk, Result, get_losses

__version__: str = _native.engine_version  # the repository's VERSION file, compiled into the module
__all__ = [
    "simulate", "simulate_from_string", "get_losses", "stream", "describe", "convert", "live_plot", "steady_state",
    "oscillator_steady_state",
    "frequency_response", "Result", "Analysis", "file_resolver", "model_library", "list_models", "Client", "Chunk",
    "Job", "Session",
    "sweep", "RemoteError",
    "SimulationError", "NetlistError", "ParseError", "SemanticError", "TopologyError", "SingularMatrixError",
    "ConvergenceError", "TimestepTooSmallError", "SimulationCancelled", "LimitError", "InternalError",
]



def __getattr__(name: str) -> Any:
    # The gRPC client is imported on first use (grpc takes a moment to import).
    if name in ("Client", "Job", "Session"):
        from . import client

        if name == "Client" and client._IMPORT_ERROR is not None:
            raise client.missing_client()
        return getattr(client, name)
    if name == "live_plot":
        from .live import live_plot

        return live_plot
    if name in ("sweep", "plot"):  # simcore.sweep.grid(...); simcore.plot.save(...)
        import importlib

        return importlib.import_module("." + name, __name__)
    raise AttributeError("module 'simcore' has no attribute %r" % name)


Resolver = Callable[[str, str], "str | tuple[str, str]"]


def model_library() -> str | None:
    """The directory of simcore's model library (models/README.md): $SIMCORE_MODELS, the copy
    installed inside the package, or the repository's models/ beside py/ (a source checkout)."""
    env = os.environ.get("SIMCORE_MODELS")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    for cand in (os.path.join(here, "models"), os.path.join(here, "..", "..", "models")):
        if os.path.isfile(os.path.join(cand, "README.md")):
            return os.path.normpath(cand)
    return None


def list_models() -> list[str]:
    """Every file of the model library as the path a netlist names it by ("models/diodes.lib",
    "models/devices/C3M0060065J.xml", ...), sorted; [] when there is no library."""
    lib = model_library()
    if lib is None:
        return []
    out = []
    for root, _dirs, files in os.walk(lib):
        for f in files:
            if f.endswith((".lib", ".xml")):
                out.append("models/" + os.path.relpath(os.path.join(root, f), lib).replace(os.sep, "/"))
    return sorted(out)


def _library_relative(path: str) -> str | None:
    """'models/x/y.lib' -> 'x/y.lib' when path names a model-library file (no '.', '..' or
    empty segment), else None."""
    parts = path.split("/")
    if len(parts) < 2 or parts[0] != "models" or any(p in ("", ".", "..") for p in parts[1:]):
        return None
    return "/".join(parts[1:])


def file_resolver(base_dir: str | os.PathLike | None = None) -> Resolver:
    """The default .include/.lib/losses= resolver, as `simcore run`'s: "~/" is the home
    directory; a relative path is taken from the including file's directory (or base_dir, default
    the current directory, for text given directly), then from the current directory (where
    ngspice looks first); a "models/..." path found in neither comes from the model library
    (model_library())."""
    base = os.fspath(base_dir) if base_dir is not None else None

    def resolve(path: str, from_file: str) -> tuple[str, str]:
        if path.startswith("~/"):
            path = os.path.expanduser(path)
        full = path
        if not os.path.isabs(path):
            if from_file and not from_file.startswith("<"):
                root = os.path.dirname(from_file)
            else:
                root = base if base is not None else os.getcwd()
            full = os.path.join(root, path)
            if not os.path.exists(full) and os.path.isfile(path):
                full = path
        below = _library_relative(path)
        if below is not None and not os.path.exists(full):
            lib = model_library()
            if lib is not None and os.path.isfile(os.path.join(lib, below)):
                full = os.path.join(lib, below)
        with open(full, encoding="utf-8", errors="replace") as f:
            return full, f.read()

    return resolve


def _is_path(arg: Any) -> bool:
    """A path, not netlist text: a PathLike, or a str of one line. One line is never a netlist
    that runs (its first line is the title), so a missing file raises FileNotFoundError when
    opened instead of running the path as a netlist ("no analysis card")."""
    if isinstance(arg, os.PathLike):
        return True
    # A one-line JSON circuit model ("{...}") is text, not a file name.
    return isinstance(arg, str) and "\n" not in arg and "\r" not in arg and not arg.lstrip().startswith("{")


def _read_source(source: Any, file_name: str | None) -> tuple[str, str]:
    """(text, file name) of netlist or circuit-model text, a path, or a model as a dict."""
    if isinstance(source, Mapping):
        return json.dumps(source), file_name or "<circuit>"
    if _is_path(source):
        path = os.fspath(source)
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(), file_name or path
    if not isinstance(source, str):
        raise TypeError("simcore takes netlist text, a circuit model or a path, not %s" % type(source).__name__)
    return source, file_name or "<netlist>"


def convert(source: str | os.PathLike | Mapping[str, Any], to: str | None = None, *,
            file_name: str | None = None) -> str:
    """Netlist <-> the JSON circuit model (docs/interop.md, schema/circuit.schema.json).

    source: netlist text, circuit-model text, a path to either, or the model as a dict.
    to: "json" (netlist -> model, JSON text) or "spice" (model -> netlist text); default: the
    other one of the source's. Errors raise ParseError: at the netlist's line and column, or
    with the JSON Pointer of the value that breaks the schema ("/cards/3/nodes/0: ...").
    json.loads(convert(netlist)) is the model as a dict."""
    text, name = _read_source(source, file_name)
    is_json = _native.looks_like_circuit_json(text)
    target = to or ("spice" if is_json else "json")
    if target not in ("json", "spice"):
        raise ValueError("to must be 'json' or 'spice', not %r" % (to,))
    if (target == "json") == is_json:
        raise ValueError("the source is already %s" % ("a circuit model" if is_json else "a netlist"))
    if target == "json":
        return _native.netlist_to_json(text, name)
    return _native.json_to_netlist(text, name)


def _prepare(netlist_or_path, save, params, file_name, resolver):
    """(text, file name, resolver, save list, param overrides) for the native module. A circuit
    model (JSON text, a .json path or a dict) runs as the netlist it stands for."""
    if isinstance(netlist_or_path, Mapping):
        text, name = _read_source(netlist_or_path, file_name)
    elif _is_path(netlist_or_path):
        path = os.fspath(netlist_or_path)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        name = file_name or path
    else:
        if not isinstance(netlist_or_path, str):
            raise TypeError("simcore takes netlist text or a path, not %s" % type(netlist_or_path).__name__)
        text = netlist_or_path
        name = file_name or "<netlist>"
    if _native.looks_like_circuit_json(text):
        text = _native.json_to_netlist(text, name)
    if resolver is None:
        resolver = file_resolver()
    save_list = [str(s) for s in save] if save is not None else []
    if isinstance(save, str):
        save_list = [s.strip() for s in save.split(",") if s.strip()]
    overrides = [(str(k).lower(), float(v)) for k, v in (params or {}).items()]
    return text, name, resolver, save_list, overrides


def describe(netlist_or_path: str | os.PathLike, *, params: Mapping[str, float] | None = None,
             file_name: str | None = None, resolver: Resolver | None = None) -> dict:
    """The size of a netlist without running it: {title, nodes, branches, unknowns (nodes +
    branch currents), points (expected rows over all analyses), devices: [{letter, kind, count}],
    analyses: [{type, points}]}. Arguments as for simulate(); parse errors raise the same errors."""
    text, name, resolver, _, overrides = _prepare(netlist_or_path, None, params, file_name, resolver)
    return _native.describe(text, name, resolver, overrides)


def simulate(netlist_or_path: str | os.PathLike, *, save: Iterable[str] | None = None,
             params: Mapping[str, float] | None = None, max_points: int | None = None,
             file_name: str | None = None, resolver: Resolver | None = None, cancel: Any = None,
             chunk_rows: int = 1024, analyses: Iterable[str] | None = None, tstop: float | None = None,
             max_step: float | None = None, interpolate: bool = False, threads: int = 1) -> Result:
    """Run every analysis of a netlist and return its Result.

    netlist_or_path: a path (str or os.PathLike) of an existing netlist file, or netlist text.
    save: signals to keep ("v(out)", "i(vin)"); default: the netlist's .save cards, else all.
    params: top-level .param values to override, {name: value}.
    max_points: stop with LimitError after this many transient time points.
    file_name: the name errors report for netlist text (default "<netlist>").
    resolver: callable(path, from_file) -> text or (name, text) for .include/.lib;
      default: files relative to the including file (text: the current directory).
    cancel: an object with is_set() (e.g. threading.Event); when set, the run stops with
      SimulationCancelled. Ctrl-C stops a run too (KeyboardInterrupt).
    analyses: analysis cards to run instead of the netlist's own ([".tran 1u 1m", ".pss 10u"]).
    tstop, max_step: replace tstop and the largest time step (tmax) of every .tran.
    interpolate: transient rows on the .tran grid (tstart, tstart + tstep, ..., tstop) from the
      integrator's dense output, instead of one row per accepted time point.
    threads: threads evaluating the device models of large circuits (kinds with 512 or more
      level-1 MOSFET evaluations, fewer of costly models); the results are bit-identical to one thread.
    The run's stats include switching_mode: "event" (the piecewise-linear event engine), "spice"
    or "linear" (no switching element); "" without a transient.
    """
    text, name, resolver, save_list, overrides = _prepare(netlist_or_path, save, params, file_name, resolver)
    cards = [str(a) for a in analyses] if analyses is not None else []
    raw = _native.run(text, name, resolver, save_list, overrides, int(max_points or 0), int(chunk_rows), 256,
                      cancel, cards, _opt_float(tstop), _opt_float(max_step), bool(interpolate),
                      _threads(threads))
    return Result._from_native(raw, text)


def _threads(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1 or n > 256:
        raise ValueError(f"threads must be an integer from 1 to 256, got {n!r}")
    return n


def _opt_float(v: Any) -> float | None:
    return None if v is None else float(v)


def simulate_from_string(netlist: str, *, tstop: float | None = None, dt: float | None = None,
                         tstart: float = 0.0, max_step: float | None = None, save: Iterable[str] | None = None,
                         params: Mapping[str, float] | None = None, file_name: str | None = None,
                         resolver: Resolver | None = None) -> np.ndarray:
    """The transient of netlist text as a numpy structured array: a "time" field and one field per
    saved signal ("v(out)", "i(vin)"). With tstop and dt, the netlist's analyses are replaced by
    `.tran dt tstop tstart` and the rows lie on that grid (dense output); with neither, the
    netlist's own first .tran runs (every accepted time point). max_step bounds the step."""
    if not isinstance(netlist, str):
        raise TypeError("simulate_from_string takes netlist text, not %s" % type(netlist).__name__)
    if (tstop is None) != (dt is None):
        raise ValueError("give tstop and dt together (or neither, to run the netlist's own .tran)")
    cards = None
    if tstop is not None:
        if not (float(dt) > 0 and float(tstop) > float(tstart) >= 0):
            raise ValueError("need dt > 0 and tstop > tstart >= 0 (got dt=%r, tstart=%r, tstop=%r)" % (dt, tstart, tstop))
        cards = [".tran %s %s %s" % (_num(dt), _num(tstop), _num(tstart))]
    # netlist text only: a one-line string is never read as a path here
    res = simulate(netlist if "\n" in netlist else netlist + "\n", save=save, params=params,
                   file_name=file_name or "<netlist>", resolver=resolver, analyses=cards, max_step=max_step,
                   interpolate=tstop is not None)
    tran = next((a for a in res.values() if a.kind == "tran"), None)
    if tran is None:
        raise ValueError("the netlist has no .tran analysis (give tstop= and dt=)")
    names = ["time"] + tran.signals
    out = np.empty(len(tran.x), dtype=[(n, np.float64) for n in names])
    out["time"] = tran.x
    for n in tran.signals:
        out[n] = tran[n]
    return out


def _num(v: float) -> str:
    return repr(float(v))


def steady_state(netlist_or_path: str | os.PathLike, period: float, *, settle: float | None = None,
                 save: Iterable[str] | None = None, params: Mapping[str, float] | None = None,
                 file_name: str | None = None, resolver: Resolver | None = None,
                 cancel: Any = None) -> Analysis:
    """One period of the periodic steady state of a circuit driven with `period` (seconds): the
    netlist's own analyses are replaced by `.pss period [settle]` (a transient to the first
    multiple of the period after `settle`, default 10 periods, then Newton shooting). Returns the
    Analysis "pss" (time and every saved signal over one period; .to_pandas() etc.); its stats
    are in the Result: simulate(..., analyses=[".pss ..."]).stats has shooting_iterations and
    shooting_residual."""
    card = ".pss " + _num(period) + ("" if settle is None else " " + _num(settle))
    res = simulate(netlist_or_path, save=save, params=params, file_name=file_name, resolver=resolver,
                   cancel=cancel, analyses=[card])
    return res["pss"]


def oscillator_steady_state(netlist_or_path: str | os.PathLike, node: str, guessed_frequency: float, *,
                            settle: float, points: int = 256, harmonics: int = 10, iterations: int = 50,
                            steady_coeff: float = 5e-3, uic: bool = False, save: Iterable[str] | None = None,
                            params: Mapping[str, float] | None = None, file_name: str | None = None,
                            resolver: Resolver | None = None, cancel: Any = None) -> tuple[Analysis, Analysis]:
    """The periodic steady state of a free-running oscillator (ngspice's `.pss GFREQ TSTAB ONAME POINTS
    HARMS SCITER STEADYCOEFF [UIC]`, replacing the netlist's analyses): a transient to `settle`, the
    period estimated from v(node)'s crossings, then Newton shooting with the period as an unknown.
    Returns (period, spectrum): the Analysis "pss" (`points` + 1 equally spaced instants of one
    period) and the Analysis "pss_spectrum" (x = 0, f, 2f, ... up to `harmonics` rows: each signal's
    DC value, then its harmonics' magnitudes; spectrum.x[1] is the oscillation frequency)."""
    card = " ".join([".pss", _num(guessed_frequency), _num(settle), node, str(int(points)), str(int(harmonics)),
                     str(int(iterations)), _num(steady_coeff)] + (["uic"] if uic else []))
    res = simulate(netlist_or_path, save=save, params=params, file_name=file_name, resolver=resolver,
                   cancel=cancel, analyses=[card])
    return res["pss"], res["pss_spectrum"]


def frequency_response(netlist_or_path: str | os.PathLike, *, source: str, period: float, fstart: float,
                       fstop: float, points_per_decade: int = 10, settle: float | None = None,
                       amplitude: float | None = None, save: Iterable[str] | None = None,
                       params: Mapping[str, float] | None = None, file_name: str | None = None,
                       resolver: Resolver | None = None, cancel: Any = None) -> Analysis:
    """Small-signal frequency response of a switching circuit around its periodic steady state:
    the transfer from the independent source `source` (a reference, duty or supply) to every saved
    signal, from fstart to fstop Hz (points_per_decade), for a circuit switching with `period`.
    Runs `.fra dec ...` instead of the netlist's analyses; returns the Analysis "fra" (complex
    per unit of the source's amplitude, like "ac": abs/angle, .to_pandas())."""
    card = ".fra dec %d %s %s period=%s source=%s" % (int(points_per_decade), _num(fstart), _num(fstop),
                                                      _num(period), source)
    if settle is not None:
        card += " settle=" + _num(settle)
    if amplitude is not None:
        card += " amplitude=" + _num(amplitude)
    res = simulate(netlist_or_path, save=save, params=params, file_name=file_name, resolver=resolver,
                   cancel=cancel, analyses=[card])
    return res["fra"]


def stream(netlist_or_path: str | os.PathLike, *, save: Iterable[str] | None = None,
           params: Mapping[str, float] | None = None, max_points: int | None = None,
           file_name: str | None = None, resolver: Resolver | None = None, cancel: Any = None,
           chunk_rows: int = 1024, analyses: Iterable[str] | None = None, tstop: float | None = None,
           max_step: float | None = None, interpolate: bool = False, threads: int = 1) -> Iterator[Chunk]:
    """Run every analysis of a netlist in this process and yield its rows as the engine computes
    them: Chunks of about chunk_rows rows (x and numpy arrays per signal, as Client.stream gives),
    the last of each analysis with end=True. Arguments as in simulate(). An engine error raises
    (after the chunks computed before it); closing the iterator early, or cancel.is_set(),
    stops the run (the latter with SimulationCancelled)."""
    text, name, resolver, save_list, overrides = _prepare(netlist_or_path, save, params, file_name, resolver)
    cards = [str(a) for a in analyses] if analyses is not None else []
    sim = _native.Simulation(text, name, resolver, save_list, overrides, int(max_points or 0), int(chunk_rows), cards,
                             _opt_float(tstop), _opt_float(max_step), bool(interpolate), _threads(threads))
    headers: dict[int, dict] = {}  # analysis index -> its header event (with its Result name)
    seen: dict[str, int] = {}
    try:
        while not sim.done:
            if cancel is not None and cancel.is_set():
                sim.cancel()
            events = sim.step(max(1, int(chunk_rows)))
            progress = sim.progress
            last: Chunk | None = None  # held back until it is known whether the next event ends it
            for ev in events:
                if ev["type"] == "header":
                    kind = ev["analysis"]
                    seen[kind] = seen.get(kind, 0) + 1
                    ev["name"] = kind if seen[kind] == 1 else "%s%d" % (kind, seen[kind])
                    headers[ev["index"]] = ev
                    continue
                if ev["type"] == "end" and last is not None and last.index == ev["index"]:
                    last.end = True
                    continue
                if last is not None:
                    yield last
                h = headers[ev["index"]]
                if ev["type"] == "chunk":
                    x, values = ev["x"], ev["values"]
                else:  # an end whose rows came in an earlier step: an empty closing chunk
                    x = np.empty(0)
                    values = [np.empty(0, dtype=np.complex128 if h["complex"] else np.float64)] * len(h["signals"])
                last = Chunk(h["name"], h["analysis"], ev["index"], h["x_name"], x, dict(zip(h["signals"], values)),
                             ev["type"] == "end", progress, dict(zip(h["signals"], h["kinds"])), h.get("variant", ""))
            if last is not None:
                yield last
    finally:
        if not sim.done:
            sim.cancel()  # the caller stopped early (break, close, an exception)
