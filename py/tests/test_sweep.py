"""simcore.sweep: grids and Monte Carlo runs against analytic answers, reproducibility,
failed points, and the Dask backend (two worker processes) against the thread backend."""
from __future__ import annotations

import math

import numpy as np
import pytest

import simcore
from simcore import sweep

# A step into an RC low-pass: v(out) = 1 - exp(-t / RC); |H(f)| = 1 / sqrt(1 + (f / fc)^2).
RC = """RC low-pass for sweeps
.param r=1k c=100n l_unused=1
V1 in 0 PULSE(0 1 0 1n 1n 1 2) AC 1
R1 in out {r}
C1 out 0 {c}
.ac dec 40 10 1meg
.tran 1u 1m
.end
"""
R_VALUES = [500.0, 1e3, 2e3]
C_VALUES = [47e-9, 100e-9]


def corner(freq, mag):
    """The -3 dB frequency, interpolated in log f between the samples around it."""
    k = int(np.argmax(mag < 1 / math.sqrt(2)))
    f0, f1, m0, m1 = np.log10(freq[k - 1]), np.log10(freq[k]), mag[k - 1], mag[k]
    return 10 ** (f0 + (1 / math.sqrt(2) - m0) * (f1 - f0) / (m1 - m0))


def test_grid_dataset_matches_the_analytic_rc():
    ds = sweep.grid(RC, {"R": R_VALUES, "c": C_VALUES}, analysis="ac", signals=["v(out)"])
    assert ds["v(out)"].dims == ("r", "c", "frequency")
    assert list(ds["r"].values) == R_VALUES and list(ds["c"].values) == C_VALUES
    assert ds.attrs["failed"] == 0 and not sweep.failures(ds) and ds.attrs["interpolated"] == 0
    f = ds["frequency"].values
    for r in R_VALUES:
        for c in C_VALUES:
            fc = 1 / (2 * math.pi * r * c)
            mag = np.abs(ds["v(out)"].sel(r=r, c=c).values)
            assert np.allclose(mag, 1 / np.sqrt(1 + (f / fc) ** 2), rtol=1e-6)
            assert corner(f, mag) == pytest.approx(fc, rel=0.01)

    # The transient of the same grid: each point's own adaptive steps, interpolated onto one axis.
    tr = sweep.grid(RC, {"r": R_VALUES, "c": C_VALUES}, analysis="tran", signals=["v(out)"], x=201)
    t = tr["time"].values
    assert tr["v(out)"].shape == (3, 2, 201) and t[0] == 0 and t[-1] == pytest.approx(1e-3)
    for r in R_VALUES:
        for c in C_VALUES:
            v = tr["v(out)"].sel(r=r, c=c).values
            assert v[-1] == pytest.approx(1 - math.exp(-1e-3 / (r * c)), abs=2e-3)


def test_grid_measure_gives_a_frame():
    df = sweep.grid(RC, {"r": R_VALUES, "c": C_VALUES},
                    measure=lambda res: {"vend": res["tran"]["v(out)"][-1], "tend": res["tran"].x[-1]})
    assert len(df) == 6 and list(df.columns[:4]) == ["r", "c", "vend", "tend"]
    assert df["error"].isna().all()
    expect = 1 - np.exp(-df["tend"] / (df["r"] * df["c"]))
    assert np.allclose(df["vend"], expect, atol=2e-3)
    # one scalar: a "value" column
    one = sweep.grid(RC, {"r": [1e3]}, measure=lambda res: res["tran"]["v(out)"].max())
    assert list(one.columns[:2]) == ["r", "value"]


