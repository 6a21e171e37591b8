"""Re-planning: keep the sessions already done, re-solve the rest.

`legback solve CLIENT --weeks N --from PLAN.json --done-through W[:DAY]` freezes every
session of PLAN up to week W, day DAY (Sunday if omitted), and re-solves the rest with
the client file as it is now (a missed day, a new back status). The result is one plan
that the checker audits as a whole; sessions already done are history for the rules
that judge exercise choice (availability, back-status).
"""

from __future__ import annotations

import re

from .data import ProblemData
from .errors import InputError
from .models import DAYS, Plan, Replan


def parse_done_through(text: str) -> Replan:
    """'3' or '3:wed' -> Replan(week=3, day='wed')."""
    m = re.fullmatch(r"\s*(\d+)\s*(?::\s*([A-Za-z]+))?\s*", text or "")
    day = (m.group(2) or "sun").lower()[:3] if m else ""
    if not m or int(m.group(1)) < 1 or day not in DAYS:
        raise InputError(
            "--done-through",
            [f"{text!r} is not a week and day (use W or W:DAY, e.g. 2 or 2:wed)"],
        )
    return Replan(week=int(m.group(1)), day=day)


def freeze(data: ProblemData, previous: Plan, done: Replan) -> ProblemData:
    """DATA with every slot up to DONE fixed to what PREVIOUS planned there."""
    if done.week > data.weeks:
        raise InputError(
            "--done-through", [f"week {done.week} is past the plan's {data.weeks} weeks"]
        )
    if done.week > len(previous.weeks):
        raise InputError(
            "--from",
            [
                f"the plan has {len(previous.weeks)} weeks; it cannot be done through week {done.week}"
            ],
        )
    slots = {(sl.day, sl.start): s for s, sl in enumerate(data.slots)}
    limit = (done.week - 1, DAYS.index(done.day))
    frozen = {}
    problems = []
    for w in range(done.week):
        held = {(se.day, se.start): se for se in previous.weeks[w].sessions}
        for key, se in held.items():
            if (w, DAYS.index(se.day)) <= limit and key not in slots:
                problems.append(
                    f"week {w + 1} {se.day} {se.start} was done but is not in the client's availability "
                    "(keep past slots in the client file)"
                )
        for (day, start), s in slots.items():
            if (w, DAYS.index(day)) <= limit:
                frozen[(w, s)] = held.get((day, start))
    if problems:
        raise InputError("--from", problems)
    data.frozen = frozen
    data.done_through = done
    return data
