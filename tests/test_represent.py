"""The representative stage (cpsat/represent.py, issue 13): the weeks' relaxation R
bounds the mesocycle's optimum, the plan P from R's selection passes the checker, and
a solve that goes through them is deterministic and within its stated gap."""

from __future__ import annotations

import sys

import pytest
from ortools.sat.python import cp_model

from legback_solver import check_plan, solve
from legback_solver.cpsat import build, make_solver, represent
from legback_solver.data import make_data
from tests.conftest import client as make_client
from tests.meso_helpers import stable_json

SOLVE = sys.modules["legback_solver.solve"]


def _optimum(data) -> int:
    b = build(data)
    solver = make_solver(0, time_limit=60, gap=0.0)
    assert solver.solve(b.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_alike_weeks():
    data = make_data(make_client(), weeks=5)
    keys = [represent.week_key(data, w) for w in range(5)]
    # two moderate weeks, two heavier ones, the deload: three kinds of week
    assert keys[0] == keys[1] != keys[2] == keys[3] != keys[4]
    data = make_data(make_client(experience="beginner"), weeks=5)
    assert represent.week_key(data, 0) != represent.week_key(data, 1)  # week-1 caps


def test_relaxation_bounds_the_optimum_and_plan_is_below():
    data = make_data(make_client(), weeks=4)
    best = _optimum(data)
    b = build(data)
    rep = represent.represent(b, seed=0, gap=0.0, time_limit=60)
    assert rep is not None
    assert rep.bound >= best >= rep.score  # R bounds the optimum; P is a plan
    assert (rep.bound - rep.score) <= 0.01 * rep.bound


def test_lb_tree_bound_is_a_bound_and_stops_once_it_proves_the_gap():
    data = make_data(make_client(), weeks=4)
    best = _optimum(data)
    r = represent.relaxation(data)
    # asked to prove 1% for the optimal plan: it stops with a bound within 1% of it
    runs = [represent.lb_tree_bound(r, 0, 0.01, best, 60, 1, 50.0) for _ in range(2)]
    bound, spent = runs[0]
    assert best <= bound and bound - best <= 0.01 * bound
    assert spent < 50.0  # stopped by the callback, not by its box
    assert runs[1] == runs[0]  # the callback's stop is deterministic (bound and time)
    # asked the impossible (a plan scoring 0 within 1%): it runs its box, the bound holds
    bound, spent = represent.lb_tree_bound(r, 0, 0.01, 0, 60, 1, 0.05)
    assert bound >= best


@pytest.fixture
def always_represent(monkeypatch):
    """Send every mesocycle through the representative stage (a box too small for
    stage 1 to prove its gap in); the list counts the stage's runs."""
    monkeypatch.setattr(represent, "FIRST_DETERMINISTIC", 0.002)
    runs = []
    real = represent.represent

    def counted(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(represent, "represent", counted)
    return runs


def test_represented_plan_is_clean_deterministic_and_within_gap(always_represent):
    client = make_client()
    results = [solve(client, weeks=5, seed=1, time_limit=60) for _ in range(2)]
    assert len(always_represent) == 2
    plan = results[0].plan
    assert plan.status in ("optimal", "feasible")
    assert check_plan(plan) == []
    assert stable_json(plan) == stable_json(results[1].plan)
    assert plan.bound >= plan.objective
    assert (plan.bound - plan.objective) <= 0.01 * plan.bound
    assert (plan.gap or 0) <= 0.01
    # the stated bound is a real bound: no plan beats it
    assert _optimum(make_data(client, weeks=5)) <= plan.bound


def test_budgeted_solve_is_clean_deterministic_and_its_bound_holds(monkeypatch):
    # Boxes too small for any proof: every stage runs (first stage, lb-tree, R, P, the
    # full model's continuation) and the solve stops on its deterministic budget, with
    # the gap it proved; the stated bound is a real bound.
    monkeypatch.setattr(represent, "FIRST_DETERMINISTIC", 0.002)
    monkeypatch.setattr(represent, "BOUND_DETERMINISTIC", 0.005)
    monkeypatch.setattr(represent, "REPRESENTATIVE_DETERMINISTIC", 0.01)
    monkeypatch.setattr(represent, "budget", lambda time_limit: 0.1)
    client = make_client()
    results = [solve(client, weeks=5, seed=2, time_limit=60) for _ in range(2)]
    plan = results[0].plan
    assert plan.status in ("optimal", "feasible")
    assert check_plan(plan) == []
    assert stable_json(plan) == stable_json(results[1].plan)
    assert results[0].deterministic_time == results[1].deterministic_time
    assert results[0].deterministic_time < 0.1 + 2 * represent.PLAN_DETERMINISTIC
    assert _optimum(make_data(client, weeks=5)) <= plan.bound