def test_monte_carlo_is_reproducible_with_a_seed():
    params = {"r": (1e3, 0.05, "gauss"), "c": (100e-9, 0.1, "uniform"),
              "l_unused": lambda rng: rng.choice([1.0, 2.0])}
    measure = lambda res: {"vend": res["tran"]["v(out)"][-1]}  # noqa: E731
    a = sweep.monte_carlo(RC, params, n=40, seed=7, measure=measure)
    b = sweep.monte_carlo(RC, params, n=40, seed=7, measure=measure, workers=1)
    assert a.index.name == "sample" and len(a) == 40
    assert a[["r", "c", "l_unused", "vend"]].equals(b[["r", "c", "l_unused", "vend"]])
    assert a.attrs["seed"] == "7"
    other = sweep.monte_carlo(RC, params, n=40, seed=8, measure=measure)
    assert not np.array_equal(a["r"], other["r"])
    # The distributions: uniform stays within its tolerance, gauss has sigma = tol / 3.
    big = sweep.samples({"r": (1e3, 0.05, "gauss"), "c": (100e-9, 0.1, "uniform")}, 20000, seed=1)
    assert np.all(np.abs(big["c"] / 100e-9 - 1) <= 0.1)
    assert np.std(big["r"] / 1e3 - 1) == pytest.approx(0.05 / 3, rel=0.05)
    # A parameter's samples depend on the seed and its name only.
    alone = sweep.samples({"r": (1e3, 0.05, "gauss")}, 40, seed=7)
    assert np.array_equal(alone["r"], a["r"].values)
    # Reruns with the recorded entropy when no seed was given.
    fresh = sweep.monte_carlo(RC, {"r": (1e3, 0.05)}, n=5, measure=measure)
    again = sweep.monte_carlo(RC, {"r": (1e3, 0.05)}, n=5, seed=int(fresh.attrs["seed"]), measure=measure)
    assert np.array_equal(fresh["r"], again["r"])
    # Without measure: a Dataset along "sample" with the parameters as coordinates.
    ds = sweep.monte_carlo(RC, params, n=4, seed=7, analysis="ac", signals=["v(out)"])
    assert ds["v(out)"].dims == ("sample", "frequency") and np.array_equal(ds["r"].values, a["r"].values[:4])


def test_a_failing_point_is_reported_and_the_rest_are_present():
    ds = sweep.grid(RC, {"r": [1e3, 0.0, 2e3], "c": C_VALUES}, analysis="ac", signals=["v(out)"])
    fails = sweep.failures(ds)
    assert [f.params for f in fails] == [{"r": 0.0, "c": c} for c in C_VALUES]
    f = fails[0]
    assert (f.code, f.line, f.column, f.file) == ("semantic", 4, 1, "<netlist>")
    assert "resistance" in f.message and "r=0" in str(f) and "<netlist>:4:1: error:" in str(f)
    assert ds.attrs["failed"] == 2
    assert np.isnan(ds["v(out)"].sel(r=0.0)).all()
    good = ds["v(out)"].sel(r=[1e3, 2e3])
    assert not np.isnan(good).any()
    assert ds["error_line"].sel(r=1e3).values.tolist() == [0, 0]

    df = sweep.grid(RC, {"r": [1e3, 0.0]}, measure=lambda res: res["tran"]["v(out)"][-1])
    assert df["value"].notna().tolist() == [True, False]
    (f,) = sweep.failures(df)
    assert f.params == {"r": 0.0} and (f.line, f.column) == (4, 1)
    # errors raised by measure() are failures too
    df = sweep.grid(RC, {"r": [1e3, 2e3]}, measure=lambda res: 1 / 0 if res["tran"].x.size > 0 else 0)
    assert [f.code for f in sweep.failures(df)] == ["ZeroDivisionError"] * 2

    with pytest.raises(sweep.SweepError) as ei:
        sweep.grid(RC, {"r": [1e3, 0.0]}, measure=lambda res: 1.0, errors="raise")
    assert len(ei.value.failures) == 1 and len(ei.value.data) == 2


def test_run_takes_explicit_points():
    ds = sweep.run(RC, [{"r": 1e3, "c": 1e-7}, {"r": 2e3, "c": 1e-7}], analysis="ac", signals=["v(out)"])
    assert ds["v(out)"].dims == ("point", "frequency") and ds["r"].values.tolist() == [1e3, 2e3]
    assert simcore.sweep is sweep


@pytest.fixture(scope="module")
def dask_client(tmp_path_factory):
    distributed = pytest.importorskip("distributed")
    # Processes: the native module is imported by each worker, as on a real cluster. Their
    # scratch space in pytest's folder (dask's default, TMPDIR/dask-scratch-space, stays behind).
    import dask

    with dask.config.set({"temporary-directory": str(tmp_path_factory.mktemp("dask"))}):
        cluster = distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None)
        client = distributed.Client(cluster)
        yield client
        client.close()
        cluster.close()


