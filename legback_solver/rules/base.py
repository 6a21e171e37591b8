"""What every rule family module provides: parameter specs, an encoder, a checker.

A rule family module defines one or more :class:`Rule` objects. Each has

* ``params``: a pydantic model of its parameters (unknown keys fail at load time),
* ``encode(ctx, params)``: adds CP-SAT constraints (hard rules, through ``ctx.hard``)
  or objective terms (soft rules, through ``ctx.reward``); it never creates core
  variables, those live in :class:`legback_solver.cpsat.variables.Variables`,
* ``check(view, params)``: the same rule in plain Python over a finished plan,
  returning violations. No solver is involved,
* ``explaining``: what an explanation needs (its words in a conflict, how to drop one
  of its parts, how to measure and relax it), see :class:`Explaining`,
* ``reporting``: its slack rows and key figures for the report, see :class:`Reporting`.

explain/ and report.py walk the registry and read these hooks; they name no rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from ..cpsat.variables import Variables
    from ..data import ProblemData
    from ..models import Client
    from ..view import PlanView


NonNegInt = Annotated[int, Field(ge=0)]
NonNegFloat = Annotated[float, Field(ge=0)]


class Params(BaseModel):
    """Base of every rule's parameter model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Violation:
    rule: str
    what: str
    where: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.what}, {self.where}"


@dataclass
class EncodeContext:
    """What an encoder may touch: the model, the data, the variables, and two helpers.

    ``hard(ct, detail)`` makes ``ct`` part of the current rule. In explain mode it is
    enforced by a literal per (rule, detail) that the solver may assume or drop, so an
    infeasible client can be explained rule by rule.
    """

    model: cp_model.CpModel
    data: ProblemData
    v: Variables
    explain: bool = False
    rule_id: str = ""
    literals: dict[tuple[str, str], Any] = field(default_factory=dict)
    rewards: list[tuple[Any, int, str]] = field(default_factory=list)
    term_rules: dict[str, str] = field(default_factory=dict)  # objective term -> rule id

    def literal(self, detail: str = "") -> Any:
        key = (self.rule_id, detail)
        if key not in self.literals:
            name = f"{self.rule_id}:{detail}" if detail else self.rule_id
            self.literals[key] = self.model.new_bool_var(name)
        return self.literals[key]

    def hard(self, ct: Any, detail: str = "") -> Any:
        if self.explain:
            ct.only_enforce_if(self.literal(detail))
        return ct

    def fail(self, detail: str = "") -> None:
        """The current rule cannot hold (a fact of the data, e.g. an audited plan's
        labels): an always-false constraint, enforced like any other."""
        self.hard(self.model.add_bool_or([]), detail)

    def reward(self, expr: Any, weight: int, term: str = "") -> None:
        """Add ``weight * expr`` to the (maximised) objective under ``term``."""
        if weight:
            self.rewards.append((expr, int(weight), term or self.rule_id))
            self.term_rules.setdefault(term or self.rule_id, self.rule_id)


# --------------------------------------------------------------------------- explaining

Change = tuple[dict[str, Any], dict[str, Any]]  # (client `rules:` overrides, client fields)
BOUND = re.compile(r"^(\w+)(>=|<=)([\d.]+)$")  # a detail such as "quads>=4"


def bound_words(detail: str) -> str:
    """'quads>=4' -> 'quads >= 4'."""
    m = BOUND.match(detail)
    return f"{m.group(1)} {m.group(2)} {m.group(3)}" if m else detail


def ids(items: list[str], most: int = 4) -> str:
    """'a, b, c, d +2 more'."""
    shown = ", ".join(items[:most])
    return shown + (f" +{len(items) - most} more" if len(items) > most else "")


@dataclass
class Candidate:
    """A relaxation to verify: a change to the client, the part it relaxes, its words,
    and a hint for the verifying re-solve (week, 'day start', exercise id) -> (x, n)."""

    part: str
    words: str
    rules: dict[str, Any] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)
    hint: dict[tuple[int, str, str], tuple[int, int]] | None = None


class Measure(Protocol):
    """What a rule's ``relax`` hook may use: the explain-mode model with every rule of
    the client held but the conflict part(s) ``keys`` dropped (explain/relaxations.py)."""

    data: ProblemData
    v: Variables
    model: Any  # cp_model.CpModel
    ctx: EncodeContext
    params: Any  # the relaxed rule's parameters
    keys: list[tuple[str, str]]

    def solve(self, expr: Any = None, maximize: bool = False) -> Any:
        """(solver, optimised value or None), or None if still infeasible/unknown."""

    def var(self, ub: int, name: str) -> Any:
        """A fresh integer variable 0..UB for measuring."""

    def candidate(
        self,
        solver: Any,
        part: str,
        words: str,
        rules: dict[str, Any] | None = None,
        client: dict[str, Any] | None = None,
    ) -> Candidate:
        """A Candidate hinted with the solver's solution."""

    def unit_literals(self, units: list[str]) -> dict[str, Any]:
        """Unit -> its literal, for a rule whose conflict parts are client changes."""


