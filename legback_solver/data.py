"""Problem data: one client, the catalogue, the effective rulebook and the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from .catalogue import load_catalogue, unknown_exercise
from .errors import InputError
from .models import Client, Exercise, PlanExercise, Replan, Session, Slot, parse_reps
from .rulebook import Rulebook, load_rulebook
from .rules.coaching import order_key as demand_key
from .rules.coaching import order_pool
from .rules.session import order_key
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
    # Auditing a finished plan (audit.py): the plan's sessions by (week, slot) and its
    # weeks' phases and RIR. None when solving.
    audit: dict[tuple[int, int], Session] | None = None
    audit_specs: list[WeekSpec] | None = None
    audit_week_rir: list[int | None] | None = None

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
        """Phase, block, RIR of every week (see schedule.py); an audited plan's own."""
        if self.audit_specs is not None:
            return self.audit_specs
        return schedule(self.rulebook, self.client, self.weeks)

    @property
    def auditing(self) -> bool:
        return self.audit is not None

    def volume_weeks(self) -> list[int]:
        """Weeks whose volume the weekly set ranges govern: all but deload weeks."""
        return [sp.index for sp in self.specs if not sp.deload]

    def reps(self, w: int, e: int) -> str:
        return reps_for(self.exercises[e], self.client.goal, self.specs[w], self.rulebook)

    def set_seconds(self, w: int, e: int, s: int | None = None) -> int:
        """Seconds per set of exercise E in week W; an audited session's own reps."""
        reps = self.reps(w, e)
        given = self._audited(w, s).get(self.exercises[e].id)
        if given is not None:
            try:
                parse_reps(given.reps)
                reps = given.reps
            except ValueError:
                reps = self.exercises[e].reps[self.client.goal]
        return set_seconds(self.exercises[e], self.client.goal, reps, self.specs[w])

    def _audited(self, w: int, s: int | None) -> dict[str, PlanExercise]:
        if self.audit is None or s is None or (w, s) not in self.audit:
            return {}
        return {pe.exercise: pe for pe in self.audit[(w, s)].exercises}

    def audited_items(self, w: int, s: int) -> list[int]:
        """Exercise indices of the audited session in (W, S); empty when solving."""
        index = self.exercise_index()
        return [index[eid] for eid in self._audited(w, s)]

    def minutes(self, w: int, s: int) -> int:
        """Minutes of slot S in week W (an audited session's booked minutes)."""
        if self.audit is not None and (w, s) in self.audit:
            return self.audit[(w, s)].minutes
        return self.slots[s].minutes

    @cached_property
    def _order(self) -> list[int]:
        """The session order outside audits: by demand (demand-order, see
        rules.coaching.order_key), else tier first while compound-first is on."""
        if self.rulebook.active("demand-order"):
            prio = self.client.priority
            pool = order_pool(self.exercises, self.client, self.rulebook)
            return sorted(
                range(len(self.exercises)),
                key=lambda e: demand_key(self.exercises[e], prio, pool),
            )
        by_tier = self.rulebook.active("compound-first")
        return sorted(
            range(len(self.exercises)), key=lambda e: order_key(self.exercises[e], by_tier)
        )

    def session_order(self, w: int | None = None, s: int | None = None) -> list[int]:
        """Exercise indices in session order (tier first while compound-first is on). An
        audited session keeps its own order: its exercises first, the rest after."""
        given = self._audited(w, s) if w is not None else {}
        if not given:
            return self._order
        index = self.exercise_index()
        mine = [index[pe.exercise] for pe in sorted(given.values(), key=lambda pe: pe.order)]
        taken = set(mine)
        return mine + [e for e in self._order if e not in taken]

    def exercise_index(self) -> dict[str, int]:
        return {ex.id: i for i, ex in enumerate(self.exercises)}


def check_references(client: Client) -> None:
    """Every exercise the client names must be a catalogue exercise (the Client model
    already turned names and aliases into ids; what is left is unknown)."""
    known = {ex.id for ex in load_catalogue()}
    problems = []
    for fld in ("exclude", "prefer", "avoid", "one_rep_max_kg", "one_rep_max_lb", "recent_sets"):
        for item in getattr(client, fld):
            if item not in known:
                problems.append(f"{fld}: {unknown_exercise(item)}")
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
