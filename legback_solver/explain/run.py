"""Why a client is infeasible: a minimal set of conflicting rules and client facts, in
words, and relaxations that were verified, by re-solving, to make the client feasible
(engine.py finds the conflict, words.py words it, relaxations.py relaxes it)."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from ..cpsat.solver import DETERMINISTIC_PER_SECOND
from ..data import ProblemData, make_data
from ..models import Client
from .engine import Engine
from .relaxations import relaxations
from .result import Explanation, Key
from .words import facts, parts


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
    (much smaller) weekly model; relaxations are screened and verified on DATA itself."""
    t0 = time.perf_counter()
    step_limit = min(step_limit, max(0.1, time_limit / 10))
    solves = 0
    engine: Engine | None = None
    keys: list[Key] | None = None
    scope = data
    if data.weeks > 1 and not data.frozen:
        scope = replace(data, weeks=1)
        engine = Engine(scope, seed, step_limit)
        keys = engine.conflict()
    if not keys:
        solves = engine.solves if engine else 0
        scope = data
        engine = Engine(data, seed, step_limit)
        keys = engine.conflict()
    assert engine is not None
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
        out.parts = parts(scope, keys)
        out.facts = facts(scope, keys)
        out.minimal = not engine.unproven
    out.solves = solves + engine.solves
    if keys and relax:
        budget = time_limit * DETERMINISTIC_PER_SECOND  # deterministic units
        out.relaxations = relaxations(data, engine, out, seed, budget, max_relaxations)
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
    """Library entry point: the Explanation for CLIENT (status 'feasible' if it has a plan).
    Known lifts count only where the rules allow, as in a solve: the requirements no
    placement can hold are excused first (cpsat.excuse_known_lifts)."""
    from ..cpsat import excuse_known_lifts

    data = make_data(client, weeks, rulebook)
    excused = excuse_known_lifts(data, seed, time_limit)
    if excused:
        book = data.rulebook.with_overrides({"known-lifts": {"excused": excused}})
        data = replace(data, rulebook=book)
    return explain(data, seed=seed, time_limit=time_limit)
