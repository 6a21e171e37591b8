"""Trade-offs: Pareto fronts and what-if sweeps over rule parameters and client fields.

``pareto`` traces stimulus against spinal load by the epsilon-constraint method on the
CP-SAT model of cpsat/build.py: for each spinal-load cap epsilon it maximises the stimulus
terms (lexicographically, then the least spinal load at that stimulus), so every point
proven optimal is non-dominated. Each point's solution hints the next one, which steps
the front upwards in epsilon (a feasible hint is an incumbent from the start).

``sweep`` re-solves a client for each value of one rule parameter (``"back-loading-gap.
hours"``, a dotted path into the client's ``rules:`` overrides) or one client field
(``"availability"``, ``"back_status"``, ``"weeks"``, ...) and tabulates the answers.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pandas as pd
from ortools.sat.python import cp_model

from .cpsat import MAX_SETS, STATUS, build, decode, make_solver
from .data import make_data
from .models import MUSCLES, Client
from .report import build_report
from .solve import solve
from .util import deep_merge

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PARETO_AXES = {"x": ("spinal_load",), "y": ("stimulus",)}
_INK, _LINE, _SOFT = "#1d2733", "#4477aa", "#cc3311"


# --------------------------------------------------------------------------- pareto


def _stimulus_expr(b) -> Any:
    terms = [expr * w for expr, w, name in b.ctx.rewards if name.startswith("stimulus")]
    return sum(terms) if terms else 0


def _load_expr(b) -> tuple[Any, int]:
    """Total spinal load of the plan (units x sets over all sessions) and an upper bound."""
    exs, v = b.data.exercises, b.v
    terms, ub = [], 0
    for w in range(v.W):
        for s in range(v.S):
            for e, ex in enumerate(exs):
                if ex.spinal_units:
                    terms.append(ex.spinal_units * v.n[w][s][e])
                    ub += ex.spinal_units * MAX_SETS
    return (sum(terms) if terms else 0), ub


def _hint_all(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable with its value in the solver's last solution."""
    model.clear_hints()
    for i in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(i)
        model.add_hint(var, solver.value(var))


def _set_cap(model: cp_model.CpModel, var: cp_model.IntVar, lo: int, hi: int) -> None:
    dom = model.proto.variables[var.index].domain
    dom.clear()
    dom.extend([lo, hi])


