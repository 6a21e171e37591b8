"""A conflict in words: each rule's part (the rule's ``words`` hook, else a generic
form) and the client facts it depends on (the slots)."""

from __future__ import annotations

from ..data import ProblemData
from ..models import Slot
from ..rules import REGISTRY
from .result import ConflictPart, Key


def slots_words(slots: list[Slot], minutes: bool = False) -> str:
    """'slots Mon/Tue/Wed 18:00', or with minutes 'slots Mon 18:00 60 min, ...'."""
    if minutes:
        return "slots " + ", ".join(
            f"{s.day.capitalize()} {s.start} {s.minutes} min" for s in slots
        )
    by_start: dict[str, list[str]] = {}
    for s in slots:
        by_start.setdefault(s.start, []).append(s.day.capitalize())
    return "slots " + ", ".join(f"{'/'.join(days)} {start}" for start, days in by_start.items())


def rule_words(data: ProblemData, rid: str, details: list[str]) -> str:
    """The words of rule RID's conflict part made of DETAILS."""
    p = data.rulebook.rules[rid].params
    hook = REGISTRY[rid].explaining.words
    if hook is not None:
        return hook(data, p, details)
    flat = ", ".join(
        f"{k}={v}" for k, v in p.model_dump(mode="json").items() if not isinstance(v, dict)
    )
    extra = f" ({', '.join(d for d in details if d)})" if any(details) else ""
    return f"{rid}{extra}" + (f" [{flat}]" if flat else "")


def parts(data: ProblemData, keys: list[Key]) -> list[ConflictPart]:
    """The conflict KEYS as named parts, one per rule (client-change rules: per kind)."""
    by_rule: dict[str, list[str]] = {}
    for rid, detail in keys:
        by_rule.setdefault(rid, []).append(detail)
    out = []
    for rid, details in by_rule.items():
        statement = data.rulebook.rules[rid].statement
        unit_parts = REGISTRY[rid].explaining.unit_parts
        if unit_parts is not None:
            out += [ConflictPart(rid, ds, w, statement) for ds, w in unit_parts(data, details)]
            continue
        words = rule_words(data, rid, details)
        out.append(ConflictPart(rid, [d for d in details if d], words, statement))
    return out


def facts(data: ProblemData, keys: list[Key]) -> list[str]:
    """The client's slots, when the conflict depends on their days, times or minutes."""
    slots = {REGISTRY[r].explaining.slots for r, _ in keys if r in REGISTRY}
    if slots - {""}:
        return [slots_words(data.slots, minutes="minutes" in slots)]
    return []


def needs_volume(keys: list[Key]) -> bool:
    """A weekly minimum is part of the conflict: one more slot may be the fix."""
    for rid, detail in keys:
        hook = REGISTRY[rid].explaining.needs_volume if rid in REGISTRY else None
        if hook is not None and hook(detail):
            return True
    return False
