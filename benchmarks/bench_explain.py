"""Time the explanation of infeasible clients (issue 4); report medians.

    python benchmarks/bench_explain.py [--repeats 7] [--weeks 1] [--baseline]

Four crafted infeasible clients (defined below, no files needed):

* gap-erectors: the issue's example. Four slots on consecutive days, erector work only
  from a back-loading row, erectors >= 6.5 sets: back-loading-gap 48 h allows two
  back-loading sessions, which cannot reach the minimum.
* home-sensitive: a sensitive back, dumbbells only, two slots, default rules: the lats
  minimum cannot be met.
* injured-barbell: an injured back, barbell and dumbbells, three slots, default rules.
* sensitive-budget (a hard one): a sensitive back, a gym without machines, two slots,
  the coach's weekly spinal budget cut to 30 units: a volume/budget conflict whose
  proofs need CP-SAT's LP relaxation.

For each: the median wall and CPU time of ``explain`` (conflict + verified relaxations)
and of the conflict alone (``relax=False``), CP-SAT's deterministic time of one run (the
load-independent figure), the load average before and after, the number of solver calls
(conflict engine) and verifying re-solves, the conflict's size and rules, the
relaxations found. ``--baseline`` also times the previous algorithm (one
literal per rule detail, all assumed at once, chunked deletion filter, default CP-SAT
parameters with 1 s steps), re-implemented here for comparison. The first run of each
client is a warm-up and not counted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from typing import Any

GYM = ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "trap_bar"]


def slot(day: str, minutes: int = 90, start: str = "18:00") -> dict[str, Any]:
    return {"day": day, "start": start, "minutes": minutes}


def clients() -> dict[str, Any]:
    from legback_solver.catalogue import catalogue_by_id
    from legback_solver.io import parse_client

    only = [
        "barbell_row",
        "chest_supported_row",
        "lat_pulldown",
        "face_pull",
        "seated_cable_row",
        "straight_arm_pulldown",
        "leg_press",
        "leg_extension",
        "lying_leg_curl",
        "mcgill_curl_up",
        "plank_up_down",
        "mcgill_side_bridge",
    ]
    return {
        "gap-erectors": parse_client(
            {
                "name": "gap-erectors",
                "equipment": GYM,
                "availability": [slot(d) for d in ("mon", "tue", "wed", "thu")],
                "exclude": [i for i in sorted(catalogue_by_id()) if i not in only],
                "rules": {"muscle-sets": {"ranges": {"erectors": [6.5, 12]}}},
            }
        ),
        "home-sensitive": parse_client(
            {
                "name": "home-sensitive",
                "back_status": "sensitive",
                "equipment": ["dumbbell"],
                "availability": [slot("mon", 60), slot("thu", 60)],
            }
        ),
        "injured-barbell": parse_client(
            {
                "name": "injured-barbell",
                "back_status": "injured",
                "equipment": ["barbell", "dumbbell"],
                "availability": [slot("mon", 60), slot("wed", 60), slot("fri", 60)],
            }
        ),
        "sensitive-budget": parse_client(
            {
                "name": "sensitive-budget",
                "back_status": "sensitive",
                "equipment": ["barbell", "dumbbell", "bench"],
                "availability": [slot("mon"), slot("thu")],
                "rules": {"spinal-budget": {"weekly": {"sensitive": 30}}},
            }
        ),
        # issue 13's example: 8 s on a quiet machine, one relaxation found
        "issue-13": parse_client(
            {
                "name": "issue-13",
                "experience": "advanced",
                "back_status": "sensitive",
                "equipment": ["dumbbell", "barbell"],
                "availability": [slot("mon", 30), slot("tue", 30)],
            }
        ),
        "one-20-min": parse_client(
            {"name": "one-20-min", "equipment": GYM, "availability": [slot("wed", 20)]}
        ),
        "beginner-extreme-min": parse_client(
            {
                "name": "beginner-extreme-min",
                "experience": "beginner",
                "equipment": GYM,
                "availability": [slot("sat", 45, "09:00")],
                "rules": {"muscle-sets": {"ranges": {"quads": [16, 24]}}},
            }
        ),
        # the minimality bug's case: a barbell-only client, two 30-minute mornings
        "barbell-mornings": parse_client(
            {
                "name": "barbell-mornings",
                "equipment": ["barbell"],
                "availability": [slot("mon", 30, "07:00"), slot("thu", 30, "07:00")],
                "rules": {"muscle-sets": {"ranges": {"quads": [6, 40]}}},
            }
        ),
    }


def baseline_conflict(data, seed: int = 0, time_limit: float = 10.0) -> list:
    """The algorithm explain.py used before issue 4, for comparison."""
    from ortools.sat.python import cp_model

    from legback_solver.cpsat import build

    def run(model, assumed, limit):
        model.clear_assumptions()
        model.add_assumptions(assumed)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.stop_after_first_solution = True
        return solver, solver.solve(model)

    b = build(data, explain=True, tiebreak=False)
    lits = b.ctx.literals
    keys = sorted(lits)
    solver, code = run(b.model, [lits[k] for k in keys], time_limit)
    if code != cp_model.INFEASIBLE:
        return []
    by_index = {lits[k].index: k for k in keys}
    core = sorted(by_index[i] for i in solver.sufficient_assumptions_for_infeasibility())
    step = max(0.5, time_limit / 10)
    chunk = max(1, len(core) // 2)
    while True:
        i = 0
        while i < len(core):
            trial = core[:i] + core[i + chunk :]
            _, code = run(b.model, [lits[k] for k in trial], step)
            if code == cp_model.INFEASIBLE:
                core = trial
            else:
                i += chunk
        if chunk == 1:
            break
        chunk = max(1, chunk // 2)
    return core


class Dtime:
    """CP-SAT deterministic time summed over every solve (load-independent, unlike wall
    time): CpSolver.solve wrapped for the benchmark's run."""

    total = 0.0

    @classmethod
    def install(cls) -> None:
        from ortools.sat.python import cp_model

        solve = cp_model.CpSolver.solve

        def counted(self, *args, **kwargs):
            try:
                return solve(self, *args, **kwargs)
            finally:
                cls.total += self.deterministic_time

        cp_model.CpSolver.solve = counted  # type: ignore[method-assign]


