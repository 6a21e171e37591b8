"""legback: leg-and-back training plans for strength coaches, solved with CP-SAT.

The public API is imported lazily so that `legback --help` does not load the solver.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Client": "models",
    "Plan": "models",
    "InputError": "errors",
    "load_client": "io",
    "load_plan": "io",
    "parse_client": "io",
    "load_rulebook": "rulebook",
    "check_plan": "check",
    "Result": "solver",
    "solve": "solver",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'legback_solver' has no attribute {name!r}")
