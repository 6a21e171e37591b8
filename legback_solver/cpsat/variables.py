"""Every core decision variable, created in one place.

The model selects exercises per session and counts their sets; the order inside a
session is not a variable, it follows from each exercise's fixed order key (tier, then
grip). Everything else here is a derived indicator, tied to the selection by
definitional constraints that are always on:

* ``x[w][s][e]``: exercise e is done in slot s of week w,
* ``n[w][s][e]``: its number of working sets (0 iff not selected),
* ``straps[w][s][e]``: it is done with straps (only strappable, grip-limited exercises),
* ``use``, ``legs``, ``back``, ``combined``, ``loading``, ``alpha_legs``, ``alpha_back``,
  ``hinge``: session indicators (held, has leg work, has back work, both,
  back-loading, its alpha is a leg lift, its alpha is a back lift, a heavy hinge),
* ``alpha_first[w][s][e]``: e is the session's alpha, its first max-effort lift in
  session order (the one meaning of "alpha": one-alpha counts max-effort lifts,
  alpha-alternation compares the sides of the alphas),
* ``day_used[d]``: some session is held on calendar day d (weekday when cyclic),
* ``hard_legs``, ``hard_back``: a lift with a primary muscle of the major group,
* ``halfsets[w][m]``: weekly hard sets of muscle m, counted in half sets (drills none).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ProblemData
from ..models import MAX_SETS, MUSCLES

__all__ = ["MAX_SETS", "Variables"]


class Attributes:
    """Auditing a finished plan (audit.py): what solving prescribes rather than decides
    (order in the session, RIR, rep range, load) becomes variables, so the prescriptive
    rules (compound-first, rir-progression, deload, intensity-waves, loads) state their
    meaning as constraints, and the plan's values are fixed into them.

    * ``pos[w][s][e]``: order number in the session,
    * ``rir``, ``low``, ``top``: RIR and rep range,
    * ``load``: load in grams, -1 for none; ``week_rir[w]``: the week's RIR or None.
    """

    def __init__(self, model: cp_model.CpModel, data: ProblemData) -> None:
        W, S, E = data.weeks, len(data.slots), len(data.exercises)
        ni = model.new_int_var

        def grid(lo: int, hi: int, name: str) -> list[list[list[cp_model.IntVar]]]:
            return [
                [[ni(lo, hi, f"{name}_{w}_{s}_{e}") for e in range(E)] for s in range(S)]
                for w in range(W)
            ]

        self.pos = grid(0, 1000, "pos")
        self.rir = grid(-1, 10, "rir")
        self.low = grid(0, 1000, "low")
        self.top = grid(0, 1000, "top")
        self.load = grid(-(10**9), 10**9, "load")
        self.week_rir: list[int | None] = data.audit_week_rir or [None] * W


class Variables:
    def __init__(
        self,
        model: cp_model.CpModel,
        data: ProblemData,
        set_ranges: list[list[tuple[int, int]]] | None = None,
        shared_selection: bool = False,
    ) -> None:
        W, S, E = data.weeks, len(data.slots), len(data.exercises)
        self.W, self.S, self.E = W, S, E
        # shared_selection (cpsat.build decides, see selection_is_shared): every week
        # selects the same exercises, so x and the indicators that follow from it are
        # created once and every week holds the same variables (W copies of the same
        # session logic cost presolve time and nothing else).
        self.shared = shared_selection
        WX = 1 if shared_selection else W
        self.attrs = Attributes(model, data) if data.auditing else None
        exs = data.exercises
        nb = model.new_bool_var
        ni = model.new_int_var

        self.x = [[[nb(f"x_{w}_{s}_{e}") for e in range(E)] for s in range(S)] for w in range(WX)]
        self.x += [self.x[0]] * (W - WX)
        self.n = [
            [[ni(0, MAX_SETS, f"n_{w}_{s}_{e}") for e in range(E)] for s in range(S)]
            for w in range(W)
        ]
        self.straps = [
            [
                {e: nb(f"straps_{w}_{s}_{e}") for e in range(E) if exs[e].strappable}
                for s in range(S)
            ]
            for w in range(W)
        ]

        def indicator(name: str, members: list[int]) -> list[list[cp_model.IntVar]]:
            out = []
            for w in range(WX):
                row = []
                for s in range(S):
                    b = nb(f"{name}_{w}_{s}")
                    xs = [self.x[w][s][e] for e in members]
                    if xs:
                        model.add_max_equality(b, xs)
                    else:
                        model.add(b == 0)
                    row.append(b)
                out.append(row)
            return out + [out[0]] * (W - WX)

        everything = list(range(E))
        self.use = indicator("use", everything)
        self.legs = indicator("legs", [e for e in everything if exs[e].counts_legs])
        self.back = indicator("back", [e for e in everything if exs[e].counts_back])
        self.loading = indicator("loading", [e for e in everything if exs[e].back_loading])
        # A session's alpha is its first max-effort lift in session order (SPEC 3a:
        # "a combined session opens with exactly one alpha lift"); first[w][s][e] says
        # that e is selected and no max-effort lift before it is.
        self.alpha_first: list[list[dict[int, cp_model.IntVar]]] = []
        for w in range(WX):
            week_firsts: list[dict[int, cp_model.IntVar]] = []
            for s in range(S):
                alphas = [e for e in data.session_order(w, s) if exs[e].max_effort]
                firsts = {}
                for k, e in enumerate(alphas):
                    f = nb(f"alpha_first_{w}_{s}_{e}")
                    earlier = [self.x[w][s][j] for j in alphas[:k]]
                    model.add_bool_and([self.x[w][s][e], *[~b for b in earlier]]).only_enforce_if(f)
                    model.add_bool_or([f, ~self.x[w][s][e], *earlier])
                    firsts[e] = f
                week_firsts.append(firsts)
            self.alpha_first.append(week_firsts)
        self.alpha_first += [self.alpha_first[0]] * (W - WX)

        def alpha_side(side: str) -> list[list[cp_model.IntVar]]:
            out = []
            for w in range(WX):
                row = []
                for s in range(S):
                    b = nb(f"alpha_{side}_{w}_{s}")
                    fs = [f for e, f in self.alpha_first[w][s].items() if exs[e].alpha_side == side]
                    model.add(b == sum(fs))  # at most one first alpha per session
                    row.append(b)
                out.append(row)
            return out + [out[0]] * (W - WX)

        self.alpha_legs = alpha_side("legs")
        self.alpha_back = alpha_side("back")
        self.hinge = indicator("hinge", [e for e in everything if exs[e].heavy_hinge])
        # muscle-recovery: a lift (not a drill) with a primary muscle in the group.
        legs_group, back_group = (
            {"quads", "hamstrings", "glutes"},
            {"lats", "upper_back", "erectors"},
        )
        lifts = [e for e in everything if not exs[e].is_drill]
        self.hard_legs = indicator(
            "hard_legs", [e for e in lifts if legs_group & set(exs[e].primary)]
        )
        self.hard_back = indicator(
            "hard_back", [e for e in lifts if back_group & set(exs[e].primary)]
        )

        by_day: dict[int, list[cp_model.IntVar]] = {}
        for ev in data.events:
            by_day.setdefault(ev.day % 7 if data.cyclic else ev.day, []).append(
                self.use[ev.w][ev.s]
            )
        self.day_used: dict[int, cp_model.IntVar] = {}
        for d, uses in sorted(by_day.items()):
            self.day_used[d] = nb(f"day_used_{d}")
            model.add_max_equality(self.day_used[d], uses)

        self.combined = []
        for w in range(WX):
            row = []
            for s in range(S):
                c = nb(f"combined_{w}_{s}")
                model.add_min_equality(c, [self.legs[w][s], self.back[w][s]])
                row.append(c)
            self.combined.append(row)
        self.combined += [self.combined[0]] * (W - WX)

        for w in range(W):
            for s in range(S):
                for e in range(E):
                    x, n = self.x[w][s][e], self.n[w][s][e]
                    lo, hi = set_ranges[w][e] if set_ranges else (1, MAX_SETS)
                    # One boolean per allowed set count: x = sum(y), n = sum(j * y).
                    # Measured 2x faster proofs than n = lo*x + k (benchmarks/README.md).
                    ys = [nb(f"sets{j}_{w}_{s}_{e}") for j in range(lo, hi + 1)]
                    model.add(x == sum(ys))
                    model.add(n == sum(j * y for j, y in zip(range(lo, hi + 1), ys, strict=True)))
                    if e in self.straps[w][s]:
                        model.add_implication(self.straps[w][s][e], x)

        self.halfsets: list[dict[str, cp_model.IntVar]] = []
        self.halfsets_ub: dict[str, int] = {}
        for w in range(W):
            by_muscle: dict[str, cp_model.IntVar] = {}
            for m in MUSCLES:
                terms, coefs = [], []
                for e, ex in enumerate(exs):
                    c = 2 if m in ex.primary else 1 if m in ex.secondary else 0
                    c = 0 if ex.is_drill else c  # a drill is a dose, no hard set
                    if c:
                        for s in range(S):
                            terms.append(self.n[w][s][e])
                            coefs.append(c)
                self.halfsets_ub[m] = MAX_SETS * sum(coefs)
                hs = ni(0, self.halfsets_ub[m], f"halfsets_{w}_{m}")
                model.add(hs == cp_model.LinearExpr.weighted_sum(terms, coefs))
                by_muscle[m] = hs
            self.halfsets.append(by_muscle)
