"""Problem data: one client, the catalogue, the effective rulebook and the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from functools import cached_property
from typing import Any

from .catalogue import load_catalogue
from .errors import InputError
from .models import Client, Exercise, Replan, Session, Slot
from .rulebook import Rulebook, load_rulebook
from .schedule import WeekSpec, reps_for, schedule, set_seconds
from .timeline import WEEK_HOURS


@dataclass(frozen=True)
class Event:
    """One possible session: slot ``s`` of week ``w`` at an absolute hour."""

    w: int
    s: int
    hour: float
    day: int  # absolute calendar day index (week * 7 + weekday)


@dataclass
class ProblemData:
    client: Client
    rulebook: Rulebook
    weeks: int = 1
    exercises: tuple[Exercise, ...] = field(default_factory=load_catalogue)
    start_date: date | None = None
    # Re-planning: sessions already done, by (week, slot); None = slot left empty.
    frozen: dict[tuple[int, int], Session | None] = field(default_factory=dict)
    done_through: Replan | None = None

    @property
    def first_open_week(self) -> int:
        """The first week with no session done before a re-plan: progression restarts there."""
        S = len(self.slots)
        return next(
            (w for w in range(self.weeks) if all((w, s) not in self.frozen for s in range(S))),
            self.weeks,
        )

    @property
    def first_free_week(self) -> int:
        """The first week with a session still to plan (0 without re-planning)."""
        free = [
            w
            for w in range(self.weeks)
            for s in range(len(self.slots))
            if (w, s) not in self.frozen
        ]
        return min(free) if free else self.weeks

    @cached_property
    def slots(self) -> list[Slot]:
        return self.client.slots()

    @property
    def cyclic(self) -> bool:
        """A single weekly plan repeats: Sunday wraps to Monday."""
        return self.weeks == 1

    @cached_property
    def events(self) -> list[Event]:
        return [
            Event(w, s, w * WEEK_HOURS + slot.hour_of_week, w * 7 + slot.day_index)
            for w in range(self.weeks)
            for s, slot in enumerate(self.slots)
        ]

    def params(self, rule_id: str) -> Any:
        return self.rulebook.params(rule_id)

    @cached_property
    def specs(self) -> list[WeekSpec]:
        """Phase, block, RIR of every week (see schedule.py)."""
        return schedule(self.rulebook, self.client, self.weeks)

    def volume_weeks(self) -> list[int]:
        """Weeks whose volume the weekly set ranges govern: all but deload weeks."""
        return [sp.index for sp in self.specs if not sp.deload]

    def reps(self, w: int, e: int) -> str:
        return reps_for(self.exercises[e], self.client.goal, self.specs[w], self.rulebook)

    def set_seconds(self, w: int, e: int) -> int:
        return set_seconds(self.exercises[e], self.client.goal, self.reps(w, e), self.specs[w])

    def session_order(self) -> list[int]:
        """Exercise indices in session order: by demand (demand-order, see
        rules.coaching.order_key), else tier first while compound-first is on."""
        if self.rulebook.active("demand-order"):
            from .rules.coaching import order_key

            prio = self.client.priority
            return sorted(
                range(len(self.exercises)), key=lambda e: order_key(self.exercises[e], prio)
            )
        by_tier = self.rulebook.active("compound-first")
        return sorted(
            range(len(self.exercises)), key=lambda e: self.exercises[e].order_key(by_tier)
        )

    def exercise_index(self) -> dict[str, int]:
        return {ex.id: i for i, ex in enumerate(self.exercises)}


def check_references(client: Client) -> None:
    """Every exercise id the client names must be a catalogue id."""
    known = {ex.id for ex in load_catalogue()}
    problems = []
    for fld in ("exclude", "prefer", "avoid", "one_rep_max_kg", "recent_sets"):
        for item in getattr(client, fld):
            if item not in known:
                close = get_close_matches(item, sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else " (see `legback exercises`)"
                problems.append(f"{fld}: {item!r} is not a catalogue exercise{hint}")
    if problems:
        raise InputError("client", problems)


def make_data(
    client: Client,
    weeks: int = 1,
    rulebook: Rulebook | None = None,
    start_date: date | None = None,
) -> ProblemData:
    """Problem data for CLIENT: its rulebook with the client's `rules:` overrides applied.

    weeks=1 is a repeating weekly plan; more weeks are a mesocycle (meso-length)."""
    check_references(client)
    book = rulebook or load_rulebook(client.rulebook)
    if client.rules:
        book = book.with_overrides(client.rules, source="rules")
    if weeks != 1 and book.active("meso-length"):
        p = book.params("meso-length")
        if not p.min_weeks <= weeks <= p.max_weeks:
            raise InputError(
                "weeks",
                [
                    f"{weeks} is not a mesocycle length (meso-length allows {p.min_weeks}-{p.max_weeks} weeks, or 1 for a repeating week)"
                ],
            )
    elif weeks < 1:
        raise InputError("weeks", [f"{weeks} is not a number of weeks (use 1 or more)"])
    if start_date is not None and start_date.weekday() != 0:
        monday = start_date.toordinal() - start_date.weekday()
        prev, nxt = date.fromordinal(monday), date.fromordinal(monday + 7)
        raise InputError(
            "start-date",
            [
                f"{start_date} is a {start_date:%A}; weeks run Monday to Sunday (use {prev} or {nxt})"
            ],
        )
    return ProblemData(client=client, rulebook=book, weeks=weeks, start_date=start_date)
