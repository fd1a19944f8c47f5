"""Efficiency map of a three-phase inverter (examples/vsi3_efficiency.cir): 5 modulation indices
x 5 load resistances, each point a 40 ms event-mode transient with the FF300R12KE3 loss tables
and a heat sink, run as one simcore.sweep grid on a Dask LocalCluster (or threads with
--threads). Prints the efficiency table, the total semiconductor loss and the hottest junction
per point, and the wall time per operating point.

    python examples/efficiency_map.py [--workers 2] [--threads]
"""
from __future__ import annotations

import argparse
import os
import time

import simcore
from simcore import sweep

HERE = os.path.dirname(os.path.abspath(__file__))
NETLIST = os.path.join(HERE, "vsi3_efficiency.cir")
M = [0.5, 0.6, 0.7, 0.8, 0.9]
RL = [1.0, 2.0, 4.0, 8.0, 16.0]


def measure(result) -> dict[str, float]:
    s = result.stats
    return {
        "efficiency_pct": 100.0 * s["efficiency"],
        "loss_w": s["loss_power"],
        "output_w": s["output_power"],
        "tj_max": max(d["tj_max"] for d in s["losses"]),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--threads", action="store_true", help="a thread pool in this process instead of Dask")
    args = ap.parse_args()

    cluster = client = None
    backend = "threads"
    if not args.threads:
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        backend = client
    try:
        t0 = time.perf_counter()
        df = sweep.grid(NETLIST, {"m": M, "rl": RL}, measure=measure, backend=backend, workers=args.workers,
                        errors="raise")
        wall = time.perf_counter() - t0
    finally:
        if client is not None:
            client.close()
            cluster.close()
    table = df.pivot(index="m", columns="rl", values="efficiency_pct")
    print("efficiency [%] (rows: modulation index m, columns: load resistance per phase [ohm])")
    print(table.round(2).to_string())
    print()
    print("semiconductor losses [W]")
    print(df.pivot(index="m", columns="rl", values="loss_w").round(0).to_string())
    print()
    print("hottest junction [degC]")
    print(df.pivot(index="m", columns="rl", values="tj_max").round(1).to_string())
    n = len(M) * len(RL)
    print()
    print("%d operating points in %.2f s on %s: %.3f s per point (wall)" % (
        n, wall, "threads" if args.threads else "a Dask LocalCluster of %d workers" % args.workers, wall / n))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
