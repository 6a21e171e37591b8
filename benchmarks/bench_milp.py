"""CP-SAT against a MILP peer on the same model (issue 13).

    .venv/bin/python benchmarks/bench_milp.py [--repeats 3] [--roster 4] [--weeks 1]
                                              [--solvers SCIP,HIGHS] [--time-limit 120]

Builds legback's CP-SAT model (``legback_solver.cpsat.build``) for examples/alex.yaml,
examples/riley.toml, examples/sam.yaml and the first --roster clients of the synthetic
roster (``legback_solver.roster.make_roster(n, seed=0)``), translates its CpModelProto into
a MILP (pywraplp) and solves it with SCIP (and HiGHS), side by side with CP-SAT (1 worker,
seed 0, legback's parameters), all with a relative gap of 0. Medians over --repeats runs.

The translation, constraint by constraint (a literal ``l`` is ``x`` or ``1 - x``;
``off = sum(1 - e)`` over a constraint's enforcement literals, 0 when it is enforced):

* linear ``lo <= a.x <= hi``: ``a.x >= lo - (lo - min a.x) * off`` and
  ``a.x <= hi + (max a.x - hi) * off``, min/max from the variables' bounds (big-M);
  a domain of several intervals gets one binary per interval (``sum z >= 1 - off``, each
  interval's bounds relaxed by big-M when its binary is 0);
* bool_or: ``sum l + off >= 1``; bool_and: ``l + off >= 1`` for each literal;
* exactly_one / at_most_one: ``sum l <= 1 + (k - 1) * off`` (and ``sum l + off >= 1``);
* lin_max ``t = max(e_i)`` (min is lin_max of negations): ``t >= e_i`` for every i, and
  ``t <= e_i + M_i (1 - z_i)`` with ``sum z_i = 1`` (big-M from the bounds);
* the objective as CP-SAT stores it (``scaling_factor * (c.x + offset)``).

Any other constraint type is counted and reported as untranslated (the MILP optimum is
then only a bound). Every MILP solution is fixed into the CP-SAT model and checked
feasible there, and its objective is compared with CP-SAT's optimum.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ortools.linear_solver import pywraplp  # noqa: E402
from ortools.sat.python import cp_model  # noqa: E402

INF = 2**62  # CP-SAT writes unbounded domain ends as int64 min/max
KINDS = (
    "linear",
    "bool_or",
    "bool_and",
    "exactly_one",
    "at_most_one",
    "lin_max",
    "bool_xor",
    "int_prod",
    "int_div",
    "int_mod",
    "element",
    "table",
    "all_diff",
    "automaton",
    "inverse",
    "interval",
    "no_overlap",
    "no_overlap_2d",
    "cumulative",
    "reservoir",
    "circuit",
    "routes",
)


def kind(ct: Any) -> str:
    for k in KINDS:
        if getattr(ct, "has_" + k)():
            return k
    return "empty"


Form = tuple[dict[int, float], float]  # coefficients by variable index, constant


@dataclass
class Milp:
    solver: pywraplp.Solver
    x: list[Any]
    lo: list[int]
    hi: list[int]
    obj_scale: float = 1.0
    obj_offset: float = 0.0
    counts: Counter = field(default_factory=Counter)
    enforced: Counter = field(default_factory=Counter)  # translated with big-M
    untranslated: Counter = field(default_factory=Counter)
    extra_binaries: int = 0

    # -- linear forms ------------------------------------------------------------------
    def lit(self, ref: int) -> Form:
        return ({ref: 1.0}, 0.0) if ref >= 0 else ({-ref - 1: -1.0}, 1.0)

    def add_forms(self, *forms: tuple[float, Form]) -> Form:
        coefs: dict[int, float] = {}
        const = 0.0
        for k, (c, b) in forms:
            for i, a in c.items():
                coefs[i] = coefs.get(i, 0.0) + k * a
            const += k * b
        return coefs, const

    def expr(self, vars_: Any, coeffs: Any, offset: float = 0.0) -> Form:
        coefs: dict[int, float] = {}
        for v, c in zip(vars_, coeffs, strict=True):
            coefs[v] = coefs.get(v, 0.0) + float(c)
        return coefs, float(offset)

    def bounds(self, f: Form) -> tuple[float, float]:
        c, b = f
        lo = b + sum(a * (self.lo[i] if a > 0 else self.hi[i]) for i, a in c.items())
        hi = b + sum(a * (self.hi[i] if a > 0 else self.lo[i]) for i, a in c.items())
        return lo, hi

    def off(self, enforcement: Any) -> Form:
        """sum(1 - e) over the enforcement literals: 0 when the constraint applies."""
        return self.add_forms(
            *[(-1.0, self.lit(e)) for e in enforcement], (1.0, ({}, float(len(enforcement))))
        )

    def new_binary(self) -> int:
        self.x.append(self.solver.BoolVar(f"z{len(self.x)}"))
        self.lo.append(0)
        self.hi.append(1)
        self.extra_binaries += 1
        return len(self.x) - 1

    def add(self, f: Form, lo: float, hi: float) -> None:
        """lo <= f <= hi as one row."""
        c, b = f
        row = self.solver.Constraint(
            -self.solver.infinity() if lo <= -INF else lo - b,
            self.solver.infinity() if hi >= INF else hi - b,
        )
        for i, a in c.items():
            if a:
                row.SetCoefficient(self.x[i], a)

    def geq(self, f: Form, rhs: float, off: Form) -> None:
        """f >= rhs unless off >= 1 (big-M from f's bounds)."""
        lo, _ = self.bounds(f)
        if rhs <= lo:
            return
        if off[0]:
            f = self.add_forms((1.0, f), (rhs - lo, off))
        self.add(f, rhs, INF)

    def leq(self, f: Form, rhs: float, off: Form) -> None:
        _, hi = self.bounds(f)
        if rhs >= hi:
            return
        if off[0]:
            f = self.add_forms((1.0, f), (-(hi - rhs), off))
        self.add(f, -INF, rhs)

    # -- constraints -------------------------------------------------------------------
    def linear(self, f: Form, dom: list[int], off: Form) -> None:
        """f in the union of DOM's intervals unless off >= 1."""
        if len(dom) == 2:
            self.geq(f, dom[0], off)
            self.leq(f, dom[1], off)
            return
        zs = []  # a union of intervals: one binary per interval, at least one chosen
        for j in range(0, len(dom), 2):
            z = self.new_binary()
            zs.append(z)
            nz = self.add_forms((1.0, off), (-1.0, ({z: 1.0}, 0.0)), (1.0, ({}, 1.0)))
            self.geq(f, dom[j], nz)
            self.leq(f, dom[j + 1], nz)
        self.geq(self.add_forms(*[(1.0, ({z: 1.0}, 0.0)) for z in zs], (1.0, off)), 1, ({}, 0.0))

    def constraint(self, ct: Any) -> None:
        k = kind(ct)
        self.counts[k] += 1
        if len(ct.enforcement_literal):
            self.enforced[k] += 1
        off = self.off(list(ct.enforcement_literal)) if len(ct.enforcement_literal) else ({}, 0.0)
        if k == "linear":
            lin = ct.linear
            self.linear(self.expr(list(lin.vars), list(lin.coeffs)), list(lin.domain), off)
        elif k == "bool_or":
            lits = [self.lit(r) for r in ct.bool_or.literals]
            self.geq(self.add_forms(*[(1.0, f) for f in lits], (1.0, off)), 1, ({}, 0.0))
        elif k == "bool_and":
            for r in ct.bool_and.literals:
                self.geq(self.add_forms((1.0, self.lit(r)), (1.0, off)), 1, ({}, 0.0))
        elif k in ("exactly_one", "at_most_one"):
            refs = list(getattr(ct, k).literals)
            f = self.add_forms(*[(1.0, self.lit(r)) for r in refs])
            self.leq(f, 1, off)
            if k == "exactly_one":
                self.geq(f, 1, off)
        elif k == "lin_max":
            m = ct.lin_max
            t = self.expr(list(m.target.vars), list(m.target.coeffs), m.target.offset)
            exprs = [self.expr(list(e.vars), list(e.coeffs), e.offset) for e in m.exprs]
            for e in exprs:  # t >= e_i
                self.geq(self.add_forms((1.0, t), (-1.0, e)), 0, off)
            if len(exprs) == 1:
                self.leq(self.add_forms((1.0, t), (-1.0, exprs[0])), 0, off)
                return
            zs = [self.new_binary() for _ in exprs]
            for z, e in zip(zs, exprs, strict=True):  # t <= e_i when z_i
                nz = self.add_forms((1.0, off), (-1.0, ({z: 1.0}, 0.0)), (1.0, ({}, 1.0)))
                self.leq(self.add_forms((1.0, t), (-1.0, e)), 0, nz)
            self.add(self.add_forms(*[(1.0, ({z: 1.0}, 0.0)) for z in zs]), 1, 1)
        else:
            self.untranslated[k] += 1


@contextmanager
def _no_stdout() -> Iterator[None]:
    """Silence fd 1 (HiGHS prints its banner there whatever SuppressOutput says)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _create(backend: str) -> pywraplp.Solver | None:
    with _no_stdout():
        return pywraplp.Solver.CreateSolver(backend)


def translate(proto: Any, backend: str) -> Milp:
    solver = _create(backend)
    if solver is None:
        raise RuntimeError(f"{backend} is not available in this ortools build")
    solver.SuppressOutput()
    x, lo, hi = [], [], []
    for i, v in enumerate(proto.variables):
        dom = list(v.domain)
        a, b = dom[0], dom[-1]
        x.append(solver.BoolVar(f"x{i}") if (a, b) == (0, 1) else solver.IntVar(a, b, f"x{i}"))
        lo.append(a)
        hi.append(b)
    milp = Milp(solver, x, lo, hi)
    for i, v in enumerate(proto.variables):  # holes in a variable's domain
        dom = list(v.domain)
        if len(dom) > 2:
            milp.counts["domain holes"] += 1
            milp.linear(({i: 1.0}, 0.0), dom, ({}, 0.0))
    for ct in proto.constraints:
        milp.constraint(ct)
    obj = proto.objective
    f = milp.expr(list(obj.vars), list(obj.coeffs))
    objective = solver.Objective()
    for i, a in f[0].items():
        objective.SetCoefficient(x[i], a)
    objective.SetMinimization()  # CP-SAT stores a maximisation as min of the negation
    milp.obj_scale = obj.scaling_factor or 1.0
    milp.obj_offset = obj.offset
    if len(obj.domain):
        milp.untranslated["objective domain"] += 1
    return milp


def solve_milp(milp: Milp, time_limit: float) -> tuple[str, float | None, float, list[int]]:
    s = milp.solver
    s.SetNumThreads(1)
    s.SetTimeLimit(int(time_limit * 1000))
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, 0.0)
    with _no_stdout():
        t0 = time.perf_counter()
        code = s.Solve(params)
        seconds = time.perf_counter() - t0
    status = {
        s.OPTIMAL: "optimal",
        s.FEASIBLE: "feasible",
        s.INFEASIBLE: "infeasible",
        s.NOT_SOLVED: "unknown",
        s.ABNORMAL: "abnormal",
        99: "unknown",  # HiGHS through pywraplp, stopped by the time limit without an answer
    }.get(code, f"code {code}")
    if status not in ("optimal", "feasible"):
        return status, None, seconds, []
    values = [round(v.solution_value()) for v in milp.x]
    value = milp.obj_scale * (s.Objective().Value() + milp.obj_offset)
    return status, value, seconds, values


def check_in_cpsat(model: cp_model.CpModel, values: list[int]) -> bool:
    """The MILP solution, fixed into the CP-SAT model, is feasible there."""
    m = model.clone()
    for i in range(len(model.proto.variables)):
        m.add(m.get_int_var_from_proto_index(i) == values[i])
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.max_time_in_seconds = 30
    return s.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def instances(roster: int, weeks: int) -> list[tuple[str, Any]]:
    from legback_solver import load_client
    from legback_solver.batch import read_roster
    from legback_solver.io import parse_client
    from legback_solver.roster import make_roster

    out = [(p, load_client(ROOT / "examples" / p)) for p in ("alex.yaml", "riley.toml", "sam.yaml")]
    for e in read_roster(make_roster(roster, seed=0))[:roster]:
        out.append((f"roster:{e.key}", parse_client(e.data, e.key)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--roster", type=int, default=4, help="roster clients (make_roster seed 0)")
    ap.add_argument("--weeks", type=int, default=1)
    ap.add_argument("--solvers", default="SCIP,HIGHS")
    ap.add_argument("--time-limit", type=float, default=120.0)
    args = ap.parse_args()

    from legback_solver.cpsat import STATUS, build, make_solver
    from legback_solver.data import make_data

    backends = [b for b in args.solvers.split(",") if b]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
        f" ortools {__import__('ortools').__version__}, load {os.getloadavg()[0]:.1f}"
    )
    print(f"weeks {args.weeks}, repeats {args.repeats}, gap 0, 1 thread each, seed 0")
    header = f"{'client':22s} {'vars':>5s} {'cons':>5s} {'CP-SAT':>16s}"
    for b in backends:
        header += f" {b:>20s} {'/CP-SAT':>7s}"
    print(header)
    ratios: dict[str, list[float]] = {b: [] for b in backends}
    counts: Counter = Counter()
    enforced: Counter = Counter()
    mismatches = []
    for name, client in instances(args.roster, args.weeks):
        built = build(make_data(client, args.weeks))
        proto = built.model.proto
        cp_times, cp_obj, cp_status = [], None, None
        for _ in range(args.repeats):
            solver = make_solver(0, args.time_limit, 1, 0.0)
            t0 = time.perf_counter()
            code = solver.solve(built.model)
            cp_times.append(time.perf_counter() - t0)
            cp_status = STATUS[code]
            if cp_status in ("optimal", "feasible"):
                cp_obj = solver.objective_value
        cp_med = statistics.median(cp_times)
        row = f"{name:22s} {len(proto.variables):5d} {len(proto.constraints):5d}"
        row += f" {cp_med:7.2f} s {cp_status[:3]} {'' if cp_obj is None else int(cp_obj):>5}"
        for b in backends:
            times, obj, status, ok, untranslated = [], None, None, True, Counter()
            for r in range(args.repeats):
                milp = translate(proto, b)
                untranslated = milp.untranslated
                if r == 0 and b == backends[0]:
                    counts.update(milp.counts)
                    enforced.update(milp.enforced)
                status, obj, seconds, values = solve_milp(milp, args.time_limit)
                times.append(seconds)
                if r == 0 and values:
                    ok = check_in_cpsat(built.model, values)
            med = statistics.median(times)
            same = (obj is None and cp_obj is None) or (
                obj is not None and cp_obj is not None and abs(obj - cp_obj) < 0.5
            )
            if not same or not ok or untranslated:
                mismatches.append(
                    f"{name} {b}: MILP {status} {obj}, CP-SAT {cp_status} {cp_obj},"
                    f" solution feasible in CP-SAT: {ok}, untranslated: {dict(untranslated)}"
                )
            ratio = med / cp_med if cp_med else float("nan")
            if status == "optimal" and cp_status == "optimal":
                ratios[b].append(ratio)
            shown = "" if obj is None else f"{obj:.0f}"
            row += f" {med:7.2f} s {status[:3]} {shown:>5} {ratio:6.1f}x"  # opt, fea, inf, unk, abn
        print(row, flush=True)
    for b in backends:
        if ratios[b]:
            print(
                f"{b} time / CP-SAT time (CP-SAT is this much faster):"
                f" median {statistics.median(ratios[b]):.1f}x,"
                f" min {min(ratios[b]):.1f}x, max {max(ratios[b]):.1f}x"
                f" over {len(ratios[b])} instances both proved optimal"
            )
    print(
        "constraints translated (all instances): "
        + ", ".join(f"{k} {n} ({enforced[k]} enforced, big-M)" for k, n in counts.most_common())
    )
    if mismatches:
        print("MISMATCHES:")
        for m in mismatches:
            print("  " + m)
    else:
        print(
            "every MILP optimum equals CP-SAT's, every MILP solution is feasible in CP-SAT,"
            " every constraint translated"
        )


if __name__ == "__main__":
    main()
