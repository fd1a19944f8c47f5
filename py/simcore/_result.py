"""Result and Analysis: the Python view of one run (numpy columns per analysis)."""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["Analysis", "Result", "get_losses"]


class Analysis(Mapping):
    """One analysis of a run: its sweep variable and a mapping signal name -> numpy array.

    kind: "op", "dc", "ac", "tran", "pss" (one period at steady state), "pss_spectrum" (an
    oscillator .pss's harmonics over frequency: DC value, then magnitudes) or "fra" (frequency response
    of a switching circuit, complex like "ac"), "noise" (.noise: onoise_spectrum, inoise_spectrum over
    frequency), "noise_total" (its integrated noise, one value per signal like op), "tf" (.tf: one
    value each of transfer_function, SRC#input_impedance, output_impedance_at_...), "pz" (.pz: one
    complex128 value each of pole(1), pole(2), ..., zero(1), ... in rad/s) or "sens" (.sens: d OUTVAR /
    d parameter per device parameter, named as ngspice's vectors r1, r1_m, d1:is; DC one value each like
    op, AC complex128 over frequency) or "sp" (.sp: complex128 over frequency, the node values with the
    last port driven, then s_1_1, s_1_2, ..., y_i_j, z_i_j and with DONOISE cy_i_j, for two ports nf,
    sopt, nfmin, rn); name: the key in
    the Result ("tran", "tran2", ...);
    x_name: "time", "frequency", the swept source ("vin"), "temp" (.dc TEMP), or "" for op; x: float64
    array (empty for op); signal arrays are float64, complex128 for AC; op has one value per signal.
    variant: the circuit variant it ran on (a .step point "rload=2000", a .temp value "temp=50"),
    "" for the circuit itself.
    """

    def __init__(self, name: str, kind: str, x_name: str, x: np.ndarray | None,
                 signals: dict[str, np.ndarray], kinds: dict[str, str], complex_: bool, variant: str = ""):
        self.name = name
        self.kind = kind
        self.variant = variant
        self.x_name = x_name
        self.x = x if x is not None else np.empty(0)
        self._signals = signals
        self.signal_kinds = kinds  # signal -> "voltage" | "current"
        self.complex = complex_

    def __getitem__(self, signal: str) -> np.ndarray:
        try:
            return self._signals[signal]
        except KeyError:
            low = signal.lower().replace(" ", "")
            if low in self._signals:
                return self._signals[low]
            raise KeyError("%r is not a signal of %s (have: %s)" % (
                signal, self.name, ", ".join(self._signals))) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._signals)

    def __len__(self) -> int:
        return len(self._signals)

    @property
    def signals(self) -> list[str]:
        return list(self._signals)

    @property
    def rows(self) -> int:
        return len(self.x) if self.x_name else 1

    def __repr__(self) -> str:
        return "<Analysis %s%s: %d rows, x=%s, signals=%s>" % (
            self.name, " [%s]" % self.variant if self.variant else "", self.rows, self.x_name or "-",
            ", ".join(self._signals))

    def to_pandas(self):
        """DataFrame with one column per signal, indexed by x (op: one row, index [0])."""
        import pandas as pd

        if not self.x_name:
            return pd.DataFrame({k: v for k, v in self._signals.items()})
        index = pd.Index(self.x, name=self.x_name)
        return pd.DataFrame(dict(self._signals), index=index)

    def to_xarray(self):
        """xarray Dataset: one data variable per signal along x (complex for AC); op: scalars."""
        import xarray as xr

        attrs = {"analysis": self.name, "kind": self.kind}
        if self.variant:
            attrs["variant"] = self.variant
        if not self.x_name:
            return xr.Dataset({k: ((), v[0]) for k, v in self._signals.items()}, attrs=attrs)
        data = {k: (self.x_name, v, {"kind": self.signal_kinds.get(k, "")}) for k, v in self._signals.items()}
        return xr.Dataset(data, coords={self.x_name: self.x}, attrs=attrs)

    def _file_bytes(self, fmt: str, signals: Iterable[str] | None = None, title: str = "") -> bytes:
        """The file `simcore run` writes for this analysis ("csv", "json" or "raw"), written by the
        native io/ library; signals: only these (names as in this Analysis), default all."""
        from . import _native

        keep = None if signals is None else {s.lower() for s in signals}
        names = [s for s in self._signals if keep is None or s in keep]
        kinds = [self.signal_kinds.get(s, "voltage") for s in names]
        values = [np.asarray(self._signals[s]) for s in names]
        re = [np.ascontiguousarray(v.real, dtype=np.float64) for v in values]
        im = [np.ascontiguousarray(v.imag, dtype=np.float64) for v in values] if self.complex else []
        x = np.ascontiguousarray(self.x if self.x_name else np.empty(0), dtype=np.float64)
        rows = min([self.rows] + [len(v) for v in re] + ([len(x)] if self.x_name else []))
        return _native.write_analysis(fmt, self.kind, self.x_name, self.complex, names, kinds, x, re, im, rows, title)

    def write_csv(self, path: str | os.PathLike, signals: Iterable[str] | None = None) -> None:
        """Write this analysis as `simcore run` writes its CSV (AC: vdb/vp, db/ph for currents);
        signals: only these columns (names as in this Analysis), default all."""
        data = self._file_bytes("csv", signals)
        with open(path, "wb") as f:
            f.write(data)


    def to_parquet(self, path: str | os.PathLike, signals: Iterable[str] | None = None, *,
                   title: str = "", netlist: str = "", parameters: Mapping[str, float] | None = None,
                   seed: str = "") -> None:
        """Write this analysis as the Parquet file `simcore run --format parquet` writes: one float64
        column per signal after the sweep variable (AC: "<signal>.re" and "<signal>.im"), ZSTD, and
        the run's metadata (title, netlist SHA-256, parameters, seed, version, times) in the file's
        key-value metadata; the layout is the native io/ library's (docs/interop.md). Needs pyarrow
        (pip install 'simcore[parquet]'). signals: only these (names as in this Analysis)."""
        import hashlib
        import json

        from . import _native

        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("to_parquet needs pyarrow: pip install 'simcore[parquet]'") from e
        keep = None if signals is None else {s.lower() for s in signals}
        names = [s for s in self._signals if keep is None or s in keep]
        kinds = [self.signal_kinds.get(s, "voltage") for s in names]
        start = _native.iso_time_now()
        rows = self.rows if self.x_name else 1
        info = {"title": title, "netlist_sha256": hashlib.sha256(netlist.encode()).hexdigest() if netlist else "",
                "parameters": json.dumps(dict(parameters or {})), "seed": str(seed)}
        columns, _ = _native.parquet_layout(self.kind, self.x_name, self.complex, names, kinds, info, start, "", rows)
        arrays = []
        if self.x_name:
            arrays.append(np.asarray(self.x, dtype=np.float64)[:rows])
        for s in names:
            v = np.asarray(self._signals[s])[:rows]
            if self.complex:
                arrays += [np.ascontiguousarray(v.real, dtype=np.float64), np.ascontiguousarray(v.imag, dtype=np.float64)]
            else:
                arrays.append(np.asarray(v, dtype=np.float64))
        _, meta = _native.parquet_layout(self.kind, self.x_name, self.complex, names, kinds, info, start,
                                         _native.iso_time_now(), rows)
        schema = pa.schema([pa.field(c[0], pa.float64(), nullable=False) for c in columns])
        table = pa.Table.from_arrays([pa.array(a) for a in arrays], schema=schema)
        # the file's key-value metadata is the layout's alone (no ARROW:schema), as the C++ writer's
        with pq.ParquetWriter(os.fspath(path), schema, compression="zstd", use_dictionary=False,
                              column_encoding="BYTE_STREAM_SPLIT", store_schema=False) as w:
            w.write_table(table)
            w.add_key_value_metadata(dict(meta))


