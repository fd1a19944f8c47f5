#!/usr/bin/env python3
"""Capture the netlists PySpice's examples hand to ngspice, one deck per simulation.

    python -m venv /tmp/pyspice-venv && /tmp/pyspice-venv/bin/pip install PySpice==1.5 matplotlib scipy
    /tmp/pyspice-venv/bin/python tests/compat/pyspice_decks.py --examples PySpice/examples --out DIR

For the corpus survey (docs/netlist.md, "PySpice's examples"): PySpice builds a circuit in
Python and gives libngspice the text of `str(simulator)` (title, `.include`s, elements,
`.options`, `.ic`, `.nodeset`, `.save`, `.measure` and the analysis card). This script runs
every `*.py` of PySpice's `examples/` tree (with the PySpice it is run by) with the
shared-library simulator replaced: each simulation writes the deck, the lines exactly as
PySpice's `NgSpiceShared.load_circuit` passes them (empty lines dropped), to
`DIR/<folder>-<example>-<n>.cir`, and is then run by ngspice as a subprocess (`ngspice -s`,
PySpice's own server mode) so that the example goes on with real results and reaches its
next simulation. The `.include` files (PySpice's `examples/libraries`) are copied into DIR
and the decks include them by name, so that `survey.py` (which copies a deck's folder)
finds them. Circuits an example gives `NgSpiceShared.load_circuit` directly are captured
too. An example that stops (an error of its own, a simulation ngspice rejects) keeps the
decks written before; the summary line names them. Not part of the test suite.
"""
import argparse
import glob
import os
import re
import runpy
import shutil
import subprocess
import sys


# examples that simulate only when asked on their command line: one run per choice
ARGUMENTS = {
    "analyses/analyses.py": [["-dc"], ["-ac"], ["-pz"], ["-n"], ["-dh"], ["-ds"]],
    "analyses/pole_zero_analysis.py": [["-ts"]],
}


def plain_matplotlib():
    """Let PySpice 1.5's examples plot with a current matplotlib (they only draw to nothing here).

    Their waveforms (numpy subclasses carrying units) go in as plain arrays, and the log-scale
    keywords matplotlib 3.5 renamed (`basex`, `basey`) are read under their new name."""
    import numpy as np
    import matplotlib.axes
    import matplotlib.pyplot as plt
    import matplotlib.scale

    def plain(x):
        if isinstance(x, np.ndarray) and type(x) is not np.ndarray:
            return np.asarray(x).view(np.ndarray).astype(complex if np.iscomplexobj(x) else float)
        if isinstance(x, (list, tuple)):
            return type(x)(plain(v) for v in x)
        if hasattr(x, "as_ndarray"):
            return x.as_ndarray()
        if type(x).__module__.startswith("PySpice"):
            try:
                return float(x)
            except (TypeError, ValueError):
                return x
        return x

    renamed = {"basex": "base", "basey": "base", "subsx": "subs", "subsy": "subs",
               "nonposx": "nonpositive", "nonposy": "nonpositive"}

    def wrap(method):
        def call(self, *a, **kw):
            kw = {renamed.get(k, k): plain(v) for k, v in kw.items()}
            return method(self, *[plain(v) for v in a], **kw)
        return call

    for name in ("plot", "semilogx", "semilogy", "loglog", "scatter", "fill_between", "axvline", "axhline",
                 "axvspan", "axhspan", "set_xlim", "set_ylim", "step", "text", "annotate", "bar", "stem",
                 "set_xscale", "set_yscale", "set_xticks", "set_yticks", "hist"):
        if hasattr(matplotlib.axes.Axes, name):
            setattr(matplotlib.axes.Axes, name, wrap(getattr(matplotlib.axes.Axes, name)))
    log_init = matplotlib.scale.LogScale.__init__

    def log_scale(self, axis, **kw):
        log_init(self, axis, **{renamed.get(k, k): v for k, v in kw.items()})

    matplotlib.scale.LogScale.__init__ = log_scale
    plt.show = lambda *a, **kw: None