def test_dask_backend_matches_the_thread_backend(dask_client):
    grid = {"r": np.linspace(500, 5e3, 5), "c": [47e-9, 100e-9]}
    local = sweep.grid(RC, grid, analysis="ac", signals=["v(out)"])
    remote = sweep.grid(RC, grid, analysis="ac", signals=["v(out)"], backend=dask_client, batch_size=3)
    assert np.array_equal(local["v(out)"].values, remote["v(out)"].values)

    params = {"r": (1e3, 0.05, "gauss"), "c": (100e-9, 0.1, "uniform")}
    measure = lambda res: {"vend": res["tran"]["v(out)"][-1], "points": res.stats["accepted_points"]}  # noqa: E731
    a = sweep.monte_carlo(RC, params, n=12, seed=3, measure=measure)
    b = sweep.monte_carlo(RC, params, n=12, seed=3, measure=measure, backend=dask_client)
    assert a[["r", "c", "vend", "points"]].equals(b[["r", "c", "vend", "points"]])

    # a failed point on a worker keeps its location; the others arrive
    df = sweep.grid(RC, {"r": [1e3, 0.0, 2e3]}, measure=measure, backend=dask_client)
    (f,) = sweep.failures(df)
    assert f.params == {"r": 0.0} and (f.code, f.line, f.column) == ("semantic", 4, 1)
    assert df["vend"].notna().sum() == 2


def test_failures_are_found_by_error_code():
    # A failed point whose message is empty is still a failure: failures() reads error_code.
    ds = sweep.grid(RC, {"r": [1e3, 0.0]}, analysis="ac", signals=["v(out)"])
    ds["error"].values[1] = ""
    assert [f.params for f in sweep.failures(ds)] == [{"r": 0.0}]
    df = sweep.grid(RC, {"r": [1e3, 0.0]}, measure=lambda res: 1.0)
    df.loc[1, "error"] = None
    assert [f.code for f in sweep.failures(df)] == ["semantic"]


def test_samples_refuse_a_name_given_twice():
    with pytest.raises(ValueError, match="case-insensitively"):
        sweep.samples({"R": (1e3, 0.05), "r": (2e3, 0.05)}, 4, seed=1)
    with pytest.raises(ValueError, match="case-insensitively"):
        sweep.monte_carlo(RC, {"C": (1e-7, 0.1), "c": 1e-7}, n=2, seed=1, measure=lambda res: 1.0)


def test_parameters_with_equal_crc32_get_their_own_streams():
    import zlib

    assert zlib.crc32(b"plumless") == zlib.crc32(b"buckeroo")
    s = sweep.samples({"plumless": (1.0, 0.3), "buckeroo": (1.0, 0.3)}, 8, seed=5)
    assert not np.array_equal(s["plumless"], s["buckeroo"])
    # still one stream per name, whatever the other parameters
    assert np.array_equal(sweep.samples({"buckeroo": (1.0, 0.3)}, 8, seed=5)["buckeroo"], s["buckeroo"])


def test_dask_loop_that_raises_cancels_the_pending_batches(dask_client):
    from simcore.sweep import _dask

    class Breaks:
        """The dask client, whose submit() fails after the first few batches (as a closed client
        or an interrupt would in the middle of the loop); it keeps the futures it handed out."""

        __module__ = "distributed.client"

        def __init__(self, client, after):
            self.client, self.after, self.futures = client, after, []

        def __getattr__(self, name):
            return getattr(self.client, name)

        def submit(self, *args, **kwargs):
            if len(self.futures) == self.after:
                raise RuntimeError("submit broke")
            f = self.client.submit(*args, **kwargs)
            self.futures.append(f)
            return f

    slow = RC.replace(".tran 1u 1m", ".tran 1u 100m")
    broken = Breaks(dask_client, after=4)  # 2 workers x 2 batches queued, then the 5th submit raises
    points = [{"r": 1e3 + k} for k in range(8)]
    with pytest.raises(RuntimeError, match="submit broke"):
        _dask(broken, slow, points, {}, lambda res: 1.0, None, None, 2, 1)
    done = [f for f in broken.futures if f.status == "finished"]
    assert len(done) <= 1 and len(broken.futures) == 4
    assert all(f.status == "cancelled" for f in broken.futures if f not in done)
