"""The CP-SAT side: variables, model build, solver parameters, decoding into a Plan.

Nothing here imports the orchestration above it (solve.py, report.py, explain/);
callers outside this package never configure a ``CpSolver`` themselves.
"""

from __future__ import annotations

from .build import Built, build, fix_sessions
from .decode import decode, empty_plan, plan_from_solution, session_date
from .solver import STATUS, make_solver
from .stages import excuse_known_lifts, second_stage, small_expr
from .variables import MAX_SETS, Variables

__all__ = [
    "MAX_SETS",
    "STATUS",
    "Built",
    "Variables",
    "build",
    "decode",
    "empty_plan",
    "excuse_known_lifts",
    "fix_sessions",
    "make_solver",
    "plan_from_solution",
    "second_stage",
    "small_expr",
    "session_date",
]
