"""Ordinary clients, written independently of legback's roster generator (issue 12).

The definition of SPEC §3a's feasibility requirement: 2-5 slots of 45-90 minutes on
distinct days (sometimes two on one day), basic equipment at least (dumbbells, or a
barbell and a bench) up to a full gym, every experience level, goal, back status and
priority. Its own random stream (seed 12), its own kit lists and slot times; nothing
is imported from legback_solver.roster.

    .venv/bin/python benchmarks/ordinary_clients.py -n 150 --out /tmp/ordinary150.csv
    .venv/bin/legback batch /tmp/ordinary150.csv --out /tmp/ordinary150 --weeks 1 --jobs 2

Also importable: ``ordinary_client(rng)`` returns one client as a dict (the client-file
form) for tests.
"""

from __future__ import annotations

import argparse
import csv
import random
from typing import Any

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
KITS = (
    ["dumbbell"],  # a pair of adjustable dumbbells at home
    ["dumbbell", "bench"],
    ["barbell", "bench"],  # a basement barbell
    ["barbell", "bench", "dumbbell"],
    ["barbell", "dumbbell", "bench", "pullup_bar"],  # a home gym
    ["dumbbell", "kettlebell", "pullup_bar"],
    ["barbell", "dumbbell", "bench", "pullup_bar", "trap_bar"],
    ["dumbbell", "cable", "machine", "bench"],  # a hotel or budget gym
    ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench"],  # a gym
    ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench", "trap_bar", "straps"],
)
STARTS = ("06:00", "06:30", "07:00", "12:00", "12:30", "17:30", "18:00", "19:00", "20:00")
MINUTES = (45, 50, 60, 60, 75, 90)


def ordinary_client(rng: random.Random, i: int = 0) -> dict[str, Any]:
    """One ordinary client: the definition above, as a client-file mapping."""
    n = rng.randint(2, 5)
    days = sorted(rng.sample(range(7), n))
    slots = [
        {"day": DAYS[d], "start": rng.choice(STARTS), "minutes": rng.choice(MINUTES)} for d in days
    ]
    if rng.random() < 0.1:  # one day with a morning and an evening slot
        d = DAYS[rng.choice(days)]
        slots = [s for s in slots if s["day"] != d]
        slots += [
            {"day": d, "start": "07:00", "minutes": 45},
            {"day": d, "start": "19:00", "minutes": 60},
        ]
    return {
        "name": f"Ordinary {i}",
        "experience": rng.choice(["beginner", "beginner", "intermediate", "advanced"]),
        "goal": rng.choice(["strength", "hypertrophy", "endurance", "general"]),
        "back_status": rng.choice(["healthy", "healthy", "sensitive", "injured"]),
        "priority": rng.choice(["legs", "back", "balanced"]),
        "equipment": list(rng.choice(KITS)),
        "availability": slots,
    }


def row(c: dict[str, Any], i: int) -> dict[str, str]:
    return {
        "id": f"o{i:04d}",
        "name": c["name"],
        "experience": c["experience"],
        "goal": c["goal"],
        "back_status": c["back_status"],
        "priority": c["priority"],
        "equipment": ";".join(c["equipment"]),
        "availability": "; ".join(
            f"{s['day']} {s['start']} {s['minutes']}" for s in c["availability"]
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=150)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rows = [row(ordinary_client(rng, i), i) for i in range(a.n)]
    with open(a.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} clients to {a.out}")


if __name__ == "__main__":
    main()