class Result(Mapping):
    """A whole run: mapping analysis name ("op", "dc", "ac", "tran", "tran2", ...) -> Analysis.

    title: the netlist's title line; netlist: its text; file: its file name;
    stats: run statistics (accepted_points, newton_iterations, wall_seconds, ...);
    warnings: things the engine accepted but did not act on ({message, file, line, col}).
    """

    def __init__(self, analyses: dict[str, Analysis], *, title: str, netlist: str, file: str,
                 stats: dict[str, Any], warnings: list[dict[str, Any]]):
        self._analyses = analyses
        self.title = title
        self.netlist = netlist
        self.file = file
        self.stats = stats
        self.warnings = warnings

    @classmethod
    def from_chunks(cls, chunks: Iterable["Chunk"], *, title: str = "", netlist: str = "", file: str = "",
                    stats: dict[str, Any] | None = None, warnings: list[dict[str, Any]] | None = None) -> "Result":
        """The Result of a run from its Chunks (simcore.stream, Client.stream), in arrival order."""
        parts: dict[int, list[Chunk]] = {}
        for ch in chunks:
            parts.setdefault(ch.index, []).append(ch)
        analyses: dict[str, Analysis] = {}
        for index in sorted(parts):
            group = parts[index]
            first = group[0]
            x = np.concatenate([c.x for c in group]) if first.x_name else None
            signals = {n: np.concatenate([c.signals[n] for c in group]) for n in first.signals}
            analyses[first.analysis] = Analysis(first.analysis, first.kind, first.x_name, x, signals,
                                                first.signal_kinds, first.kind in ("ac", "fra"), first.variant)
        return cls(analyses, title=title, netlist=netlist, file=file, stats=dict(stats or {}),
                   warnings=list(warnings or []))

    @classmethod
    def _from_native(cls, raw: dict[str, Any], netlist: str) -> "Result":
        analyses: dict[str, Analysis] = {}
        seen: dict[str, int] = {}
        for a in raw["analyses"]:
            kind = a["type"]
            seen[kind] = seen.get(kind, 0) + 1
            name = kind if seen[kind] == 1 else "%s%d" % (kind, seen[kind])
            signals = dict(zip(a["signals"], a["values"]))
            kinds = dict(zip(a["signals"], a["kinds"]))
            analyses[name] = Analysis(name, kind, a["x_name"], a["x"], signals, kinds, a["complex"],
                                      a.get("variant", ""))
        return cls(analyses, title=raw["title"], netlist=netlist, file=raw["file"], stats=raw["stats"],
                   warnings=raw["warnings"])

    def __getitem__(self, name: str) -> Analysis:
        try:
            return self._analyses[name]
        except KeyError:
            raise KeyError("no analysis %r in this result (have: %s)" % (
                name, ", ".join(self._analyses) or "none")) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._analyses)

    def __len__(self) -> int:
        return len(self._analyses)

    def __repr__(self) -> str:
        return "<Result %r: %s>" % (self.title, ", ".join(
            "%s(%d rows)" % (k, a.rows) for k, a in self._analyses.items()))

    @property
    def steps(self) -> dict[str, dict[str, "Analysis"]]:
        """The analyses by circuit variant, in run order: {label: {kind: Analysis}}, e.g.
        {"rload=1000": {"op": ..., "tran": ...}, "rload=2000": {...}} for a .step or a .temp list
        ("" holds the analyses of the circuit itself). The kind key is "tran", "tran2", ... when a
        variant runs several analyses of one kind."""
        out: dict[str, dict[str, Analysis]] = {}
        for a in self._analyses.values():
            group = out.setdefault(a.variant, {})
            key, n = a.kind, 1
            while key in group:
                n += 1
                key = "%s%d" % (a.kind, n)
            group[key] = a
        return out

    @property
    def measures(self) -> dict[str, float]:
        """The netlist's .meas results (and `meas` commands of a .control block), {name: value} in
        netlist order; one that could not be measured is NaN, and measure_errors says why."""
        return {m["name"]: (m["value"] if m["ok"] else float("nan")) for m in self.stats.get("measures", [])}

    @property
    def measure_errors(self) -> dict[str, str]:
        """{name: why} of the .meas results that could not be measured (no crossing, a signal not
        saved, its analysis did not run)."""
        return {m["name"]: m["error"] for m in self.stats.get("measures", []) if not m["ok"]}

    @property
    def script_output(self) -> str:
        """What the netlist's .control script (and .four) printed, as ngspice prints it (print, echo,
        fourier); "" without one. Commands that failed are in stats["script_errors"]."""
        return self.stats.get("script_output", "")

    @property
    def script_files(self) -> dict[str, bytes]:
        """The files the .control script wrote (wrdata, write): {name as written: contents}. Nothing is
        written to disk."""
        return dict(self.stats.get("script_files", {}))

    @property
    def losses(self):
        """The semiconductor losses of the run as a long pandas DataFrame (see get_losses)."""
        return get_losses(self)

    def write_csv(self, folder: str | os.PathLike, stem: str, signals: Iterable[str] | None = None) -> list[str]:
        """Write FOLDER/STEM.<analysis>.csv per analysis, as `simcore run` does; returns the paths.
        signals: only these columns (names as in the Result, e.g. "v(out)"), default all."""
        paths = []
        for name, a in self._analyses.items():
            p = os.path.join(os.fspath(folder), "%s.%s.csv" % (stem, name))
            a.write_csv(p, signals)
            paths.append(p)
        return paths

    def to_parquet(self, folder: str | os.PathLike, stem: str, signals: Iterable[str] | None = None, *,
                   parameters: Mapping[str, float] | None = None, seed: str = "") -> list[str]:
        """Write FOLDER/STEM.<analysis>.parquet per analysis, as `simcore run --format parquet`
        does (see Analysis.to_parquet; the title and netlist hash come from this Result); returns
        the paths. Needs pyarrow."""
        paths = []
        for name, a in self._analyses.items():
            p = os.path.join(os.fspath(folder), "%s.%s.parquet" % (stem, name))
            a.to_parquet(p, signals, title=self.title, netlist=self.netlist, parameters=parameters, seed=seed)
            paths.append(p)
        return paths


