"""Charts of a plan (matplotlib, Agg canvas, no pyplot state).

Top: weekly hard sets per muscle against the muscle's target range (muscle-sets), one
small panel per muscle, week by week; deload weeks are hatched and have no target.
Bottom: spinal load per session (units x sets) against the session cap (spinal-budget),
over the weeks. Ranges and caps come from the rulebook recorded in the plan.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .figures import plan_figures
from .io.text import mathtext_safe
from .models import Client, Plan

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PLOT_FORMATS = ("png", "svg", "pdf")
_INK, _OK, _BAD, _BAND, _DELOAD = "#1d2733", "#4477aa", "#cc3311", "#bcd3ea", "#aaaaaa"


def plot_plan(plan: Plan, client: Client | None = None) -> Figure:
    """The figure: weekly sets per muscle vs target range, spinal load per session vs cap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    fig_data = plan_figures(plan, client)
    if not plan.weeks:
        raise InputError("plan", ["has no weeks to plot (an infeasible plan has no sessions)"])
    muscles = list(fig_data.sets)
    cols = 4
    rows = -(-len(muscles) // cols)
    fig = Figure(figsize=(12, 2.1 * rows + 3.6), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(rows + 2, cols, height_ratios=[1] * rows + [0.08, 1.5])
    weeks = fig_data.weeks
    x = list(range(len(weeks)))
    title = mathtext_safe(f"{plan.client}: rulebook {plan.rulebook.name}")
    if fig_data.back_status:
        title += f", {fig_data.back_status} back"
    fig.suptitle(title, color=_INK, fontsize=13, fontweight="bold")

    for i, m in enumerate(muscles):
        ax = fig.add_subplot(grid[i // cols, i % cols])
        sets = fig_data.sets[m]
        colours, hatches = [], []
        for k, v in enumerate(sets):
            deload = fig_data.phases[k] == "deload"
            out = False
            if fig_data.ranges is not None and not deload:
                lo, hi = fig_data.ranges[m]
                out = not lo <= v <= hi
            colours.append(_BAD if out else _DELOAD if deload else _OK)
            hatches.append("//" if deload else "")
        if fig_data.ranges is not None:
            lo, hi = fig_data.ranges[m]
            ax.axhspan(lo, hi, color=_BAND, alpha=0.6, lw=0, zorder=0)
            ax.set_ylim(0, max(hi, max(sets, default=0)) * 1.12 + 0.5)
        bars = ax.bar(x, sets, color=colours, width=0.7, zorder=2)
        for bar, h in zip(bars, hatches, strict=True):
            bar.set_hatch(h)
        ax.set_title(m.replace("_", " "), fontsize=10, color=_INK, loc="left")
        ax.set_xticks(x, [f"W{w}" for w in weeks], fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    legend_ax = fig.add_subplot(grid[(len(muscles)) // cols, len(muscles) % cols])
    legend_ax.axis("off")
    legend_ax.legend(
        handles=[
            Patch(color=_BAND, label="target range (weekly sets)"),
            Patch(color=_OK, label="sets in the week"),
            Patch(color=_BAD, label="outside the range"),
            Patch(facecolor=_DELOAD, hatch="//", label="deload week (no target)"),
        ],
        loc="center",
        frameon=False,
        fontsize=9,
    )

    ax = fig.add_subplot(grid[rows + 1, :])
    loads = [s.load for s in fig_data.sessions]
    cap = fig_data.session_cap
    xs = list(range(len(loads)))
    ax.bar(
        xs,
        loads,
        color=[_BAD if cap is not None and v > cap else _OK for v in loads],
        width=0.7,
        zorder=2,
    )
    if cap is not None:
        ax.axhline(cap, color=_BAD, ls="--", lw=1.2, label=f"session cap {cap}", zorder=3)
        ax.legend(loc="upper right", frameon=False, fontsize=9)
    previous = None
    for i, s in enumerate(fig_data.sessions):
        if previous is not None and s.week != previous:
            ax.axvline(i - 0.5, color="#999999", lw=0.8, ls=":")
        previous = s.week
    ax.set_xticks(xs, [s.label for s in fig_data.sessions], fontsize=8, rotation=45, ha="right")
    ax.set_ylabel("spinal load (units x sets)", fontsize=9)
    top = max([*loads, cap or 0, 1])
    ax.set_ylim(0, top * 1.15)
    ax.set_title("Spinal load per session", fontsize=11, color=_INK, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_bytes(plan: Plan, fmt: str = "png", client: Client | None = None) -> bytes:
    """The chart as a PNG, SVG or PDF file's content."""
    if fmt not in PLOT_FORMATS:
        raise InputError("--out", [f"{fmt!r} is not a chart format (use .png, .svg or .pdf)"])
    fig = plot_plan(plan, client)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=_metadata(fmt))
    return buf.getvalue()


def _metadata(fmt: str) -> dict[str, str | None]:
    # Keep files reproducible: no creation date or software stamp that changes per run.
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Date": None}
    return {"CreationDate": None}


def write_plot(plan: Plan, path: str | Path, client: Client | None = None) -> None:
    """Write the chart to PATH atomically; the format follows the suffix."""
    from .io import write_atomic

    fmt = Path(path).suffix.lower().lstrip(".")
    write_atomic(path, plot_bytes(plan, fmt, client))
