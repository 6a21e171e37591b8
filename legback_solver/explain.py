"""Why a client is infeasible: a minimal set of conflicting rules and client facts, in
words, and relaxations that were verified, by re-solving, to make the client feasible.

What a conflict names (*units*). In explain mode every hard constraint is enforced by a
literal per (rule, detail) (``EncodeContext.hard``): muscle-sets per muscle and bound,
spinal-budget per session/weekly, session-shape per exercises/compounds/patterns/sets,
and so on. Availability is named by client change instead of by exercise: "needs ghd"
(add the item), an excluded exercise's id (stop excluding it), "skill" (allow exercises
above the client's level); each such literal forbids every exercise needing that change,
so dropping units frees exactly what the changed client could do.

Finding the conflict (``_Engine.conflict``), on the feasibility model:

1. Group literals: one per rule, and for availability one per kind of change, implying
   their units. Assume all; the solver proves infeasibility and returns a sufficient
   subset; a deletion filter in adaptive blocks leaves a minimal set of groups. Every
   step still infeasible shrinks the set to the solver's new sufficient subset.
2. Refine group by group into units (excluded exercises last, those training none of
   the muscles named so far first, so unneeded ones go in bulk). A unit found necessary
   stays necessary when other groups shrink, so dropping any one named unit makes the
   rest feasible.

Each solve first runs with CP-SAT's light LP (linearization 1, no presolve, no probing:
a few ms on easy steps); the first step that times out switches the engine to presolve
plus the full LP relaxation, which proves volume/budget conflicts (see
benchmarks/bench_explain.py for the figures).

Relaxing it (``_relaxations``). For each named unit, one solve with every other rule of
the client held and that unit dropped measures the smallest change it needs (the largest
reachable erector minimum, the widest gap between back-loading sessions, the smallest
spinal cap, the fewest equipment items...). The change is written as client `rules:`
overrides or client field changes, and the client is re-solved from scratch with it
(hinted with the measuring solution); only changes whose re-solve finds a plan are shown.
An extra slot is tried when the conflict involves the slots or a weekly minimum.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from .cpsat import STATUS, build, make_solver
from .data import ProblemData
from .models import DAYS, MAX_SETS, Client, Slot
from .util import deep_merge

if TYPE_CHECKING:
    import pandas as pd

Key = tuple[str, str]  # (rule id, detail): a part of a conflict
Group = tuple[str, str]  # (rule id, group label)

# Rules whose conflicts depend on the client's slots (days, times, minutes).
SLOT_RULES = {
    "back-loading-gap",
    "combined-days-max",
    "combined-days-gap",
    "alpha-alternation",
    "session-time",
}
# Words order in the short form: spacing rules, then the slots, then the rest.
SPACING = ("back-loading-gap", "combined-days-gap", "combined-days-max", "alpha-alternation")
# Deletion order: rules tried for removal first end up in the conflict only when they
# must; the coach-facing ones (volume, spacing, spine, gym) are tried last.
DROP_FIRST = (
    "alpha-alternation",
    "after-heavy-hinge",
    "one-alpha",
    "compound-first",
    "grip-order",
    "session-shape",
    "combined-days-gap",
    "combined-days-max",
)
LIGHT = 0.1  # seconds for the light LP before switching to the full one (_Engine.run)
_BOUND = re.compile(r"^(\w+)(>=|<=)([\d.]+)$")
_MUSCLE = re.compile(r"^([a-z_]+)(?:>=|<=| week )")


# --------------------------------------------------------------------------- results


@dataclass
class ConflictPart:
    """One named part of a conflict: a rule's detail(s) or a client fact."""

    rule: str
    details: list[str]
    words: str
    statement: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "details": list(self.details),
            "words": self.words,
            "statement": self.statement,
        }


@dataclass
class Relaxation:
    """A change verified by re-solving to make the client feasible.

    ``rules`` is merged into the client's `rules:` overrides; ``client`` replaces whole
    client fields (e.g. the full new availability list)."""

    part: str  # the rule (or "slots") it relaxes
    words: str
    rules: dict[str, Any] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)
    status: str = ""  # status of the verifying re-solve
    seconds: float = 0.0  # its time

    def apply(self, client: Client) -> Client:
        """CLIENT with this relaxation applied (a new, validated Client)."""
        return apply_change(client, self.rules, self.client)

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "words": self.words,
            "rules": self.rules,
            "client": self.client,
            "status": self.status,
            "seconds": round(self.seconds, 4),
        }


