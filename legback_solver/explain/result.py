"""What an explanation returns: the conflicting parts, the verified relaxations, and
the change a relaxation makes to the client."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..models import Client
from ..rules import REGISTRY
from ..util import deep_merge

if TYPE_CHECKING:
    import pandas as pd

Key = tuple[str, str]  # (rule id, detail): a part of a conflict
Group = tuple[str, str]  # (rule id, group label)


def _short_first() -> list[str]:
    """Rules whose words lead the short form (spacing rules), in their order."""
    ranked = [(r.explaining.short_rank, rid) for rid, r in REGISTRY.items()]
    return [rid for rank, rid in sorted((k, r) for k, r in ranked if k is not None)]


@dataclass
class ConflictPart:
    """One named part of a conflict: a rule's detail(s) or a client fact."""

    rule: str
    details: list[str]
    words: str
    statement: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "details": list(self.details),
            "words": self.words,
            "statement": self.statement,
        }


@dataclass
class Relaxation:
    """A change verified by re-solving to make the client feasible.

    ``rules`` is merged into the client's `rules:` overrides; ``client`` replaces whole
    client fields (e.g. the full new availability list)."""

    part: str  # the rule (or "slots") it relaxes
    words: str
    rules: dict[str, Any] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)
    status: str = ""  # status of the verifying re-solve
    seconds: float = 0.0  # its time

    def apply(self, client: Client) -> Client:
        """CLIENT with this relaxation applied (a new, validated Client)."""
        return apply_change(client, self.rules, self.client)

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "words": self.words,
            "rules": self.rules,
            "client": self.client,
            "status": self.status,
            "seconds": round(self.seconds, 4),
        }


@dataclass
class Explanation:
    """Why a client has no plan: conflicting parts, client facts, verified relaxations.

    ``status``: "infeasible" (explained), "unknown" (nothing proven in time) or
    "feasible" (nothing to explain). ``minimal`` is False when a step ran out of time
    and a part was kept without proof that it is needed."""

    client: str
    status: str
    weeks: int  # weeks of the model the conflict was found on
    requested_weeks: int
    keys: list[Key] = field(default_factory=list)
    parts: list[ConflictPart] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)
    minimal: bool = True
    seconds: float = 0.0
    solves: int = 0  # conflict-engine solves (finding, screening, measuring)
    resolves: int = 0  # the verifying re-solves of relaxations

    @property
    def rules(self) -> list[str]:
        """The conflicting rule ids (availability stands for the gym and exclusions)."""
        return sorted({rid for rid, _ in self.keys})

    @property
    def short(self) -> str:
        if self.status == "feasible":
            return "Nothing to explain: the client has a plan."
        if not self.keys:
            return "The solver could not prove which rules conflict within the time limit."
        lead = _short_first()
        spacing = [p.words for r in lead for p in self.parts if p.rule == r]
        rest = [p.words for p in self.parts if p.rule not in lead]
        scope = " even in a single week" if self.weeks < self.requested_weeks else ""
        return " + ".join(spacing + self.facts + rest) + f" cannot all hold{scope}."

    def lines(self) -> list[str]:
        """The plain-words explanation; the first line is the short form."""
        out = [self.short]
        if not self.keys:
            return out
        out.append("Conflicting rules and facts:")
        for p in self.parts:
            name = p.words if p.words.startswith(p.rule) else f"{p.rule}: {p.words}"
            out.append(f"  - {name}. {p.statement}" if p.statement else f"  - {name}")
        out += [f"  - {f} (client)" for f in self.facts]
        if self.relaxations:
            out.append("Verified relaxations (each one alone makes the client feasible):")
            out += [f"  - {r.words}  [{change_words(r.rules, r.client)}]" for r in self.relaxations]
        else:
            out.append("No relaxation tried alone made the client feasible.")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "status": self.status,
            "weeks": self.weeks,
            "requested_weeks": self.requested_weeks,
            "short": self.short,
            "conflict": [{"rule": r, "detail": d} for r, d in self.keys],
            "parts": [p.to_dict() for p in self.parts],
            "facts": list(self.facts),
            "relaxations": [r.to_dict() for r in self.relaxations],
            "minimal": self.minimal,
            "seconds": round(self.seconds, 4),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per conflicting (rule, detail), then one per verified relaxation."""
        import pandas as pd

        words = {(p.rule, d): p.words for p in self.parts for d in p.details or [""]}
        rows: list[dict[str, Any]] = [
            {
                "kind": "conflict",
                "rule": rid,
                "detail": detail,
                "words": words.get((rid, detail), rid),
                "rules": None,
                "client": None,
            }
            for rid, detail in self.keys
        ]
        rows += [
            {
                "kind": "relaxation",
                "rule": r.part,
                "detail": "",
                "words": r.words,
                "rules": r.rules,
                "client": r.client,
            }
            for r in self.relaxations
        ]
        return pd.DataFrame(rows, columns=["kind", "rule", "detail", "words", "rules", "client"])


def change_words(rules: dict[str, Any], client: dict[str, Any]) -> str:
    """The change as it goes into the client file: `rules:` overrides, changed fields."""
    bits = [f"rules: {json.dumps(rules)}"] if rules else []
    bits += [f"client field {k}" for k in client]
    return "; ".join(bits)


def apply_change(client: Client, rules: dict[str, Any], changes: dict[str, Any]) -> Client:
    """CLIENT with RULES merged into its `rules:` and CHANGES replacing fields."""
    raw = client.model_dump(mode="json")
    raw.update(changes)
    raw["rules"] = deep_merge(raw.get("rules") or {}, rules)
    return Client.model_validate(raw)
