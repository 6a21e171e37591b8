"""legback: leg-and-back training plans for strength coaches, solved with CP-SAT.

The public API is imported lazily so that `legback --help` does not load the solver
(``solve`` itself is light: it loads the solver when called).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# The module legback_solver.solve and its function share a name: the function is bound
# here (solve.py loads the solver only when called), so the package attribute stays it.
from .solve import Result, solve

_EXPORTS = {
    "Client": "models",
    "Plan": "models",
    "InputError": "errors",
    "load_client": "io",
    "load_plan": "io",
    "parse_client": "io",
    "load_rulebook": "rulebook",
    "check_plan": "check",
}

__all__ = [
    "Client",
    "InputError",
    "Plan",
    "Result",
    "check_plan",
    "load_client",
    "load_plan",
    "load_rulebook",
    "parse_client",
    "solve",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'legback_solver' has no attribute {name!r}")
