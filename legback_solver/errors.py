"""Input errors: one short paragraph that names the field and the fix."""

from __future__ import annotations

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


def from_validation(source: str, err: ValidationError, prefix: str = "") -> InputError:
    """Turn a pydantic ValidationError into an InputError naming each field."""
    problems = []
    for e in err.errors(include_url=False):
        loc = _loc(tuple(x for x in e["loc"] if x not in ("function-after", "function-before")))
        loc = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "file"
        msg = e["msg"].removeprefix("Value error, ")
        kind = e["type"]
        given = shorten(e.get("input"))
        if kind == "missing":
            msg = "is required but missing (add it)"
        elif kind == "extra_forbidden":
            msg = "is not a known field (remove it or check its spelling)"
        elif kind in ("literal_error", "enum"):
            msg = f"{given} is not allowed: {msg[0].lower() + msg[1:]}"
        elif kind.startswith(("greater_than", "less_than")):
            msg = f"{given} is out of range: {msg[0].lower() + msg[1:]}"
        elif kind == "too_short":
            msg = "must not be empty (give at least one entry)"
        problems.append(f"{loc}: {msg}")
    return InputError(source, problems)
