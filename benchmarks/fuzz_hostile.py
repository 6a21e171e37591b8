"""Long fuzz run over hostile client files, plans and roster rows (issue 14).

    python benchmarks/fuzz_hostile.py [CASES_PER_DOOR]      # default 3,400 x 3 doors

Runs the properties of tests/fuzz.py with hypothesis (no deadline, derandomised by a
fixed seed) and prints, per door, the cases run and their outcomes. Any traceback, a bad
exit code, a write outside --out or a changed --out stops the run with hypothesis' shrunk
example. The last figures are in benchmarks/README.md.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import fuzz  # noqa: E402


def run(name: str, strategy, prop, n: int) -> Counter:
    seen: Counter = Counter()

    @seed(20260514)
    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def door(case):
        outcome = prop(*case) if isinstance(case, tuple) else prop(case)
        seen[outcome] += 1

    t0 = time.perf_counter()
    door()
    total = sum(seen.values())
    print(
        f"{name:13s} {total:6d} cases in {time.perf_counter() - t0:6.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in sorted(seen.items())),
        flush=True,
    )
    return seen


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3400
    total = Counter()
    total += run("client files", fuzz.client_files(), fuzz.check_client_file, n)
    total += run("plans", fuzz.plans(), fuzz.check_plan_file, n)
    total += run("roster rows", fuzz.roster_rows, fuzz.check_roster_row, n)
    print(f"total {sum(total.values())} cases, 0 tracebacks")


if __name__ == "__main__":
    main()
