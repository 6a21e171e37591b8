"""What every rule family module provides: parameter specs, an encoder, a checker.

A rule family module defines one or more :class:`Rule` objects. Each has

* ``params``: a pydantic model of its parameters (unknown keys fail at load time),
* ``encode(ctx, params)``: adds CP-SAT constraints (hard rules, through ``ctx.hard``)
  or objective terms (soft rules, through ``ctx.reward``); it never creates core
  variables, those live in :class:`legback_solver.cpsat.variables.Variables`,
* ``check(view, params)``: the same rule in plain Python over a finished plan,
  returning violations. No solver is involved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from ..cpsat.variables import Variables
    from ..data import ProblemData
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

    def reward(self, expr: Any, weight: int, term: str = "") -> None:
        """Add ``weight * expr`` to the (maximised) objective under ``term``."""
        if weight:
            self.rewards.append((expr, int(weight), term or self.rule_id))


@dataclass(frozen=True)
class Rule:
    id: str
    kind: Literal["hard", "soft"]
    params: type[Params]
    encode: Callable[[EncodeContext, Any], None]
    check: Callable[[PlanView, Any], list[Violation]] | None = None
    weekly: bool = True  # False: a mesocycle rule


def pairs(items: list[Any]) -> Iterator[tuple[Any, Any]]:
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            yield a, b
