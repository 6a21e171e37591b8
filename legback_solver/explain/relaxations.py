"""Relaxations: changes to the client, each verified by re-solving to make it feasible.

For each named conflict part, one solve with every other rule of the client held and
that part dropped measures the smallest change it needs (the rule's ``relax`` hook:
the largest reachable erector minimum, the widest gap between back-loading sessions,
the smallest spinal cap, ...; a rule without one is switched off). The change is
written as client `rules:` overrides or client field changes, and the client is
re-solved from scratch with it (hinted with the measuring solution); only changes whose
re-solve finds a plan are shown. An extra slot is tried when the conflict involves the
slots or a weekly minimum, as long as the longest slot and then as long as a verified
longer slot.

A mesocycle's conflict is usually found on one week; each part is then first screened
on the mesocycle's own explain model (is it still infeasible with that part dropped?),
so a part whose relaxation cannot work on the mesocycle is neither measured nor
re-solved, and a part whose weekly measure falls short is measured on the mesocycle.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from ortools.sat.python import cp_model

from ..cpsat import STATUS, build, make_solver
from ..data import ProblemData
from ..models import DAYS, Slot
from ..rules import REGISTRY
from ..rules.base import Candidate
from .engine import Engine
from .result import Explanation, Key, Relaxation, apply_change
from .words import needs_volume, slots_words

# The verifying re-solve: presolve without the LP relaxation. On every candidate of the
# benchmark clients (1 and 5 weeks) it gives the same answers as the full LP in 20% less
# CPU time and half the deterministic time (benchmarks/README.md, issue 13).
VERIFY_LINEARIZATION = 0


def drop_part(data: ProblemData, key: Key) -> tuple[dict[str, Any], dict[str, Any]]:
    """(rules, client changes) that remove exactly the conflict part KEY (or, where a
    rule cannot lose a single detail, the whole rule). For tests and last resorts."""
    rid, detail = key
    hook = REGISTRY[rid].explaining.drop
    change = hook(data, data.rulebook.rules[rid].params, detail) if hook else None
    return change if change is not None else ({rid: {"kind": "off"}}, {})


def with_change(data: ProblemData, rules: dict[str, Any], client: dict[str, Any]) -> ProblemData:
    """DATA for its client with a change applied (rulebook overrides layered on top)."""
    new_client = apply_change(data.client, rules, client)
    book = data.rulebook.with_overrides(rules) if rules else data.rulebook
    return replace(data, client=new_client, rulebook=book)


def parts_of(data: ProblemData) -> list[Key]:
    """Every part a conflict of DATA can name (see Engine)."""
    engine = Engine(data, 0, 1.0)
    return [u for units in engine.units.values() for u in units]


def isolate(data: ProblemData, keep: list[Key]) -> ProblemData:
    """DATA with every hard-rule part outside KEEP removed (drop_part, one by one): the
    conflict on its own, as a client. What a rule derives from the client and from other
    rules is pinned first (each rule's ``pin`` hook: alpha-first's pool), as the explain
    model holds it: dropping an equipment item must not change another rule's meaning."""
    parts = parts_of(data)
    for rid, setting in sorted(data.rulebook.rules.items()):
        hook = REGISTRY[rid].explaining.pin if rid in REGISTRY else None
        if hook is not None and setting.kind != "off":
            pins = hook(data, setting.params)
            if pins:
                data = with_change(data, pins, {})
    for key in parts:
        if key not in keep and key[0] in data.rulebook.rules and data.rulebook.active(key[0]):
            data = with_change(data, *drop_part(data, key))
    return data


def _solution(engine: Engine, solver: cp_model.CpSolver) -> dict:
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
    """Solves with every rule but one part: is dropping it enough, and by how much?
    (The ``rules.base.Measure`` a rule's ``relax`` hook receives.)"""

    def __init__(self, engine: Engine, keys: list[Key]) -> None:
        self.engine, self.keys = engine, keys
        self.data, self.v, self.model = engine.data, engine.b.v, engine.model
        self.ctx = engine.b.ctx
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

    def candidate(self, solver, part: str, words: str, rules=None, client=None) -> Candidate:
        hint = _solution(self.engine, solver)
        return Candidate(part, words, rules or {}, client or {}, hint)

    def unit_literals(self, units: list[str]) -> dict[str, Any]:
        e, rid = self.engine, self.keys[0][0]
        return {u: e.units[e.group_of[(rid, u)]][(rid, u)] for u in units}


