"""simcore.live_plot: a plot that grows while a run streams (in Jupyter, or any matplotlib backend).

    import simcore
    r = simcore.live_plot(simcore.stream("buck.cir"), signals=["v(out)"])     # a local run
    r = simcore.live_plot(client.stream("buck.cir"))                           # a remote one

It consumes Chunks (simcore.stream, Client.stream, Client.stream_waveforms), draws one line per
signal of the first time-domain analysis (tran, pss, dc), at most `every` seconds apart, and
returns the whole run as a Result (the same arrays simcore.simulate gives). In Jupyter the figure
is shown once (as a PNG) and updated in place through IPython's display handle; elsewhere the
figure is redrawn on its canvas. Needs matplotlib (and IPython for the in-place display).
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ._result import Chunk, Result

__all__ = ["live_plot"]


def _jupyter_display():
    """IPython's display() when running in a kernel, else None."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    return display


def live_plot(chunks: Iterable[Chunk], signals: Sequence[str] | None = None, *, every: float = 0.25,
              ax: Any = None, display: Any = None, max_points: int = 20000) -> Result:
    """Plot the time-domain signals of a streaming run as its chunks arrive; return its Result.

    chunks: an iterator of Chunk (simcore.stream(...), Client.stream(...)).
    signals: the signals to draw (default: every signal of the analysis, at most 8).
    every: seconds between redraws (the last state is always drawn).
    ax: a matplotlib Axes to draw on (default: a new figure).
    display: a callable like IPython.display.display (default: IPython's in a kernel, else
      none: the figure's canvas is redrawn).
    max_points: the lines show at most about this many points each (every k-th point), so a
      long run stays responsive; the returned Result holds every row.
    """
    import matplotlib.pyplot as plt

    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(8, 4))
    fig = ax.figure
    show = display if display is not None else _jupyter_display()

    def picture():
        # a PNG of the figure as it is now: shown the same whatever matplotlib backend the kernel uses
        import io

        from IPython.display import Image

        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        return Image(data=buf.getvalue(), format="png")

    handle = show(picture(), display_id=True) if show is not None else None

    received: list[Chunk] = []
    lines: dict[str, Any] = {}
    xs: list[np.ndarray] = []
    ys: dict[str, list[np.ndarray]] = {}
    plotted: int | None = None  # index of the analysis being drawn
    last = 0.0

    def redraw() -> None:
        if plotted is None:
            return
        x = np.concatenate(xs) if xs else np.empty(0)
        step = max(1, len(x) // max(1, max_points))
        for name, line in lines.items():
            y = np.concatenate(ys[name]) if ys[name] else np.empty(0)
            line.set_data(x[::step], y[::step])
        ax.relim()
        ax.autoscale_view()
        if handle is not None:
            handle.update(picture())
        else:
            fig.canvas.draw_idle()
            fig.canvas.flush_events()

    for ch in chunks:
        received.append(ch)
        if plotted is None and ch.x_name and ch.kind not in ("ac", "fra", "op"):
            plotted = ch.index
            names = list(signals) if signals is not None else list(ch.signals)[:8]
            missing = [n for n in names if n not in ch.signals]
            if missing:
                raise KeyError("%s: not a signal of %s (have: %s)" % (", ".join(missing), ch.analysis,
                                                                       ", ".join(ch.signals)))
            for n in names:
                lines[n], = ax.plot([], [], label=n)
                ys[n] = []
            ax.set_xlabel(ch.x_name)
            ax.set_title(ch.analysis)
            ax.legend(loc="best")
            ax.grid(True, alpha=0.3)
        if ch.index == plotted:
            xs.append(np.asarray(ch.x))
            for n in lines:
                ys[n].append(np.asarray(ch.signals[n]).real)
            now = time.monotonic()
            if now - last >= every:
                redraw()
                last = now
    redraw()
    if own and handle is not None:
        plt.close(fig)  # shown through the handle; the inline backend would show it a second time
    return Result.from_chunks(received)
