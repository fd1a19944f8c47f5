"""simcore.sweep with a simcore.Client backend against a real `simcore serve` on loopback
(conftest.serve): file names that are not session names, measure=, failed points with their
line/column, server errors that stop the sweep at once, and the per-user job quota."""
from __future__ import annotations

import numpy as np
import pytest

import simcore
from conftest import serve, token_for
from simcore import sweep

RC = """RC low-pass for remote sweeps
.param r=1k c=100n
V1 in 0 PULSE(0 1 0 1n 1n 1 2)
R1 in out {r}
C1 out 0 {c}
.tran 1u 300u
.end
"""
VEND = lambda res: {"vend": res["tran"]["v(out)"][-1]}  # noqa: E731


def session_name(stem):
    from simcore.client import session_name

    return session_name(stem)


def test_session_name_from_any_file_stem():
    assert session_name("rc") == "rc"
    assert session_name("rc.v2") == "rc_v2"
    assert session_name("my rc (final)") == "my_rc__final_"
    assert session_name("ré-sumé") == "r_-sum_"
    assert session_name("x" * 100) == "x" * 64
    assert session_name("") == "circuit"


def test_client_simulate_a_file_whose_stem_is_not_a_session_name(client, tmp_path):
    for stem in ("rc.v2", "rc with spaces", "y" * 80):
        path = tmp_path / (stem + ".cir")
        path.write_text(RC)
        r = client.simulate(path)
        assert r.file == str(path) and r["tran"]["v(out)"].size > 10
        assert client.session(path).name == session_name(stem)


def test_remote_grid_with_measure_a_dotted_file_name_and_a_failing_point(client, tmp_path):
    path = tmp_path / "rc.v2.cir"
    path.write_text(RC)
    grid = {"r": [1e3, 0.0, 2e3], "c": [47e-9, 100e-9]}
    local = sweep.grid(RC, grid, measure=VEND)
    remote = sweep.grid(path, grid, measure=VEND, backend=client, workers=3)
    assert list(remote.columns[:3]) == ["r", "c", "vend"]
    ok = remote["error_code"].isna()
    assert ok.tolist() == local["error_code"].isna().tolist() and ok.sum() == 4
    assert np.allclose(remote["vend"][ok], local["vend"][ok], rtol=1e-6)
    fails = sweep.failures(remote)
    assert [f.params for f in fails] == [{"r": 0.0, "c": 47e-9}, {"r": 0.0, "c": 100e-9}]
    f = fails[0]
    assert (f.code, f.line, f.column) == ("semantic", 4, 1) and "resistance" in f.message


def test_remote_netlist_failing_with_its_own_params_falls_back_per_point(client):
    net = RC.replace(".param r=1k", ".param r=0")  # CreateSession refuses it; r=1k points work
    df = sweep.grid(net, {"r": [0.0, 1e3]}, measure=VEND, backend=client)
    assert df["vend"].notna().tolist() == [False, True]
    (f,) = sweep.failures(df)
    assert f.params == {"r": 0.0} and (f.code, f.line, f.column) == ("semantic", 4, 1)


def test_remote_server_errors_raise_at_once(server):
    with simcore.Client(server["address"], token="not-a-token") as bad:
        with pytest.raises(simcore.RemoteError) as ei:
            sweep.grid(RC, {"r": [1e3, 2e3, 3e3]}, measure=VEND, backend=bad)
    assert ei.value.status == "UNAUTHENTICATED"


def test_remote_rejects_max_points(client):
    with pytest.raises(ValueError, match="max_points"):
        sweep.grid(RC, {"r": [1e3]}, measure=VEND, backend=client, max_points=10)


def test_remote_sweep_waits_for_the_job_quota_while_its_jobs_progress(monkeypatch):
    # One job at a time for this user, four sweep threads: three always wait for the quota. They
    # keep waiting while the sweep's own jobs run or finish, however long the sweep takes; the
    # bound applies only when nothing of the sweep progresses (shortened here; eight jobs of a
    # tenth of a second in a row outlast it).
    monkeypatch.setattr(sweep, "_QUOTA_IDLE_SECONDS", 0.5)
    net = RC.replace(".tran 1u 300u", ".tran 1u 100m")
    with serve(["--workers", "4"], limits="[user.sweeper]\nmax_jobs = 1\n") as srv:
        with simcore.Client(srv["address"], token=token_for(srv, "sweeper")) as c:
            df = sweep.grid(net, {"r": np.linspace(1e3, 2e3, 8)}, measure=VEND, backend=c, workers=4,
                            save=["v(out)"])
            assert sweep.failures(df) == [] and df["vend"].notna().all()
            # Without progress (another job of the user holds the quota), a point gives up with `quota`.
            hog = c.submit(RC.replace(".tran 1u 300u", ".tran 1u 1000"))
            try:
                df = sweep.grid(RC, {"r": [1e3, 2e3]}, measure=VEND, backend=c, workers=2)
            finally:
                c.stop(hog)
            assert [f.code for f in sweep.failures(df)] == ["quota", "quota"]