def _relax_off(m: _Measure, detail: str) -> list[Candidate]:
    got = m.solve()
    if got is None:
        return []
    rid = m.keys[0][0]
    rules, client = drop_part(m.data, m.keys[0])
    verb = "switch off" if rules.get(rid, {}).get("kind") == "off" else "relax"
    return [m.candidate(got[0], rid, f"{verb} {rid}", rules, client)]


def _slot_candidates(data: ProblemData, need: int = 0) -> list[Candidate]:
    """One more slot on a free day, as far as possible from the client's other slots, as
    long as the longest slot; then, where a longer slot was found to be needed (NEED
    minutes, from a verified "longer slot" relaxation), that long."""
    slots = data.slots
    free = [d for d in DAYS if d not in {s.day for s in slots}]
    if not free or data.frozen:
        return []
    start = Counter(s.start for s in slots).most_common(1)[0][0]
    longest = max(s.minutes for s in slots)

    def distance(day: str) -> float:
        h = Slot(day=day, start=start, minutes=longest).hour_of_week
        return min(min(abs(h - s.hour_of_week), 168 - abs(h - s.hour_of_week)) for s in slots)

    out = []
    for day in sorted(free, key=lambda d: (-distance(d), DAYS.index(d)))[:2]:
        for minutes in sorted({longest, max(longest, need)}):
            raw = [s.model_dump(mode="json") for s in data.client.availability]
            raw.append({"day": day, "start": start, "minutes": minutes})
            words = f"add a slot {day.capitalize()} {start} ({minutes} min)"
            out.append(Candidate("slots", words, client={"availability": raw}))
    return out


def _minutes_needed(data: ProblemData, found: list[Relaxation]) -> int:
    """The longest slot a verified "longer slot" relaxation asks for (0 if none)."""
    return max(
        (
            int(raw["minutes"])
            for r in found
            if r.part in REGISTRY and REGISTRY[r.part].explaining.slots == "minutes"
            for raw in r.client.get("availability", [])
        ),
        default=0,
    )


def verify(
    data: ProblemData, rules: dict, client: dict, seed: int = 0, limit: float = 2.0, hint=None
):
    """Re-solve DATA's client with a change applied, from scratch: (status, seconds)."""
    status, secs, _ = _verify(data, rules, client, seed, limit, hint)
    return status, secs


def _verify(data, rules, client, seed, limit, hint) -> tuple[str, float, float]:
    """verify, with the solve's deterministic time."""
    t0 = time.perf_counter()
    try:
        new = with_change(data, rules, client)
    except Exception:  # a change the models reject is no relaxation
        return "invalid", time.perf_counter() - t0, 0.0
    b = build(new, tiebreak=False)
    b.model.clear_objective()
    if hint:
        v, hinted = b.v, set()
        for w in range(v.W):
            for s, slot in enumerate(new.slots):
                for e, ex in enumerate(new.exercises):
                    got = hint.get((w, f"{slot.day} {slot.start}", ex.id))
                    if got is None:
                        continue
                    for var, value in ((v.x[w][s][e], got[0]), (v.n[w][s][e], got[1])):
                        # a mesocycle's weeks may share one variable (one selection)
                        if var.index not in hinted:
                            hinted.add(var.index)
                            b.model.add_hint(var, value)
    solver = make_solver(
        seed, limit, explain=True, first=True, presolve=True, linearization=VERIFY_LINEARIZATION
    )
    code = solver.solve(b.model)
    return STATUS[code], time.perf_counter() - t0, solver.deterministic_time


