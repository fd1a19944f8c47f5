"""Plots of simcore results as SVG, PDF or PNG files (matplotlib).

    import simcore
    r = simcore.simulate("buck.cir")
    simcore.plot.save(r["tran"], "buck.svg", signals=["v(out)", "i(vil)"])   # or .pdf / .png

    python -m simcore.plot out/buck.tran.csv --signals "v(out),i(vil)" -o buck.pdf

Time-domain and DC analyses: one panel, voltages on the left axis (V) and currents on a
second axis on the right (A), a legend, the x quantity with its unit. AC and FRA: magnitude
(dB) and phase (degrees) over a logarithmic frequency axis. Result files written by
`simcore run`, the server or Result.write_csv (CSV) can be plotted directly.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ._result import Analysis

__all__ = ["figure", "save", "read_csv", "main"]

_X_UNITS = {"time": "s", "frequency": "Hz"}


def _is_current(a: Analysis, name: str) -> bool:
    kind = a.signal_kinds.get(name)
    if kind:
        return kind == "current"
    return name.lower().startswith("i(")


def figure(a: Analysis, signals: Sequence[str] | None = None, *, title: str | None = None,
           size: tuple[float, float] = (8.0, 4.5)):
    """A matplotlib Figure of an Analysis (see the module's docstring); signals default to all
    (at most 8)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    if not a.x_name:
        raise ValueError("an operating point (%s) has one value per signal: nothing to plot" % a.name)
    names = list(signals) if signals else a.signals[:8]
    for n in names:
        a[n]  # KeyError naming the signals there are
    xunit = _X_UNITS.get(a.x_name, "V" if a.x_name.startswith("v") else "A" if a.x_name.startswith("i") else "")
    xlabel = "%s [%s]" % (a.x_name, xunit) if xunit else a.x_name
    if a.complex:
        fig, (mag, ph) = plt.subplots(2, 1, sharex=True, figsize=size)
        for n in names:
            z = np.asarray(a[n])
            with np.errstate(divide="ignore"):
                db = 20 * np.log10(np.abs(z))
            mag.semilogx(a.x, np.where(np.isfinite(db), db, np.nan), label=n)
            ph.semilogx(a.x, np.degrees(np.unwrap(np.angle(z))), label=n)
        mag.set_ylabel("magnitude [dB]")
        ph.set_ylabel("phase [°]")
        ph.set_xlabel(xlabel)
        mag.legend(loc="best")
        for ax in (mag, ph):
            ax.grid(True, which="both", alpha=0.3)
        mag.set_title(title or a.name)
    else:
        fig, ax = plt.subplots(figsize=size)
        volts = [n for n in names if not _is_current(a, n)]
        amps = [n for n in names if _is_current(a, n)]
        handles = []
        left = ax if volts or not amps else None
        if volts:
            for n in volts:
                handles += ax.plot(a.x, a[n], label=n)
            ax.set_ylabel("voltage [V]")
        right = None
        if amps:
            right = ax.twinx() if volts else ax
            colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
            for k, n in enumerate(amps):
                handles += right.plot(a.x, a[n], label=n, linestyle="--" if volts else "-",
                                      color=colors[(len(volts) + k) % len(colors)])
            right.set_ylabel("current [A]")
        ax.set_xlabel(xlabel)
        ax.grid(True, alpha=0.3)
        ax.legend(handles, [h.get_label() for h in handles], loc="best")
        ax.set_title(title or a.name)
        del left, right
    fig.tight_layout()
    return fig


def save(a: Analysis, path: str | os.PathLike, signals: Sequence[str] | None = None, *,
         title: str | None = None, size: tuple[float, float] = (8.0, 4.5)) -> str:
    """Write the plot of an Analysis to `path`; the format follows its extension (svg, pdf, png)."""
    import matplotlib.pyplot as plt

    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in ("svg", "pdf", "png"):
        raise ValueError("plot files are .svg, .pdf or .png, not %r" % path)
    import matplotlib

    fig = figure(a, signals, title=title, size=size)
    try:
        # SVG text as <text> elements (searchable, editable), not outlines
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            fig.savefig(path, format=ext, metadata={"Creator": "simcore"} if ext != "png" else None)
    finally:
        plt.close(fig)
    return path


def read_csv(path: str | os.PathLike) -> Analysis:
    """An Analysis from a result CSV of `simcore run` / the server ("<stem>.<analysis>.csv": a
    header row with the x column then the signals; AC files hold magnitude/phase or re/im pairs)."""
    path = os.fspath(path)
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    base = os.path.basename(path)
    parts = base.split(".")
    kind = parts[-2] if len(parts) >= 3 else "tran"
    kind_root = kind.rstrip("0123456789") or kind
    if data.shape[1] != len(header):
        raise ValueError("%s: %d columns in the header, %d in the rows" % (path, len(header), data.shape[1]))
    x_name = header[0] if kind_root != "op" else ""
    cols = header[1:] if x_name else header
    values = data[:, 1:] if x_name else data
    signals: dict[str, np.ndarray] = {}
    kinds: dict[str, str] = {}
    is_complex = kind_root in ("ac", "fra")
    if is_complex:
        k = 0
        while k < len(cols):
            name = cols[k]
            if name.endswith(".re") and k + 1 < len(cols) and cols[k + 1].endswith(".im"):
                signals[name[:-3]] = values[:, k] + 1j * values[:, k + 1]
                k += 2
            elif (name.startswith("vdb(") or name.startswith("db(")) and k + 1 < len(cols):
                # magnitude in dB and phase in degrees: vdb(out), vp(out) / db(i(vin)), ph(i(vin))
                mag = 10 ** (values[:, k] / 20)
                signal = "v" + name[3:] if name.startswith("vdb(") else name[3:-1]
                signals[signal] = mag * np.exp(1j * np.radians(values[:, k + 1]))
                k += 2
            else:
                signals[name] = values[:, k].astype(np.complex128)
                k += 1
    else:
        for k, name in enumerate(cols):
            signals[name] = values[:, k]
    for name in signals:
        kinds[name] = "current" if name.lower().startswith("i") else "voltage"
    return Analysis(kind, kind_root, x_name, data[:, 0] if x_name else None, signals, kinds, is_complex)


def main(argv: Iterable[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m simcore.plot",
                                description="Plot a simcore result CSV as SVG, PDF or PNG.")
    p.add_argument("result", help="a result CSV (<stem>.<analysis>.csv from simcore run or the server)")
    p.add_argument("-o", "--output", required=True, help="the plot file: .svg, .pdf or .png")
    p.add_argument("--signals", default="", help="comma-separated signals (default: all, at most 8)")
    p.add_argument("--title", default=None)
    args = p.parse_args(list(argv) if argv is not None else None)
    try:
        a = read_csv(args.result)
        signals = [s.strip() for s in args.signals.split(",") if s.strip()] or None
        save(a, args.output, signals, title=args.title)
    except (OSError, ValueError, KeyError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
