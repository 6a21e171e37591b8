"""Why a client is infeasible: a small set of conflicting hard rules, in words.

Every hard constraint is enforced by a literal per (rule, detail); the solver assumes
them all, returns a sufficient subset, and a deletion loop shrinks it to a minimal one
(dropping any named part makes the client feasible).
"""

from __future__ import annotations

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
    # Deletion loop: drop each part in turn; keep it out if the rest still conflict.
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1 :]
        _, code = _run(b.model, [lits[k] for k in trial], seed, time_limit)
        if code == cp_model.INFEASIBLE:
            core = trial
        else:
            i += 1
    return core


def describe(data: ProblemData, key: Key) -> str:
    """One conflicting part in plain words, with its parameters."""
    rid, detail = key
    setting = data.rulebook.rules[rid]
    params = setting.params.model_dump(mode="json")
    shown = ", ".join(f"{k}={v}" for k, v in params.items() if not isinstance(v, dict))
    client = data.client
    if rid == "spinal-budget":
        shown = f"{detail} cap {params[detail][client.back_status]} for a {client.back_status} back"
    elif rid == "back-status":
        shown = f"max {params['max_units'][client.back_status]} spinal units per set"
    elif rid == "grip-order":
        shown = f"grip capacity {params['capacity'][client.experience]}" + (
            " and no straps" if detail == "straps" else ""
        )
    elif rid in ("muscle-sets", "beginner-volume"):
        shown = f"weekly sets {detail}"
    elif rid == "availability":
        shown = f"{detail} not available"
    elif rid == "session-shape":
        shown = (
            f"{params['exercises'][0]}-{params['exercises'][1]} exercises per session"
            if detail == "exercises"
            else f"sets per exercise main {params['sets_main']}, accessory {params['sets_accessory']}"
        )
    statement = setting.statement or rid
    return f"{rid} ({shown}): {statement}" if shown else f"{rid}: {statement}"


def client_facts(data: ProblemData) -> str:
    c = data.client
    slots = ", ".join(f"{s.day} {s.start} ({s.minutes} min)" for s in data.slots)
    return (
        f"client facts: slots {slots}; {c.experience}, goal {c.goal}, {c.back_status} back; "
        f"equipment {', '.join(c.equipment) or 'none'}"
    )


def explain_infeasible(data: ProblemData, seed: int = 0, time_limit: float = 10.0) -> list[str]:
    core = conflict(data, seed=seed, time_limit=time_limit)
    if not core:
        return ["The solver could not prove which rules conflict within the time limit."]
    lines = ["These rules cannot all hold for this client:"]
    lines += [describe(data, k) for k in core]
    lines.append(client_facts(data))
    return lines