@dataclass
class Explanation:
    """Why a client has no plan: conflicting parts, client facts, verified relaxations.

    ``status``: "infeasible" (explained), "unknown" (nothing proven in time) or
    "feasible" (nothing to explain). ``minimal`` is False when a step ran out of time
    and a part was kept without proof that it is needed."""

    client: str
    status: str
    weeks: int  # weeks of the model the conflict was found on
    requested_weeks: int
    keys: list[Key] = field(default_factory=list)
    parts: list[ConflictPart] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)
    minimal: bool = True
    seconds: float = 0.0
    solves: int = 0

    @property
    def rules(self) -> list[str]:
        """The conflicting rule ids (availability stands for the gym and exclusions)."""
        return sorted({rid for rid, _ in self.keys})

    @property
    def short(self) -> str:
        if self.status == "feasible":
            return "Nothing to explain: the client has a plan."
        if not self.keys:
            return "The solver could not prove which rules conflict within the time limit."
        spacing = [p.words for r in SPACING for p in self.parts if p.rule == r]
        rest = [p.words for p in self.parts if p.rule not in SPACING]
        scope = " even in a single week" if self.weeks < self.requested_weeks else ""
        return " + ".join(spacing + self.facts + rest) + f" cannot all hold{scope}."

    def lines(self) -> list[str]:
        """The plain-words explanation; the first line is the short form."""
        out = [self.short]
        if not self.keys:
            return out
        out.append("Conflicting rules and facts:")
        for p in self.parts:
            name = p.words if p.words.startswith(p.rule) else f"{p.rule}: {p.words}"
            out.append(f"  - {name}. {p.statement}" if p.statement else f"  - {name}")
        out += [f"  - {f} (client)" for f in self.facts]
        if self.relaxations:
            out.append("Verified relaxations (each one alone makes the client feasible):")
            out += [f"  - {r.words}  [{change_words(r.rules, r.client)}]" for r in self.relaxations]
        else:
            out.append("No relaxation tried alone made the client feasible.")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "status": self.status,
            "weeks": self.weeks,
            "requested_weeks": self.requested_weeks,
            "short": self.short,
            "conflict": [{"rule": r, "detail": d} for r, d in self.keys],
            "parts": [p.to_dict() for p in self.parts],
            "facts": list(self.facts),
            "relaxations": [r.to_dict() for r in self.relaxations],
            "minimal": self.minimal,
            "seconds": round(self.seconds, 4),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per conflicting (rule, detail), then one per verified relaxation."""
        import pandas as pd

        words = {(p.rule, d): p.words for p in self.parts for d in p.details or [""]}
        rows = [
            {
                "kind": "conflict",
                "rule": rid,
                "detail": detail,
                "words": words.get((rid, detail), rid),
                "rules": None,
                "client": None,
            }
            for rid, detail in self.keys
        ]
        rows += [
            {
                "kind": "relaxation",
                "rule": r.part,
                "detail": "",
                "words": r.words,
                "rules": r.rules,
                "client": r.client,
            }
            for r in self.relaxations
        ]
        return pd.DataFrame(rows, columns=["kind", "rule", "detail", "words", "rules", "client"])


def change_words(rules: dict[str, Any], client: dict[str, Any]) -> str:
    """The change as it goes into the client file: `rules:` overrides, changed fields."""
    bits = [f"rules: {json.dumps(rules)}"] if rules else []
    bits += [f"client field {k}" for k in client]
    return "; ".join(bits)


def apply_change(client: Client, rules: dict[str, Any], changes: dict[str, Any]) -> Client:
    """CLIENT with RULES merged into its `rules:` and CHANGES replacing fields."""
    raw = client.model_dump(mode="json")
    raw.update(changes)
    raw["rules"] = deep_merge(raw.get("rules") or {}, rules)
    return Client.model_validate(raw)


def drop_part(data: ProblemData, key: Key) -> tuple[dict[str, Any], dict[str, Any]]:
    """(rules, client changes) that remove exactly the conflict part KEY (or, where a
    rule cannot lose a single detail, the whole rule). For tests and last resorts."""
    rid, detail = key
    c = data.client
    p = data.rulebook.rules[rid].params
    off = {rid: {"kind": "off"}}, {}
    if rid == "availability":  # the client change that this unit stands for
        if detail == "skill":
            return {rid: {"skill_gate": False}}, {}
        if detail.startswith("needs "):
            return {}, {"equipment": [*c.equipment, detail.removeprefix("needs ")]}
        return {}, {"exclude": [x for x in c.exclude if x != detail]}
    if rid == "muscle-sets" and (m := _BOUND.match(detail)):
        lo, hi = p.ranges[m.group(1)]
        rng = [0, hi] if m.group(2) == ">=" else [lo, 10_000]
        return {rid: {"ranges": {m.group(1): rng}}}, {}
    if rid == "beginner-volume" and (m := _BOUND.match(detail)):
        return {rid: {"muscles": [x for x in p.muscles if x != m.group(1)]}}, {}
    if rid == "spinal-budget" and detail in ("session", "weekly"):
        return {rid: {detail: {c.back_status: 100_000}}}, {}
    if rid == "grip-order":
        if detail == "straps":
            return {}, {"equipment": sorted({*c.equipment, "straps"})}
        return {rid: {"capacity": {c.experience: 100_000}}}, {}
    if rid == "session-shape":
        return {
            "exercises": ({rid: {"exercises": [1, 100]}}, {}),
            "compounds": ({rid: {"compounds_min": 0}}, {}),
            "patterns": ({rid: {"pattern_max": 6}}, {}),
            "sets": ({rid: {"sets_main": [1, MAX_SETS], "sets_accessory": [1, MAX_SETS]}}, {}),
        }.get(detail, off)
    return off


def with_change(data: ProblemData, rules: dict[str, Any], client: dict[str, Any]) -> ProblemData:
    """DATA for its client with a change applied (rulebook overrides layered on top)."""
    new_client = apply_change(data.client, rules, client)
    book = data.rulebook.with_overrides(rules) if rules else data.rulebook
    return replace(data, client=new_client, rulebook=book)


def parts_of(data: ProblemData) -> list[Key]:
    """Every part a conflict of DATA can name (see _Engine)."""
    engine = _Engine(data, 0, 1.0)
    return [u for units in engine.units.values() for u in units]


def isolate(data: ProblemData, keep: list[Key]) -> ProblemData:
    """DATA with every hard-rule part outside KEEP removed (drop_part, one by one): the
    conflict on its own, as a client."""
    for key in parts_of(data):
        if key not in keep and key[0] in data.rulebook.rules and data.rulebook.active(key[0]):
            data = with_change(data, *drop_part(data, key))
    return data


# --------------------------------------------------------------------------- the engine


def availability_units(data: ProblemData) -> dict[str, list[int]]:
    """The client changes that free unavailable exercises, each with the exercises it
    is needed for: "needs <item>" (add the item), "<exercise id>" (stop excluding it),
    "skill" (allow exercises above the client's level). An exercise is free once every
    change it needs is made."""
    from .models import EXPERIENCE

    c = data.client
    p = data.params("availability")
    out: dict[str, list[int]] = {}
    for e, ex in enumerate(data.exercises):
        needs = [f"needs {i}" for i in ex.equipment if i not in c.equipment]
        if ex.id in c.exclude:
            needs.append(ex.id)
        if p.skill_gate and EXPERIENCE.index(ex.skill) > EXPERIENCE.index(c.experience):
            needs.append("skill")
        for unit in needs:
            out.setdefault(unit, []).append(e)
    return out


def _availability_group(unit: str) -> str:
    return "equipment" if unit.startswith("needs ") else "skill" if unit == "skill" else "excluded"


class _Engine:
    """The explain-mode model of one ProblemData, with group literals over its *units*.

    A unit is what a conflict can name. For every rule but availability it is one
    (rule, detail) literal of ``EncodeContext.hard``. For availability it is a client
    change ("needs ghd", an excluded exercise's id, "skill"): its literal forbids every
    exercise that needs that change, so dropping a set of units frees exactly the
    exercises a client with those changes could do.

    Level-1 groups: one per rule (details together), and for availability one for the
    equipment, one for the exclusions, one for the skill gate."""

    def __init__(self, data: ProblemData, seed: int, step_limit: float) -> None:
        self.data, self.seed, self.step_limit = data, seed, step_limit
        self.b = build(data, explain=True, tiebreak=False)
        self.model = model = self.b.model
        model.clear_objective()  # feasibility only
        self.solves = 0
        self.unproven = False
        self.light = True  # see run()
        self.by_id = {ex.id: ex for ex in data.exercises}
        lits = self.b.ctx.literals
        units: dict[Group, dict[Key, Any]] = {}
        for key in sorted(lits):
            if key[0] != "availability":
                units.setdefault((key[0], ""), {})[key] = lits[key]
        self.avail = availability_units(data) if data.rulebook.active("availability") else {}
        if self.avail:
            forbid = {
                e: lits[("availability", ex.id)]
                for e, ex in enumerate(data.exercises)
                if ("availability", ex.id) in lits
            }
            for unit, members in sorted(self.avail.items()):
                lit = model.new_bool_var(f"unit:availability:{unit}")
                for e in members:
                    if e in forbid:
                        model.add_implication(lit, forbid[e])
                group = ("availability", _availability_group(unit))
                units.setdefault(group, {})[("availability", unit)] = lit
        rank = {rid: i for i, rid in enumerate(DROP_FIRST)}
        order = sorted(units, key=lambda g: (rank.get(g[0], len(rank)), g))
        self.units = {g: units[g] for g in order}
        self.glit: dict[Group, Any] = {}  # group -> literal
        for g, members in self.units.items():
            if len(members) == 1:
                self.glit[g] = next(iter(members.values()))
            else:
                self.glit[g] = model.new_bool_var(f"group:{g[0]}:{g[1]}")
                for lit in members.values():
                    model.add_implication(self.glit[g], lit)
        self.group_of = {u: g for g, us in self.units.items() for u in us}
        self.unit_of = {lit.index: u for us in self.units.values() for u, lit in us.items()}

    def run(self, assumed: list, limit: float | None = None, first: bool = True):
        """Solve under ASSUMED (FIRST: stop at the first solution, else optimise). The
        light LP (linearization 1, no presolve) answers easy steps in a few ms; the
        first time it runs out of its LIGHT seconds this engine switches for good to
        presolve plus the full LP relaxation (linearization 2), which proves volume and
        budget conflicts the light one cannot (~20-60 ms)."""
        limit = self.step_limit if limit is None else limit
        self.model.clear_assumptions()
        self.model.add_assumptions(assumed)
        if self.light:
            solver = make_solver(
                self.seed, min(LIGHT, limit), explain=True, first=first, linearization=1
            )
            code = solver.solve(self.model)
            self.solves += 1
            done = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
            if done or (first and code == cp_model.FEASIBLE) or limit <= LIGHT:
                return code, solver
            self.light = False
            limit -= LIGHT
        solver = make_solver(self.seed, limit, explain=True, first=first)
        code = solver.solve(self.model)
        self.solves += 1
        return code, solver

    def minimize(self, fixed: list, cand: list) -> list:
        """A minimal subset of CAND that conflicts together with FIXED.

        Deletion filter in adaptive blocks: try to drop the next block of untested
        parts; if the rest still conflicts, drop it (and shrink to the solver's
        sufficient subset) and double the block, else halve it; a single part whose
        removal makes the rest feasible is necessary and kept. Removals are the slow,
        infeasible solves, so they are made in bulk; keeping a part costs a few fast,
        feasible ones."""
        cand = list(cand)
        kept: set[int] = set()
        block = max(1, len(cand) // 2)
        while True:
            todo = [c for c in cand if c.index not in kept]
            if not todo:
                return cand
            drop = {c.index for c in todo[:block]}
            trial = [d for d in cand if d.index not in drop]
            code, solver = self.run(fixed + trial)
            if code == cp_model.INFEASIBLE:
                core = set(solver.sufficient_assumptions_for_infeasibility())
                cand = [d for d in trial if d.index in core or d.index in kept] or trial
                block *= 2
            elif block > 1:
                block //= 2
            else:
                kept |= drop
                self.unproven |= code == cp_model.UNKNOWN

    def conflict(self) -> list[Key] | None:
        """A minimal conflicting set of units; None if not proven infeasible."""
        groups = list(self.glit)
        code, solver = self.run([self.glit[g] for g in groups], limit=4 * self.step_limit)
        if code != cp_model.INFEASIBLE:
            return None
        core = set(solver.sufficient_assumptions_for_infeasibility())
        group_at = {self.glit[g].index: g for g in groups}
        chosen = [
            group_at[lit.index]
            for lit in self.minimize(
                [], [self.glit[g] for g in groups if self.glit[g].index in core]
            )
        ]
        # Refine group by group; parts already found necessary stay necessary when
        # other groups shrink, so the result is minimal. Excluded exercises come last,
        # those training none of the muscles named so far first (likely not needed:
        # the deletion filter drops them in bulk).
        keys = [next(iter(self.units[g])) for g in chosen if len(self.units[g]) == 1]
        multi = [g for g in chosen if len(self.units[g]) > 1]
        multi.sort(key=lambda g: g[0] == "availability")
        for i, g in enumerate(multi):
            fixed = [self.units[self.group_of[k]][k] for k in keys]
            fixed += [self.glit[h] for h in multi[i + 1 :]]
            parts = list(self.units[g].items())
            if g[0] == "availability":
                muscles = {m.group(1) for _, d in keys if (m := _MUSCLE.match(d))}
                parts.sort(key=lambda kv: self._trains(kv[0][1], muscles))
            lits = [lit for _, lit in parts]
            code, solver = self.run(fixed + lits)
            if code == cp_model.INFEASIBLE:
                core = set(solver.sufficient_assumptions_for_infeasibility())
                lits = [d for d in lits if d.index in core] or lits
            keys += [self.unit_of[d.index] for d in self.minimize(fixed, lits)]
        return sorted(keys)

    def _trains(self, unit: str, muscles: set[str]) -> bool:
        """Does an exercise this availability unit forbids train one of MUSCLES?"""
        exs = self.data.exercises
        return any(muscles & {*exs[e].primary, *exs[e].secondary} for e in self.avail.get(unit, []))

    def all_but(self, drop: list[Key]) -> list:
        """Every group literal; the groups of DROP split into their other units."""
        touched = {self.group_of[k] for k in drop}
        out = []
        for g, lit in self.glit.items():
            if g in touched:
                out += [u_lit for u, u_lit in self.units[g].items() if u not in drop]
            else:
                out.append(lit)
        return out


# --------------------------------------------------------------------------- words


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


def _bound_words(detail: str) -> str:
    m = _BOUND.match(detail)
    return f"{m.group(1)} {m.group(2)} {m.group(3)}" if m else detail


def _ids(ids: list[str], most: int = 4) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" +{len(ids) - most} more" if len(ids) > most else "")


def _rule_words(data: ProblemData, rid: str, details: list[str]) -> str:
    p = data.rulebook.rules[rid].params
    c = data.client
    if rid == "back-loading-gap":
        return f"back-loading-gap {p.hours:g} h"
    if rid == "combined-days-max":
        return f"combined-days-max {p.max} per week"
    if rid == "combined-days-gap":
        return f"combined-days-gap {p.days} free days"
    if rid == "spinal-budget":
        bits = {
            "session": f"session cap {p.session[c.back_status]}",
            "weekly": f"weekly budget {p.weekly[c.back_status]}",
        }
        what = " and ".join(bits.get(d, d) for d in details)
        return f"spinal-budget {what} units ({c.back_status} back)"
    if rid == "back-status":
        return f"{c.back_status} back: at most {p.max_units[c.back_status]} spinal units per set"
    if rid == "grip-order":
        bits = []
        if "" in details:
            bits.append(f"grip-order capacity {p.capacity[c.experience]}")
        if "straps" in details:
            bits.append("no straps")
        return " + ".join(bits)
    if rid == "muscle-sets":
        return "muscle-sets " + ", ".join(_bound_words(d) for d in details)
    if rid == "beginner-volume":
        return "beginner-volume " + ", ".join(_bound_words(d) for d in details) + " in week 1"
    if rid == "session-shape":
        bits = {
            "exercises": f"{p.exercises[0]}-{p.exercises[1]} exercises per session",
            "compounds": f">= {p.compounds_min} compound lifts per session",
            "patterns": f"<= {p.pattern_max} exercises of one pattern",
            "sets": f"{p.sets_main[0]}-{p.sets_main[1]} sets per main lift, "
            f"{p.sets_accessory[0]}-{p.sets_accessory[1]} per accessory",
        }
        return "session-shape " + ", ".join(bits.get(d, d) for d in details)
    if rid == "session-time":
        return f"session-time (warm-up {p.warmup_minutes} min + sets)"
    if rid == "one-alpha":
        return f"one-alpha (at most {p.max} max-effort lift per session)"
    if rid == "volume-progression":
        return f"volume-progression (+{p.max_step:g} sets a week: {', '.join(details)})"
    flat = ", ".join(
        f"{k}={v}" for k, v in p.model_dump(mode="json").items() if not isinstance(v, dict)
    )
    extra = f" ({', '.join(d for d in details if d)})" if any(details) else ""
    return f"{rid}{extra}" + (f" [{flat}]" if flat else "")


def _availability_parts(data: ProblemData, units: list[str]) -> list[ConflictPart]:
    """Missing equipment as one part, excluded exercises as one, the skill gate as one."""
    statement = data.rulebook.rules["availability"].statement
    out = []
    needs = [u for u in units if u.startswith("needs ")]
    if needs:
        items = ", ".join(u.removeprefix("needs ") for u in needs)
        out.append(ConflictPart("availability", needs, f"no {items}", statement))
    excluded = [u for u in units if not u.startswith("needs ") and u != "skill"]
    if excluded:
        words = f"excluded {_ids(excluded)}"
        out.append(ConflictPart("availability", excluded, words, statement))
    if "skill" in units:
        above = [data.exercises[e].id for e in availability_units(data).get("skill", [])]
        words = f"{data.client.experience} level (no {_ids(above, 3)})"
        out.append(ConflictPart("availability", ["skill"], words, statement))
    return out


def _parts(data: ProblemData, keys: list[Key]) -> list[ConflictPart]:
    by_rule: dict[str, list[str]] = {}
    for rid, detail in keys:
        by_rule.setdefault(rid, []).append(detail)
    out = []
    for rid, details in by_rule.items():
        if rid == "availability":
            out += _availability_parts(data, details)
            continue
        statement = data.rulebook.rules[rid].statement
        words = _rule_words(data, rid, details)
        out.append(ConflictPart(rid, [d for d in details if d], words, statement))
    return out


def _facts(data: ProblemData, keys: list[Key]) -> list[str]:
    """The client's slots, when the conflict depends on their days, times or minutes."""
    rules = {r for r, _ in keys}
    if rules & SLOT_RULES:
        return [slots_words(data.slots, minutes="session-time" in rules)]
    return []


def _needs_volume(keys: list[Key]) -> bool:
    """A weekly minimum is part of the conflict: one more slot may be the fix."""
    return any(
        (r == "muscle-sets" and ">=" in d) or r in ("volume-progression", "deload") for r, d in keys
    )


# --------------------------------------------------------------------------- relaxations


@dataclass
class _Candidate:
    part: str
    words: str
    rules: dict[str, Any] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)
    hint: dict[tuple[int, str, str], tuple[int, int]] | None = None


def _solution(engine: _Engine, solver: cp_model.CpSolver) -> dict:
    """(week, 'day start', exercise id) -> (x, n): a hint for the verifying re-solve."""
    v, data = engine.b.v, engine.data
    return {
        (w, f"{slot.day} {slot.start}", ex.id): (
            int(solver.value(v.x[w][s][e])),
            int(solver.value(v.n[w][s][e])),
        )
        for w in range(v.W)
        for s, slot in enumerate(data.slots)
        for e, ex in enumerate(data.exercises)
    }


class _Measure:
    """Solves with every rule but one part: is dropping it enough, and by how much?"""

    def __init__(self, engine: _Engine, keys: list[Key]) -> None:
        self.engine, self.keys = engine, keys
        self.data, self.v, self.model = engine.data, engine.b.v, engine.model
        self.params = self.data.rulebook.rules[keys[0][0]].params

    def solve(self, expr=None, maximize: bool = False):
        """(solver, optimised value or None), or None if still infeasible/unknown."""
        e = self.engine
        if expr is not None:
            (self.model.maximize if maximize else self.model.minimize)(expr)
        try:
            code, solver = e.run(e.all_but(self.keys), first=expr is None)
        finally:
            self.model.clear_objective()
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return solver, (round(solver.objective_value) if expr is not None else None)

    def var(self, ub: int, name: str):
        return self.model.new_int_var(0, ub, f"measure_{name}")

    def candidate(self, solver, part: str, words: str, rules=None, client=None) -> _Candidate:
        hint = _solution(self.engine, solver)
        return _Candidate(part, words, rules or {}, client or {}, hint)


def _relax_muscle_sets(m: _Measure, detail: str) -> list[_Candidate]:
    """A range [lo, hi] becomes floor(2 lo s) .. ceil(2 hi s) half sets, s the client's
    experience x goal scale (rules/volume.py): pick the nearest bound that admits the
    measured half sets."""
    p, c = m.params, m.data.client
    bound = _BOUND.match(detail)
    if not bound:
        return []
    muscle, op = bound.group(1), bound.group(2)
    lo, hi = p.ranges[muscle]
    scale = p.experience_scale[c.experience] * p.goal_scale[c.goal]
    y = m.var(m.v.halfsets_ub[muscle], muscle)
    for w in m.data.volume_weeks():
        hs = m.v.halfsets[w][muscle]
        m.model.add(y <= hs) if op == ">=" else m.model.add(y >= hs)
    got = m.solve(y, maximize=op == ">=")
    if got is None:
        return []
    solver, reached = got  # in half sets, after scaling
    if op == ">=":  # the largest minimum (in steps of 0.5) whose scaled limit <= reached
        new = math.floor(reached / scale + 1e-9) / 2 if scale else 0.0
        while new > 0 and math.floor(2 * new * scale + 1e-9) > reached:
            new -= 0.5
        new = max(0.0, new)
        rng = [new, hi]
        got_sets = math.floor(2 * new * scale + 1e-9) / 2
        words = f"lower the {muscle} minimum to {got_sets:g} sets a week"
    else:  # the smallest maximum whose scaled limit >= reached
        new = math.ceil(reached / scale - 1e-9) / 2 if scale else hi
        while math.ceil(2 * new * scale - 1e-9) < reached:
            new += 0.5
        new = max(lo, new)
        rng = [lo, new]
        got_sets = math.ceil(2 * new * scale - 1e-9) / 2
        words = f"raise the {muscle} maximum to {got_sets:g} sets a week"
    if abs(scale - 1) > 1e-9:  # the override is the range before the client's scaling
        words += f" (range [{rng[0]:g}, {rng[1]:g}] x {scale:g} for {c.experience} {c.goal})"
    return [m.candidate(solver, "muscle-sets", words, {"muscle-sets": {"ranges": {muscle: rng}}})]


def _relax_beginner_volume(m: _Measure, detail: str) -> list[_Candidate]:
    from .rules.volume import muscle_limits

    bound = _BOUND.match(detail)
    if not bound:
        return []
    muscle = bound.group(1)
    got = m.solve(m.v.halfsets[0][muscle])
    if got is None:
        return []
    solver, need = got
    c = m.data.client
    lo, hi = muscle_limits(
        m.data.params("muscle-sets"), c.model_copy(update={"experience": "intermediate"})
    )[muscle]
    f = m.params.fraction
    while f < 1 and math.floor(f * (lo + hi) / 2 + 1e-9) < need:
        f = round(f + 0.05, 2)
    if math.floor(f * (lo + hi) / 2 + 1e-9) >= need:
        rules = {"beginner-volume": {"fraction": f}}
        return [
            m.candidate(solver, "beginner-volume", f"raise the week-1 fraction to {f:g}", rules)
        ]
    rules = {"beginner-volume": {"muscles": [x for x in m.params.muscles if x != muscle]}}
    return [m.candidate(solver, "beginner-volume", f"leave {muscle} out of beginner-volume", rules)]


def _relax_spinal(m: _Measure, detail: str) -> list[_Candidate]:
    from .rules.spinal import _session_load

    status = m.data.client.back_status
    p = m.params
    v = m.v
    y = m.var(10 * MAX_SETS * v.E * max(1, v.S) * v.W, f"spinal_{detail}")
    for w in range(v.W):
        loads = [_session_load(m.engine.b.ctx, w, s) for s in range(v.S)]
        if detail == "session":
            for s, load in enumerate(loads):
                if (w, s) not in m.data.frozen and not isinstance(load, int):
                    m.model.add(y >= load)
        else:
            m.model.add(y >= sum(loads))
    got = m.solve(y)
    if got is None:
        return []
    solver, need = got
    cap = p.session[status] if detail == "session" else p.weekly[status]
    need = max(need, cap + 1)
    what = "session cap" if detail == "session" else "weekly budget"
    rules = {"spinal-budget": {detail: {status: need}}}
    words = f"raise the spinal {what} to {need} units ({status} back)"
    return [m.candidate(solver, "spinal-budget", words, rules)]


def _relax_session_time(m: _Measure, detail: str) -> list[_Candidate]:
    data, v, p = m.data, m.v, m.params
    used, over = {}, []
    for w in range(v.W):
        secs = [data.set_seconds(w, e) for e in range(v.E)]
        for s, slot in enumerate(data.slots):
            u = (
                sum(secs[e] * v.n[w][s][e] for e in range(v.E))
                + 60 * p.warmup_minutes * v.use[w][s]
            )
            used[(w, s)] = u
            o = m.var(24 * 3600, f"over_{w}_{s}")
            m.model.add(o >= u - 60 * slot.minutes)
            over.append(o)
    got = m.solve(sum(over))
    if got is None:
        return []
    solver, _ = got
    slots = [s.model_dump(mode="json") for s in data.client.availability]
    changed = []
    for s, slot in enumerate(data.slots):
        need = max(solver.value(used[(w, s)]) for w in range(v.W))
        if need > 60 * slot.minutes:
            minutes = min(300, 5 * math.ceil(need / 300))
            for raw in slots:
                if (raw["day"], raw["start"]) == (slot.day, slot.start):
                    raw["minutes"] = minutes
            changed.append(f"{slot.day.capitalize()} {slot.start} to {minutes} min")
    out = []
    if changed:
        words = "lengthen " + ", ".join(changed)
        out.append(m.candidate(solver, "session-time", words, client={"availability": slots}))
    if p.warmup_minutes > 0:
        half = p.warmup_minutes // 2
        rules = {"session-time": {"warmup_minutes": half}}
        out.append(m.candidate(solver, "session-time", f"shorten the warm-up to {half} min", rules))
    return out


def _relax_back_loading_gap(m: _Measure, detail: str) -> list[_Candidate]:
    from .timeline import hours_between

    data, v, p = m.data, m.v, m.params
    y = m.var(168, "gap")
    m.model.add(y <= math.ceil(p.hours))
    events = data.events
    for i, a in enumerate(events):
        for b in events[i + 1 :]:
            h = hours_between(a.hour, b.hour, data.cyclic)
            if h < p.hours:
                both = [v.loading[a.w][a.s], v.loading[b.w][b.s]]
                m.model.add(y <= math.floor(h)).only_enforce_if(both)
    got = m.solve(y, maximize=True)
    if got is None or got[1] >= p.hours:
        return []
    solver, hours = got
    words = f"lower back-loading-gap to {hours} h"
    return [m.candidate(solver, "back-loading-gap", words, {"back-loading-gap": {"hours": hours}})]


def _relax_max_count(m: _Measure, rid: str, counts, what: str) -> list[_Candidate]:
    """Rules of the form count <= max: measure the smallest max that works."""
    y = m.var(64, rid)
    for expr in counts:
        m.model.add(y >= expr)
    got = m.solve(y)
    if got is None:
        return []
    solver, need = got
    need = max(need, m.params.max + 1)
    return [m.candidate(solver, rid, f"allow {need} {what}", {rid: {"max": need}})]


def _relax_combined_max(m: _Measure, detail: str) -> list[_Candidate]:
    counts = [sum(m.v.combined[w]) for w in range(m.v.W)]
    return _relax_max_count(m, "combined-days-max", counts, "combined sessions a week")


def _relax_one_alpha(m: _Measure, detail: str) -> list[_Candidate]:
    v = m.v
    alphas = [e for e, ex in enumerate(m.data.exercises) if ex.max_effort]
    counts = [sum(v.x[w][s][e] for e in alphas) for w in range(v.W) for s in range(v.S)]
    return _relax_max_count(m, "one-alpha", counts, "max-effort lifts per session")


def _relax_combined_gap(m: _Measure, detail: str) -> list[_Candidate]:
    got = m.solve()
    if got is None:
        return []
    days = m.params.days
    return [
        m.candidate(
            got[0],
            "combined-days-gap",
            f"lower combined-days-gap to {d} free day{'' if d == 1 else 's'}",
            {"combined-days-gap": {"days": d}},
        )
        for d in range(days - 1, -1, -1)
    ]


def _relax_back_status(m: _Measure, detail: str) -> list[_Candidate]:
    status, limit = m.data.client.back_status, m.params.max_units[m.data.client.back_status]
    v = m.v
    y = m.var(10, "units")
    for w in range(v.W):
        for s in range(v.S):
            for e, ex in enumerate(m.data.exercises):
                if ex.spinal_units > limit:
                    m.model.add(y >= ex.spinal_units).only_enforce_if(v.x[w][s][e])
    got = m.solve(y)
    if got is None:
        return []
    solver, need = got
    need = max(need, limit + 1)
    allowed = [ex.id for ex in m.data.exercises if limit < ex.spinal_units <= need]
    words = f"allow {need} spinal units per set for the {status} back ({_ids(allowed, 3)})"
    return [
        m.candidate(solver, "back-status", words, {"back-status": {"max_units": {status: need}}})
    ]


def _relax_grip(m: _Measure, detail: str) -> list[_Candidate]:
    c = m.data.client
    if detail == "straps":
        got = m.solve()
        if got is None:
            return []
        eq = sorted({*c.equipment, "straps"})
        return [m.candidate(got[0], "grip-order", "add straps", client={"equipment": eq})]
    data, v = m.data, m.v
    exs, order = data.exercises, data.session_order()
    y = m.var(1000, "grip")
    for w in range(v.W):
        for s in range(v.S):
            for pos, e in enumerate(order):
                before = [
                    (exs[b].grip_demand, v.n[w][s][b]) for b in order[:pos] if exs[b].grip_demand
                ]
                if not exs[e].grip_limited or not before:
                    continue
                gate = [v.x[w][s][e]]
                if e in v.straps[w][s]:
                    gate.append(~v.straps[w][s][e])
                m.model.add(y >= sum(g * n for g, n in before)).only_enforce_if(gate)
    got = m.solve(y)
    if got is None:
        return []
    solver, need = got
    need = max(need, m.params.capacity[c.experience] + 1)
    rules = {"grip-order": {"capacity": {c.experience: need}}}
    return [m.candidate(solver, "grip-order", f"raise the grip capacity to {need}", rules)]


def _relax_session_shape(m: _Measure, detail: str) -> list[_Candidate]:
    got = m.solve()
    if got is None:
        return []
    p, rid = m.params, "session-shape"
    options: list[tuple[str, dict[str, Any]]] = []
    if detail == "exercises":
        lo, hi = p.exercises
        for a, b in ((lo - 1, hi), (lo - 2, hi), (lo, hi + 1)):
            if a >= 1:
                options.append((f"allow {a}-{b} exercises per session", {"exercises": [a, b]}))
    elif detail == "compounds":
        for k in range(p.compounds_min - 1, -1, -1):
            options.append((f"require {k} compound lifts per session", {"compounds_min": k}))
    elif detail == "patterns":
        for k in range(p.pattern_max + 1, min(6, p.pattern_max + 2) + 1):
            options.append((f"allow {k} exercises of one pattern", {"pattern_max": k}))
    elif detail == "sets":
        for name, what in (("sets_main", "main lifts"), ("sets_accessory", "accessories")):
            a, b = getattr(p, name)
            for rng in ([a, min(MAX_SETS, b + 1)], [max(1, a - 1), b]):
                if rng != [a, b]:
                    options.append((f"allow {rng[0]}-{rng[1]} sets for {what}", {name: rng}))
    return [m.candidate(got[0], rid, words, {rid: change}) for words, change in options]


def _relax_availability(m: _Measure, units: list[str]) -> list[_Candidate]:
    """The fewest client changes (an equipment item, an exclusion, the skill gate) among
    the conflicting ones that make every other rule hold."""
    e = m.engine
    lits = {u: e.units[e.group_of[("availability", u)]][("availability", u)] for u in units}
    got = m.solve(sum(lits.values()), maximize=True)  # keep as many as possible
    if got is None:
        return []
    solver = got[0]
    made = [u for u, lit in lits.items() if not solver.boolean_value(lit)]
    if not made:
        return []
    c = m.data.client
    rules: dict[str, Any] = {}
    client: dict[str, Any] = {}
    steps = []
    items = [u.removeprefix("needs ") for u in made if u.startswith("needs ")]
    unexclude = [u for u in made if not u.startswith("needs ") and u != "skill"]
    if items:
        client["equipment"] = [*c.equipment, *items]
        steps.append(f"add {', '.join(items)} to the equipment")
    if unexclude:
        client["exclude"] = [x for x in c.exclude if x not in unexclude]
        steps.append(f"stop excluding {', '.join(unexclude)}")
    if "skill" in made:
        rules["availability"] = {"skill_gate": False}
        steps.append(f"allow exercises above the {c.experience} level")
    return [m.candidate(solver, "availability", " and ".join(steps), rules, client)]


def _relax_off(m: _Measure, detail: str) -> list[_Candidate]:
    got = m.solve()
    if got is None:
        return []
    rid = m.keys[0][0]
    rules, client = drop_part(m.data, m.keys[0])
    verb = "switch off" if rules.get(rid, {}).get("kind") == "off" else "relax"
    return [m.candidate(got[0], rid, f"{verb} {rid}", rules, client)]


RELAX: dict[str, Callable[[_Measure, str], list[_Candidate]]] = {
    "muscle-sets": _relax_muscle_sets,
    "beginner-volume": _relax_beginner_volume,
    "spinal-budget": _relax_spinal,
    "session-time": _relax_session_time,
    "back-loading-gap": _relax_back_loading_gap,
    "combined-days-max": _relax_combined_max,
    "combined-days-gap": _relax_combined_gap,
    "one-alpha": _relax_one_alpha,
    "back-status": _relax_back_status,
    "grip-order": _relax_grip,
    "session-shape": _relax_session_shape,
}


def _slot_candidates(data: ProblemData) -> list[_Candidate]:
    """One more slot on a free day, as far as possible from the client's other slots."""
    slots = data.slots
    free = [d for d in DAYS if d not in {s.day for s in slots}]
    if not free or data.frozen:
        return []
    start = Counter(s.start for s in slots).most_common(1)[0][0]
    minutes = max(s.minutes for s in slots)

    def distance(day: str) -> float:
        h = Slot(day=day, start=start, minutes=minutes).hour_of_week
        return min(min(abs(h - s.hour_of_week), 168 - abs(h - s.hour_of_week)) for s in slots)

    out = []
    for day in sorted(free, key=lambda d: (-distance(d), DAYS.index(d)))[:2]:
        raw = [s.model_dump(mode="json") for s in data.client.availability]
        raw.append({"day": day, "start": start, "minutes": minutes})
        words = f"add a slot {day.capitalize()} {start} ({minutes} min)"
        out.append(_Candidate("slots", words, client={"availability": raw}))
    return out


def verify(
    data: ProblemData, rules: dict, client: dict, seed: int = 0, limit: float = 2.0, hint=None
):
    """Re-solve DATA's client with a change applied, from scratch: (status, seconds)."""
    t0 = time.perf_counter()
    try:
        new = with_change(data, rules, client)
    except Exception:  # a change the models reject is no relaxation
        return "invalid", time.perf_counter() - t0
    b = build(new, tiebreak=False)
    b.model.clear_objective()
    if hint:
        v = b.v
        for w in range(v.W):
            for s, slot in enumerate(new.slots):
                for e, ex in enumerate(new.exercises):
                    got = hint.get((w, f"{slot.day} {slot.start}", ex.id))
                    if got is not None:
                        b.model.add_hint(v.x[w][s][e], got[0])
                        b.model.add_hint(v.n[w][s][e], got[1])
    solver = make_solver(seed, limit, explain=True, first=True, presolve=True)
    code = solver.solve(b.model)
    return STATUS[code], time.perf_counter() - t0


def _relaxations(
    data: ProblemData,
    engine: _Engine,
    out: Explanation,
    seed: int,
    deadline: float,
    most: int,
) -> list[Relaxation]:
    """Verified relaxations: at most one per conflicting part, then an extra slot."""
    queue: list[tuple[list[Key], Callable[[], list[_Candidate]]]] = []
    avail = [k for k in out.keys if k[0] == "availability"]
    for key in out.keys:
        if key[0] == "availability":
            continue
        fn = RELAX.get(key[0], _relax_off)
        queue.append(([key], lambda key=key, fn=fn: fn(_Measure(engine, [key]), key[1])))
    if avail:
        units = [d for _, d in avail]
        queue.append((avail, lambda: _relax_availability(_Measure(engine, avail), units)))
    if out.facts or _needs_volume(out.keys):
        queue.append(([], lambda: _slot_candidates(data)))
    verify_limit = 4 * engine.step_limit if data.weeks > 1 else engine.step_limit
    found: list[Relaxation] = []
    for _keys, make in queue:
        if len(found) >= most or time.perf_counter() > deadline:
            break
        for cand in make():
            if time.perf_counter() > deadline:
                break
            status, secs = verify(data, cand.rules, cand.client, seed, verify_limit, cand.hint)
            if status in ("optimal", "feasible"):
                found.append(
                    Relaxation(cand.part, cand.words, cand.rules, cand.client, status, secs)
                )
                if cand.part == "slots" and not out.facts:  # so the slots are part of it
                    out.facts.append(slots_words(engine.data.slots))
                break
    return found


# --------------------------------------------------------------------------- entry points


def explain(
    data: ProblemData,
    seed: int = 0,
    time_limit: float = 10.0,
    relax: bool = True,
    max_relaxations: int = 4,
    step_limit: float = 1.0,
) -> Explanation:
    """Explain an infeasible client (see the module docstring).

    For a mesocycle, a conflict that already holds in a single week is found on the
    (much smaller) weekly model; relaxations are verified on DATA itself."""
    t0 = time.perf_counter()
    step_limit = min(step_limit, max(0.1, time_limit / 10))
    solves = 0
    engine, keys, scope = None, None, data
    if data.weeks > 1 and not data.frozen:
        scope = replace(data, weeks=1)
        engine = _Engine(scope, seed, step_limit)
        keys = engine.conflict()
    if not keys:
        solves = engine.solves if engine else 0
        scope = data
        engine = _Engine(data, seed, step_limit)
        keys = engine.conflict()
    out = Explanation(
        client=data.client.name,
        status="infeasible" if keys else "unknown",
        weeks=scope.weeks,
        requested_weeks=data.weeks,
    )
    if not keys:
        code, _ = engine.run(list(engine.glit.values()))
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out.status = "feasible"
    else:
        out.keys = keys
        out.parts = _parts(scope, keys)
        out.facts = _facts(scope, keys)
        out.minimal = not engine.unproven
        if relax:
            deadline = t0 + time_limit
            out.relaxations = _relaxations(data, engine, out, seed, deadline, max_relaxations)
    out.solves = solves + engine.solves
    out.seconds = time.perf_counter() - t0
    return out


def conflict(data: ProblemData, seed: int = 0, time_limit: float = 10.0) -> list[Key]:
    """A minimal set of (rule, detail) parts that cannot all hold ([] if none proven)."""
    return explain(data, seed=seed, time_limit=time_limit, relax=False).keys


def explain_infeasible(data: ProblemData, seed: int = 0, time_limit: float = 10.0) -> list[str]:
    """The plain-words explanation of an infeasible client; the first line is the short form."""
    return explain(data, seed=seed, time_limit=time_limit).lines()


def explain_client(
    client: Client,
    weeks: int = 1,
    seed: int = 0,
    time_limit: float = 10.0,
    rulebook: Any = None,
) -> Explanation:
    """Library entry point: the Explanation for CLIENT (status 'feasible' if it has a plan)."""
    from .data import make_data

    return explain(make_data(client, weeks, rulebook), seed=seed, time_limit=time_limit)
