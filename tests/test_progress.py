"""The live solve status line (progress.py): what it shows, when it is silent, and that it
never changes the plan. No timing assertions: the line is forced on with threshold 0."""

from __future__ import annotations

import io
import json
import sys

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model
from rich.console import Console

from legback_solver import cli, load_client, solve
from legback_solver.progress import SolveProgress

from .conftest import ROOT

TIMING = ("solve_seconds", "build_seconds")


@pytest.fixture(autouse=True)
def _capable_terminal(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")  # a forced terminal is dumb under TERM=dumb


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=120), out


def _plan(result) -> dict:
    plan = json.loads(result.plan.model_dump_json())
    for key in TIMING:
        plan.pop(key, None)
    return plan


def test_line_shows_best_bound_gap_and_time_limit():
    console, out = _terminal()
    progress = SolveProgress(console, threshold=0)
    with progress.watch(cp_model.CpSolver(), time_limit=30, scale=1) as callback:
        assert callback is not None
        progress._bound(2000.0)
        assert "no plan yet  bound 2000" in progress.line()
        progress._found(1937.0, 1950.0)
        line = progress.line()
    assert line.startswith("solving: best 1937  bound 1950  gap 0.67%  ")
    assert line.endswith(" s of 30 s")
    assert "solving:" in out.getvalue()  # drawn on the (fake) terminal


def test_line_shows_the_score_under_a_tiebreak_scale():
    progress = SolveProgress(Console(file=io.StringIO(), force_terminal=True), threshold=0)
    with progress.watch(cp_model.CpSolver(), time_limit=5, scale=100):
        progress._found(193_650.0, 195_000.0)  # 100 * score - tiebreak
        assert "best 1937  bound 1950" in progress.line()


def test_solve_feeds_the_line_and_the_plan_is_unchanged(example_path):
    """A solution callback must not change the search: same plan JSON, 1 worker, seed 0."""
    client = load_client(example_path)
    plain = solve(client, weeks=1, seed=0, workers=1)
    console, out = _terminal()
    with SolveProgress(console, threshold=0) as progress:
        watched = solve(client, weeks=1, seed=0, workers=1, progress=progress)
    assert _plan(watched) == _plan(plain)
    # The callbacks saw the optimum and a bound (the final proof needs no bound callback).
    assert progress.objective == plain.objective and progress.bound >= plain.bound
    shown = out.getvalue()
    assert f"best {plain.objective}" in shown and f"bound {round(progress.bound)}" in shown
    assert "gap " in shown and "s of 30 s" in shown


def test_mesocycle_plan_is_unchanged_by_the_line():
    client = load_client(ROOT / "examples" / "sam.yaml")
    plain = solve(client, weeks=3, seed=3, workers=1)
    with SolveProgress(_terminal()[0], threshold=0) as progress:
        watched = solve(client, weeks=3, seed=3, workers=1, progress=progress)
    assert _plan(watched) == _plan(plain)


def test_silent_when_not_a_terminal(example_path):
    out = io.StringIO()
    progress = SolveProgress(Console(file=out), threshold=0)
    assert not progress.enabled
    with progress.watch(cp_model.CpSolver(), time_limit=30) as callback:
        assert callback is None
    solve(load_client(example_path), weeks=1, progress=progress)
    assert out.getvalue() == ""


def test_silent_on_a_dumb_terminal(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    console, out = _terminal()
    progress = SolveProgress(console, threshold=0)
    with progress.watch(cp_model.CpSolver(), time_limit=30) as callback:
        assert callback is None
    assert out.getvalue() == ""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_shows_it_only_in_a_terminal_and_never_under_quiet(monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Tty())
    assert isinstance(cli._status_line(), SolveProgress)
    assert cli._status_line(quiet=True).__enter__() is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli._status_line().__enter__() is None


@pytest.mark.parametrize("extra", [[], ["--quiet"]])
def test_cli_solve_prints_no_status_when_stderr_is_not_a_terminal(example_path, extra):
    res = CliRunner().invoke(cli.main, ["solve", str(example_path), "--weeks", "1", *extra])
    assert res.exit_code == 0, res.output
    assert "solving:" not in res.stderr and "solving:" not in res.stdout


def test_line_follows_the_full_model_after_the_representative_stage(monkeypatch):
    # A first box too small for a proof and a representative stage that finds nothing in
    # its box: the full model runs on for the rest of the time limit, and the line shows
    # that run (the plan is the same with and without the line).
    from legback_solver.cpsat import represent

    monkeypatch.setattr(represent, "FIRST_DETERMINISTIC", 0.001)
    monkeypatch.setattr(represent, "represent", lambda *args, **kw: None)
    client = load_client(ROOT / "examples" / "sam.yaml")
    plain = solve(client, weeks=3, seed=3, workers=1)
    console, out = _terminal()
    with SolveProgress(console, threshold=0) as progress:
        watched = solve(client, weeks=3, seed=3, workers=1, progress=progress)
    assert _plan(watched) == _plan(plain)
    assert progress.objective == plain.objective
    assert f"best {plain.objective}" in out.getvalue()


def test_line_shows_the_representative_stage(monkeypatch):
    # Straight to the representative weeks (as a 12-week plan goes): R's proven bounds
    # and P's plan feed the one line of the whole solve; R's own solutions (a relaxation's,
    # not plans) never show as the best plan; the plan is the same with and without it.
    from legback_solver.cpsat import represent

    monkeypatch.setattr(represent, "STRAIGHT_WEEKS", 3)
    client = load_client(ROOT / "examples" / "alex.yaml")  # R scores above the plan
    plain = solve(client, weeks=3, seed=3, workers=1)
    console, out = _terminal()
    seen: list[tuple[float | None, float | None]] = []
    progress = SolveProgress(console, threshold=0)
    found = progress._found

    def spy(objective: float, bound: float | None) -> None:
        seen.append((objective, bound))
        found(objective, bound)

    monkeypatch.setattr(progress, "_found", spy)
    with progress:
        watched = solve(client, weeks=3, seed=3, workers=1, progress=progress)
    assert _plan(watched) == _plan(plain)
    assert seen and all(obj <= plain.objective for obj, _ in seen)  # plans only
    assert progress.objective == plain.objective
    assert progress.bound is not None and progress.bound >= plain.bound
    assert f"best {plain.objective}" in out.getvalue() and "bound " in out.getvalue()


def test_a_span_keeps_one_clock_and_the_best_figures():
    progress = SolveProgress(_terminal()[0], threshold=0)
    with progress.span(time_limit=30):
        started = progress.started
        for objective, bound in ((10, 20), (8, 25)):  # a later stage's worse figures
            with progress.watch(cp_model.CpSolver(), time_limit=5) as callback:
                assert callback is not None
                progress._found(objective, bound)
        assert progress.started == started and progress.time_limit == 30
        assert (progress.objective, progress.bound) == (10, 20)
    assert progress._live is None  # the line is gone with the span
