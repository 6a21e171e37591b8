"""Input errors: one short paragraph that names the field, the value given and the fix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from typing import Any

from pydantic import ValidationError

MAX_SHOWN = 60  # characters of a value shown in an error message
MAX_PROBLEM = 400  # characters of one problem sentence
MAX_PROBLEMS = 12


def shorten(value: Any, limit: int = MAX_SHOWN, quote: bool = True) -> str:
    """VALUE as it is shown in a message: repr (or text), control characters escaped,
    cut to LIMIT characters with the full length said."""
    text = repr(value) if quote else str(value)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


class InputError(Exception):
    """Bad input (client file, plan file, rulebook, roster row). The CLI exits with 2."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = shorten(source, 200, quote=False)
        if len(problems) > MAX_PROBLEMS:
            problems = [*problems[:MAX_PROBLEMS], f"and {len(problems) - MAX_PROBLEMS} more"]
        self.problems = [shorten(p, MAX_PROBLEM, quote=False) for p in problems]
        super().__init__(self.paragraph())

    def paragraph(self) -> str:
        head = f"{self.source}: " if self.source else ""
        return head + " ".join(p if p.endswith(".") else p + "." for p in self.problems)


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# pydantic error type -> what the value is not, and the fix
_KINDS = {
    "int_parsing": "is not a whole number (give e.g. 60)",
    "int_type": "is not a whole number (give e.g. 60)",
    "int_from_float": "is not a whole number (drop the fraction)",
    "float_parsing": "is not a number (give e.g. 140 or 142.5)",
    "float_type": "is not a number (give e.g. 140 or 142.5)",
    "bool_parsing": "is not yes or no (use true or false)",
    "bool_type": "is not yes or no (use true or false)",
    "string_type": "is not text (quote it)",
    "list_type": "is not a list (use [a, b] or one item per line)",
    "tuple_type": "is not a list (use [a, b] or one item per line)",
    "dict_type": "is not a mapping (use {key: value} or one key: value per line)",
    "model_type": "is not a mapping of fields (use {field: value})",
    "model_attributes_type": "is not a mapping of fields (use {field: value})",
    "string_too_short": "must not be empty (write something)",
    "too_short": "must not be empty (give at least one entry)",
}


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def describe(e: Mapping[str, Any]) -> str:
    """What is wrong with one pydantic error's value, starting with that value."""
    kind = e["type"]
    given = e.get("input")
    msg = e["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    low = msg[0].lower() + msg[1:] if msg else msg
    shown = shorten(given)
    if kind == "missing":
        return "is required but missing (add it)"
    if kind in ("literal_error", "enum"):
        return f"{shown} is not allowed: {low}"
    if kind.startswith(("greater_than", "less_than")):
        return f"{shown} is out of range: {low}"
    if kind in _KINDS:
        if kind in ("too_short", "string_too_short") and not given:
            return _KINDS[kind]
        return f"{shown} {_KINDS[kind]}"
    if kind.endswith(("_parsing", "_type")):
        return f"{shown} is not valid: {low}"
    if _scalar(given) and repr(given) not in msg and str(given) not in msg:
        return (
            f"{shown} {low}" if low.startswith(("is ", "must ", "should ")) else f"{shown}: {low}"
        )
    return msg


def from_validation(
    source: str, err: ValidationError, prefix: str = "", fields: Iterable[str] = ()
) -> InputError:
    """Turn a pydantic ValidationError into an InputError naming each field, the value
    given and the fix. FIELDS, the model's field names, let an unknown top-level field
    suggest the closest known one."""
    fields = list(fields)
    problems = []
    for e in err.errors(include_url=False):
        raw = tuple(x for x in e["loc"] if x not in ("function-after", "function-before"))
        loc = _loc(raw)
        loc = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "file"
        if e["type"] == "extra_forbidden":
            close = get_close_matches(str(raw[-1]), fields, n=1) if len(raw) == 1 else []
            fix = f"did you mean {close[0]!r}?" if close else "remove it or check its spelling"
            msg = f"is not a known field ({fix})"
        else:
            msg = describe(e)
        problems.append(f"{loc}: {msg}")
    return InputError(source, problems)
