"""Batch throughput: N synthetic clients with --jobs 1, --jobs 2 and Dask local.

    .venv/bin/python benchmarks/bench_batch.py [--n 1000] [--seed 0] [--time-limit 30]
                                               [--modes jobs1,jobs2,dask] [--weeks 1]

--weeks is the plan length: 1 (weekly plans, this benchmark's default, as in the figures
of benchmarks/README.md) or a mesocycle; `legback batch` itself defaults to a 5-week
mesocycle, as `legback solve` does, so `--weeks 5` measures what the CLI does by default.

Reports clients/s for each mode and the per-client overhead: the batch's time per client
per worker (elapsed x workers / N) against the single-solve time (the mean wall time of
`solve()` itself, measured inside the workers of the --jobs 1 run, where nothing competes
for the cores). Each mode solves into a fresh folder, so nothing is resumed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from legback_solver.batch import solve_roster  # noqa: E402
from legback_solver.roster import make_roster  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--modes", default="jobs1,jobs2,dask")
    ap.add_argument("--weeks", type=int, default=1, help="1 (weekly) or a mesocycle length")
    args = ap.parse_args()

    roster = make_roster(args.n, args.seed)
    modes = {"jobs1": (1, None), "jobs2": (2, None), "dask": (2, "local")}
    single = None
    length = "weekly" if args.weeks == 1 else f"{args.weeks}-week"
    print(f"{args.n} synthetic {length} clients (make_roster seed {args.seed})")
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes.split(","):
            jobs, dask = modes[mode]
            out = Path(tmp) / mode
            t0 = time.perf_counter()
            df = solve_roster(
                roster,
                out,
                weeks=args.weeks,
                jobs=jobs,
                dask=dask,
                time_limit=args.time_limit,
                progress=False,
            )
            elapsed = time.perf_counter() - t0
            walls = [
                json.loads(p.read_text()).get("wall_seconds")
                for p in (out / "_batch").glob("*.json")
                if p.name != "roster.json"
            ]
            walls = [w for w in walls if w is not None]
            mean_wall = statistics.mean(walls)
            if single is None and jobs == 1:
                single = mean_wall
            counts = df["status"].value_counts().to_dict()
            bad = int(df["violations"].fillna(0).gt(0).sum())
            per_client = elapsed * jobs / args.n
            line = (
                f"{mode:6s} jobs={jobs} dask={dask or '-':5s} {elapsed:7.1f} s  "
                f"{args.n / elapsed:6.2f} clients/s  {per_client * 1000:6.0f} ms/client/worker  "
                f"mean solve() {mean_wall * 1000:5.0f} ms"
            )
            if single:
                line += f"  overhead vs single solve {100 * (per_client / single - 1):+5.1f}%"
            print(line, f"statuses {counts}, checker violations {bad}", flush=True)


if __name__ == "__main__":
    main()
