"""simulate(): inputs (text, str path, pathlib.Path), includes, save, analysis naming,
stats, pandas / xarray conversion, parameter overrides."""
from __future__ import annotations

import json
import math
import os
import pathlib

import numpy as np
import pytest

import simcore


def test_text_input(rc_netlist):
    r = simcore.simulate(rc_netlist)
    assert r.title == "RC low-pass with a parameter"
    assert r.netlist == rc_netlist
    assert list(r) == ["tran"]
    tran = r["tran"]
    assert tran.x_name == "time" and tran.kind == "tran"
    assert tran.x.dtype == np.float64 and tran.x[0] == 0.0 and math.isclose(tran.x[-1], 5e-3)
    assert set(tran) == {"v(in)", "v(out)", "i(v1)"}
    v = tran["v(out)"]
    assert v.dtype == np.float64 and v.shape == tran.x.shape
    # tau = 1 ms: v(out) at 1 ms is 1 - 1/e
    assert abs(np.interp(1e-3, tran.x, v) - (1 - math.exp(-1))) < 2e-3
    assert tran["V(OUT)"] is v  # case-insensitive lookup
    assert r.stats["accepted_points"] == len(tran.x)
    assert r.stats["unknowns"] == 3 and r.stats["wall_seconds"] > 0


def test_an_unknown_param_name_raises_and_lists_the_known_ones(rc_netlist):
    with pytest.raises(simcore.SemanticError) as e:
        simcore.simulate(rc_netlist, params={"typo": 1.0})
    assert "'typo'" in str(e.value) and ".param" in str(e.value)


def test_a_missing_path_is_file_not_found(tmp_path):
    missing = str(tmp_path / "nope.cir")
    for call in (simcore.simulate, simcore.describe, lambda p: list(simcore.stream(p))):
        with pytest.raises(FileNotFoundError):
            call(missing)


def test_path_input(tmp_path, rc_netlist):
    p = tmp_path / "rc.cir"
    p.write_text(rc_netlist)
    for arg in (p, str(p)):
        r = simcore.simulate(arg)
        assert r.file == str(p) and r.netlist == rc_netlist
        assert len(r["tran"].x) > 10


def test_missing_analysis_and_signal(rc_netlist):
    r = simcore.simulate(rc_netlist)
    with pytest.raises(KeyError, match="tran"):
        r["ac"]
    with pytest.raises(KeyError, match="v\\(out\\)"):
        r["tran"]["v(nope)"]


def test_include_relative_to_file(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "load.inc").write_text("R2 out 0 1k\n")
    (tmp_path / "top.cir").write_text("divider\nV1 in 0 DC 2\nR1 in out 1k\n.include lib/load.inc\n.op\n.end\n")
    r = simcore.simulate(tmp_path / "top.cir")
    assert r["op"]["v(out)"][0] == pytest.approx(1.0)