def median_time(fn, repeats: int) -> tuple[float, float, Any, float]:
    """(median wall seconds, deterministic time of one run, the last result, median CPU
    seconds of this process: less sensitive than wall time to the other sessions'
    load on a shared machine, though not immune to it)."""
    fn()  # warm-up
    times, cpus, out = [], [], None
    for _ in range(repeats):
        Dtime.total = 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(times), Dtime.total, out, statistics.median(cpus)


def load() -> str:
    """The 1-minute load average (other sessions share the cores)."""
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--weeks", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--baseline", action="store_true", help="also time the previous algorithm")
    ap.add_argument("--only", nargs="*", help="these clients only")
    args = ap.parse_args()
    Dtime.install()

    import ortools

    from legback_solver.data import make_data
    from legback_solver.explain import explain
    from legback_solver.solve import solve_data

    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}"
    )
    print(
        f"ortools {ortools.__version__}, repeats {args.repeats}, weeks {args.weeks}, load {load()}"
    )
    for name, client in clients().items():
        if args.only and name not in args.only:
            continue
        data = make_data(client, weeks=args.weeks)
        status = solve_data(data, time_limit=args.time_limit, explain=False).status
        if status != "infeasible":  # the rules moved on (issues 11-12)
            print(f"\n{name}: {status} now, skipped")
            continue
        before = load()
        full, dfull, ex, cfull = median_time(
            lambda d=data: explain(d, time_limit=args.time_limit), args.repeats
        )
        core, dcore, _, ccore = median_time(
            lambda d=data: explain(d, time_limit=args.time_limit, relax=False), args.repeats
        )
        print(
            f"\n{name}: explain {full:.3f} s median (CPU {cfull:.3f} s), {dfull:.3f} "
            f"deterministic (conflict alone {core:.3f} s, CPU {ccore:.3f} s, {dcore:.3f}); "
            f"load {before} -> {load()}"
        )
        resolves = getattr(ex, "resolves", None)  # counted since issue 13
        print(
            f"  {ex.solves} solver calls"
            + (f" + {resolves} verifying re-solves" if resolves is not None else "")
            + f", {len(ex.keys)} parts, rules {', '.join(ex.rules)}, minimal {ex.minimal}"
        )
        print(f"  {ex.short}")
        for r in ex.relaxations:
            print(f"  relaxation: {r.words} (verified {r.status} in {r.seconds:.3f} s)")
        if args.baseline:
            old, _, keys, _ = median_time(
                lambda d=data: baseline_conflict(d, time_limit=args.time_limit),
                max(1, args.repeats // 3),
            )
            print(
                f"  baseline conflict {old:.3f} s median: {len(keys)} parts, rules "
                f"{', '.join(sorted({k[0] for k in keys}))}"
            )


if __name__ == "__main__":
    main()
