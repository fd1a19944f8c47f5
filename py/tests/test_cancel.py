"""Stopping a run: max_points (LimitError), a cancel event, Ctrl-C (KeyboardInterrupt)."""
from __future__ import annotations

import _thread
import signal
import threading

import pytest

import simcore

# A small circuit with a run far too long to finish (a 1 MHz sine over 10 s): setup is
# instant, so the run is still going when the cancel arrives. No timing thresholds: a
# broken cancel path shows as LimitError at the backstop, not as a slow test.
ENDLESS = "endless\nV1 in 0 SIN(0 1 1meg)\nR1 in out 1k\nC1 out 0 1n\n.tran 10n 10\n.end\n"
BACKSTOP = 20_000_000  # max_points: a broken cancel path fails with LimitError instead of running for hours


def test_max_points_limit(rc_netlist):
    with pytest.raises(simcore.LimitError) as ei:
        simcore.simulate(rc_netlist, max_points=20)
    assert ei.value.code == "limit"
    assert len(simcore.simulate(rc_netlist, max_points=100000)["tran"].x) > 20


def test_cancel_event():
    ev = threading.Event()
    ev.set()
    with pytest.raises(simcore.SimulationCancelled):
        simcore.simulate(ENDLESS, cancel=ev, max_points=BACKSTOP)


def test_cancel_event_from_another_thread():
    ev = threading.Event()
    threading.Timer(0.05, ev.set).start()
    with pytest.raises(simcore.SimulationCancelled):
        simcore.simulate(ENDLESS, cancel=ev, max_points=BACKSTOP)


class _CtrlCWhilePolled:
    """A cancel object whose first poll (on the main thread, mid-run) does what Ctrl-C does:
    it marks SIGINT pending. The run must then stop with KeyboardInterrupt. Deterministic:
    a timer thread could be starved of the GIL on a loaded machine and fire too late."""

    polls = 0

    def is_set(self):
        self.polls += 1
        if self.polls == 1:
            _thread.interrupt_main()
        return False


def test_keyboard_interrupt():
    # Python's own SIGINT handler, whatever this process inherited: a runner started in the
    # background of a non-interactive shell gets SIGINT ignored, and then Ctrl-C does nothing.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        ctrl_c = _CtrlCWhilePolled()
        with pytest.raises(KeyboardInterrupt):
            simcore.simulate(ENDLESS, cancel=ctrl_c, max_points=BACKSTOP)
        assert ctrl_c.polls >= 1
    finally:
        signal.signal(signal.SIGINT, previous)
    # the interpreter and the engine are fine afterwards
    assert len(simcore.simulate("t\nV1 a 0 1\nR1 a 0 1\n.op\n.end\n")["op"]) == 2