def test_include_from_home_and_working_directory(tmp_path, monkeypatch):
    # as `simcore run`: "~/" is the home directory; a path not beside the netlist is the working
    # directory's (ngspice looks there first)
    home, project = tmp_path / "home", tmp_path / "project"
    (project / "decks").mkdir(parents=True)
    (project / "lib").mkdir()
    home.mkdir()
    (home / "home.inc").write_text("R1 in out 1k\n")
    (project / "lib" / "parts.inc").write_text("R2 out 0 3k\n")
    (project / "decks" / "deck.cir").write_text("paths\nV1 in 0 4\n.include ~/home.inc\n.include lib/parts.inc\n.op\n.end\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(project)
    r = simcore.simulate(pathlib.Path("decks/deck.cir"))
    assert r["op"]["v(out)"][0] == pytest.approx(3.0)
    monkeypatch.chdir(home)
    with pytest.raises(Exception, match="parts.inc"):
        simcore.simulate(project / "decks" / "deck.cir")


def test_custom_resolver():
    seen = []

    def resolver(path, from_file):
        seen.append((path, from_file))
        return "R2 out 0 3k\n"

    r = simcore.simulate("divider\nV1 in 0 DC 4\nR1 in out 1k\n.include virtual.inc\n.op\n.end\n", resolver=resolver)
    assert seen == [("virtual.inc", "<netlist>")]
    assert r["op"]["v(out)"][0] == pytest.approx(3.0)


def test_op_dc_ac_and_second_analysis():
    net = """several analyses
V1 in 0 DC 1 AC 1
R1 in out 1k
C1 out 0 1u
.op
.dc V1 0 2 0.5
.ac dec 10 1 1meg
.tran 1u 1m
.tran 2u 2m
.end
"""
    r = simcore.simulate(net)
    # ngspice's order: by kind (ac, dc, op, tran), one kind's cards last first
    assert list(r) == ["ac", "dc", "op", "tran", "tran2"]
    assert r["op"].x_name == "" and r["op"]["v(out)"].shape == (1,)
    assert r["dc"].x_name == "v1" and np.allclose(r["dc"].x, [0, 0.5, 1, 1.5, 2])
    assert np.allclose(r["dc"]["v(out)"], r["dc"].x)
    ac = r["ac"]
    assert ac.x_name == "frequency" and ac.complex and ac["v(out)"].dtype == np.complex128
    h = 1 / (1 + 2j * math.pi * ac.x * 1e-3)
    assert np.allclose(ac["v(out)"], h, rtol=1e-6, atol=1e-12)
    assert r["tran"].x[-1] == pytest.approx(2e-3) and r["tran2"].x[-1] == pytest.approx(1e-3)


def test_save_list(rc_netlist):
    r = simcore.simulate(rc_netlist, save=["v(out)"])
    assert list(r["tran"]) == ["v(out)"]


def test_params_override(rc_netlist):
    base = simcore.simulate(rc_netlist)["tran"]
    slow = simcore.simulate(rc_netlist, params={"R": 2e3})["tran"]  # names are case-insensitive
    # tau 2 ms instead of 1 ms
    assert abs(np.interp(2e-3, slow.x, slow["v(out)"]) - (1 - math.exp(-1))) < 2e-3
    assert not np.isclose(np.interp(1e-3, base.x, base["v(out)"]), np.interp(1e-3, slow.x, slow["v(out)"]))


def test_to_pandas(rc_netlist):
    pd = pytest.importorskip("pandas")
    r = simcore.simulate(rc_netlist)
    df = r["tran"].to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert df.index.name == "time" and list(df.columns) == list(r["tran"])
    assert np.array_equal(df.index.to_numpy(), r["tran"].x)
    assert np.array_equal(df["v(out)"].to_numpy(), r["tran"]["v(out)"])
    op = simcore.simulate("op\nV1 a 0 DC 3\nR1 a b 1k\nR2 b 0 2k\n.op\n.end\n")["op"].to_pandas()
    assert len(op) == 1 and op["v(b)"].iloc[0] == pytest.approx(2.0)


def test_to_xarray():
    xr = pytest.importorskip("xarray")
    r = simcore.simulate("ac\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac dec 5 1 1k\n.tran 1u 10u\n.end\n")
    ds = r["ac"].to_xarray()
    assert isinstance(ds, xr.Dataset)
    assert "frequency" in ds.coords and ds["v(out)"].dims == ("frequency",)
    assert np.iscomplexobj(ds["v(out)"].values)
    assert np.array_equal(ds["v(out)"].values, r["ac"]["v(out)"])
    tds = r["tran"].to_xarray()
    assert np.array_equal(tds["time"].values, r["tran"].x)
    assert tds["i(v1)"].attrs["kind"] == "current"


def test_csv_layout_ac(tmp_path):
    r = simcore.simulate("ac\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac dec 5 1 1k\n.end\n")
    (path,) = r.write_csv(tmp_path, "x")
    header = pathlib.Path(path).read_text().splitlines()[0]
    assert header == "frequency,vdb(in),vp(in),vdb(out),vp(out),db(i(v1)),ph(i(v1))"


AC_NETLIST = "ac\nV1 in 0 DC 0 AC 1 PULSE(0 1 0 1u 1u 1 2)\nR1 in out 1k\nC1 out 0 1u\n.ac dec 5 1 1k\n"


def test_write_csv_is_the_cli_file(tmp_path):
    """Result.write_csv goes through the same native writer (io/) as `simcore run`: same bytes."""
    import subprocess

    from conftest import SIMCORE

    if not os.path.exists(SIMCORE):
        pytest.skip("no simcore executable at %s" % SIMCORE)
    net = tmp_path / "acf.cir"
    net.write_text(AC_NETLIST + ".tran 10u 1m\n.end\n")
    subprocess.run([SIMCORE, "run", str(net), "--out", str(tmp_path / "cli"), "--quiet"], check=True)
    r = simcore.simulate(net)
    (tmp_path / "py").mkdir()
    paths = r.write_csv(tmp_path / "py", "acf")
    assert sorted(os.path.basename(p) for p in paths) == ["acf.ac.csv", "acf.tran.csv"]
    for p in paths:
        assert pathlib.Path(p).read_bytes() == (tmp_path / "cli" / os.path.basename(p)).read_bytes(), p


def test_native_writer_json_and_raw():
    r = simcore.simulate("nasty\nV1 a\\q 0 1\nR1 a\\q 0 1k\n.op\n")
    op = r["op"]
    doc = json.loads(op._file_bytes("json", title='t "q"'))
    assert doc["columns"] == ["v(a\\q)", "i(v1)"] and doc["title"] == 't "q"'
    assert doc["rows"][0][0] == 1.0
    raw = op._file_bytes("raw")
    assert raw.startswith(b"Title: \nDate: ") and b"No. Points: 1 " in raw
    with pytest.raises(ValueError):
        op._file_bytes("xlsx")
    # only the signals asked for
    assert r["op"]._file_bytes("csv", ["v(a\\q)"]).decode().splitlines()[0] == "v(a\\q)"


def test_to_parquet_is_the_cli_layout(tmp_path):
    """Result.to_parquet (pyarrow) takes its columns and metadata from the native io/ layout, as
    `simcore run --format parquet` does: same columns, same values, same metadata keys; DuckDB
    reads it."""
    import hashlib
    import subprocess

    pq = pytest.importorskip("pyarrow.parquet")
    duckdb = pytest.importorskip("duckdb")
    from conftest import SIMCORE

    net = tmp_path / "acf.cir"
    text = AC_NETLIST + ".tran 10u 1m\n.end\n"
    net.write_text(text)
    r = simcore.simulate(net)
    (tmp_path / "py").mkdir()
    paths = r.to_parquet(tmp_path / "py", "acf", parameters={"r": 1e3}, seed="7")
    assert sorted(os.path.basename(p) for p in paths) == ["acf.ac.parquet", "acf.tran.parquet"]
    t = pq.read_table(tmp_path / "py" / "acf.tran.parquet")
    assert t.column_names == ["time", "v(in)", "v(out)", "i(v1)"]
    np.testing.assert_array_equal(t.column("v(out)").to_numpy(), r["tran"]["v(out)"])
    ac = pq.read_table(tmp_path / "py" / "acf.ac.parquet")
    z = ac.column("v(out).re").to_numpy() + 1j * ac.column("v(out).im").to_numpy()
    np.testing.assert_array_equal(z, r["ac"]["v(out)"])
    m = {k.decode(): v.decode() for k, v in pq.read_metadata(tmp_path / "py" / "acf.tran.parquet").metadata.items()}
    assert m["simcore.netlist_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert json.loads(m["simcore.parameters"]) == {"r": 1e3} and m["simcore.seed"] == "7"
    assert m["simcore.rows"] == str(len(r["tran"].x)) and m["simcore.partial"] == "false"
    n = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)",
                                 [str(tmp_path / "py" / "acf.tran.parquet")]).fetchone()[0]
    assert n == len(r["tran"].x)
    if os.path.exists(SIMCORE) and os.path.exists(os.path.join(os.path.dirname(SIMCORE), "libsimcore_parquet.so")):
        subprocess.run([SIMCORE, "run", str(net), "--out", str(tmp_path / "cli"), "--format", "parquet", "--quiet"],
                       check=True)
        for name in ("acf.tran.parquet", "acf.ac.parquet"):
            a = pq.read_table(tmp_path / "py" / name)
            b = pq.read_table(tmp_path / "cli" / name)
            assert a.column_names == b.column_names
            for c in a.column_names:
                np.testing.assert_array_equal(a.column(c).to_numpy(), b.column(c).to_numpy(), err_msg=c)
            ma = pq.read_metadata(tmp_path / "py" / name).metadata
            mb = pq.read_metadata(tmp_path / "cli" / name).metadata
            assert set(ma) == set(mb)


