"""The exercise catalogue shipped with the package (`data/exercises.toml`)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from pydantic import ValidationError

from .errors import from_validation
from .models import Exercise


@cache
def load_catalogue() -> tuple[Exercise, ...]:
    """Every catalogue exercise, in file order."""
    text = resources.files("legback_solver").joinpath("data/exercises.toml").read_text("utf-8")
    rows = tomllib.loads(text)["exercise"]
    out = []
    for i, row in enumerate(rows):
        try:
            out.append(Exercise.model_validate(row))
        except ValidationError as e:
            raise from_validation("exercises.toml", e, prefix=f"exercise[{i}].") from None
    return tuple(out)


@cache
def catalogue_by_id() -> dict[str, Exercise]:
    return {ex.id: ex for ex in load_catalogue()}
