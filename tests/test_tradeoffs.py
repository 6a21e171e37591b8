"""Trade-offs: Pareto fronts are non-dominated and checked; sweeps are monotone."""

from __future__ import annotations

import math

import pytest

from legback_solver.check import check_plan
from legback_solver.tradeoffs import non_dominated, pareto, plot_pareto, plot_sweep, sweep

from .conftest import client
from .crafted import COACHING_OFF


def _slots(*days: str, minutes: int = 45) -> list[dict]:
    return [{"day": d, "start": "18:00", "minutes": minutes} for d in days]


@pytest.fixture(scope="module")
def front():
    return pareto(client(), points=5, time_limit=20)


def test_pareto_points_are_non_dominated_and_pass_the_checker(front):
    assert len(front) >= 3
    assert set(front["status"]) <= {"optimal", "feasible"}
    rows = front.to_dict("records")
    for a in rows:
        assert a["spinal_load"] <= a["epsilon"]
        assert check_plan(a["plan"]) == []
        for b in rows:
            if a is b:
                continue
            dominates = (
                b["spinal_load"] <= a["spinal_load"]
                and b["stimulus"] >= a["stimulus"]
                and (b["spinal_load"] < a["spinal_load"] or b["stimulus"] > a["stimulus"])
            )
            assert not dominates, (a, b)
    # More load buys strictly more stimulus along the front.
    assert list(front["spinal_load"]) == sorted(front["spinal_load"])
    assert list(front["stimulus"]) == sorted(front["stimulus"])
    assert front["stimulus"].iloc[-1] > front["stimulus"].iloc[0]


def test_pareto_plan_matches_its_row(front):
    for _, r in front.iterrows():
        report = r["plan"].report
        assert report["objective_groups"]["stimulus"] == r["stimulus"]
        assert r["plan"].objective == r["objective"]


def test_non_dominated_filter():
    rows = [
        {"spinal_load": 10, "stimulus": 5},
        {"spinal_load": 12, "stimulus": 5},  # dominated
        {"spinal_load": 10, "stimulus": 5},  # duplicate
        {"spinal_load": 20, "stimulus": 9},
    ]
    assert non_dominated(rows) == [rows[0], rows[3]]


def test_back_loading_gap_sweep_is_monotone():
    # A barbell-only gym: every back session loads the spine, so the gap binds. The
    # coaching model is off (this test is about the gap): with a barbell only, every squat
    # is a max-effort lift, so no back-first combined session can hold one.
    c = client(equipment=["barbell"], availability=_slots("mon", "wed", "fri"), rules=COACHING_OFF)
    df = sweep(c, "back-loading-gap.hours", [24, 48, 72, 96])
    stim = [
        s if st in ("optimal", "feasible") else -math.inf
        for s, st in zip(df["stimulus"], df["status"], strict=True)
    ]
    assert all(a >= b for a, b in zip(stim, stim[1:], strict=False)), stim
    assert stim[0] > stim[-1]  # not trivially flat
    solved = df[df["status"].isin(["optimal", "feasible"])]
    assert all(check_plan(p) == [] for p in solved["plan"])
    assert {"quads", "lats", "spinal_load", "solve_seconds"} <= set(df.columns)


def test_sweep_over_a_client_field_and_plots():
    df = sweep(client(), "availability", [_slots("mon", "thu"), _slots("mon", "wed", "fri")])
    assert list(df["status"]) == ["optimal", "optimal"]
    # More slots can only help the whole objective. Stimulus alone may give a little way
    # to the other terms (frequency rewards a third, lighter session: issue 12).
    assert df["objective"].iloc[1] >= df["objective"].iloc[0]
    assert df["stimulus"].iloc[1] >= 0.95 * df["stimulus"].iloc[0]
    fig = plot_sweep(df, ["quads", "lats"])
    assert fig.axes
    fig = plot_pareto(pareto(client(), points=2, time_limit=10), label="healthy")
    assert fig.axes[0].get_xlabel().startswith("spinal load")


def test_sweep_rejects_unknown_parameter():
    with pytest.raises(ValueError):
        sweep(client(), "nonsense", [1])
