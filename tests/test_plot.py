"""Charts: weekly sets per muscle against the target range, spinal load against the cap."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from legback_solver import solve
from legback_solver.cli import main
from legback_solver.errors import InputError
from legback_solver.figures import plan_figures
from legback_solver.models import MUSCLES, Plan
from legback_solver.plot import plot_bytes, plot_plan
from tests.conftest import client


@pytest.fixture(scope="session")
def plan() -> Plan:
    result = solve(client(back_status="sensitive"), weeks=3, start_date=date(2026, 11, 23))
    assert result.feasible
    return result.plan


def test_figures_follow_the_plans_rulebook(plan: Plan) -> None:
    fig = plan_figures(plan)
    assert fig.back_status == "sensitive"
    assert fig.session_cap == plan.rulebook.rules["spinal-budget"]["session"]["sensitive"]
    # quads [8, 18]: the default minimum is capped at 4 sets (muscle-sets min_cap, issue 12)
    assert fig.ranges is not None and fig.ranges["quads"] == (4, 18)
    assert len(fig.sessions) == sum(len(w.sessions) for w in plan.weeks)
    assert all(0 < s.load <= fig.session_cap for s in fig.sessions)
    assert fig.phases[-1] == "deload"


def test_chart_has_a_panel_per_muscle_and_the_spinal_cap(plan: Plan) -> None:
    fig = plot_plan(plan)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert [m.replace("_", " ") for m in MUSCLES] == titles[: len(MUSCLES)]
    spinal = next(ax for ax in fig.axes if ax.get_title(loc="left") == "Spinal load per session")
    cap = plan_figures(plan).session_cap
    assert any(list(line.get_ydata()) == [cap, cap] for line in spinal.get_lines())
    assert len(spinal.patches) == len(plan_figures(plan).sessions)
    quads = fig.axes[0]
    assert len(quads.patches) == 1 + len(plan.weeks)  # the target band and a bar per week


def test_png_and_svg(plan: Plan) -> None:
    png = plot_bytes(plan, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    assert b"<svg" in plot_bytes(plan, "svg")[:1000]
    with pytest.raises(InputError, match=r"\.png"):
        plot_bytes(plan, "gif")


def test_cli_plot(plan: Plan, tmp_path) -> None:
    src = tmp_path / "plan.json"
    src.write_text(plan.to_json())
    out = tmp_path / "plan.png"
    res = CliRunner().invoke(main, ["plot", str(src), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:4] == b"\x89PNG"
    res = CliRunner().invoke(main, ["plot", str(src), "--out", str(tmp_path / "plan.gif")])
    assert res.exit_code == 2 and not (tmp_path / "plan.gif").exists()
    infeasible = plan.model_copy(update={"weeks": [], "status": "infeasible"})
    src.write_text(infeasible.to_json())
    res = CliRunner().invoke(main, ["plot", str(src), "--out", str(out)])
    assert res.exit_code == 2 and "no weeks" in res.output
