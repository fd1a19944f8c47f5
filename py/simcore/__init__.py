"""simcore: a SPICE-class circuit simulator.

    import simcore
    r = simcore.simulate("rc.cir", params={"r1": 2e3})
    r["tran"].x, r["tran"]["v(out)"]          # numpy arrays
    r["tran"].to_pandas(); r["ac"].to_xarray()

simulate() runs the C++ engine in this process (the GIL is released while it
runs, so threads can simulate concurrently); simcore.Client("host:port", token=...)
runs netlists on a `simcore serve` server (.simulate, .stream, .result, .jobs, .stop);
simcore.sweep runs parameter grids and Monte Carlo samples (threads, Dask or a server). Engine errors raise
SimulationError subclasses carrying .code, .file, .line, .column, .message.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from . import _native
from ._errors import (ConvergenceError, InternalError, LimitError, NetlistError, ParseError, RemoteError,
                      SemanticError, SimulationCancelled, SimulationError, SingularMatrixError, TimestepTooSmallError,
                      TopologyError)
from ._result import Analysis, Result

__version__ = "0.1.0"
__all__ = [
    "simulate", "describe", "Result", "Analysis", "file_resolver", "Client", "Chunk", "Job", "Session", "sweep", "RemoteError",
    "SimulationError", "NetlistError", "ParseError", "SemanticError", "TopologyError", "SingularMatrixError",
    "ConvergenceError", "TimestepTooSmallError", "SimulationCancelled", "LimitError", "InternalError",
]



def __getattr__(name: str) -> Any:
    # The gRPC client is imported on first use (grpc takes a moment to import).
    if name in ("Client", "Chunk", "Job", "Session"):
        from . import client

        return getattr(client, name)
    if name == "sweep":  # simcore.sweep.grid(...), simcore.sweep.monte_carlo(...)
        import importlib

        return importlib.import_module(".sweep", __name__)
    raise AttributeError("module 'simcore' has no attribute %r" % name)


Resolver = Callable[[str, str], "str | tuple[str, str]"]


def file_resolver(base_dir: str | os.PathLike | None = None) -> Resolver:
    """The default .include/.lib resolver: a relative path is taken from the including
    file's directory (or base_dir, default the current directory, for text given directly)."""
    base = os.fspath(base_dir) if base_dir is not None else None

    def resolve(path: str, from_file: str) -> tuple[str, str]:
        if not os.path.isabs(path):
            if from_file and not from_file.startswith("<"):
                root = os.path.dirname(from_file)
            else:
                root = base if base is not None else os.getcwd()
            path = os.path.join(root, path)
        with open(path, encoding="utf-8", errors="replace") as f:
            return path, f.read()

    return resolve


def _is_path(arg: Any) -> bool:
    if isinstance(arg, os.PathLike):
        return True
    return isinstance(arg, str) and "\n" not in arg and len(arg) < 4096 and os.path.isfile(arg)


def _read_netlist(netlist_or_path: str | os.PathLike, file_name: str | None, what: str) -> tuple[str, str]:
    if _is_path(netlist_or_path):
        path = os.fspath(netlist_or_path)
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(), file_name or path
    if not isinstance(netlist_or_path, str):
        raise TypeError("%s() takes netlist text or a path, not %s" % (what, type(netlist_or_path).__name__))
    return netlist_or_path, file_name or "<netlist>"


def describe(netlist_or_path: str | os.PathLike, *, params: Mapping[str, float] | None = None,
             file_name: str | None = None, resolver: Resolver | None = None) -> dict:
    """The size of a netlist without running it: {title, nodes, branches, unknowns (nodes +
    branch currents), points (expected rows over all analyses), devices: [{letter, kind, count}],
    analyses: [{type, points}]}. Arguments as for simulate(); parse errors raise the same errors."""
    text, name = _read_netlist(netlist_or_path, file_name, "describe")
    overrides = [(str(k).lower(), float(v)) for k, v in (params or {}).items()]
    return _native.describe(text, name, resolver if resolver is not None else file_resolver(), overrides)


def simulate(netlist_or_path: str | os.PathLike, *, save: Iterable[str] | None = None,
             params: Mapping[str, float] | None = None, max_points: int | None = None,
             file_name: str | None = None, resolver: Resolver | None = None, cancel: Any = None,
             chunk_rows: int = 1024) -> Result:
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
    """
    if _is_path(netlist_or_path):
        path = os.fspath(netlist_or_path)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        name = file_name or path
    else:
        if not isinstance(netlist_or_path, str):
            raise TypeError("simulate() takes netlist text or a path, not %s" % type(netlist_or_path).__name__)
        text = netlist_or_path
        name = file_name or "<netlist>"
    if resolver is None:
        resolver = file_resolver()
    save_list = [str(s) for s in save] if save is not None else []
    if isinstance(save, str):
        save_list = [s.strip() for s in save.split(",") if s.strip()]
    overrides = [(str(k).lower(), float(v)) for k, v in (params or {}).items()]
    raw = _native.run(text, name, resolver, save_list, overrides, int(max_points or 0), int(chunk_rows), 256,
                      cancel)
    return Result._from_native(raw, text)