MEAS_NETLIST = """meas
V1 in 0 PULSE(0 1 0 1n 1n 1 2)
R1 in out 1k
C1 out 0 1u
.tran 10u 5m
.meas tran vfinal FIND v(out) AT=5m
.meas tran trise TRIG v(out) VAL=0.1 RISE=1 TARG v(out) VAL=0.9 RISE=1
.meas tran never WHEN v(out)=2
.end
"""


def test_meas_results_are_in_the_result():
    """.meas cards are evaluated by the engine for every front end (RunStats.measures)."""
    r = simcore.simulate(MEAS_NETLIST)
    m = r.measures
    assert list(m) == ["vfinal", "trise", "never"]
    assert abs(m["vfinal"] - (1 - math.exp(-5))) < 2e-3
    assert abs(m["trise"] - 1e-3 * math.log(9)) < 2e-5  # 10-90 % of an RC step: tau ln 9
    assert math.isnan(m["never"]) and "never" in r.measure_errors and r.measure_errors["never"]
    assert r.stats["measures"][0]["line"] == 6


SCRIPT_NETLIST = """rc driven by a .control script
V1 in 0 DC 1
R1 in out 1k
C1 out 0 1u
.control
op
print v(out)
tran 10u 1m
let vmax = vecmax(v(out))
echo peak $&vmax
wrdata rc.txt v(out)
print nosuch
.endc
.end
"""


