"""The model library (models/) from Python: "models/..." paths resolve without copying files."""
import os

import simcore


def test_model_library_is_found():
    lib = simcore.model_library()
    assert lib is not None and os.path.isfile(os.path.join(lib, "diodes.lib"))


def test_list_models():
    names = simcore.list_models()
    assert "models/diodes.lib" in names and "models/devices/C3M0060065J.xml" in names
    assert names == sorted(names)


def test_include_from_the_library_and_a_loss_file():
    net = (
        "library\n"
        ".include models/diodes.lib\n"
        ".include models/power/packs.lib\n"
        "I1 0 a 1m\nD1 a 0 1N4148\n"
        "VP p 0 100\nVREF ref 0 0.3\nX1 p 0 o ref HB_LEG_C3M0060065J\nR1 o 0 10\n"
        ".op\n.end\n"
    )
    r = simcore.simulate(net)
    # ngspice-39: 0.5847395 V (tests/models/diodes.cir)
    assert abs(float(r["op"]["v(a)"][0]) - 0.5847395) < 1e-3


def test_library_paths_never_escape():
    assert simcore._library_relative("models/../x") is None
    assert simcore._library_relative("models/./x") is None
    assert simcore._library_relative("models/x/y.lib") == "x/y.lib"
    assert simcore._library_relative("other/x.lib") is None


def test_spiceinit_beside_a_netlist_file_bins_by_finger_width(tmp_path):
    # ngspice's .spiceinit beside the netlist (sky130's `set ngbehavior=hsa`): a binned model's
    # bin is the one of W/NF, as `simcore run` reads it; netlist text has no folder, so no
    # .spiceinit (ngspice's default: the bin of W)
    deck = (
        "bins\n"
        ".model nch.1 nmos level=54 lmin=0.1u lmax=1u wmin=0.5u wmax=1.5u vth0=0.3 toxe=4n\n"
        ".model nch.2 nmos level=54 lmin=0.1u lmax=1u wmin=1.5u wmax=10u vth0=0.7 toxe=4n\n"
        "M1 d g 0 0 nch l=0.5u w=2u nf=2\nVD d 0 1\nVG g 0 1\n.op\n.end\n"
    )
    path = tmp_path / "deck.cir"
    path.write_text(deck)
    (tmp_path / ".spiceinit").write_text("set ngbehavior=hsa\n")
    by_finger = -float(simcore.simulate(str(path))["op"]["i(vd)"][0])
    by_width = -float(simcore.simulate(deck)["op"]["i(vd)"][0])
    assert by_finger > 1.5 * by_width > 0  # nch.1 (the lower threshold) against nch.2
