"""One selection for every week (cpsat.build.selection_is_shared, issue 13): under
stable-main-lifts the weeks hold the same x and session indicators. The shared model
must state the same problem as one variable set per week: the same proven optimum,
and a checker-clean plan; re-planning, rotating accessories and explain keep one
selection per week."""

from __future__ import annotations

import sys

from ortools.sat.python import cp_model

from legback_solver import check_plan, load_client, solve
from legback_solver.cpsat import build, make_solver
from legback_solver.data import make_data
from tests.conftest import ROOT

BUILD = sys.modules["legback_solver.cpsat.build"]
SAM = ROOT / "examples" / "sam.yaml"


def _optimum(data, monkeypatch, shared: bool) -> tuple[int, int]:
    monkeypatch.setattr(BUILD, "SHARE_SELECTION", shared)
    b = build(data)
    assert b.v.shared is shared
    solver = make_solver(0, time_limit=60, gap=0.0)
    code = solver.solve(b.model)
    assert code == cp_model.OPTIMAL
    return round(solver.objective_value), len(b.model.proto.variables)


def test_shared_selection_same_optimum(monkeypatch):
    data = make_data(load_client(SAM), weeks=3)
    shared, n_shared = _optimum(data, monkeypatch, True)
    apart, n_apart = _optimum(data, monkeypatch, False)
    assert shared == apart
    assert n_shared < n_apart  # the point: fewer variables for the same problem


def test_shared_only_where_every_week_selects_alike():
    client = load_client(SAM)
    assert BUILD.selection_is_shared(make_data(client, weeks=4))
    assert not BUILD.selection_is_shared(make_data(client, weeks=1))
    assert not BUILD.selection_is_shared(make_data(client, weeks=4), explain=True)
    rotating = client.model_copy(
        update={"rules": {"stable-main-lifts": {"rotate_accessories": True}}}
    )
    assert not BUILD.selection_is_shared(make_data(rotating, weeks=4))


def test_shared_plan_is_checker_clean():
    res = solve(load_client(SAM), weeks=4, time_limit=30)
    assert res.status in ("optimal", "feasible")
    assert check_plan(res.plan) == []
    weeks = res.plan.weeks
    assert [len(w.sessions) for w in weeks] == [len(weeks[0].sessions)] * len(weeks)