@dataclasses.dataclass
class Chunk(Mapping):
    """Rows of one analysis as they arrive (simcore.stream, Client.stream): x and one numpy array
    per signal (complex for AC). analysis: "tran", "tran2", ...; end: the analysis finished with
    this chunk; progress 0..1."""

    analysis: str
    kind: str
    index: int
    x_name: str
    x: np.ndarray
    signals: dict[str, np.ndarray]
    end: bool
    progress: float
    signal_kinds: dict[str, str] = dataclasses.field(default_factory=dict)  # "voltage" | "current"
    variant: str = ""  # the circuit variant it ran on ("rload=2000"), "" for the circuit itself

    def __getitem__(self, name: str) -> np.ndarray:
        return self.signals[name]

    def __iter__(self):
        return iter(self.signals)

    def __len__(self) -> int:
        return len(self.signals)

    @property
    def rows(self) -> int:
        return len(self.x) if self.x_name else (1 if self.signals else 0)


_LOSS_COLUMNS = (("p_cond", "p_cond"), ("p_sw", "p_sw"), ("e_cond", "e_cond"), ("e_sw", "e_sw"), ("tj", "temp"))


def get_losses(result: "Result", analysis: str | None = None):
    """The loss table of a run with semiconductor losses, one row per (time, component):
    time, component, power_loss (= p_cond + p_sw, W, averaged over each thermal step), p_cond,
    p_sw, temp (junction temperature, degC), cumulative_energy (= e_cond + e_sw, J), e_cond, e_sw.
    Reads the run's "losses" analysis (or `analysis`); a run without one raises KeyError."""
    import re

    import pandas as pd

    name = analysis or next((k for k, a in result.items() if a.kind == "losses"), None)
    if name is None:
        raise KeyError("this result has no losses analysis (the netlist needs power semiconductors with "
                       "loss data and a transient; have: %s)" % (", ".join(result) or "none"))
    a = result[name]
    parts = {}
    for sig in a.signals:
        m = re.fullmatch(r"(p_cond|p_sw|e_cond|e_sw|tj)\((.+)\)", sig)
        if m:
            parts.setdefault(m.group(2), {})[m.group(1)] = a[sig]
    frames = []
    n = len(a.x)
    for comp, cols in parts.items():
        data = {"time": a.x, "component": [comp] * n}
        for key, out in _LOSS_COLUMNS:
            data[out] = cols.get(key, np.full(n, np.nan))
        data["power_loss"] = data["p_cond"] + data["p_sw"]
        data["cumulative_energy"] = data["e_cond"] + data["e_sw"]
        frames.append(pd.DataFrame(data))
    order = ["time", "component", "power_loss", "p_cond", "p_sw", "temp", "cumulative_energy", "e_cond", "e_sw"]
    if not frames:
        return pd.DataFrame({c: [] for c in order})
    return pd.concat(frames, ignore_index=True)[order]
