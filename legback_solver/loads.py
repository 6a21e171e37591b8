"""Prescribed loads from a 1RM (or a recent set) with the Epley formula, in the
client's unit (kg or lb).

Epley: a set of r reps taken to failure with load w implies 1RM = w * (1 + r / 30).
A set of r reps with k reps in reserve is a set that could go to r + k reps, so its
load is 1RM / (1 + (r + k) / 30). We take r as the top of the rep range (the lifter
must keep k in reserve even at the top) and round down to the plate step, so the
prescribed load is never heavier than the RIR allows.

Units: a client with ``units: lb`` gets loads computed in pounds and rounded to the
pound plate step (5 lb by default); the plan stores them as ``load_lb`` and, for
readers of the schema, ``load_kg`` = load_lb x 0.45359237 (rounded to 10 g). Maxes
given in the other unit are converted first.
"""

from __future__ import annotations

import math
from typing import Any

from .models import LB_KG, Client, PlanExercise, Unit

GRAMS = 1000  # loads compared exactly in whole grams (audit.py)


def epley_1rm(load: float, reps: int) -> float:
    """Estimated 1RM from a set of REPS at LOAD taken to (near) failure (any unit)."""
    if reps < 1 or load <= 0:
        raise ValueError("a recent set needs reps >= 1 and a load > 0")
    return load if reps == 1 else load * (1 + reps / 30)


def load_for(one_rm: float, reps: int, rir: int, step: float = 2.5) -> float:
    """Heaviest load on the plate STEP that still leaves RIR reps in reserve after REPS."""
    raw = one_rm / (1 + (reps + rir) / 30)
    return round(math.floor(raw / step + 1e-9) * step, 2)


def convert(value: float, unit: Unit, to: Unit) -> float:
    """VALUE in UNIT expressed in TO."""
    if unit == to:
        return value
    return value * LB_KG if to == "kg" else value / LB_KG


def known_maxes(client: Client, unit: Unit | None = None) -> dict[str, float]:
    """1RM per exercise in UNIT (the client's by default): given in kg or lb, or
    estimated from a recent set with Epley."""
    unit = unit or client.units
    out = {}
    for eid, s in client.recent_sets.items():
        given: Unit = "kg" if s.kg is not None else "lb"
        out[eid] = convert(epley_1rm(s.kg or s.lb or 0.0, s.reps), given, unit)
    out.update({eid: convert(kg, "kg", unit) for eid, kg in client.one_rep_max_kg.items()})
    out.update({eid: convert(lb, "lb", unit) for eid, lb in client.one_rep_max_lb.items()})
    return out


def plate_step(params: Any, unit: Unit) -> float:
    """The plate step of the loads rule in UNIT (2.5 kg, 5 lb by default)."""
    return float(getattr(params, "plate_step_lb", 5.0)) if unit == "lb" else params.plate_step


def prescribe(
    one_rm: float, reps: int, rir: int, unit: Unit, params: Any
) -> tuple[float, float | None]:
    """(load_kg, load_lb) of a set: computed in UNIT on its plate step; load_lb is
    None for a kg client."""
    load = load_for(one_rm, reps, rir, plate_step(params, unit))
    return (round(load * LB_KG, 2), load) if unit == "lb" else (load, None)


def shown_load(pe: PlanExercise) -> str:
    """The load as a coach reads it: '225 lb' in an lb plan, '102.5 kg' otherwise."""
    if pe.load_lb is not None:
        return f"{pe.load_lb:g} lb"
    return f"{pe.load_kg:g} kg" if pe.load_kg is not None else ""
