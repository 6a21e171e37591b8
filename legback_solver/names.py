"""Exercise names: ids, names and the aliases coaches type ("deadlift", "RDL",
"chin-up"), resolved to canonical ids. Read straight from the catalogue file, so the
domain models can resolve names without the catalogue's models (no import cycle)."""

from __future__ import annotations

import re
import tomllib
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any

from .errors import InputError, shorten


@cache
def catalogue_rows() -> tuple[dict[str, Any], ...]:
    """The catalogue file's exercise tables, as parsed (validated by catalogue.py)."""
    text = resources.files("legback_solver").joinpath("data/exercises.toml").read_text("utf-8")
    return tuple(tomllib.loads(text)["exercise"])


def normalise_name(text: str) -> str:
    """The matching key of a name: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def exercise_names(ex: Any) -> list[str]:
    """Everything that names EX (an Exercise or a catalogue row): its id, its name (with
    and without the part in parentheses) and its aliases."""
    get = ex.get if isinstance(ex, dict) else lambda k, d=None: getattr(ex, k, d)
    bare = re.sub(r"\(.*?\)", "", str(get("name")))
    return [get("id"), get("name"), bare, *get("aliases", ())]


@cache
def name_index() -> dict[str, str]:
    """Matching key -> canonical id over ids, names and aliases; a key that would
    name two exercises is a catalogue error."""
    index: dict[str, str] = {}
    for row in catalogue_rows():
        eid = row["id"]
        for text in exercise_names(row):
            key = normalise_name(text)
            if index.setdefault(key, eid) != eid:
                raise InputError(
                    "exercises.toml",
                    [f"{eid}: {text!r} also names {index[key]} (make the alias unique)"],
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
