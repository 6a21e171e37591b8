from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from legback_solver.data import make_data
from legback_solver.errors import InputError
from legback_solver.rulebook import (
    constraints_dir,
    load_rulebook,
    parse_rulebook,
    rulebook_from_plan,
    rulebook_names,
)
from legback_solver.rules import HARD, REGISTRY, SOFT

from .conftest import client

SPEC_HARD = {
    "combined-days-max", "combined-days-gap", "back-loading-gap", "spinal-budget",
    "grip-order", "muscle-sets", "session-shape", "compound-first", "one-alpha",
    "alpha-alternation", "after-heavy-hinge", "session-time", "availability",
    "back-status", "beginner-volume",
    # SPEC §3a, the coaching model (issue 11)
    "alpha-first", "session-anatomy", "demand-order", "known-lifts", "goal-fit", "drills",
    "straps", "intensity-floor", "muscle-recovery",
    # issue 12: the third leg-and-back session of a week is a light one
    "light-third-session",
}  # fmt: skip
SPEC_MESO = {
    "meso-length", "volume-progression", "deload", "intensity-waves", "stable-main-lifts",
    "rir-progression", "loads",
}  # fmt: skip
SPEC_SOFT = {
    "stimulus",
    "prefer-compound",
    "plane-pairing",
    "decompress",
    "preferences",
    "spinal-economy",
    "coaching-value",
    "frequency",
}
SEEDS = {
    "000_3a0f1a209196565a.txt", "001_ebca099578b35a0a.txt", "002_6d64b2955e625f57.txt",
    "003_402cb0885ffe8844.txt", "004_3c310f2e06b0ae9d.txt", "client input",
}  # fmt: skip


def test_registry_covers_the_spec():
    assert set(HARD) == SPEC_HARD | SPEC_MESO
    assert {rid for rid, r in REGISTRY.items() if not r.weekly} == SPEC_MESO
    assert set(SOFT) == SPEC_SOFT


def test_shipped_rulebooks():
    assert {"default", "bad-back", "beginner"} <= set(rulebook_names())


@pytest.mark.parametrize("name", ["default", "bad-back", "beginner"])
def test_rulebook_files_cite_seeds(name):
    book = load_rulebook(name)
    assert set(book.rules) == set(REGISTRY)
    for rid, setting in book.rules.items():
        assert setting.statement, rid
        assert setting.source and set(setting.source) <= SEEDS, (rid, setting.source)


def test_default_toml_states_every_rule_and_parameter():
    raw = tomllib.loads((constraints_dir() / "default.toml").read_text())["rules"]
    assert set(raw) == set(REGISTRY)
    for rid, rule in REGISTRY.items():
        for field in rule.params.model_fields:
            assert field in raw[rid] or field == "muscle_weight", (rid, field)


def test_empty_rulebook_is_the_default():
    empty = parse_rulebook({}, "empty")
    default = load_rulebook("default")
    assert empty.effective() == default.effective()


def test_bad_back_differs_where_it_says():
    default, bad = load_rulebook("default").effective(), load_rulebook("bad-back").effective()
    assert bad["back-loading-gap"]["hours"] == 72 > default["back-loading-gap"]["hours"]
    assert bad["spinal-budget"]["weekly"]["healthy"] < default["spinal-budget"]["weekly"]["healthy"]
    assert bad["muscle-sets"]["ranges"]["erectors"] == [0, 8]
    assert bad["muscle-sets"]["ranges"]["quads"] == default["muscle-sets"]["ranges"]["quads"]


def test_client_override_and_unknowns():
    data = make_data(
        client(
            rules={"back-loading-gap": {"hours": 72}, "spinal-budget": {"weekly": {"healthy": 99}}}
        )
    )
    assert data.params("back-loading-gap").hours == 72
    assert data.params("spinal-budget").weekly == {"healthy": 99, "sensitive": 110, "injured": 60}
    with pytest.raises(InputError, match="not a rule id"):
        make_data(client(rules={"no-such-rule": {}}))
    with pytest.raises(InputError, match="not a parameter of back-loading-gap"):
        make_data(client(rules={"back-loading-gap": {"hourz": 3}}))
    with pytest.raises(InputError, match="back-loading-gap.hours"):
        make_data(client(rules={"back-loading-gap": {"hours": -1}}))
    with pytest.raises(InputError, match="kind"):
        make_data(client(rules={"back-loading-gap": {"kind": "soft"}}))
    with pytest.raises(InputError, match="muscle"):
        make_data(client(rules={"muscle-sets": {"ranges": {"biceps": [1, 2]}}}))


def test_unknown_rulebook_name():
    with pytest.raises(InputError, match="not a rulebook"):
        make_data(client(rulebook="no-such-book"))


def test_plan_rulebook_round_trips():
    book = load_rulebook("bad-back")
    again = rulebook_from_plan(book.name, book.effective())
    assert again.effective() == book.effective()


def test_rulebooks_work_after_install_from_any_folder(tmp_path):
    code = (
        "from legback_solver.rulebook import load_rulebook; print(load_rulebook('bad-back').name)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "bad-back"


def test_stimulus_muscle_weights_merge_with_the_defaults():
    # A rulebook that weights calves keeps the trained muscles at 1 and the other
    # incidental ones at 0 (not reset to a default of 1); an unknown muscle is refused.
    from legback_solver.rules.objective import Stimulus

    p = Stimulus(muscle_weight={"calves": 0.5})
    assert p.muscle_weight["calves"] == 0.5
    assert p.muscle_weight["quads"] == 1.0 and p.muscle_weight["traps"] == 0.0
    with pytest.raises(ValueError, match="not a muscle"):
        Stimulus(muscle_weight={"biceps": 1.0})
