"""A new client file: a commented YAML template, filled in from prompts in a terminal.

``client_template(values)`` is the file text (every field commented with its allowed
values); ``ask_client()`` asks for name, experience, goal, back status, priority,
units, equipment and slots with click prompts, re-asking until each answer is valid;
``new_client(path, ask)`` writes the file, after checking that it reads back as a client.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError
from .models import DAYS, EQUIPMENT, EXPERIENCE, GOALS, Slot

BACK_STATUS = ("healthy", "sensitive", "injured")
PRIORITY = ("legs", "back", "balanced")
UNITS = ("kg", "lb")

DEFAULTS: dict[str, Any] = {
    "name": "New Client",
    "experience": "intermediate",
    "goal": "hypertrophy",
    "back_status": "healthy",
    "priority": "balanced",
    "units": "kg",
    "equipment": ["barbell", "dumbbell", "cable", "machine", "pullup_bar", "bench"],
    "availability": [
        {"day": "mon", "start": "18:00", "minutes": 75},
        {"day": "thu", "start": "18:00", "minutes": 75},
    ],
}


def _slot_line(s: dict[str, Any]) -> str:
    return f'  - {{day: {s["day"]}, start: "{s["start"]}", minutes: {s["minutes"]}}}'


def client_template(values: dict[str, Any] | None = None) -> str:
    """The text of a commented client file (YAML) with VALUES over the defaults."""
    v = DEFAULTS | (values or {})
    unit = v["units"]
    big = {"kg": (140, 180, 100), "lb": (315, 405, 225)}[unit]
    lines = [
        "# legback client file. Edit the values, then: legback solve THIS_FILE",
        "# Exercises may be named by id, name or alias (deadlift, squat, RDL, chin-up);",
        "# `legback exercises` lists them all.",
        f"name: {json.dumps(v['name'])}",
        f"experience: {v['experience']:<22}  # {' | '.join(EXPERIENCE)}",
        f"goal: {v['goal']:<28}  # {' | '.join(GOALS)}",
        f"back_status: {v['back_status']:<21}  # {' | '.join(BACK_STATUS)}",
        f"priority: {v['priority']:<24}  # {' | '.join(PRIORITY)}: the side trained first",
        f"units: {v['units']:<27}  # kg | lb: loads are given and printed in this unit",
        "# equipment, any of: " + ", ".join(EQUIPMENT),
        f"equipment: [{', '.join(v['equipment'])}]",
        "# availability: one line per slot (weekday, start time HH:MM, minutes 15-300)",
        "availability:",
        *(_slot_line(s) for s in v["availability"]),
        "",
        "# Optional: uncomment what applies.",
        f"# one_rep_max_{unit}: {{squat: {big[0]}, deadlift: {big[1]}}}"
        "   # 1RMs: loads follow from them",
        f"# recent_sets: {{RDL: {{{unit}: {big[2]}, reps: 8}}}}"
        "        # a recent hard set (Epley 1RM)",
        "# exclude: [good_morning]                  # never programmed",
        "# prefer: [trap_bar_deadlift]              # favoured (soft)",
        "# avoid: [superman]                        # disliked (soft)",
        "# rulebook: default                        # default | bad-back | beginner | path.toml",
        "# rules: {back-loading-gap: {hours: 72}}   # override any rule parameter",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- prompts


def parse_equipment(text: str) -> list[str]:
    """Equipment items separated by commas, semicolons or spaces; ValueError naming the
    unknown ones."""
    items = [x for x in text.replace(",", " ").replace(";", " ").split() if x]
    bad = [x for x in items if x not in EQUIPMENT]
    if bad:
        raise ValueError(
            f"{', '.join(repr(b) for b in bad)} is not known equipment "
            f"(use any of {', '.join(EQUIPMENT)})"
        )
    if not items:
        raise ValueError("give at least one item (e.g. dumbbell, bench)")
    return items


def parse_slots(text: str) -> list[dict[str, Any]]:
    """Slots 'DAY HH:MM MINUTES' separated by ';' or ','; ValueError with the fix."""
    out = []
    for part in text.replace(",", ";").split(";"):
        bits = part.split()
        if not bits:
            continue
        if len(bits) != 3 or not bits[2].isdigit():
            raise ValueError(
                f"{part.strip()!r} is not a slot (write DAY HH:MM MINUTES, e.g. mon 18:00 75)"
            )
        try:
            slot = Slot(day=bits[0], start=bits[1], minutes=int(bits[2]))
        except Exception as e:  # pydantic ValidationError: keep its first message
            from pydantic import ValidationError

            from .errors import describe

            if not isinstance(e, ValidationError):
                raise
            err = e.errors(include_url=False)[0]
            raise ValueError(f"{part.strip()!r}: {err['loc'][0]} {describe(err)}") from None
        out.append(slot.model_dump())
    if not out:
        raise ValueError("give at least one slot (e.g. mon 18:00 75; thu 18:00 75)")
    if len({(s["day"], s["start"]) for s in out}) < len(out):
        raise ValueError("a slot is listed twice (keep one)")
    return out


def ask_client(prompt: Any = None) -> dict[str, Any]:
    """Ask for the client's fields (click prompts; PROMPT replaces click.prompt in tests).
    Each answer is checked as it is given and asked again until it is valid."""
    import click

    ask = prompt or click.prompt

    def checked(parse):
        def proc(text: str) -> Any:
            try:
                return parse(text)
            except ValueError as e:
                raise click.BadParameter(str(e)) from None

        return proc

    def name(text: str) -> str:
        text = text.strip()
        if not text:
            raise ValueError("a name must not be empty")
        return text

    v: dict[str, Any] = {"name": ask("Client name", value_proc=checked(name))}
    for key, label, choices in (
        ("experience", "Experience", EXPERIENCE),
        ("goal", "Goal", GOALS),
        ("back_status", "Back status", BACK_STATUS),
        ("priority", "Priority", PRIORITY),
        ("units", "Units", UNITS),
    ):
        v[key] = ask(label, type=click.Choice(choices), default=DEFAULTS[key])
    v["equipment"] = ask(
        "Equipment (" + ", ".join(EQUIPMENT) + ")",
        default=" ".join(DEFAULTS["equipment"]),
        value_proc=checked(parse_equipment),
    )
    v["availability"] = ask(
        "Slots (DAY HH:MM MINUTES; ..., days " + " ".join(DAYS) + ")",
        default="; ".join(
            f"{s['day']} {s['start']} {s['minutes']}" for s in DEFAULTS["availability"]
        ),
        value_proc=checked(parse_slots),
    )
    return v


def new_client(path: str | Path, values: dict[str, Any] | None = None, force: bool = False) -> str:
    """Write a commented client file to PATH from VALUES (over the defaults); return
    the text. The text is read back as a client first: what is written solves."""
    import yaml

    from .io import parse_client, write_atomic

    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(str(path), ["a new client file is YAML: give a .yaml file name"])
    if (path.exists() or path.is_symlink()) and not force:
        raise InputError(str(path), ["already exists (choose another name, or add --force)"])
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise InputError(str(path), ["is not a regular file (choose another name)"])
    text = client_template(values)
    parse_client(yaml.safe_load(text), str(path))
    write_atomic(path, text)
    return text
