"""How solve time grows with mesocycle length, for one client.

    python benchmarks/bench_meso.py [--client examples/alex.yaml] [--weeks 3 6 12 16]
                                    [--repeats 3] [--gap 0.01] [--time-limit 60]

Reports, per number of weeks, the median build and solve seconds, the status, and the
proven gap to the optimum (0 = proven optimal). Every plan is run through the checker.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--client", type=Path, default=ROOT / "examples" / "alex.yaml")
    ap.add_argument("--weeks", type=int, nargs="+", default=[3, 6, 12, 16])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--gap", type=float, default=0.01)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()

    import ortools

    from legback_solver import check_plan, load_client
    from legback_solver.data import make_data
    from legback_solver.solve import solve_data

    client = load_client(args.client)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"ortools {ortools.__version__}; workers {args.workers}; gap limit {args.gap}"
    )
    print(f"client {client.name} ({len(client.availability)} slots), repeats {args.repeats}")
    print(f"{'weeks':>5} {'status':>9} {'objective':>9} {'gap':>7} {'build s':>8} {'solve s':>8}")
    for weeks in args.weeks:
        builds, solves, gaps = [], [], []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            data = make_data(client, weeks=weeks)
            res = solve_data(data, time_limit=args.time_limit, workers=args.workers, gap=args.gap)
            assert res.status == "infeasible" or check_plan(res.plan) == []
            builds.append(
                res.build_seconds
                + (time.perf_counter() - t0 - res.build_seconds - res.solve_seconds)
            )
            solves.append(res.solve_seconds)
            gaps.append(res.plan.gap or 0.0)
        print(
            f"{weeks:>5} {res.status:>9} {res.objective!s:>9} {max(gaps):>7.2%} "
            f"{statistics.median(builds):8.3f} {statistics.median(solves):8.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