def pareto(
    client: Client,
    x: str = "spinal_load",
    y: str = "stimulus",
    weeks: int = 1,
    points: int = 6,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 1,
) -> pd.DataFrame:
    """Non-dominated plans of CLIENT: most stimulus (y) for at most so much spinal load (x).

    Two solves find the extremes (least achievable load; load of the most stimulating
    plan), then POINTS caps spread evenly between them are solved, each to proven
    optimality within TIME_LIMIT seconds (status 'optimal') or marked 'feasible' with
    its gap on the stimulus. Columns: epsilon, spinal_load, stimulus, objective (the
    plan's full objective), status, gap, solve_seconds, plan (a Plan the checker can
    audit). Dominated and duplicate points are dropped. An infeasible client gives an
    empty frame. For a mesocycle (WEEKS > 1) the load is summed over all weeks."""
    if x not in PARETO_AXES["x"] or y not in PARETO_AXES["y"]:
        raise ValueError(f"pareto supports x in {PARETO_AXES['x']} and y in {PARETO_AXES['y']}")
    data = make_data(client, weeks)
    b = build(data)
    model = b.model
    stim = _stimulus_expr(b)
    load_expr, ub = _load_expr(b)
    load = model.new_int_var(0, ub, "pareto_load")
    model.add(load == load_expr)
    big = ub + 1  # stimulus first, then the least load: 0 <= load < big
    columns = ["epsilon", "spinal_load", "stimulus", "objective", "status", "gap"]
    columns += ["solve_seconds", "plan"]

    def run(maximise: Any) -> tuple[str, cp_model.CpSolver, float]:
        model.maximize(maximise)
        solver = make_solver(seed, time_limit, workers, 0.0)
        t0 = time.perf_counter()
        code = solver.solve(model)
        return STATUS[code], solver, time.perf_counter() - t0

    # Extreme 1: the least spinal load any plan can have.
    status, solver, _ = run(-load)
    if status not in ("optimal", "feasible"):
        return pd.DataFrame(columns=columns)
    lo = int(solver.value(load))
    _hint_all(model, solver)
    # Extreme 2: the load of the most stimulating plan (least load among those).
    status, solver, _ = run(big * stim - load)
    hi = int(solver.value(load)) if status in ("optimal", "feasible") else ub
    n = max(1, points)
    caps = sorted({round(lo + (hi - lo) * k / max(1, n - 1)) for k in range(n)})

    rows = []
    for eps in caps:  # upwards: the previous plan stays feasible, a ready incumbent
        _set_cap(model, load, 0, eps)
        status, solver, secs = run(big * stim - load)
        if status not in ("optimal", "feasible"):
            continue
        _hint_all(model, solver)
        s_val = int(solver.value(stim))
        bound = -(-round(solver.best_objective_bound) // big)  # stimulus bound
        gap = None
        if status == "optimal" or bound <= s_val:
            status = "optimal"
        else:
            gap = round((bound - s_val) / max(1, abs(bound)), 5)
        plan = decode(b, solver, status, seed)
        plan.objective = int(solver.value(b.score))
        plan.gap = gap
        plan.solve_seconds = round(secs, 4)
        plan.report = build_report(b, solver, plan)
        rows.append(
            {
                "epsilon": eps,
                "spinal_load": int(solver.value(load)),
                "stimulus": s_val,
                "objective": plan.objective,
                "status": status,
                "gap": gap,
                "solve_seconds": round(secs, 4),
                "plan": plan,
            }
        )
    _set_cap(model, load, 0, ub)
    return pd.DataFrame(non_dominated(rows), columns=columns)


def non_dominated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows no other row dominates (less or equal load and more or equal stimulus, one
    strictly); of equal points the first is kept. Sorted by load."""
    out = []
    for i, r in enumerate(rows):
        dominated = any(
            (o["spinal_load"] <= r["spinal_load"] and o["stimulus"] >= r["stimulus"])
            and (
                o["spinal_load"] < r["spinal_load"]
                or o["stimulus"] > r["stimulus"]
                or j < i  # an equal point seen earlier
            )
            for j, o in enumerate(rows)
            if j != i
        )
        if not dominated:
            out.append(r)
    return sorted(out, key=lambda r: r["spinal_load"])


# --------------------------------------------------------------------------- sweep


def _nested(path: list[str], value: Any) -> dict[str, Any]:
    out: Any = value
    for key in reversed(path):
        out = {key: out}
    return out


def _label(value: Any) -> Any:
    if isinstance(value, int | float | str | bool):
        return value
    if isinstance(value, list | tuple):  # availability: the days it names
        days = []
        for slot in value:
            day = slot.get("day") if isinstance(slot, dict) else getattr(slot, "day", slot)
            days.append(str(day))
        return f"{len(value)}: " + " ".join(days)
    return str(value)


def with_value(client: Client, parameter: str, value: Any) -> tuple[Client, int | None]:
    """CLIENT with PARAMETER set to VALUE, and the weeks if PARAMETER is 'weeks'.

    A client field (``availability``, ``back_status``, ...) is replaced; anything else
    is a dotted rule path ``rule-id.param[.key...]`` merged into the client's rules."""
    if parameter == "weeks":
        return client, int(value)
    if parameter in Client.model_fields:
        data = client.model_dump()
        data[parameter] = value
        return Client.model_validate(data), None
    path = parameter.split(".")
    if len(path) < 2:
        raise ValueError(
            f"{parameter!r} is neither a client field nor a rule path like 'back-loading-gap.hours'"
        )
    rules = deep_merge(client.rules, _nested(path, value))
    return client.model_copy(update={"rules": rules}), None


def sweep(
    client: Client,
    parameter: str,
    values: list[Any],
    weeks: int = 1,
    time_limit: float = 10.0,
    seed: int = 0,
    gap: float | None = None,
) -> pd.DataFrame:
    """Solve CLIENT once per value of PARAMETER (a client field or a dotted rule path).

    One row per value: value, label (plottable), weeks, status, objective, stimulus,
    spinal_load (per week, averaged over the plan's weeks), one column per muscle
    (weekly hard sets, secondary muscles 1/2, averaged over non-deload weeks), binding
    (rules with zero slack), solve_seconds, explanation (first line, when infeasible)."""
    from .figures import plan_figures
    from .report import Report

    rows = []
    for value in values:
        c, w = with_value(client, parameter, value)
        nweeks = w or weeks
        result = solve(c, weeks=nweeks, seed=seed, time_limit=time_limit, gap=gap)
        plan = result.plan
        row: dict[str, Any] = {
            "value": value,
            "label": _label(value),
            "weeks": nweeks,
            "status": result.status,
            "objective": plan.objective,
            "stimulus": None,
            "spinal_load": None,
            **{m: None for m in MUSCLES},
            "binding": [],
            "solve_seconds": round(result.solve_seconds, 4),
            "explanation": result.explanation[0] if result.explanation else None,
            "plan": plan,
        }
        if result.feasible:
            report = Report.from_dict(plan.report)
            row["stimulus"] = report.groups().get("stimulus", 0)
            row["binding"] = report.binding
            figs = plan_figures(plan)
            row["spinal_load"] = sum(figs.weekly_load) / max(1, len(figs.weekly_load))
            keep = [k for k, ph in enumerate(figs.phases) if ph != "deload"] or list(
                range(len(figs.phases))
            )
            for m in MUSCLES:
                row[m] = sum(figs.sets[m][k] for k in keep) / len(keep)
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- plots


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def plot_pareto(df: pd.DataFrame, ax: Axes | None = None, label: str | None = None) -> Figure:
    """Stimulus against spinal load along a front; open markers are points not proven
    optimal (their gap is annotated). Call again with the same AX to overlay fronts."""
    fig, ax = _axes(ax, (7, 4.5))
    d = df.sort_values("spinal_load")
    line = ax.step(d["spinal_load"], d["stimulus"], where="post", lw=1.5, label=label, zorder=2)
    colour = line[0].get_color()
    proven = d["status"] == "optimal"
    ax.scatter(d.loc[proven, "spinal_load"], d.loc[proven, "stimulus"], color=colour, zorder=3)
    ax.scatter(
        d.loc[~proven, "spinal_load"],
        d.loc[~proven, "stimulus"],
        facecolor="white",
        edgecolor=colour,
        zorder=3,
    )
    for _, r in d.loc[~proven].iterrows():
        ax.annotate(f"gap {r['gap']:.1%}", (r["spinal_load"], r["stimulus"]), fontsize=8)
    ax.set_xlabel("spinal load (units x sets)")
    ax.set_ylabel("stimulus (objective points)")
    ax.set_title("Stimulus against spinal load (Pareto front)", color=_INK, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if label:
        ax.legend(frameon=False)
    return fig


def plot_sweep(df: pd.DataFrame, y: str | list[str], ax: Axes | None = None) -> Figure:
    """Y (a column or several, e.g. muscles) against the swept value; infeasible values
    are marked with a red x on the axis."""
    fig, ax = _axes(ax, (7, 4.5))
    ys = [y] if isinstance(y, str) else list(y)
    labels = [str(v) for v in df["label"]]
    xs = list(range(len(df)))
    numeric = pd.api.types.is_numeric_dtype(df["label"])
    if numeric:
        xs = list(df["label"])
    for col in ys:
        vals = pd.to_numeric(df[col], errors="coerce")
        ax.plot(xs, vals, marker="o", label=col.replace("_", " "))
    bad = [x for x, st in zip(xs, df["status"], strict=True) if st not in ("optimal", "feasible")]
    if bad:
        ax.scatter(bad, [0] * len(bad), marker="x", color=_SOFT, label="no plan", zorder=4)
    if not numeric:
        ax.set_xticks(xs, labels, fontsize=8)
    ax.set_ylabel(ys[0].replace("_", " ") if len(ys) == 1 else "weekly sets")
    ax.spines[["top", "right"]].set_visible(False)
    if len(ys) > 1 or bad:
        ax.legend(frameon=False, fontsize=8, ncol=2 if len(ys) > 6 else 1)
    return fig
