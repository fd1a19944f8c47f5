"""simcore.plot: SVG, PDF and PNG plots of results and of result CSVs, checked by reading the
files back (the SVG parsed as XML, the PDF rendered with pdftoppm when poppler is installed)."""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import simcore
from simcore import plot

pytest.importorskip("matplotlib")

RC = """rc
VIN in 0 DC 0 AC 1 PULSE(0 1 50u 1n 1n 1 2)
R1 in out 1k
C1 out 0 100n
.tran 1u 1m
.ac dec 10 10 1meg
.end
"""


def _svg_text(path) -> str:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def test_svg_of_a_transient_has_axes_units_legend_and_both_quantities(tmp_path):
    r = simcore.simulate(RC)
    out = plot.save(r["tran"], tmp_path / "rc.svg", ["v(out)", "i(vin)"])
    # matplotlib writes text as paths by default; the labels are kept as comments/ids too
    body = open(out, encoding="utf-8").read()
    for label in ("voltage [V]", "current [A]", "time [s]", "v(out)", "i(vin)"):
        assert label in body, label
    ET.parse(out)  # well-formed
    # two data lines: count the polylines with many vertices
    assert body.count("<path") > 10


def test_pdf_renders_to_a_non_blank_page(tmp_path):
    r = simcore.simulate(RC)
    pdf = plot.save(r["ac"], tmp_path / "bode.pdf", ["v(out)"])
    data = open(pdf, "rb").read()
    assert data.startswith(b"%PDF-") and b"simcore" in data
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "40", pdf, str(tmp_path / "page")], check=True)
    import matplotlib.image as mpimg

    img = mpimg.imread(str(next(tmp_path.glob("page*.png"))))
    dark = (img[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.001 < dark < 0.5  # ink on the page, not a blank or black page


def test_result_csv_round_trip_and_cli(tmp_path):
    r = simcore.simulate(RC)
    r.write_csv(tmp_path, "rc")
    a = plot.read_csv(tmp_path / "rc.tran.csv")
    assert a.x_name == "time" and np.allclose(a.x, r["tran"].x) and np.allclose(a["v(out)"], r["tran"]["v(out)"])
    ac = plot.read_csv(tmp_path / "rc.ac.csv")
    assert ac.complex and np.allclose(np.abs(ac["v(out)"]), np.abs(r["ac"]["v(out)"]), rtol=1e-9)
    assert np.allclose(np.abs(ac["i(vin)"]), np.abs(r["ac"]["i(vin)"]), rtol=1e-9)
    assert plot.main([str(tmp_path / "rc.ac.csv"), "-o", str(tmp_path / "ac.svg"), "--signals", "v(out)"]) == 0
    assert "magnitude [dB]" in open(tmp_path / "ac.svg", encoding="utf-8").read()
    assert plot.main([str(tmp_path / "rc.tran.csv"), "-o", str(tmp_path / "x.svg"), "--signals", "v(nope)"]) == 1
    assert plot.main([str(tmp_path / "rc.tran.csv"), "-o", str(tmp_path / "x.gif")]) == 1


def test_png_and_errors(tmp_path):
    r = simcore.simulate(RC)
    png = plot.save(r["tran"], tmp_path / "t.png")
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    op = simcore.simulate("op\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n")
    with pytest.raises(ValueError, match="nothing to plot"):
        plot.save(op["op"], tmp_path / "op.svg")
