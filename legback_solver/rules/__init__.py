"""The rule registry: rule id -> Rule (parameters, CP-SAT encoder, plain-Python checker).

One module per rule family; adding a rule touches its TOML entry, one module here, its
checker function and its tests.
"""

from __future__ import annotations

from . import (
    alpha,
    availability,
    coaching,
    dosing,
    frequency,
    grip,
    meso,
    objective,
    recovery,
    session,
    spacing,
    spinal,
    volume,
)
from .base import EncodeContext, Params, Rule, Violation

REGISTRY: dict[str, Rule] = {
    rule.id: rule
    for module in (
        availability,
        spacing,
        spinal,
        grip,
        volume,
        session,
        alpha,
        coaching,
        dosing,
        recovery,
        frequency,
        meso,
        objective,
    )
    for rule in module.RULES
}

HARD = [rid for rid, r in REGISTRY.items() if r.kind == "hard"]
SOFT = [rid for rid, r in REGISTRY.items() if r.kind == "soft"]

__all__ = ["REGISTRY", "HARD", "SOFT", "EncodeContext", "Params", "Rule", "Violation"]
