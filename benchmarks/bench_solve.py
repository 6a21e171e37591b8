"""Solve the bundled example clients repeatedly; report median build and solve times.

    python benchmarks/bench_solve.py [--repeats 7] [--workers 2] [--clients examples/*.yaml]

Medians over repeated runs; the first (warm-up) run is included in the counts of
statuses but not in the medians. Prints one row per client and a machine line.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--weeks", type=int, default=1)
    ap.add_argument("--tiebreak", action="store_true", help="add the optional tie-break term")
    ap.add_argument("clients", nargs="*", type=Path)
    args = ap.parse_args()
    clients = args.clients or sorted(
        p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json", ".toml")
    )

    from legback_solver import check_plan, load_client
    from legback_solver.data import make_data
    from legback_solver.solve import solve_data

    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}"
    )
    import ortools

    print(
        f"ortools {ortools.__version__}, workers {args.workers}, repeats {args.repeats}, weeks {args.weeks}"
    )
    print(
        f"{'client':24} {'slots':>5} {'status':>9} {'objective':>9} {'build s':>8} {'solve s':>8} {'total s':>8}"
    )
    for path in clients:
        client = load_client(path)
        builds, solves, totals, statuses = [], [], [], []
        objective = None
        for i in range(args.repeats + 1):
            t0 = time.perf_counter()
            data = make_data(client, weeks=args.weeks)
            res = solve_data(
                data,
                seed=0,
                time_limit=args.time_limit,
                workers=args.workers,
                tiebreak=args.tiebreak,
            )
            total = time.perf_counter() - t0
            assert res.status == "infeasible" or check_plan(res.plan) == []
            statuses.append(res.status)
            objective = res.objective
            if i:  # skip the warm-up run
                builds.append(res.build_seconds)
                solves.append(res.solve_seconds)
                totals.append(total)
        status = max(set(statuses), key=statuses.count)
        print(
            f"{client.name[:24]:24} {len(client.availability):>5} {status:>9} {objective!s:>9} "
            f"{statistics.median(builds):8.3f} {statistics.median(solves):8.3f} {statistics.median(totals):8.3f}"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