def _coach_rank(key: Key) -> int:
    """The relaxations a coach tries first come first: a longer slot (a rule whose
    conflict depends on the slots' minutes), then another slot (rank 1, not a key), then
    a lower weekly minimum, then the rest."""
    hooks = REGISTRY[key[0]].explaining
    if hooks.slots == "minutes":
        return 0
    if hooks.needs_volume is not None and hooks.needs_volume(key[1]):
        return 2
    return 3


def _measured(fn: Callable[..., list[Candidate]], keys: list[Key], arg: Any, engine: Engine):
    """FN's candidates, measured on ENGINE with KEYS dropped."""
    return fn(_Measure(engine, keys), arg)


def relaxations(
    data: ProblemData,
    engine: Engine,
    out: Explanation,
    seed: int,
    budget: float,
    most: int,
) -> list[Relaxation]:
    """Verified relaxations: at most one per conflicting part and one extra slot, the
    ones a coach tries first first (_coach_rank), until MOST are found or the engines'
    and the verifying solves' deterministic time passes BUDGET (never wall time: the
    same client gets the same relaxations on a busy machine). Counts the engines' solves
    in OUT.solves and the verifying re-solves in OUT.resolves.

    ENGINE holds the conflict; when it is a single week of a mesocycle, each part is
    first screened on the mesocycle's own explain model (one feasibility solve with
    every other part held): a part whose removal alone leaves the mesocycle infeasible
    cannot be relaxed alone, so it is neither measured nor re-solved (Engine.still_infeasible:
    one proof often rules out several parts)."""
    queue: list[tuple[int, list[Key], Callable[[Engine], list[Candidate]]]] = []
    for key in out.keys:
        if key[0] in engine.unit_rules:
            continue
        fn = REGISTRY[key[0]].explaining.relax or _relax_off
        queue.append((_coach_rank(key), [key], partial(_measured, fn, [key], key[1])))
    for rid in sorted(engine.unit_rules):
        keys = [k for k in out.keys if k[0] == rid]
        relax_units = REGISTRY[rid].explaining.relax_units
        if keys and relax_units is not None:
            units = [d for _, d in keys]
            queue.append((3, keys, partial(_measured, relax_units, keys, units)))
    if out.facts or needs_volume(out.keys):
        queue.append((1, [], lambda _: _slot_candidates(data, _minutes_needed(data, found))))
    queue.sort(key=lambda item: item[0])  # stable: the conflict's order within a rank
    verify_limit = 4 * engine.step_limit if data.weeks > 1 else engine.step_limit
    full: Engine | None = None  # the mesocycle's explain model, built on first use
    spent = 0.0  # deterministic time of the verifying solves
    tried: set[str] = set()  # changes re-solved so far
    solves = engine.solves

    def used() -> float:
        return engine.dtime + (full.dtime if full else 0.0) + spent

    found: list[Relaxation] = []
    for _rank, keys, make in queue:
        if len(found) >= most or used() > budget:
            break
        screened = False  # KEYS alone can be relaxed on the mesocycle
        if keys and engine.data.weeks < data.weeks:
            if full is None:
                full = Engine(data, seed, engine.step_limit)
            if full.still_infeasible(keys):
                continue
            screened = True
        # Measured on the conflict's week first (cheap); a mesocycle whose later weeks
        # need more than that week gets the measure on its own model too.
        for measure in (engine, full) if screened else (engine,):
            assert measure is not None
            done = False
            for cand in make(measure):
                if used() > budget:
                    break
                change = json.dumps([cand.rules, cand.client], sort_keys=True)
                if change in tried:  # the same client again (measured twice)
                    continue
                status, secs, dtime = _verify(
                    data, cand.rules, cand.client, seed, verify_limit, cand.hint
                )
                tried.add(change)
                out.resolves += 1
                spent += dtime
                if status in ("optimal", "feasible"):
                    found.append(
                        Relaxation(cand.part, cand.words, cand.rules, cand.client, status, secs)
                    )
                    if cand.part == "slots" and not out.facts:  # so the slots are part of it
                        out.facts.append(slots_words(engine.data.slots))
                    done = True
                    break
            if done or used() > budget:
                break
    out.solves += engine.solves - solves + (full.solves if full else 0)
    return found
