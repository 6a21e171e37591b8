"""Which rules make weekly proofs slow: CP-SAT deterministic time with each rule off.

    python benchmarks/bench_ablation.py [--roster ROSTER.csv] [--n 12] [--rules a b ...]

Solves the bundled clients (examples/ and examples/archetypes/) plus the first N roster
clients as weekly plans, proven optimal, once with the default rulebook and once per rule
switched off (``kind = "off"``), and prints the sum, median and maximum of CP-SAT's
deterministic time. Deterministic time does not depend on machine load, so the figures
compare across runs on a busy machine; wall time is printed for the baseline only. A
rule whose removal cuts the time is where the proofs are hard (issue 13).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--roster", type=Path, help="a roster (legback roster -n 200 --out R.csv)")
    ap.add_argument("--n", type=int, default=12, help="roster clients to add")
    ap.add_argument("--rules", nargs="*", help="only these rules (default: every weekly rule)")
    ap.add_argument("--limit", type=float, default=8.0, help="deterministic-time cap per solve")
    args = ap.parse_args()

    from legback_solver import load_client
    from legback_solver.batch import read_roster
    from legback_solver.cpsat import build, make_solver
    from legback_solver.data import make_data
    from legback_solver.models import Client
    from legback_solver.rulebook import load_rulebook
    from legback_solver.rules import REGISTRY

    paths = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.toml"))
    paths += sorted((ROOT / "examples" / "archetypes").glob("*.yaml"))
    clients = [(p.stem, load_client(p)) for p in paths]
    if args.roster:
        for e in read_roster(args.roster)[: args.n]:
            if e.error is None:
                clients.append((e.key, Client.model_validate(e.data)))
    base = load_rulebook("default")

    def run(book) -> tuple[list[float], float]:
        dtimes, t0 = [], time.perf_counter()
        for _, client in clients:
            b = build(make_data(client, weeks=1, rulebook=book))
            solver = make_solver(0, 60.0, 1, 0.0)
            solver.parameters.max_deterministic_time = args.limit
            solver.solve(b.model)
            dtimes.append(solver.deterministic_time)
        return dtimes, time.perf_counter() - t0

    def line(label: str, dt: list[float]) -> str:
        return (
            f"{label:22} sum {sum(dt):7.2f}  median {statistics.median(dt):6.3f}"
            f"  max {max(dt):6.2f}"
        )

    dt, wall = run(base)
    print(f"{len(clients)} clients, weekly, proven optimal; deterministic time (CP-SAT units)")
    print(line("(all rules)", dt) + f"  wall {wall:.1f} s")
    for rid, setting in base.rules.items():
        weekly = REGISTRY[rid].weekly  # the mesocycle-only rules say nothing of one week
        if setting.kind == "off" or not weekly or (args.rules and rid not in args.rules):
            continue
        dt, _ = run(base.with_overrides({rid: {"kind": "off"}}))
        print(line(f"- {rid}", dt), flush=True)


if __name__ == "__main__":
    main()