@dataclass(frozen=True)
class Explaining:
    """What an explanation needs from a rule. Every hook is optional.

    * ``words(data, params, details)``: the conflict part in words (default: the rule id,
      its details and its flat parameters),
    * ``drop(data, params, detail)``: the (rules, client) change that removes exactly
      that part (default: switch the rule off),
    * ``relax(measure, detail)``: measured relaxations (default: switch it off),
    * ``drop_rank``: the conflict search tries to remove ranked rules first (smaller
      first), so they end up in a conflict only when they must,
    * ``short_rank``: ranked rules lead the short form, in this order (spacing rules),
    * ``slots``: the conflict depends on the client's slots, "times" or "minutes" too,
    * ``needs_volume(detail)``: the part is a weekly minimum: one more slot may help,
    * ``pin(data, params)``: `rules:` overrides that fix what the rule derives from the
      client and from other rules (alpha-first's pool), so that dropping another part
      (``isolate``) leaves this rule meaning what it meant in the conflict,
    * client-change units (availability): ``units(data)`` maps each client change
      ("needs ghd", an excluded id, "skill") to the exercises it frees; the encoder's
      per-exercise literal is (rule, exercise id). ``unit_group(unit)`` names its group,
      ``unit_parts(data, units)`` gives (details, words) parts, ``relax_units(measure,
      units)`` the fewest changes that make the rest hold.
    """

    words: Callable[[ProblemData, Any, list[str]], str] | None = None
    drop: Callable[[ProblemData, Any, str], Change | None] | None = None
    relax: Callable[[Measure, str], list[Candidate]] | None = None
    drop_rank: int | None = None
    short_rank: int | None = None
    slots: Literal["", "times", "minutes"] = ""
    needs_volume: Callable[[str], bool] | None = None
    units: Callable[[ProblemData], dict[str, list[int]]] | None = None
    unit_group: Callable[[str], str] | None = None
    unit_parts: Callable[[ProblemData, list[str]], list[tuple[list[str], str]]] | None = None
    relax_units: Callable[[Measure, list[str]], list[Candidate]] | None = None
    pin: Callable[[ProblemData, Any], dict[str, Any]] | None = None


def relax_max_count(m: Measure, rid: str, counts: list[Any], what: str) -> list[Candidate]:
    """Rules of the form count <= max: measure the smallest max the other rules need."""
    y = m.var(64, rid)
    for expr in counts:
        m.model.add(y >= expr)
    got = m.solve(y)
    if got is None:
        return []
    solver, need = got
    need = max(need, m.params.max + 1)
    return [m.candidate(solver, rid, f"allow {need} {what}", {rid: {"max": need}})]


# --------------------------------------------------------------------------- reporting


EPS = 1e-9


@dataclass
class Slack:
    """One measured quantity of a hard rule: used against its limit(s).

    ``slack`` is the distance to the nearest limit (for a range, to the nearer end);
    zero means the rule binds there."""

    rule: str
    where: str
    what: str
    used: float
    low: float | None  # lower limit (None: none)
    high: float | None  # upper limit (None: none)
    unit: str

    @property
    def slack(self) -> float:
        gaps = []
        if self.low is not None:
            gaps.append(self.used - self.low)
        if self.high is not None:
            gaps.append(self.high - self.used)
        return round(min(gaps), 6)

    @property
    def binding(self) -> bool:
        return abs(self.slack) <= EPS

    def limit_words(self) -> str:
        if self.low is not None and self.high is not None:
            return f"[{self.low:g}, {self.high:g}]"
        if self.high is not None:
            return f"<= {self.high:g}"
        return f">= {self.low:g}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "where": self.where,
            "what": self.what,
            "used": self.used,
            "min": self.low,
            "max": self.high,
            "unit": self.unit,
            "slack": self.slack,
            "binding": self.binding,
        }


@dataclass(frozen=True)
class Reporting:
    """What the report and the plan overview need from a rule. Every hook is optional.

    * ``slack(view, params)``: its measured quantities in a plan (see report.py),
    * ``holds(view)``: a rule with no quantity, listed as holding when this is true,
    * ``rank``: the order of slack rows and of holding rules in the report,
    * ``figure(params, client)``: its headline (label, value) in a plan's overview,
      ``figure_rank`` their order,
    * ``term_group``: the objective group of its reward terms (stimulus, bonus,
      preferences, penalty); ``split_negative``: report its negative rewards apart,
      as a penalty term of this name,
    * ``notes(view, params)``: sentences for the report, e.g. which rule keeps a known
      lift out of the plan,
    * ``small``: its reward terms are small next to the stimulus (preferences, coaching
      bonuses): a mesocycle's stopping gap could swallow them; the optional second
      stage (cpsat/stages.py, off by default) maximises them with the rest held.
    """

    slack: Callable[[PlanView, Any], list[Slack]] | None = None
    holds: Callable[[PlanView], bool] | None = None
    rank: int = 100
    figure: Callable[[Any, Client | None], tuple[str, str] | None] | None = None
    figure_rank: int = 100
    term_group: str = "bonus"
    split_negative: str = ""
    notes: Callable[[PlanView, Any], list[str]] | None = None
    small: bool = False


def always(*_: Any) -> bool:
    return True


def fresh_sessions(view: PlanView) -> list[Any]:
    """The sessions of VIEW that are not history (re-planning keeps those as done)."""
    return [sv for sv in view.sessions if not view.is_history(sv)]


# --------------------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Rule:
    id: str
    kind: Literal["hard", "soft"]
    params: type[Params]
    encode: Callable[[EncodeContext, Any], None]
    check: Callable[[PlanView, Any], list[Violation]] | None = None
    weekly: bool = True  # False: a mesocycle rule
    explaining: Explaining = Explaining()
    reporting: Reporting = Reporting()


def pairs(items: list[Any]) -> Iterator[tuple[Any, Any]]:
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            yield a, b
