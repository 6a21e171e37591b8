"""CP-SAT, configured in one place: the solver parameters and the status names.

Two profiles share :func:`make_solver`:

* a plan solve (``explain=False``): deterministic for any number of workers (one worker
  is deterministic; several run CP-SAT's interleaved search), stopped by a relative
  gap or the wall-clock limit; enforced constraints linearised and no cutting planes
  (about 3x faster proofs on the example clients, benchmarks/README.md),
* a conflict-engine step (``explain=True``): one worker and a *deterministic* time
  limit, so a client gets the same explanation on a busy machine too (wall time only as
  a safety net); probing and symmetry detection off, presolve only with the full LP.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}

LINEARIZATION = 2  # the full LP relaxation: proves volume/budget conflicts fast
# CP-SAT deterministic time per wall-clock second on the benchmark machine: measured
# 0.3-0.8 (a solve's setup is not counted), so "limit" seconds of wall time become
# limit / 2 deterministic units.
DETERMINISTIC_PER_SECOND = 0.5


def make_solver(
    seed: int = 0,
    time_limit: float = 30.0,
    workers: int = 1,
    gap: float = 0.0,
    *,
    explain: bool = False,
    first: bool = False,
    linearization: int = LINEARIZATION,
    presolve: bool | None = None,
) -> cp_model.CpSolver:
    """A CP-SAT solver whose answer depends only on the model and the seed (only a run
    cut short by the wall-clock limit can differ). EXPLAIN: the conflict-engine profile
    (FIRST: stop at the first solution; PRESOLVE defaults to LINEARIZATION > 1)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.random_seed = seed
    p.linearization_level = linearization
    p.catch_sigint_signal = False  # Ctrl-C reaches Python in every solve: see interrupt.py
    if explain:
        p.max_deterministic_time = max(0.005, time_limit * DETERMINISTIC_PER_SECOND)
        # only a safety net: a loaded machine must not change an explanation (a light
        # step of 0.05 deterministic units took 0.4 s with both cores shared)
        p.max_time_in_seconds = max(2.0, 20 * time_limit)
        p.num_workers = 1
        p.stop_after_first_solution = first
        # Presolve pays off only with the full LP; probing and symmetry detection cost
        # more than the whole search on these small models (3x on easy steps).
        p.cp_model_presolve = linearization > 1 if presolve is None else presolve
        p.cp_model_probing_level = 0
        p.symmetry_level = 0
        return solver
    p.relative_gap_limit = gap
    if workers > 1:
        p.interleave_search = True
    p.max_time_in_seconds = time_limit
    p.num_workers = workers
    p.cut_level = 0
    return solver
