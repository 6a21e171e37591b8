"""Problem data: one client, the catalogue, the effective rulebook and the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property
from typing import Any

from .catalogue import load_catalogue
from .errors import InputError
from .models import Client, Exercise, Slot
from .rulebook import Rulebook, load_rulebook
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

    def volume_weeks(self) -> list[int]:
        """Weeks whose volume the weekly set ranges govern (all of a weekly plan)."""
        return list(range(self.weeks))

    def session_order(self) -> list[int]:
        """Exercise indices in session order (tier first while compound-first is on)."""
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
    for fld in ("exclude", "prefer", "avoid", "one_rep_max_kg"):
        for item in getattr(client, fld):
            if item not in known:
                close = get_close_matches(item, sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else " (see `legback exercises`)"
                problems.append(f"{fld}: {item!r} is not a catalogue exercise{hint}")
    if problems:
        raise InputError("client", problems)


def make_data(client: Client, weeks: int = 1, rulebook: Rulebook | None = None) -> ProblemData:
    """Problem data for CLIENT: its rulebook with the client's `rules:` overrides applied."""
    check_references(client)
    book = rulebook or load_rulebook(client.rulebook)
    if client.rules:
        book = book.with_overrides(client.rules, source="rules")
    return ProblemData(client=client, rulebook=book, weeks=weeks)
