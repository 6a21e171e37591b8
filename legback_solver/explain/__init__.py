"""Why a client is infeasible, and what would make it feasible.

* :mod:`.result`: what an explanation returns (Explanation, ConflictPart, Relaxation),
* :mod:`.engine`: the conflict engine (a minimal set of conflicting parts),
* :mod:`.words`: the conflict in words (each rule's ``words`` hook),
* :mod:`.relaxations`: relaxations, measured (each rule's ``relax`` hook) and verified,
* :mod:`.run`: the entry points.

No rule is named here: every rule-specific piece is a hook on the rule (rules/base.py).
"""

from __future__ import annotations

from .relaxations import drop_part, isolate, parts_of, verify, with_change
from .result import ConflictPart, Explanation, Key, Relaxation, apply_change, change_words
from .run import conflict, explain, explain_client, explain_infeasible
from .words import slots_words

__all__ = [
    "ConflictPart",
    "Explanation",
    "Key",
    "Relaxation",
    "apply_change",
    "change_words",
    "conflict",
    "drop_part",
    "explain",
    "explain_client",
    "explain_infeasible",
    "isolate",
    "parts_of",
    "slots_words",
    "verify",
    "with_change",
]
