"""The exercise catalogue shipped with the package (`data/exercises.toml`).

Coaches name exercises their own way ("deadlift", "RDL", "chin-up"): every exercise has
``aliases``, and :func:`resolve_exercise` maps an id, a name or an alias to the canonical
id, ignoring case, spaces, hyphens, underscores and punctuation.
"""

from __future__ import annotations

import re
import tomllib
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationError

from .errors import InputError, from_validation, shorten
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


# --------------------------------------------------------------------------- names


def normalise_name(text: str) -> str:
    """The matching key of a name: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def exercise_names(ex: Exercise) -> list[str]:
    """Everything that names EX: its id, its name (with and without the part in
    parentheses) and its aliases."""
    bare = re.sub(r"\(.*?\)", "", ex.name)
    return [ex.id, ex.name, bare, *ex.aliases]


@cache
def name_index() -> dict[str, str]:
    """Matching key -> canonical id over ids, names and aliases; a key that would
    name two exercises is a catalogue error."""
    index: dict[str, str] = {}
    for ex in load_catalogue():
        for text in exercise_names(ex):
            key = normalise_name(text)
            if index.setdefault(key, ex.id) != ex.id:
                raise InputError(
                    "exercises.toml",
                    [f"{ex.id}: {text!r} also names {index[key]} (make the alias unique)"],
                )
    return index


def resolve_exercise(name: Any) -> str | None:
    """The canonical id NAME stands for (an id, a name or an alias), else None."""
    if not isinstance(name, str):
        return None
    return name_index().get(normalise_name(name))


def suggest_exercises(name: str, n: int = 3) -> list[str]:
    """Up to N canonical ids whose id, name or aliases are most like NAME, best first."""
    key = normalise_name(name)
    if not key:
        return []
    best: dict[str, float] = {}
    for text_key, eid in name_index().items():
        score = SequenceMatcher(None, key, text_key).ratio()
        if len(key) >= 3 and key in text_key:
            score = max(score, 0.6 + 0.3 * len(key) / len(text_key))
        best[eid] = max(best.get(eid, 0.0), score)
    ranked = sorted((s, eid) for eid, s in best.items() if s >= 0.6)
    ranked.sort(key=lambda t: (-t[0], t[1]))
    return [eid for _, eid in ranked[:n]]


def unknown_exercise(name: Any) -> str:
    """'X' is not a catalogue exercise, with the closest ids as the fix."""
    close = suggest_exercises(name) if isinstance(name, str) else []
    hint = (
        f" (did you mean {' or '.join(repr(c) for c in close)}? `legback exercises` lists all)"
        if close
        else " (see `legback exercises` for ids, names and aliases)"
    )
    return f"{shorten(name)} is not a catalogue exercise{hint}"


def canonical(value: Any) -> Any:
    """VALUE with every exercise name replaced by its canonical id: a name, a list of
    names or a mapping keyed by names. Unknown names are kept (checked later, with
    suggestions); two keys naming one exercise raise ValueError."""
    if isinstance(value, str):
        return resolve_exercise(value) or value
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            item = canonical(item)
            if item not in out:
                out.append(item)
        return out
    if isinstance(value, dict):
        mapped: dict[Any, Any] = {}
        given: dict[Any, Any] = {}
        for key, item in value.items():
            eid = canonical(key) if isinstance(key, str) else key
            if eid in mapped:
                raise ValueError(f"{given[eid]!r} and {key!r} both name {eid} (keep one)")
            mapped[eid], given[eid] = item, key
        return mapped
    return value


def _known(value: str) -> str:
    eid = resolve_exercise(value)
    if eid is None:
        raise ValueError(unknown_exercise(value))
    return eid


ExerciseRef = Annotated[str, AfterValidator(_known)]
"""A rule parameter that names an exercise: any id, name or alias, stored as the id."""
