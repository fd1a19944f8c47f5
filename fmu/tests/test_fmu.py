"""FMUs written by `simcore fmu`, checked with FMPy (run by ctest fmu.fmpy, fmu/tests/run.sh).

The reference is `simcore run --interpolate` of the same netlist: its rows on the
.tran grid come from the same dense output the FMU evaluates at a communication
point, so with the same inputs the waveforms agree to 1e-6 relative (they are
the same numbers; the CSV keeps 12 digits)."""

import csv
import ctypes
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
from fmpy import read_model_description, simulate_fmu
from fmpy.validation import validate_fmu
from fmpy.fmi2 import FMU2Slave, fmi2CallbackFunctions, fmi2CallbackLoggerTYPE
from fmpy.fmi3 import FMU3Slave, fmi3LogMessageCallback

SIMCORE = os.environ.get("SIMCORE", "build/bin/simcore")
SRC = Path(os.environ.get("SIMCORE_SRC", "."))
FMPY = os.environ.get("FMPY", "fmpy")

RC_STEP_INPUT = """RC low-pass driven by an FMU input
.param r=1k c=100n
VIN in 0 DC 0
R1 in out {r}
C1 out 0 {c}
.tran 1u 1m
.end
"""


def export(netlist, out, *args):
    r = subprocess.run([SIMCORE, "fmu", str(netlist), "-o", str(out), *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


def run_interpolated(netlist, tmp):
    out = tmp / "run"
    r = subprocess.run([SIMCORE, "run", str(netlist), "--interpolate", "-q", "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with open(out / (Path(netlist).stem + ".tran.csv")) as f:
        rows = list(csv.reader(f))
    names = rows[0]
    data = np.array([[float(x) for x in row] for row in rows[1:]])
    return {n: data[:, k] for k, n in enumerate(names)}


def assert_same(fmu_values, ref_values, what):
    """|a - b| <= 1e-6 |b|, with a floor of 1e-12 of the signal's range for values at zero."""
    a, b = np.asarray(fmu_values), np.asarray(ref_values)
    assert a.shape == b.shape, what
    floor = 1e-12 * max(np.max(np.abs(b)), 1e-30)
    bad = np.abs(a - b) > 1e-6 * np.abs(b) + floor
    assert not bad.any(), "%s: %d of %d points differ, first at %d: %r vs %r" % (
        what, bad.sum(), len(b), np.argmax(bad), a[np.argmax(bad)], b[np.argmax(bad)])


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


@pytest.mark.parametrize("fmi", ["2", "3"])
@pytest.mark.parametrize("example", ["rc_filter", "buck_converter"])
def test_fmpy_validate(tmp, fmi, example):
    fmu = export(SRC / "examples" / (example + ".cir"), tmp / (example + ".fmu"), "--fmi", fmi)
    assert validate_fmu(str(fmu)) == []
    r = subprocess.run([FMPY, "validate", str(fmu)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    md = read_model_description(str(fmu))
    assert md.fmiVersion.startswith(fmi)
    assert md.coSimulation is not None and md.modelExchange is None
    with zipfile.ZipFile(fmu) as z:
        names = z.namelist()
    platform = "linux64" if fmi == "2" else "x86_64-linux"
    assert "binaries/%s/%s.so" % (platform, example) in names
    assert "resources/%s.cir" % example in names


@pytest.mark.parametrize("fmi", ["2", "3"])
def test_rc_filter_matches_simcore_run(tmp, fmi):
    netlist = SRC / "examples" / "rc_filter.cir"
    fmu = export(netlist, tmp / "rc.fmu", "--fmi", fmi)
    ref = run_interpolated(netlist, tmp)
    res = simulate_fmu(str(fmu), output_interval=1e-6, output=["v(in)", "v(out)", "i(vin)"])
    assert len(res) == len(ref["time"])
    assert_same(res["time"], ref["time"], "time")
    for sig in ["v(in)", "v(out)", "i(vin)"]:
        assert_same(res[sig], ref[sig], sig)
    # the step response itself: 1 - exp(-1) one tau after the 50 us step
    k = np.searchsorted(ref["time"], 150e-6)
    assert abs(res["v(out)"][k] - (1 - np.exp(-1))) < 1e-3


@pytest.mark.parametrize("fmi", ["2", "3"])
def test_buck_matches_simcore_run(tmp, fmi):
    netlist = SRC / "examples" / "buck_converter.cir"
    fmu = export(netlist, tmp / "buck.fmu", "--fmi", fmi)
    md = read_model_description(str(fmu))
    inputs = [v.name for v in md.modelVariables if v.causality == "input"]
    assert inputs == ["VIN"]  # the constant source; not the PULSE gate nor the 0 V ammeter
    ref = run_interpolated(netlist, tmp)
    # communication every 1 us (every 20th row of the 50 ns .tran grid), the input at its start value
    res = simulate_fmu(str(fmu), output_interval=1e-6, output=["v(out)", "i(vil)", "v(sw)"],
                       start_values={"VIN": 12.0})
    step = 20
    assert len(res) == (len(ref["time"]) - 1) // step + 1
    for sig in ["v(out)", "i(vil)", "v(sw)"]:
        assert_same(res[sig], ref[sig][::step], sig)
    tail = res["time"] >= 1.8e-3
    assert abs(np.mean(res["v(out)"][tail]) - 4.97) < 0.05  # ngspice: 4.97 V


def drive(fmu_path, fmi, steps, h, sets=(), params=None, outputs=("v(out)",), logger_messages=None):
    """Runs an FMU by hand with FMPy's low-level API: sets[k] = {name: value} applied before DoStep k."""
    md = read_model_description(str(fmu_path))
    vr = {v.name: v.valueReference for v in md.modelVariables}
    unzipped = tmp_unzip(fmu_path)
    cls = FMU2Slave if fmi == "2" else FMU3Slave
    token = md.guid if fmi == "2" else md.instantiationToken
    fmu = cls(guid=token, unzipDirectory=unzipped, modelIdentifier=md.coSimulation.modelIdentifier,
              instanceName="drive")
    fmu.instantiate()
    if fmi == "2":
        fmu.setupExperiment(startTime=0.0)
        fmu.enterInitializationMode()
    else:
        fmu.enterInitializationMode(startTime=0.0)
    for name, value in (params or {}).items():
        set_real(fmu, fmi, [vr[name]], [value])
    fmu.exitInitializationMode()
    out = [get_real(fmu, fmi, [vr[o] for o in outputs])]
    t = 0.0
    sets = dict(sets)
    for k in range(steps):
        for name, value in sets.get(k, {}).items():
            set_real(fmu, fmi, [vr[name]], [value])
        fmu.doStep(currentCommunicationPoint=t, communicationStepSize=h)
        t = (k + 1) * h
        out.append(get_real(fmu, fmi, [vr[o] for o in outputs]))
    fmu.terminate()
    fmu.freeInstance()
    return np.array(out)


def set_real(fmu, fmi, vrs, values):
    (fmu.setReal if fmi == "2" else fmu.setFloat64)(vrs, values)


def get_real(fmu, fmi, vrs):
    return (fmu.getReal if fmi == "2" else fmu.getFloat64)(vrs)


_unzipped = []


def tmp_unzip(fmu_path):
    from fmpy import extract
    d = extract(str(fmu_path))
    _unzipped.append(d)
    return d


def teardown_module():
    for d in _unzipped:
        shutil.rmtree(d, ignore_errors=True)


@pytest.mark.parametrize("fmi", ["2", "3"])
def test_input_step_acts_like_a_source_step(tmp, fmi):
    netlist = tmp / "rc_in.cir"
    netlist.write_text(RC_STEP_INPUT)
    fmu = export(netlist, tmp / "rc_in.fmu", "--fmi", fmi, "--input", "VIN")
    h = 1e-6
    # VIN: 0 V, then 1 V from t = 200 us (set before the DoStep that starts there)
    got = drive(fmu, fmi, 1000, h, sets={200: {"VIN": 1.0}}, outputs=("v(out)", "v(in)"))
    ref_netlist = tmp / "rc_pwl.cir"
    ref_netlist.write_text(RC_STEP_INPUT.replace("VIN in 0 DC 0", "VIN in 0 PWL(0 0 200u 0 200.000001u 1)"))
    ref = run_interpolated(ref_netlist, tmp)
    assert len(got) == len(ref["time"])
    # before the step: nothing moves; after: the same charging curve (the reference
    # ramps over 1 ps, the FMU jumps; both land on 200 us)
    assert np.max(np.abs(got[:201, 0])) < 1e-6
    assert np.max(np.abs(got[:, 0] - ref["v(out)"])) < 1e-5  # (measured: 6e-7)
    assert np.max(np.abs(got[202:, 1] - 1.0)) < 1e-9
    k = 300  # one tau after the step
    assert abs(got[k, 0] - (1 - np.exp(-1))) < 1e-3


@pytest.mark.parametrize("fmi", ["2", "3"])
def test_parameters_change_results(tmp, fmi):
    netlist = SRC / "examples" / "rc_filter.cir"
    fmu = export(netlist, tmp / "rc.fmu", "--fmi", fmi)
    base = drive(fmu, fmi, 300, 1e-6)
    slow = drive(fmu, fmi, 300, 1e-6, params={"r": 2e3})
    ref_netlist = tmp / "rc_2k.cir"
    ref_netlist.write_text(netlist.read_text().replace(".param r=1k", ".param r=2k"))
    ref = run_interpolated(ref_netlist, tmp)
    assert_same(slow[:, 0], ref["v(out)"][:301], "v(out) with r=2k")
    assert slow[150, 0] < base[150, 0] - 0.1  # tau 200 us instead of 100 us


def test_two_instances_in_one_process(tmp):
    netlist = SRC / "examples" / "rc_filter.cir"
    fmu = export(netlist, tmp / "rc.fmu")
    md = read_model_description(str(fmu))
    vr = {v.name: v.valueReference for v in md.modelVariables}
    d = tmp_unzip(fmu)
    a, b = (FMU2Slave(guid=md.guid, unzipDirectory=d, modelIdentifier="rc_filter", instanceName=n) for n in "ab")
    for f, r in ((a, 1e3), (b, 2e3)):
        f.instantiate()
        f.setupExperiment(startTime=0.0)
        f.enterInitializationMode()
        f.setReal([vr["r"]], [r])
        f.exitInitializationMode()
    va, vb = [], []
    for k in range(300):  # interleaved
        a.doStep(k * 1e-6, 1e-6)
        b.doStep(k * 1e-6, 1e-6)
        va.append(a.getReal([vr["v(out)"]])[0])
        vb.append(b.getReal([vr["v(out)"]])[0])
    for f in (a, b):
        f.terminate()
        f.freeInstance()
    assert_same(va, drive(fmu, "2", 300, 1e-6)[1:, 0], "instance a")
    assert_same(vb, drive(fmu, "2", 300, 1e-6, params={"r": 2e3})[1:, 0], "instance b")


def test_export_errors(tmp):
    bad = tmp / "bad.cir"
    bad.write_text("bad\nR1 a 0 1k\nC1 a 0 {undefined_param}\n.tran 1u 1m\n.end\n")
    r = subprocess.run([SIMCORE, "fmu", str(bad), "-o", str(tmp / "bad.fmu")], capture_output=True, text=True)
    assert r.returncode == 2 and "bad.cir:3:" in r.stderr and "error" in r.stderr
    assert not (tmp / "bad.fmu").exists()
    rc = SRC / "examples" / "rc_filter.cir"
    for args, words in ((["--output", "v(nowhere)"], "nowhere"), (["--input", "R1"], "'R1'"),
                        (["--param", "nope"], "nope"), (["--fmi", "4"], "--fmi")):
        r = subprocess.run([SIMCORE, "fmu", str(rc), "-o", str(tmp / "x.fmu"), *args], capture_output=True, text=True)
        assert r.returncode == 2 and words in r.stderr, r.stderr
    nontran = tmp / "op.cir"
    nontran.write_text("op only\nR1 a 0 1k\nI1 0 a 1m\n.op\n.end\n")
    r = subprocess.run([SIMCORE, "fmu", str(nontran), "-o", str(tmp / "x.fmu")], capture_output=True, text=True)
    assert r.returncode == 2 and ".tran" in r.stderr


def tampered(fmu, tmp, name, edit):
    """A copy of the FMU with resources/NAME edited."""
    out = tmp / ("tampered-" + fmu.name)
    with zipfile.ZipFile(fmu) as zi, zipfile.ZipFile(out, "w") as zo:
        for item in zi.infolist():
            data = zi.read(item.filename)
            if item.filename == "resources/" + name:
                data = edit(data.decode()).encode()
            zo.writestr(item, data)
    return out


class Messages:
    def __init__(self):
        self.items = []


def instantiate_logged(fmu_path, fmi, messages):
    md = read_model_description(str(fmu_path))
    d = tmp_unzip(fmu_path)
    if fmi == "2":
        f = FMU2Slave(guid=md.guid, unzipDirectory=d, modelIdentifier=md.coSimulation.modelIdentifier,
                      instanceName="err")

        def log(env, name, status, category, message):
            messages.append((status, message.decode()))

        cb = fmi2CallbackFunctions()
        cb.logger = fmi2CallbackLoggerTYPE(log)
        cb.allocateMemory = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t)(
            lambda n, s: ctypes.cast(ctypes.create_string_buffer(n * s), ctypes.c_void_p).value)
        cb.freeMemory = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(lambda p: None)
        f._keep = (cb, log)
        f.instantiate(callbacks=cb)
        return f
    f = FMU3Slave(guid=md.instantiationToken, unzipDirectory=d, modelIdentifier=md.coSimulation.modelIdentifier,
                  instanceName="err")

    def log3(env, status, category, message):
        messages.append((status, message.decode()))

    f.instantiate(logMessage=log3)
    return f


@pytest.mark.parametrize("fmi", ["2", "3"])
def test_runtime_errors_go_to_the_logger(tmp, fmi):
    rc = export(SRC / "examples" / "rc_filter.cir", tmp / "rc.fmu", "--fmi", fmi)
    # a netlist that does not parse: instantiation fails, the reason is logged
    broken = tampered(rc, tmp, "rc_filter.cir", lambda t: t.replace("R1 in out {r}", "R1 in out {r"))
    messages = []
    with pytest.raises(Exception):
        instantiate_logged(broken, fmi, messages)
    assert any(s == 3 and "rc_filter.cir:" in m for s, m in messages), messages
    # an output the circuit does not have
    unknown = tampered(rc, tmp, "simcore-fmu.txt", lambda t: t.replace("\tv(out)\tV", "\tv(nowhere)\tV"))
    messages = []
    with pytest.raises(Exception):
        instantiate_logged(unknown, fmi, messages)
    assert any(s == 3 and "nowhere" in m for s, m in messages), messages
    # a DoStep past the stop time and an unknown value reference: fmiError, logged, no crash
    messages = []
    f = instantiate_logged(rc, fmi, messages)
    if fmi == "2":
        f.setupExperiment(startTime=0.0, stopTime=1e-4)
        f.enterInitializationMode()
    else:
        f.enterInitializationMode(startTime=0.0, stopTime=1e-4)
    f.exitInitializationMode()
    with pytest.raises(Exception):
        f.doStep(currentCommunicationPoint=0.0, communicationStepSize=2e-4)
    assert any(s == 3 and "stop time" in m for s, m in messages), messages
    with pytest.raises(Exception):
        get_real(f, fmi, [9999])
    assert any("9999" in m for s, m in messages), messages
    f.doStep(currentCommunicationPoint=0.0, communicationStepSize=1e-5)  # still usable
    f.terminate()
    f.freeInstance()


@pytest.mark.parametrize("fmi", ["2", "3"])
def test_a_floating_node_is_tied_and_its_warning_logged(tmp, fmi):
    # mid reaches the circuit only through capacitors: the FMU runs it as `simcore run`
    # does (tied to ground through gmin) and logs the warning with its place
    (tmp / "float.cir").write_text("floating\nVIN in 0 DC 0\nC1 in mid 1n\nC2 mid out 1n\nR1 out 0 1k\n"
                                   ".tran 1u 100u\n.end\n")
    fmu = export(tmp / "float.cir", tmp / "float.fmu", "--fmi", fmi, "--input", "VIN", "--output", "v(out)")
    messages = []
    f = instantiate_logged(fmu, fmi, messages)
    assert any(s == 1 and "float.cir:3:" in m and "'mid' has no DC path to ground" in m for s, m in messages), messages
    f.freeInstance()


def test_included_files_are_packed(tmp):
    (tmp / "sub").mkdir()
    (tmp / "sub" / "part.lib").write_text(".subckt part p n\nR1 p n 1k\n.ends\n")
    top = tmp / "top.cir"
    top.write_text("include test\n.include sub/part.lib\n.include models/diodes.lib\nV1 a 0 DC 5\nXR a b part\n"
                   "D1 b 0 1N4148\n.tran 1u 100u\n.end\n")
    fmu = export(top, tmp / "top.fmu", "--fmi", "3")
    with zipfile.ZipFile(fmu) as z:
        names = z.namelist()
    assert "resources/include/1-part.lib" in names and "resources/include/2-diodes.lib" in names
    (tmp / "sub" / "part.lib").unlink()  # the FMU reads its own copy
    res = simulate_fmu(str(fmu), output_interval=1e-6, output=["v(b)"])
    (tmp / "sub" / "part.lib").write_text(".subckt part p n\nR1 p n 1k\n.ends\n")
    ref = run_interpolated(top, tmp)
    assert_same(res["v(b)"], ref["v(b)"], "v(b)")
