"""Domain models (pydantic v2): client, slot, exercise, plan.

The rulebook model lives in :mod:`legback_solver.rulebook`, next to its loader.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MUSCLES: tuple[str, ...] = (
    "quads",
    "hamstrings",
    "glutes",
    "adductors",
    "calves",
    "lats",
    "upper_back",
    "traps",
    "rear_delts",
    "erectors",
    "core",
)
LEG_MUSCLES = frozenset({"quads", "hamstrings", "glutes", "adductors", "calves"})
BACK_MUSCLES = frozenset({"lats", "upper_back", "traps", "rear_delts", "erectors"})
EQUIPMENT: tuple[str, ...] = (
    "barbell",
    "dumbbell",
    "kettlebell",
    "cable",
    "machine",
    "pullup_bar",
    "bench",
    "trap_bar",
    "ghd",
    "reverse_hyper",
    "band",
    "straps",
)
TIERS: tuple[str, ...] = ("primary", "secondary", "accessory", "isolation")
EXPERIENCE: tuple[str, ...] = ("beginner", "intermediate", "advanced")
GOALS: tuple[str, ...] = ("strength", "hypertrophy", "endurance", "general")

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Experience = Literal["beginner", "intermediate", "advanced"]
Goal = Literal["strength", "hypertrophy", "endurance", "general"]
BackStatus = Literal["healthy", "sensitive", "injured"]
Priority = Literal["legs", "back", "balanced"]
Tier = Literal["primary", "secondary", "accessory", "isolation"]
Focus = Literal["legs", "back", "combined"]

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_REPS = re.compile(r"^(\d+)-(\d+)$")


def parse_time(text: str) -> int:
    """Minutes after midnight of an 'HH:MM' string; ValueError if it is not a time of day."""
    m = _TIME.match(text.strip()) if isinstance(text, str) else None
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(f"{text!r} is not a time of day (use HH:MM, 00:00 to 23:59)")
    return int(m.group(1)) * 60 + int(m.group(2))


def parse_reps(text: str) -> tuple[int, int]:
    m = _REPS.match(text)
    if not m or int(m.group(1)) > int(m.group(2)) or int(m.group(1)) < 1:
        raise ValueError(f"{text!r} is not a rep range (use LO-HI, e.g. 6-10)")
    return int(m.group(1)), int(m.group(2))


class Slot(BaseModel):
    """A time the client can train: a weekday, a start time and a number of minutes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: Day
    start: str
    minutes: int = Field(ge=15, le=300)

    @field_validator("day", mode="before")
    @classmethod
    def _day(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = v.strip().lower()[:3]
            if v not in DAYS:
                raise ValueError("is not a weekday (use mon, tue, wed, thu, fri, sat or sun)")
        return v

    @field_validator("start")
    @classmethod
    def _start(cls, v: str) -> str:
        minutes = parse_time(v)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    @property
    def hour_of_week(self) -> float:
        """Hours from Monday 00:00 to this slot's start."""
        return DAYS.index(self.day) * 24 + parse_time(self.start) / 60

    @property
    def day_index(self) -> int:
        return DAYS.index(self.day)


class RecentSet(BaseModel):
    """A recent hard set: LOAD_KG for REPS, taken close to failure (estimates a 1RM)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kg: float = Field(gt=0, lt=600)
    reps: int = Field(ge=1, le=20)


class Client(BaseModel):
    """One client, as read from a YAML, JSON or TOML client file (SPEC §5)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    experience: Experience = "intermediate"
    goal: Goal = "hypertrophy"
    back_status: BackStatus = "healthy"
    priority: Priority = "balanced"
    equipment: list[str] = Field(default_factory=list)
    availability: list[Slot] = Field(min_length=1)
    one_rep_max_kg: dict[str, float] = Field(default_factory=dict)
    recent_sets: dict[str, RecentSet] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    prefer: list[str] = Field(default_factory=list)
    avoid: list[str] = Field(default_factory=list)
    rulebook: str = "default"
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("equipment")
    @classmethod
    def _equipment(cls, v: list[str]) -> list[str]:
        for item in v:
            if item not in EQUIPMENT:
                raise ValueError(
                    f"{item!r} is not known equipment (use any of {', '.join(EQUIPMENT)})"
                )
        return sorted(set(v), key=EQUIPMENT.index)

    @field_validator("one_rep_max_kg")
    @classmethod
    def _maxes(cls, v: dict[str, float]) -> dict[str, float]:
        for key, kg in v.items():
            if not 0 < kg < 600:
                raise ValueError(f"{key}: {kg} kg is not a plausible 1RM (give kilograms, 1-600)")
        return v

    @model_validator(mode="after")
    def _slots(self) -> Client:
        seen = set()
        for slot in self.availability:
            key = (slot.day, slot.start)
            if key in seen:
                raise ValueError(f"availability lists {slot.day} {slot.start} twice (keep one)")
            seen.add(key)
        return self

    def slots(self) -> list[Slot]:
        """Availability in week order (Monday first, then by start time)."""
        return sorted(self.availability, key=lambda s: s.hour_of_week)


class Exercise(BaseModel):
    """One catalogue exercise with every attribute the rules read (SPEC §4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    pattern: Literal[
        "hinge",
        "squat",
        "lunge",
        "vertical_pull",
        "horizontal_pull",
        "carry",
        "knee_extension",
        "knee_flexion",
        "hip_extension",
        "core",
        "conditioning",
    ]
    region: Literal["legs", "back", "both", "core"]
    tier: Tier
    primary: tuple[str, ...]
    secondary: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    spinal_units: int = Field(ge=0, le=10)
    back_loading: bool
    grip_demand: int = Field(ge=0, le=4)
    grip_limited: bool
    strappable: bool
    max_effort: bool
    alpha_side: Literal["legs", "back", ""] = ""
    heavy_hinge: bool
    unsupported_row: bool
    spine_friendly: bool
    back_friendly: bool
    skill: Experience
    reps: dict[Goal, str]
    rest_seconds: dict[Goal, int]
    seconds_per_rep: int = Field(ge=1, le=10)
    # Coaching model (SPEC §3a): technical and nervous-system demand (orders a session:
    # 8-10 max-effort lifts, 4-7 other compounds, 2-3 accessories, 1 isolation, 0 drills),
    # the movement job (two exercises doing one job at one tier are redundant), alpha
    # eligibility, and for drills where they go and how they are dosed.
    demand: int = Field(5, ge=0, le=10)
    job: str = ""
    alpha: bool = False
    drill: Literal["", "warm_up", "cool_down"] = ""
    dose: Literal["reps", "seconds"] = "reps"
    source: tuple[str, ...] = ()
    note: str = ""

    @field_validator("primary", "secondary")
    @classmethod
    def _muscles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for m in v:
            if m not in MUSCLES:
                raise ValueError(f"{m!r} is not a muscle (use {', '.join(MUSCLES)})")
        return v

    @model_validator(mode="after")
    def _some_muscle(self) -> Exercise:
        if not self.primary and not self.secondary:
            raise ValueError(f"{self.id}: name at least one primary or secondary muscle")
        return self

    @field_validator("reps")
    @classmethod
    def _reps(cls, v: dict[str, str]) -> dict[str, str]:
        for text in v.values():
            parse_reps(text)
        return v

    @property
    def counts_legs(self) -> bool:
        return self.region in ("legs", "both")

    @property
    def counts_back(self) -> bool:
        return self.region in ("back", "both")

    @property
    def compound(self) -> bool:
        return self.tier in ("primary", "secondary")

    @property
    def is_drill(self) -> bool:
        """A stability drill or hang: a dose, no RIR, no hard sets (SPEC §3a drills)."""
        return self.drill != ""

    @property
    def tier_rank(self) -> int:
        return TIERS.index(self.tier)

    def order_key(self, by_tier: bool = True) -> tuple[int, int, str]:
        """Fixed order inside a session: tier first (compound-first), then grip-limited
        lifts while the grip is fresh, then by id so the order is total."""
        return (self.tier_rank if by_tier else 0, 0 if self.grip_limited else 1, self.id)


# --------------------------------------------------------------------------- plan


class PlanExercise(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order: int = Field(ge=1)
    exercise: str
    sets: int = Field(ge=0)
    reps: str
    rir: int | None = Field(None, ge=0, le=10)  # None: a drill (a dose, no RIR)
    load_kg: float | None = None
    straps: bool = False


class Session(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: Day
    start: str
    minutes: int = Field(ge=1, le=600)
    focus: Focus
    date: str | None = None
    exercises: list[PlanExercise]

    @field_validator("start")
    @classmethod
    def _start(cls, v: str) -> str:
        minutes = parse_time(v)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    @property
    def hour_of_week(self) -> float:
        return DAYS.index(self.day) * 24 + parse_time(self.start) / 60


class Week(BaseModel):
    model_config = ConfigDict(extra="forbid")

    week: int = Field(ge=1)
    phase: Literal["accumulation", "intensification", "deload"] = "accumulation"
    block: int | None = None
    rir: int | None = None
    sessions: list[Session]


class Replan(BaseModel):
    """Where a re-planned plan starts: sessions up to (week, day) were already done."""

    model_config = ConfigDict(extra="forbid")

    week: int = Field(ge=1)
    day: Day = "sun"


class RulebookRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    rules: dict[str, dict[str, Any]]


PLAN_SCHEMA = "legback.plan/1"


class Plan(BaseModel):
    """A solved (or hand-written) plan, schema `legback.plan/1` (SPEC §6)."""

    model_config = ConfigDict(extra="forbid")

    schema_: str = Field(PLAN_SCHEMA, alias="schema")
    client: str
    client_profile: Client | None = None
    rulebook: RulebookRef
    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    objective: int | None = None
    bound: int | None = None
    gap: float | None = None  # (bound - objective) / bound when not proven optimal
    seed: int = 0
    solve_seconds: float = 0.0
    build_seconds: float = 0.0
    start_date: str | None = None
    done_through: Replan | None = None
    weeks: list[Week] = Field(default_factory=list)
    explanation: list[str] = Field(default_factory=list)
    report: dict[str, Any] = Field(default_factory=dict)

    @field_validator("schema_")
    @classmethod
    def _schema(cls, v: str) -> str:
        if v != PLAN_SCHEMA:
            raise ValueError(f"{v!r} is not a legback plan schema (expected {PLAN_SCHEMA!r})")
        return v

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2, exclude_none=False) + "\n"

    def to_frame(self) -> Any:
        """One row per prescribed exercise, a pandas DataFrame (see :mod:`.frame`)."""
        from .frame import plan_to_frame

        return plan_to_frame(self)

    @classmethod
    def from_frame(cls, df: Any, base: Plan | Client | dict[str, Any] | None = None) -> Plan:
        """The plan a frame describes; BASE (a plan, a client or plan metadata) gives
        what the rows do not, else ``df.attrs["legback"]`` (see :mod:`.frame`)."""
        from .frame import plan_from_frame

        return plan_from_frame(df, base)
