"""Rule tests (see tests/rules/helpers.py for the two kinds): every weekly hard rule: bad parameters rejected, good ones applied, the hand-made baseline, and coverage."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest

from legback_solver import check_plan
from legback_solver.data import make_data
from legback_solver.errors import InputError
from legback_solver.io import parse_client
from legback_solver.rules import HARD, REGISTRY
from tests.crafted import (
    CATALOGUE,
    rule_ids,
    slot,
)
from tests.rules.helpers import base_spec, build_plan, hand_client, swap
from tests.rules.test_coaching import BAD_PARAMETERS as COACHING_BAD_PARAMETERS


def test_hand_made_baseline_is_clean_and_as_described():
    c = hand_client()
    plan = build_plan(c, base_spec())
    assert check_plan(plan) == []
    assert [s.focus for s in plan.weeks[0].sessions] == ["combined", "combined", "back"]
    loads = [
        sum(CATALOGUE[pe.exercise].spinal_units * pe.sets for pe in s.exercises)
        for s in plan.weeks[0].sessions
    ]
    assert loads == [33, 38, 13]


def test_checker_skips_a_rule_switched_off_in_the_plan():
    # Every mutation above is reported only while its rule is on in the plan's rulebook.
    c = hand_client()
    spec = base_spec()
    swap(spec, "mon", "chest_supported_row", "barbell_row")
    plan = build_plan(c, spec)
    assert rule_ids(check_plan(plan)) == {"after-heavy-hinge"}
    rules = copy.deepcopy(plan.rulebook.rules)
    rules["after-heavy-hinge"]["kind"] = "off"
    off = plan.model_copy(update={"rulebook": plan.rulebook.model_copy(update={"rules": rules})})
    # The rule's own check is skipped; that it was switched off against the named
    # rulebook is reported instead (issue 14: a checker that cannot be fooled).
    assert [(v.rule, v.what.split(" ")[0]) for v in check_plan(off)] == [
        ("rulebook", "after-heavy-hinge")
    ]


BAD_PARAMETERS = [
    # frequency and light-third-session (issue 12)
    {"frequency": {"weight": -1}},
    {"frequency": {"sessions": 2.5}},
    {"light-third-session": {"heavy_max": -1}},
    {"light-third-session": {"light_sets": "many"}},
    # availability
    {"availability": {"skill_gate": "maybe"}},
    {"availability": {"skil_gate": True}},
    # spacing
    {"back-loading-gap": {"hours": -5}},
    {"back-loading-gap": {"hours": 200}},
    {"back-loading-gap": {"hourz": 1}},
    {"combined-days-max": {"max": -1}},
    {"combined-days-max": {"max": 8}},
    {"combined-days-max": {"maximum": 1}},
    {"combined-days-gap": {"days": -1}},
    {"combined-days-gap": {"days": 7}},
    {"combined-days-gap": {"gap": 2}},
    # spinal
    {"spinal-budget": {"weekly": {"wobbly": 100}}},
    {"spinal-budget": {"session": {"healthy": "lots"}}},
    # (a negative budget, cap, threshold, capacity or scale means nothing to a coach)
    {"spinal-budget": {"weekly": {"healthy": -5}}},
    {"spinal-budget": {"session": {"healthy": -1}}},
    {"spinal-budget": {"budget": 100}},
    {"back-status": {"max_units": {"sore": 3}}},
    {"back-status": {"max_units": {"sensitive": -1}}},
    {"back-status": {"favour_weight": -1}},
    {"back-status": {"threshold": 5}},
    # grip
    {"grip-order": {"capacity": {"expert": 3}}},
    {"grip-order": {"capacity": {"intermediate": -3}}},
    {"grip-order": {"capacity": 14}},
    {"grip-order": {"capacty": {"intermediate": 14}}},
    # volume
    {"muscle-sets": {"ranges": {"quads": [10, 5]}}},
    {"muscle-sets": {"ranges": {"quads": [-1, 5]}}},
    {"muscle-sets": {"ranges": {"biceps": [1, 2]}}},
    {"muscle-sets": {"ranges": {"quads": [1, 2, 3]}}},
    {"muscle-sets": {"experience_scale": {"intermediate": -1}}},
    {"muscle-sets": {"goal_scale": {"strength": -0.5}}},
    {"muscle-sets": {"range": {"quads": [8, 18]}}},
    {"beginner-volume": {"fraction": 0}},
    {"beginner-volume": {"fraction": 1.5}},
    {"beginner-volume": {"share": 0.6}},
    # session
    {"session-shape": {"exercises": [5, 4]}},
    {"session-shape": {"sets_main": [0, 3]}},
    {"session-shape": {"sets_accessory": [2, 7]}},
    {"session-shape": {"exercise": [4, 6]}},
    {"session-shape": {"compounds_min": 7}},
    {"session-shape": {"pattern_max": 0}},
    {"compound-first": {"strict": True}},
    {"session-time": {"warmup_minutes": -1}},
    {"session-time": {"warmup_minutes": 61}},
    {"session-time": {"warmup": 10}},
    # alpha
    {"one-alpha": {"max": -1}},
    {"one-alpha": {"max": 4}},
    {"one-alpha": {"maximum": 1}},
    {"alpha-alternation": {"flip": True}},
    {"after-heavy-hinge": {"rows": False}},
    # rule entries themselves
    {"back-loading-gap": {"kind": "soft"}},
    {"back-loading-gap": {"kind": "sometimes"}},
    {"no-such-rule": {"kind": "off"}},
]


@pytest.mark.parametrize(
    "overrides", BAD_PARAMETERS, ids=[f"{next(iter(o))}:{o[next(iter(o))]}" for o in BAD_PARAMETERS]
)
def test_bad_rule_parameters_are_rejected(overrides):
    rule_id = next(iter(overrides))
    c = parse_client({"name": "Bad Params", "availability": [slot("mon")], "rules": overrides})
    with pytest.raises(InputError) as err:
        make_data(c)
    # The one-paragraph message names the rule it is about.
    assert rule_id in str(err.value)


@pytest.mark.parametrize(
    ("overrides", "rule_id", "expected"),
    [
        ({"back-loading-gap": {"hours": 72}}, "back-loading-gap", {"hours": 72}),
        ({"combined-days-max": {"max": 1}}, "combined-days-max", {"max": 1}),
        (
            {"spinal-budget": {"session": {"healthy": 50}}},
            "spinal-budget",
            {"session": {"healthy": 50, "sensitive": 40, "injured": 22}},
        ),
        (
            {"muscle-sets": {"ranges": {"quads": [10, 16]}}},
            "muscle-sets",
            {"ranges": {"quads": (10, 16), "lats": (8, 18)}},
        ),
        ({"session-shape": {"exercises": [3, 5]}}, "session-shape", {"exercises": (3, 5)}),
        ({"one-alpha": {"kind": "off"}}, "one-alpha", None),
    ],
)
def test_good_rule_parameters_are_applied(overrides, rule_id, expected):
    # The control for the test above: valid overrides load and take effect.
    data = make_data(
        parse_client({"name": "Good", "availability": [slot("mon")], "rules": overrides})
    )
    if expected is None:
        assert not data.rulebook.active(rule_id)
        return
    assert data.rulebook.active(rule_id)
    params = data.params(rule_id)
    for key, value in expected.items():
        got = getattr(params, key)
        if isinstance(value, dict):
            for k, v in value.items():
                assert tuple(got[k]) == v if isinstance(v, tuple) else got[k] == v, (key, k)
        else:
            assert got == value, key


def _test_names() -> set[str]:
    """Every test function of the rule-family modules next to this one."""
    names: set[str] = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        tree = ast.parse(path.read_text())
        names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    return names


def test_every_hard_rule_is_covered():
    # Weekly rules here (tests/rules/test_<family>.py); mesocycle rules in test_meso.py.
    names = _test_names()
    for rid in [r for r in HARD if REGISTRY[r].weekly]:
        stem = rid.replace("-", "_")
        assert f"test_{stem}_binds" in names, rid
        assert f"test_{stem}_checker_flags_hand_made_plan" in names, rid
        bad = BAD_PARAMETERS + COACHING_BAD_PARAMETERS
        assert any(next(iter(o)) == rid for o in bad), rid