def test_control_script_output_and_files_are_in_the_result():
    """A .control script's text and files are data in the Result (nothing is written to disk)."""
    r = simcore.simulate(SCRIPT_NETLIST)
    assert r.script_output.startswith("v(out) = 1.000000e+00\npeak 1\n")
    files = r.script_files
    assert list(files) == ["rc.txt"]
    first = files["rc.txt"].split(b"\n")[0].split()
    assert float(first[0]) == 0.0 and abs(float(first[1]) - 1.0) < 1e-9
    assert len(r.stats["script_errors"]) == 1 and "no such vector 'nosuch'" in r.stats["script_errors"][0]
    plain = simcore.simulate(MEAS_NETLIST)
    assert plain.script_output == "" and plain.script_files == {}

def test_noise_and_tf():
    # .noise and .tf (issue 12): three analyses of their own kinds
    net = """small signal
V1 in 0 DC 1 AC 1
R1 in out 1k
R2 out 0 1k
.noise v(out) V1 dec 2 1k 10k
.tf v(out) V1
.end
"""
    r = simcore.simulate(net)
    # (in ngspice's order, by kind: TF before NOISE)
    assert list(r) == ["tf", "noise", "noise_total"]
    n = r["noise"]
    assert n.kind == "noise" and n.x_name == "frequency" and not n.complex
    assert np.allclose(n.x, [1e3, 10 ** 3.5, 1e4])
    # r1 || r2 = 500 Ohm: sqrt(4 k T 500) V/sqrt(Hz); referred to v1 through the gain 1/2
    assert np.allclose(n["onoise_spectrum"], math.sqrt(4 * 1.38064852e-23 * 300.15 * 500), rtol=1e-9)
    assert np.allclose(n["inoise_spectrum"], 2 * n["onoise_spectrum"], rtol=1e-9)
    assert r["noise_total"].x_name == "" and r["noise_total"]["onoise_total"].shape == (1,)
    tf = r["tf"]
    assert tf.kind == "tf"
    assert tf["transfer_function"][0] == pytest.approx(0.5)
    assert tf["v1#input_impedance"][0] == pytest.approx(2000)
    assert tf["output_impedance_at_v(out)"][0] == pytest.approx(500)


def test_sens():
    # .sens (DC and AC): kind "sens", ngspice's vector names, d v(out) / d p unnormalised
    # (one kind's cards run last first, as in ngspice: the DC one first)
    net = """sens
V1 in 0 DC 10 AC 1
R1 in out 1k
R2 out 0 2k
C1 out 0 1u
.sens v(out) ac dec 1 100 1k
.sens v(out)
.end
"""
    r = simcore.simulate(net)
    assert list(r) == ["sens", "sens2"]
    dc, ac = r["sens"], r["sens2"]
    assert dc.kind == "sens" and dc.x_name == "" and not dc.complex
    # v(out) = 10 R2 / (R1 + R2)
    assert dc["r1"][0] == pytest.approx(-10 * 2e3 / 3e3 ** 2, rel=1e-5)
    assert dc["v1"][0] == pytest.approx(2 / 3, rel=1e-9)
    assert "c1" in dc.signals and dc["c1"][0] == 0
    assert ac.kind == "sens" and ac.complex and ac.x_name == "frequency"
    assert np.allclose(ac.x, [100, 1000])
    assert ac["v1_acmag"].dtype == np.complex128


def test_sp():
    # .sp: kind "sp", complex over frequency; a series 30 ohm resistor between two 50 ohm ports:
    # S11 = R / (R + 100), S21 = 100 / (R + 100)
    net = """sp
V1 a 0 portnum 1
R1 a b 30
V2 b 0 portnum 2 z0 50
.sp lin 3 1k 3k
.end
"""
    r = simcore.simulate(net)
    sp = r["sp"]
    assert sp.kind == "sp" and sp.complex and sp.x_name == "frequency"
    assert np.allclose(sp.x, [1e3, 2e3, 3e3])
    assert sp["s_1_1"].dtype == np.complex128
    assert np.allclose(sp["s_1_1"], 30 / 130) and np.allclose(sp["s_2_1"], 100 / 130)
    assert np.allclose(sp["y_1_1"], 1 / 30)