def capture_one(example, out, libraries, argv):
    """Run one example in this process with the simulator patched (called in a child process)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PySpiceLibraryPath"] = libraries
    from PySpice.Spice.NgSpice import Shared
    from PySpice.Spice.NgSpice import Simulation as NgSimulation
    from PySpice.Spice.NgSpice.Server import SpiceServer
    from PySpice.Spice.Simulation import CircuitSimulator

    stem = "%s-%s" % (os.path.basename(os.path.dirname(example)),
                      os.path.splitext(os.path.basename(example))[0])
    stem += "".join(argv)
    count = [0]

    def write_deck(text):
        lines = [line for line in str(text).splitlines() if line]
        given = list(lines)

        def local(m):  # an included library: a copy beside the deck, named by its base name
            path = m.group(2).strip()
            if os.path.isfile(path):
                shutil.copy(path, os.path.join(out, os.path.basename(path)))
                return m.group(1) + os.path.basename(path)
            return m.group(0)

        lines = [re.sub(r"^(\.include\s+|\.lib\s+)(\S.*)$", local, line) for line in lines]
        count[0] += 1
        name = os.path.join(out, "%s-%d.cir" % (stem, count[0]))
        with open(name, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return given

    def no_library(self, *a, **kw):
        self._ngspice_shared = None

    Shared.NgSpiceShared._load_library = no_library
    Shared.NgSpiceShared._init_ngspice = lambda self, *a, **kw: None

    def load_circuit(self, circuit):
        write_deck(circuit)
        raise RuntimeError("pyspice_decks: captured a deck given to NgSpiceShared directly")

    def exec_command(self, command, join_lines=True):  # the interpreter example asks before it loads
        return ""

    Shared.NgSpiceShared.load_circuit = load_circuit
    Shared.NgSpiceShared.exec_command = exec_command

    def run(self, analysis_method, *args, **kwargs):
        CircuitSimulator._run(self, analysis_method, *args, **kwargs)
        lines = write_deck(str(self))  # str() once: it takes 'all' out of the saved set
        # the same deck through ngspice's server mode, for the results the example goes on with
        piped = [lines[0], ".options NOINIT", ".options filetype = binary"] + lines[1:]
        raw_file = SpiceServer()(spice_input="\n".join(piped) + "\n")
        self.reset_analysis()
        raw_file.simulation = self
        return raw_file.to_analysis()

    NgSimulation.NgSpiceSharedCircuitSimulator._run = run
    from PySpice.Spice.NgSpice import Server
    raw_file_class = Server.RawFile

    def raw_file(stdout, number_of_points):
        # ngspice 39 prints notes and messages in the header PySpice 1.5's reader does not expect
        head, sep, rest = stdout.partition(b"Binary:")
        known = (b"Circuit:", b"Doing analysis", b"Warning", b"Title:", b"Date:", b"Plotname:", b"Flags:",
                 b"No. ", b"Variables:", b"\t", b" ")
        head = b"\n".join(line for line in head.split(b"\n") if not line or line.startswith(known))
        return raw_file_class(head + sep + rest, number_of_points)

    Server.RawFile = raw_file
    plain_matplotlib()
    sys.argv = [example] + argv
    sys.path.insert(0, os.path.dirname(example))  # examples import their neighbours
    os.chdir(os.path.dirname(example))
    try:
        runpy.run_path(example, run_name="__main__")
    finally:
        print("pyspice_decks: %s: %d deck(s)" % (stem, count[0]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", help="PySpice's examples/ folder")
    ap.add_argument("--out", required=True, help="folder for the decks and library copies")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per example")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    if args.one:
        capture_one(os.path.abspath(args.one), out, os.environ["PySpiceLibraryPath"], rest)
        return 0
    examples = os.path.abspath(args.examples)
    env = dict(os.environ, PySpiceLibraryPath=os.path.join(examples, "libraries"), MPLBACKEND="Agg")
    scripts = sorted(p for p in glob.glob(os.path.join(examples, "*", "*.py"))
                     if os.path.basename(os.path.dirname(p)) not in (".travis",)
                     and os.path.basename(p) != "Settings.py")
    stopped = []
    runs = [(s, a) for s in scripts for a in ARGUMENTS.get(os.path.relpath(s, examples), [[]])]
    for script, argv in runs:
        label = " ".join([os.path.relpath(script, examples)] + argv)
        try:
            r = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", script, "--out", out] + argv,
                               env=env, capture_output=True, text=True, timeout=args.timeout)
            ok, text = r.returncode == 0, r.stdout + r.stderr
        except subprocess.TimeoutExpired:
            ok, text = False, "timeout"
        counted = re.findall(r"pyspice_decks: \S+: (\d+) deck", text)
        last = [line for line in text.strip().splitlines() if line][-1:] if not ok else []
        print("%s: %s deck(s)%s" % (label, counted[-1] if counted else "0",
                                    "" if ok else " (stopped: %s)" % (last[0][:200] if last else "?")))
        if not ok:
            stopped.append(label)
    decks = glob.glob(os.path.join(out, "*.cir"))
    print("pyspice_decks: %d runs, %d decks, %d stopped: %s" % (len(runs), len(decks), len(stopped),
                                                                  ", ".join(stopped)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
