"""The exercise catalogue shipped with the package (`data/exercises.toml`).

Coaches name exercises their own way ("deadlift", "RDL", "chin-up"): every exercise has
``aliases``, and :func:`resolve_exercise` maps an id, a name or an alias to the canonical
id, ignoring case, spaces, hyphens, underscores and punctuation.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import AfterValidator, ValidationError

from .errors import from_validation
from .models import Exercise
from .names import (
    canonical,
    catalogue_rows,
    exercise_names,
    name_index,
    normalise_name,
    resolve_exercise,
    suggest_exercises,
    unknown_exercise,
)

__all__ = [
    "ExerciseRef",
    "canonical",
    "catalogue_by_id",
    "exercise_names",
    "load_catalogue",
    "name_index",
    "normalise_name",
    "resolve_exercise",
    "suggest_exercises",
    "unknown_exercise",
]


@cache
def load_catalogue() -> tuple[Exercise, ...]:
    """Every catalogue exercise, in file order."""
    out = []
    for i, row in enumerate(catalogue_rows()):
        try:
            out.append(Exercise.model_validate(row))
        except ValidationError as e:
            raise from_validation("exercises.toml", e, prefix=f"exercise[{i}].") from None
    return tuple(out)


@cache
def catalogue_by_id() -> dict[str, Exercise]:
    return {ex.id: ex for ex in load_catalogue()}


def _known(value: str) -> str:
    eid = resolve_exercise(value)
    if eid is None:
        raise ValueError(unknown_exercise(value))
    return eid


ExerciseRef = Annotated[str, AfterValidator(_known)]
"""A rule parameter that names an exercise: any id, name or alias, stored as the id."""
