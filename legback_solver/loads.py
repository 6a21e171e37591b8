"""Prescribed loads from a 1RM (or a recent set) with the Epley formula.

Epley: a set of r reps taken to failure with load w implies 1RM = w * (1 + r / 30).
A set of r reps with k reps in reserve is a set that could go to r + k reps, so its
load is 1RM / (1 + (r + k) / 30). We take r as the top of the rep range (the lifter
must keep k in reserve even at the top) and round down to the plate step, so the
prescribed load is never heavier than the RIR allows.
"""

from __future__ import annotations

import math

GRAMS = 1000  # loads compared exactly in whole grams (audit.py)


def epley_1rm(load_kg: float, reps: int) -> float:
    """Estimated 1RM from a set of REPS at LOAD_KG taken to (near) failure."""
    if reps < 1 or load_kg <= 0:
        raise ValueError("a recent set needs reps >= 1 and a load > 0 kg")
    return load_kg if reps == 1 else load_kg * (1 + reps / 30)


def load_for(one_rm: float, reps: int, rir: int, step: float = 2.5) -> float:
    """Heaviest load on the plate STEP that still leaves RIR reps in reserve after REPS."""
    raw = one_rm / (1 + (reps + rir) / 30)
    return round(math.floor(raw / step + 1e-9) * step, 2)
