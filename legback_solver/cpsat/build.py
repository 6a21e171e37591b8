"""The CP-SAT model of one client: variables, every active rule's encoder, the objective.

Formulation: a boolean per (week, slot, exercise) and a set count, never positions;
the order inside a session follows from the exercise's order key (compound-first).

Set-count domains: outside explain mode each ``n[w][s][e]`` is created with its exact
range, the session-shape range of the exercise's tier (the deload rule's range in a
deload week, see schedule.set_range); the encoders state the same ranges, so explain
mode (plain 0..MAX_SETS domains) can name them.

Determinism: the same model and seed give the same plan. An optional tie-break term
(``SCALE * score - tiebreak``) orders most ties by ids; its small weights can collide,
so it does not make the optimum unique and determinism does not rely on it.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from ..data import ProblemData
from ..errors import InputError
from ..models import MAX_SETS, Session
from ..rules import REGISTRY, EncodeContext
from ..schedule import set_range
from .variables import Variables

SHARE_SELECTION = True  # benchmarks/README.md, issue 13: see selection_is_shared
TIEBREAK_MAX = 7  # tie-break weight per choice lies in 1..TIEBREAK_MAX


@dataclass
class Built:
    data: ProblemData
    model: cp_model.CpModel
    v: Variables
    ctx: EncodeContext
    score: Any
    scale: int
    build_seconds: float


def fix_sessions(
    model: cp_model.CpModel,
    data: ProblemData,
    v: Variables,
    sessions: dict[tuple[int, int], Session | None],
) -> None:
    """Fix (week, slot) -> session (None: no session) into the model: its selection,
    sets and straps. Exercise ids must be catalogue ids."""
    for (w, s), session in sessions.items():
        done = {pe.exercise: pe for pe in session.exercises} if session else {}
        for e, ex in enumerate(data.exercises):
            pe = done.get(ex.id)
            model.add(v.x[w][s][e] == (pe is not None))
            model.add(v.n[w][s][e] == (pe.sets if pe else 0))
            if e in v.straps[w][s]:
                model.add(v.straps[w][s][e] == bool(pe and pe.straps))


def _fix_history(model: cp_model.CpModel, data: ProblemData, v: Variables) -> None:
    """Sessions already done (re-planning) are facts: fix their selection and sets."""
    index = data.exercise_index()
    for session in data.frozen.values():
        for pe in session.exercises if session else []:
            if pe.exercise not in index:
                raise InputError("--from", [f"{pe.exercise!r} is not a catalogue exercise"])
    fix_sessions(model, data, v, data.frozen)


def selection_is_shared(data: ProblemData, explain: bool = False) -> bool:
    """Every week of DATA selects the same exercises in each slot: a mesocycle under
    stable-main-lifts with no rotating accessories, nothing frozen (re-planning) or
    audited, solved rather than explained (explain mode reifies stable-main-lifts)."""
    book = data.rulebook
    return (
        SHARE_SELECTION
        and data.weeks > 1
        and not explain
        and not data.frozen
        and not data.auditing
        and book.active("stable-main-lifts")
        and not book.params("stable-main-lifts").rotate_accessories
    )


def _tiebreak_weight(*key: object) -> int:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=4).digest()
    return 1 + int.from_bytes(digest, "big") % TIEBREAK_MAX


def build(data: ProblemData, explain: bool = False, tiebreak: bool = False) -> Built:
    """The CP-SAT model of DATA: every active rule encoded, the objective set."""
    t0 = time.perf_counter()
    model = cp_model.CpModel()
    ranges = None
    if not explain:  # exact set-count domains; explain mode reifies them instead
        book = data.rulebook
        ranges = [
            [
                set_range(book, ex.tier, spec)
                if (book.active("deload") if spec.deload else book.active("session-shape"))
                else (1, MAX_SETS)
                for ex in data.exercises
            ]
            for spec in data.specs
        ]
    v = Variables(model, data, ranges, shared_selection=selection_is_shared(data, explain))
    _fix_history(model, data, v)
    ctx = EncodeContext(model=model, data=data, v=v, explain=explain)
    for rid, rule in REGISTRY.items():
        if not data.rulebook.active(rid):
            continue
        ctx.rule_id = rid
        rule.encode(ctx, data.params(rid))
    terms = [expr * weight for expr, weight, _ in ctx.rewards]
    score = sum(terms) if terms else 0
    scale = 1
    objective = score
    if tiebreak:
        tb_terms, tb_max = [], 0
        for w in range(v.W):
            for s in range(v.S):
                for e, ex in enumerate(data.exercises):
                    a = _tiebreak_weight("x", s, ex.id)
                    b = _tiebreak_weight("n", s, ex.id)
                    tb_terms += [a * v.x[w][s][e], b * v.n[w][s][e]]
                    tb_max += a + b * MAX_SETS
                    if e in v.straps[w][s]:  # straps only where needed
                        tb_terms.append(v.straps[w][s][e])
                        tb_max += 1
        # Every real term is a multiple of `scale`, so the tie-break only orders ties.
        scale = tb_max + 1
        objective = scale * score - sum(tb_terms)
    model.maximize(objective)
    return Built(data, model, v, ctx, score, scale, time.perf_counter() - t0)
