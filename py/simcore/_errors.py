"""Exceptions raised for engine errors.

The engine reports errors as values (a code, a message, a source location);
the native binding turns each into one of these classes through from_native.
"""
from __future__ import annotations

__all__ = [
    "SimulationError", "NetlistError", "ParseError", "SemanticError", "TopologyError",
    "SingularMatrixError", "ConvergenceError", "TimestepTooSmallError", "SimulationCancelled",
    "LimitError", "InternalError", "RemoteError",
]


class SimulationError(Exception):
    """An error reported by the simcore engine.

    code: the engine's error code name ("parse", "topology", "convergence", ...);
    message: what went wrong; file, line, column: where in the netlist (line and
    column 1-based, 0 when unknown; file "" when unknown).
    """

    code = "internal"

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


class ParseError(NetlistError):
    code = "parse"


class SemanticError(NetlistError):
    code = "semantic"


class TopologyError(SimulationError):
    code = "topology"


class SingularMatrixError(SimulationError):
    code = "singular"


class ConvergenceError(SimulationError):
    code = "convergence"


class TimestepTooSmallError(ConvergenceError):
    code = "timestep-too-small"


class SimulationCancelled(SimulationError):
    code = "cancelled"


class LimitError(SimulationError):
    code = "limit"


class InternalError(SimulationError):
    code = "internal"


class RemoteError(SimulationError):
    """A server-side failure that is not an engine error (auth, quota, not found, a crashed worker...).
    status: the gRPC status code name ("UNAUTHENTICATED", "NOT_FOUND", ...)."""

    status = ""


_BY_CODE = {cls.code: cls for cls in (
    ParseError, SemanticError, TopologyError, SingularMatrixError, ConvergenceError,
    TimestepTooSmallError, SimulationCancelled, LimitError, InternalError)}


def from_native(code: str, message: str, file: str, line: int, col: int, formatted: str,
                default: type[SimulationError] = SimulationError) -> SimulationError:
    """Build the exception for an engine error (called by simcore._native and simcore.Client)."""
    cls = _BY_CODE.get(code, default)
    return cls(message, code=code, file=file, line=line, column=col, formatted=formatted)
