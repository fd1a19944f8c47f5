"""Exceptions raised for simcore errors.

Every error has a code: the lower-case name of a simcore.v1.ErrorCode value
(proto/simcore/v1/simulator.proto), which lists the engine's codes (the
engine's one table, simcore::kErrorCodes, whose names the native module gives
as simcore._native.error_codes) and the server's own. Each engine code has one
class below, registered by its ``code=`` class argument; the native binding and
simcore.Client both build exceptions through from_native, so a code raises the
same class whichever backend ran (tests/test_error_codes.py checks the three
lists agree).
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "SimulationError", "NetlistError", "ParseError", "SemanticError", "TopologyError",
    "SingularMatrixError", "ConvergenceError", "TimestepTooSmallError", "SimulationCancelled",
    "LimitError", "InternalError", "RemoteError",
]

# code -> the class raised for it (filled by SimulationError.__init_subclass__).
_BY_CODE: dict[str, type[SimulationError]] = {}


class SimulationError(Exception):
    """An error reported by the simcore engine.

    code: the error code name ("parse", "topology", "convergence", "timestep_too_small", ...);
    message: what went wrong; file, line, column: where in the netlist (line and
    column 1-based, 0 when unknown; file "" when unknown).
    """

    code = "internal"

    def __init_subclass__(cls, code: str | None = None, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
            _BY_CODE[code] = cls

    def __init__(self, message: str, *, code: str | None = None, file: str = "", line: int = 0,
                 column: int = 0, formatted: str | None = None):
        self.message = message
        if code is not None:
            self.code = code
        self.file = file
        self.line = line
        self.column = column
        super().__init__(formatted or message)

    @property
    def col(self) -> int:
        return self.column

    def __reduce__(self):  # picklable (multiprocessing, concurrent.futures.ProcessPoolExecutor)
        return (_rebuild, (type(self), self.message, self.code, self.file, self.line, self.column, str(self)))


def _rebuild(cls, message, code, file, line, column, formatted):
    return cls(message, code=code, file=file, line=line, column=column, formatted=formatted)


class NetlistError(SimulationError):
    """The netlist could not be turned into a circuit."""


class ParseError(NetlistError, code="parse"):
    """A lexical or syntax error in the netlist."""


class SemanticError(NetlistError, code="semantic"):
    """A well-formed netlist that means nothing: an unknown model, a bad parameter, a recursion."""


class TopologyError(SimulationError, code="topology"):
    """A floating node or a loop of voltage sources."""


class SingularMatrixError(SimulationError, code="singular"):
    """The circuit's matrix is singular."""


class ConvergenceError(SimulationError, code="convergence"):
    """Newton's method failed after every fallback (operating point, dc point)."""


class TimestepTooSmallError(ConvergenceError, code="timestep_too_small"):
    """The transient time step fell below its minimum."""


class SimulationCancelled(SimulationError, code="cancelled"):
    """The run was stopped (a cancel event, Ctrl-C, Client.stop)."""


class LimitError(SimulationError, code="limit"):
    """A resource limit was exceeded (max_points; a server's unknowns, time points, time, memory)."""


class InternalError(SimulationError, code="internal"):
    """A bug in simcore: it should never reach a user."""


class RemoteError(SimulationError):
    """A server-side failure that is not an engine error (auth, quota, not found, a crashed worker...).
    code: the server's code ("quota", "crashed", "not_found", ...) or the gRPC status in lower case;
    status: the gRPC status code name ("UNAUTHENTICATED", "NOT_FOUND", ...)."""

    status = ""


def from_native(code: str, message: str, file: str, line: int, col: int, formatted: str,
                default: type[SimulationError] = SimulationError) -> SimulationError:
    """Build the exception for an error code (called by simcore._native and simcore.Client)."""
    cls = _BY_CODE.get(code, default)
    return cls(message, code=code, file=file, line=line, column=col, formatted=formatted)
