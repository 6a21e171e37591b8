"""Rulebooks: TOML data in `constraints/`, typed by each rule's parameter model.

A rulebook names rules by id. Each rule entry may set ``kind`` (hard, soft or off),
``statement``, ``source`` and any of the rule's parameters; whatever it leaves out
falls back to the rule's defaults, so an empty rulebook is the default rulebook.
Client files override parameters under ``rules:`` the same way.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import InputError, describe, shorten
from .rules import REGISTRY
from .util import deep_merge

META_KEYS = ("kind", "statement", "source")


class RuleSetting(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    kind: Literal["hard", "soft", "off"]
    statement: str = ""
    source: tuple[str, ...] = ()
    params: Any  # the rule's Params instance

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.params.model_dump(mode="json")}


class Rulebook(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    description: str = ""
    rules: dict[str, RuleSetting]

    def params(self, rule_id: str) -> Any:
        return self.rules[rule_id].params

    def active(self, rule_id: str) -> bool:
        return self.rules[rule_id].kind != "off"

    def effective(self) -> dict[str, dict[str, Any]]:
        """Every effective parameter, as written into a plan (SPEC §6)."""
        return {rid: s.as_dict() for rid, s in self.rules.items()}

    def with_overrides(self, overrides: dict[str, Any], source: str = "rules") -> Rulebook:
        """A copy with client overrides (``{rule-id: {param: value}}``) merged in."""
        raw = {
            rid: s.as_dict() | {"statement": s.statement, "source": list(s.source)}
            for rid, s in self.rules.items()
        }
        _merge_entries(raw, overrides, source)
        return _build(self.name, self.description, raw, source)


def constraints_dir() -> Path:
    """Where the rulebooks live: inside the wheel, or the repository's constraints/."""
    shipped = resources.files("legback_solver").joinpath("constraints")
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "constraints"


def rulebook_names() -> list[str]:
    return sorted(p.stem for p in constraints_dir().glob("*.toml"))


def _merge_entries(raw: dict[str, dict[str, Any]], entries: dict[str, Any], source: str) -> None:
    if not isinstance(entries, dict):
        raise InputError(source, ["must map rule ids to tables of parameters"])
    for rid, entry in entries.items():
        if rid not in REGISTRY:
            raise InputError(
                source,
                [f"{rid!r} is not a rule id (use one of: {', '.join(sorted(REGISTRY))})"],
            )
        if not isinstance(entry, dict):
            raise InputError(source, [f"{rid}: give a table of parameters, e.g. {{hours: 72}}"])
        raw[rid] = deep_merge(raw.get(rid, {}), entry)


def _build(name: str, description: str, raw: dict[str, dict[str, Any]], source: str) -> Rulebook:
    settings: dict[str, RuleSetting] = {}
    for rid, rule in REGISTRY.items():
        entry = dict(raw.get(rid, {}))
        meta = {k: entry.pop(k) for k in META_KEYS if k in entry}
        kind = meta.get("kind", rule.kind)
        if kind not in ("hard", "soft", "off") or (kind != "off" and kind != rule.kind):
            raise InputError(
                source, [f"{rid}.kind: {kind!r} is not allowed (use {rule.kind!r} or 'off')"]
            )
        try:
            params = rule.params.model_validate(entry)
        except ValidationError as e:
            problems = []
            known = ", ".join(rule.params.model_fields) or "none"
            for err in e.errors(include_url=False):
                loc = ".".join(str(p) for p in err["loc"])
                if err["type"] == "extra_forbidden":
                    problems.append(
                        f"{rid}.{loc}: is not a parameter of {rid} (its parameters: {known})"
                    )
                else:
                    problems.append(f"{rid}.{loc}: {describe(err)}")
            raise InputError(source, problems) from None
        source_list = meta.get("source", ())
        items = source_list if isinstance(source_list, list | tuple) else [source_list]
        if not all(isinstance(x, str) for x in items):
            raise InputError(source, [f"{rid}.source: give a seed file name or a list of them"])
        settings[rid] = RuleSetting(
            id=rid,
            kind=kind,
            statement=str(meta.get("statement", "")),
            source=tuple(source_list) if isinstance(source_list, list | tuple) else (source_list,),
            params=params,
        )
    return Rulebook(name=name, description=description, rules=settings)


@cache
def _default_entries() -> dict[str, dict[str, Any]]:
    """The default rulebook's raw entries: every other rulebook is layered over them."""
    path = constraints_dir() / "default.toml"
    return tomllib.loads(path.read_text("utf-8")).get("rules", {}) if path.is_file() else {}


def parse_rulebook(data: dict[str, Any], source: str, default_name: str = "custom") -> Rulebook:
    """A rulebook from its TOML mapping, layered over the default rulebook."""
    data = dict(data)
    name = str(data.pop("name", default_name))
    description = str(data.pop("description", ""))
    rules = data.pop("rules", {})
    if data:
        raise InputError(
            source, [f"{', '.join(data)}: not a rulebook field (use name, description, rules)"]
        )
    raw = {rid: dict(entry) for rid, entry in _default_entries().items()}
    _merge_entries(raw, rules, source)
    return _build(name, description, raw, source)


@cache
def load_rulebook(name: str = "default") -> Rulebook:
    """A rulebook by name (``default``, ``bad-back``, ...) or by path to a TOML file
    (a regular file of at most 1 MB)."""
    from .io.safe import read_text

    if not isinstance(name, str) or not name.strip() or "\x00" in name or len(name) > 4096:
        raise InputError(
            "rulebook",
            [f"{shorten(name)} is not a rulebook (use one of: {', '.join(rulebook_names())})"],
        )
    path = Path(name)
    if path.suffix != ".toml":
        path = constraints_dir() / f"{name}.toml"
        if "/" in name or "\\" in name or not path.is_file():
            raise InputError(
                "rulebook",
                [
                    f"{shorten(name)} is not a rulebook (use one of: "
                    f"{', '.join(rulebook_names())}, or a path to a .toml file)"
                ],
            )
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(
            str(path), [f"is not valid TOML ({shorten(e, 160, quote=False)}); fix the syntax"]
        ) from None
    except (RecursionError, ValueError):
        raise InputError(
            str(path), ["is not a usable TOML rulebook (too deep or too large)"]
        ) from None
    return parse_rulebook(data, str(path), default_name=path.stem)


def rulebook_from_plan(name: str, rules: dict[str, dict[str, Any]]) -> Rulebook:
    """Rebuild the rulebook a plan was made under from its `rulebook.rules`."""
    return parse_rulebook({"name": name, "rules": rules}, "plan.rulebook")
