"""Domain models (pydantic v2): client, slot, exercise, plan.

The rulebook model lives in :mod:`legback_solver.rulebook`, next to its loader.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .errors import shorten
from .names import canonical

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
MAX_SETS = 6  # sets of one exercise in one session, at most

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Experience = Literal["beginner", "intermediate", "advanced"]
Goal = Literal["strength", "hypertrophy", "endurance", "general"]
BackStatus = Literal["healthy", "sensitive", "injured"]
Priority = Literal["legs", "back", "balanced"]
Tier = Literal["primary", "secondary", "accessory", "isolation"]
Focus = Literal["legs", "back", "combined"]
Unit = Literal["kg", "lb"]
LB_KG = 0.45359237  # kilograms in one pound (exact, by definition)

DAY_NAMES: dict[str, str] = {d: d for d in DAYS} | {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
MAX_WEEKS = 52


def parse_day(text: Any) -> str:
    """'mon' for 'mon', 'Mon' or 'Monday'; ValueError for anything else ('mongoose')."""
    day = DAY_NAMES.get(text.strip().lower()) if isinstance(text, str) else None
    if day is None:
        raise ValueError(
            f"{shorten(text)} is not a weekday (use mon, tue, wed, thu, fri, sat or sun)"
        )
    return day


def _number(v: Any) -> Any:
    """A number is a number: true/false are not 1/0, and NaN or infinity is no amount."""
    if isinstance(v, bool):
        raise ValueError("give a number, not true/false")
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError("give a finite number")
    return v


def _text(v: Any) -> Any:
    if isinstance(v, str) and not v.strip():
        raise ValueError("must not be blank")
    return v.strip() if isinstance(v, str) else v


Num = BeforeValidator(_number)
Name = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=200)]

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
    minutes: Annotated[int, Num] = Field(ge=15, le=300)

    @field_validator("day", mode="before")
    @classmethod
    def _day(cls, v: Any) -> Any:
        return parse_day(v)

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
    """A recent hard set: a load (``kg`` or ``lb``) for REPS, taken close to failure
    (estimates a 1RM)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kg: Annotated[float | None, Num] = Field(None, gt=0, lt=600)
    lb: Annotated[float | None, Num] = Field(None, gt=0, lt=1300)
    reps: Annotated[int, Num] = Field(ge=1, le=20)

    @model_validator(mode="after")
    def _one_load(self) -> RecentSet:
        if (self.kg is None) == (self.lb is None):
            raise ValueError("give the load as kg or as lb, one of them (e.g. {lb: 225, reps: 5})")
        return self