def test_pz():
    # .pz: one complex row, poles then zeros (series RLC: -R/2L +- j sqrt(1/LC - (R/2L)^2); output
    # across R: a zero at s = 0)
    net = """pz
V1 in 0 DC 0 AC 1
R1 in 1 10
L1 1 2 1m
C1 2 out 1u
R2 out 0 10
.pz in 0 out 0 vol pz
.end
"""
    r = simcore.simulate(net)
    pz = r["pz"]
    assert pz.kind == "pz" and pz.complex and pz.x_name == ""
    assert list(pz) == ["pole(1)", "pole(2)", "zero(1)"]
    a = -20 / (2 * 1e-3)
    w = math.sqrt(1 / (1e-3 * 1e-6) - a * a)
    assert pz["pole(1)"].dtype == np.complex128 and pz["pole(1)"].shape == (1,)
    assert pz["pole(1)"][0] == pytest.approx(complex(a, w), rel=1e-9)
    assert pz["pole(2)"][0] == pytest.approx(complex(a, -w), rel=1e-9)
    assert pz["zero(1)"][0] == 0


def _inverter_chain(stages: int = 300) -> str:
    """600 MOSFETs: one device group above the engine's threshold for threaded loads (512 level-1 evaluations)."""
    net = ("inverter chain\n"
           ".model NM NMOS(LEVEL=1 VTO=0.7 KP=110u LAMBDA=0.04 GAMMA=0.45 PHI=0.7 CGSO=0.3n CGDO=0.3n CBD=5f)\n"
           ".model PM PMOS(LEVEL=1 VTO=-0.8 KP=40u LAMBDA=0.05 GAMMA=0.5 PHI=0.7 CGSO=0.3n CGDO=0.3n CBD=5f)\n"
           ".subckt inv in out vdd\nMN out in 0 0 NM W=2u L=1u\nMP out in vdd vdd PM W=5u L=1u\n"
           "CL out 0 10f\n.ends\nVDD vdd 0 3.3\nVIN n0 0 PULSE(0 3.3 0.1n 0.1n 0.1n 2n 4n)\n")
    net += "".join("X%d n%d n%d vdd inv\n" % (k, k - 1, k) for k in range(1, stages + 1))
    return net + ".save v(n1) v(n75) v(n150)\n.tran 20p 3n\n.end\n"


def test_threads_are_used_and_bit_identical():
    net = _inverter_chain()
    one = simcore.simulate(net)
    two = simcore.simulate(net, threads=2)
    assert one.stats["parallel_loads"] == 0
    assert two.stats["parallel_loads"] > 100
    a, b = one["tran"], two["tran"]
    assert len(a.x) > 100 and np.array_equal(a.x, b.x)
    for name in ("v(n1)", "v(n75)", "v(n150)"):
        assert np.array_equal(a[name], b[name]), name
    chunks = list(simcore.stream(net, threads=2))
    assert np.array_equal(np.concatenate([c.x for c in chunks]), a.x)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="threads must be an integer"):
            simcore.simulate(net, threads=bad)


def test_stop_and_resume_continue_one_transient():
    """`stop when time = T` / alter / `resume` (ngspice's breakpoints): one transient whose
    second part runs on the altered circuit from the paused state."""
    net = ("rc stop resume\nv1 1 0 dc 5\nr1 1 2 1k\nc2 2 0 1u\n.control\nstop when time = 1ms\n"
           "tran 10u 2ms uic\nalter v1 = -5\nresume\nlet n = length(time)\nprint n\n.endc\n.end\n")
    r = simcore.simulate(net)
    t = list(r["tran"].x)
    v = list(r["tran"]["v(2)"])
    assert len(t) == int(float(r.script_output.split("=")[1]))  # the script saw the whole run
    assert abs(t[-1] - 2e-3) < 1e-12 and any(abs(x - 1e-3) < 1e-15 for x in t)
    vstop = 5 * (1 - math.exp(-1.0))
    k = min(range(len(t)), key=lambda j: abs(t[j] - 1.5e-3))
    gold = vstop + (-5 - vstop) * (1 - math.exp(-(t[k] - 1e-3) / 1e-3))
    assert v[k] == pytest.approx(gold, abs=1e-3)
