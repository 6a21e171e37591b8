"""Why a client is infeasible: a small set of conflicting hard rules, in words.

Every hard constraint is enforced by a literal per (rule, detail); the solver assumes
them all, returns a sufficient subset, and a deletion loop shrinks it to a minimal one
(dropping any named part makes the client feasible).
"""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from .data import ProblemData

Key = tuple[str, str]


def _run(model: cp_model.CpModel, assumed: list, seed: int, time_limit: float):
    model.clear_assumptions()
    model.add_assumptions(assumed)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.stop_after_first_solution = True
    return solver, solver.solve(model)


def conflict(data: ProblemData, seed: int = 0, time_limit: float = 10.0) -> list[Key]:
    """A minimal set of (rule, detail) literals that cannot all hold.

    Empty if the client is feasible (or nothing could be proven in time)."""
    from .solver import build

    b = build(data, explain=True, tiebreak=False)
    lits = b.ctx.literals
    keys = sorted(lits)
    solver, code = _run(b.model, [lits[k] for k in keys], seed, time_limit)
    if code != cp_model.INFEASIBLE:
        return []
    by_index = {lits[k].index: k for k in keys}
    core = sorted(by_index[i] for i in solver.sufficient_assumptions_for_infeasibility())
    # Deletion filter in shrinking chunks: drop a chunk when the rest still conflict.
    # The last pass (chunk 1) tries every single part, so the result is minimal; a step
    # that proves nothing in its share of time keeps its parts (still a conflict).
    step_limit = max(0.5, time_limit / 10)
    chunk = max(1, len(core) // 2)
    while True:
        i = 0
        while i < len(core):
            trial = core[:i] + core[i + chunk :]
            _, code = _run(b.model, [lits[k] for k in trial], seed, step_limit)
            if code == cp_model.INFEASIBLE:
                core = trial
            else:
                i += chunk
        if chunk == 1:
            break
        chunk = max(1, chunk // 2)
    return core


def _detail_words(data: ProblemData, rid: str, details: list[str]) -> str:
    """The parameters behind one rule's conflicting parts, in words."""
    setting = data.rulebook.rules[rid]
    params = setting.params.model_dump(mode="json")
    client = data.client
    if rid == "spinal-budget":
        return "; ".join(
            f"{d} cap {params[d][client.back_status]} units for a {client.back_status} back"
            for d in details
        )
    if rid == "back-status":
        return f"max {params['max_units'][client.back_status]} spinal units per set"
    if rid == "grip-order":
        cap = f"grip capacity {params['capacity'][client.experience]}"
        return cap + (", client has no straps" if "straps" in details else "")
    if rid in ("muscle-sets", "beginner-volume"):
        return "weekly sets " + ", ".join(details)
    if rid == "availability":
        return "not available to this client: " + ", ".join(details)
    if rid == "session-shape":
        words = {
            "exercises": f"{params['exercises'][0]}-{params['exercises'][1]} exercises per session",
            "compounds": f"at least {params['compounds_min']} compound lifts per session",
            "patterns": f"at most {params['pattern_max']} exercises of one pattern",
            "sets": f"sets per exercise {params['sets_main']} main, {params['sets_accessory']} accessory",
        }
        return "; ".join(words.get(d, d) for d in details)
    return ", ".join(f"{k}={v}" for k, v in params.items() if not isinstance(v, dict))


def describe(data: ProblemData, core: list[Key]) -> list[str]:
    """One line per conflicting rule: its id, the parameters involved, its statement."""
    by_rule: dict[str, list[str]] = {}
    for rid, detail in core:
        by_rule.setdefault(rid, [])
        if detail:
            by_rule[rid].append(detail)
    lines = []
    for rid, details in by_rule.items():
        words = _detail_words(data, rid, details)
        statement = data.rulebook.rules[rid].statement
        lines.append(f"{rid} ({words}): {statement}" if words else f"{rid}: {statement}")
    return lines


def client_facts(data: ProblemData) -> str:
    c = data.client
    slots = ", ".join(f"{s.day} {s.start} ({s.minutes} min)" for s in data.slots)
    return (
        f"client facts: slots {slots}; {c.experience}, goal {c.goal}, {c.back_status} back; "
        f"equipment {', '.join(c.equipment) or 'none'}"
    )


def explain_infeasible(data: ProblemData, seed: int = 0, time_limit: float = 10.0) -> list[str]:
    """Plain-words explanation of an infeasible client. For a mesocycle, a conflict that
    already holds in a single week is explained on the (much smaller) weekly model."""
    if data.weeks > 1 and not data.frozen:
        week = replace(data, weeks=1)
        core = conflict(week, seed=seed, time_limit=time_limit)
        if core:
            return [
                "These rules cannot all hold for this client, even in a single week:",
                *describe(week, core),
                client_facts(week),
            ]
    core = conflict(data, seed=seed, time_limit=time_limit)
    if not core:
        return ["The solver could not prove which rules conflict within the time limit."]
    return [
        "These rules cannot all hold for this client:",
        *describe(data, core),
        client_facts(data),
    ]
