"""Mesocycle solve times over a roster, client by client (issue 13).

    .venv/bin/legback roster -n 200 --out /tmp/r200.csv
    .venv/bin/python benchmarks/bench_meso_roster.py --roster /tmp/r200.csv \\
        [--weeks 5] [--time-limit 30] [--first N] [--ids c00007 c00042] [--jobs 1] \\
        [--out per_client.csv] [--compare OTHER.csv]

Solves each client as in ``legback solve`` (1 worker, seed 0, the default 1% gap) and
records, per client: status, objective, bound, proven gap, wall seconds and CP-SAT
deterministic time summed over the stages (it does not depend on the machine's load,
so it is the fairer figure on a shared machine). Every plan is run through the checker.
Prints medians and the slowest clients; ``--compare`` sets the figures beside an
earlier run's CSV (objectives client by client).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd


def _variant(stage2: str) -> None:
    """STAGE2: 'on' (the library's default), 'off', or a deterministic-time box."""
    import functools

    import legback_solver.cpsat as cpsat

    if stage2 == "off":
        cpsat.second_stage = lambda *a, **k: None  # type: ignore[assignment]
    elif stage2 != "on":
        cpsat.second_stage = functools.partial(cpsat.second_stage, limit=float(stage2))


def _one(row: dict, weeks: int, time_limit: float, stage2: str = "on") -> dict:
    from legback_solver import check_plan, solve

    _variant(stage2)
    from legback_solver.io import parse_client
    from legback_solver.roster import row_to_mapping

    client = parse_client(row_to_mapping(row))
    t0 = time.perf_counter()
    res = solve(client, weeks=weeks, seed=0, time_limit=time_limit, workers=1)
    wall = time.perf_counter() - t0
    feasible = res.status in ("optimal", "feasible")
    violations = check_plan(res.plan) if feasible else []
    assert violations == [], (row["id"], violations)
    return {
        "id": row["id"],
        "slots": len(client.availability),
        "experience": client.experience,
        "status": res.status,
        "objective": res.objective,
        "bound": res.bound,
        "gap": res.plan.gap or 0.0,
        "wall": round(wall, 3),
        "dtime": round(res.deterministic_time, 3),
        "limit_hit": wall >= time_limit * 0.98,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--roster", type=Path, required=True)
    ap.add_argument("--weeks", type=int, default=5)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--first", type=int)
    ap.add_argument("--ids", nargs="+")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--stage2", default="on", help="on | off | a deterministic-time box")
    args = ap.parse_args()

    import ortools

    df = pd.read_csv(args.roster, dtype=str)
    if args.ids:
        df = df[df["id"].isin(args.ids)]
    if args.first:
        df = df.head(args.first)
    rows = df.to_dict("records")
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, ortools {ortools.__version__}; load "
        f"{os.getloadavg()[0]:.1f}; {len(rows)} clients, {args.weeks} weeks, jobs {args.jobs}, stage 2 {args.stage2}",
        flush=True,
    )
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            n = len(rows)
            out = list(
                pool.map(_one, rows, [args.weeks] * n, [args.time_limit] * n, [args.stage2] * n)
            )
    else:
        out = [_one(r, args.weeks, args.time_limit, args.stage2) for r in rows]
    res = pd.DataFrame(out)
    if args.out:
        res.to_csv(args.out, index=False)
    ok = res[res.status.isin(["optimal", "feasible"])]
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    print(
        f"statuses: {res.status.value_counts().to_dict()}; time limit hit: {int(res.limit_hit.sum())}"
    )
    print(
        f"wall  median {res.wall.median():.2f} s, p90 {res.wall.quantile(0.9):.2f} s, "
        f"max {res.wall.max():.2f} s"
    )
    print(
        f"dtime median {res.dtime.median():.3f}, p90 {res.dtime.quantile(0.9):.3f}, "
        f"max {res.dtime.max():.3f}, total {res.dtime.sum():.1f}"
    )
    print(f"gap median {ok.gap.median():.4f}, max {ok.gap.max():.4f}")
    print("slowest:")
    print(res.sort_values("dtime", ascending=False).head(8).to_string(index=False))
    if args.compare:
        old = pd.read_csv(args.compare).set_index("id")
        both = res.set_index("id").merge(
            old, left_index=True, right_index=True, suffixes=("", "_old")
        )
        both = both[both.objective.notna() & both.objective_old.notna()]
        diff = both.objective - both.objective_old
        print(
            f"vs {args.compare.name}: {len(both)} clients; objective higher {int((diff > 0).sum())}, "
            f"lower {int((diff < 0).sum())} (min {diff.min():+.0f}, "
            f"median rel {statistics.median((diff / both.objective_old.abs()).tolist()):+.4%}); "
            f"old wall median {both.wall_old.median():.2f} max {both.wall_old.max():.2f}, "
            f"dtime median {both.dtime_old.median():.3f} max {both.dtime_old.max():.3f}"
        )
        # the lower of two proven bounds: an objective more than 1% below it breaks the promise
        known = both.bound_old.combine(both.bound, min)  # both are upper bounds
        worst = ((known - both.objective) / known).max()
        print(f"worst (best known bound - objective) / bound: {worst:.4%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