class Client(BaseModel):
    """One client, as read from a YAML, JSON or TOML client file (SPEC §5)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    experience: Experience = "intermediate"
    goal: Goal = "hypertrophy"
    back_status: BackStatus = "healthy"
    priority: Priority = "balanced"
    units: Unit = "kg"
    equipment: list[str] = Field(default_factory=list)
    availability: list[Slot] = Field(min_length=1)
    one_rep_max_kg: dict[str, Annotated[float, Num]] = Field(default_factory=dict)
    one_rep_max_lb: dict[str, Annotated[float, Num]] = Field(default_factory=dict)
    recent_sets: dict[str, RecentSet] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    prefer: list[str] = Field(default_factory=list)
    avoid: list[str] = Field(default_factory=list)
    rulebook: str = "default"
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator(
        "exclude",
        "prefer",
        "avoid",
        "one_rep_max_kg",
        "one_rep_max_lb",
        "recent_sets",
        mode="before",
    )
    @classmethod
    def _exercise_names(cls, v: Any) -> Any:
        """Ids, names and aliases become canonical ids (unknown names are reported by
        data.check_references, with suggestions)."""
        return v if isinstance(v, str) else canonical(v)

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
                raise ValueError(f"{key}: {kg:g} is not a plausible 1RM in kg (give 1-600)")
        return v

    @field_validator("one_rep_max_lb")
    @classmethod
    def _maxes_lb(cls, v: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        for key, lb in v.items():
            if not 0 < lb < 1300:
                raise ValueError(f"{key}: {lb:g} is not a plausible 1RM in lb (give 1-1300)")
            if key in info.data.get("one_rep_max_kg", {}):
                raise ValueError(f"{key}: give its 1RM in kg or in lb, not both")
        return v

    @field_validator("availability")
    @classmethod
    def _slots(cls, v: list[Slot]) -> list[Slot]:
        seen = set()
        for slot in v:
            key = (slot.day, slot.start)
            if key in seen:
                raise ValueError(f"lists {slot.day} {slot.start} twice (keep one)")
            seen.add(key)
        return v

    def slots(self) -> list[Slot]:
        """Availability in week order (Monday first, then by start time)."""
        return sorted(self.availability, key=lambda s: s.hour_of_week)


class Exercise(BaseModel):
    """One catalogue exercise with every attribute the rules read (SPEC §4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    aliases: tuple[str, ...] = ()
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


# --------------------------------------------------------------------------- plan


class PlanExercise(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order: Annotated[int, Num] = Field(ge=1, le=100)
    exercise: str = Field(max_length=200)
    sets: Annotated[int, Num] = Field(ge=0, le=100)
    reps: str
    rir: Annotated[int | None, Num] = Field(None, ge=0, le=10)  # None: a drill (a dose, no RIR)
    load_kg: Annotated[float | None, Num] = Field(None, ge=0, lt=1000)
    load_lb: Annotated[float | None, Num] = Field(None, ge=0, lt=2200)  # lb plans: the prescription
    straps: bool = False

    @model_validator(mode="after")
    def _kg_from_lb(self) -> PlanExercise:
        if self.load_lb is not None:
            self.load_kg = round(self.load_lb * LB_KG, 2)
        return self

    @field_validator("exercise", mode="before")
    @classmethod
    def _exercise_name(cls, v: Any) -> Any:
        return canonical(v)

    @field_validator("reps")
    @classmethod
    def _reps(cls, v: str) -> str:
        if re.fullmatch(r"\d{1,3}", v.strip()):
            return v.strip()
        parse_reps(v.strip().removesuffix(" s"))  # "30-60 s": a drill dosed in seconds
        return v.strip()


class Session(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: Day
    start: str
    minutes: Annotated[int, Num] = Field(ge=1, le=600)
    focus: Focus
    date: str | None = None
    exercises: list[PlanExercise] = Field(max_length=100)

    @field_validator("date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        return _iso_date(v)

    @field_validator("start")
    @classmethod
    def _start(cls, v: str) -> str:
        minutes = parse_time(v)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    @property
    def hour_of_week(self) -> float:
        return DAYS.index(self.day) * 24 + parse_time(self.start) / 60


class RestDay(BaseModel):
    """A client slot the plan leaves free: a rest or upper-body day, and the rule that
    keeps it free (combined-days-gap, back-loading-gap, muscle-recovery or frequency)."""

    model_config = ConfigDict(extra="forbid")

    day: Day
    start: str
    minutes: Annotated[int, Num] = Field(ge=1, le=600)
    use: Literal["rest or upper body"] = "rest or upper body"
    rule: str = Field("", max_length=60)
    why: str = Field("", max_length=200)

    @field_validator("start")
    @classmethod
    def _start(cls, v: str) -> str:
        minutes = parse_time(v)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Week(BaseModel):
    model_config = ConfigDict(extra="forbid")

    week: Annotated[int, Num] = Field(ge=1, le=MAX_WEEKS)
    phase: Literal["accumulation", "intensification", "deload"] = "accumulation"
    block: Annotated[int | None, Num] = Field(None, ge=0, le=MAX_WEEKS)
    rir: Annotated[int | None, Num] = Field(None, ge=0, le=10)
    sessions: list[Session] = Field(max_length=50)
    # Free slots (issue 12). Informative only: the checker judges sessions, never these;
    # a plan without the list (older plans) reads as before.
    rest: list[RestDay] = Field(default_factory=list, max_length=50)


class Replan(BaseModel):
    """Where a re-planned plan starts: sessions up to (week, day) were already done."""

    model_config = ConfigDict(extra="forbid")

    week: Annotated[int, Num] = Field(ge=1, le=MAX_WEEKS)
    day: Day = "sun"


class RulebookRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    rules: dict[str, dict[str, Any]]


def _iso_date(v: str | None) -> str | None:
    """A calendar date as YYYY-MM-DD, in years 1900-9000 (so week arithmetic stays valid)."""
    if v is None:
        return None
    from datetime import date

    try:
        d = date.fromisoformat(v.strip())
    except ValueError:
        raise ValueError(f"{v[:40]!r} is not a date (use YYYY-MM-DD)") from None
    if not 1900 <= d.year <= 9000:
        raise ValueError(f"{d.isoformat()} is out of range (use a year from 1900 to 9000)")
    return d.isoformat()


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
    weeks: list[Week] = Field(default_factory=list, max_length=MAX_WEEKS)
    explanation: list[str] = Field(default_factory=list)
    report: dict[str, Any] = Field(default_factory=dict)

    @field_validator("schema_")
    @classmethod
    def _schema(cls, v: str) -> str:
        if v != PLAN_SCHEMA:
            raise ValueError(f"{v!r} is not a legback plan schema (expected {PLAN_SCHEMA!r})")
        return v

    @field_validator("start_date")
    @classmethod
    def _start_date(cls, v: str | None) -> str | None:
        return _iso_date(v)

    @model_validator(mode="after")
    def _weeks_once(self) -> Plan:
        numbers = [w.week for w in self.weeks]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            raise ValueError(
                f"weeks: week {twice[0]} appears more than once (number weeks 1, 2, ...)"
            )
        return self

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2, exclude_none=False) + "\n"
