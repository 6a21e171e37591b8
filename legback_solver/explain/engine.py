"""The conflict engine: the explain-mode model of one client and a minimal set of
conflicting parts (rules' details and client facts).

What a conflict names (*units*). In explain mode every hard constraint is enforced by a
literal per (rule, detail) (``EncodeContext.hard``): muscle-sets per muscle and bound,
spinal-budget per session/weekly, session-shape per exercises/compounds/patterns/sets,
and so on. A rule with client-change units (availability) is named by client change
instead of by exercise: "needs ghd" (add the item), an excluded exercise's id (stop
excluding it), "skill" (allow exercises above the client's level); each such literal
forbids every exercise needing that change, so dropping units frees exactly what the
changed client could do.

Finding the conflict (``Engine.conflict``), on the feasibility model:

1. Group literals: one per rule, and for a client-change rule one per kind of change,
   implying their units. Assume all; the solver proves infeasibility and returns a
   sufficient subset; a deletion filter in adaptive blocks leaves a minimal set of
   groups. Every step still infeasible shrinks the set to the solver's new sufficient
   subset.
2. Refine the chosen groups into units, all at once (client changes last, those
   training none of the muscles named so far first, so unneeded ones go in bulk): one
   solve for a unit-level core, then the deletion filter over its units. Each chosen
   group keeps at least one unit (it was necessary), so the last unit left of a group is
   kept without a solve.

Each solve runs a ladder of CP-SAT profiles (``TIERS``), each stopped by a deterministic
budget: the light search (no presolve, no LP: a few ms on easy steps), then presolve
without the LP (infeasibility proofs of the slot-and-shape kind: 2-8x fewer
deterministic units than the LP on issue 13's client), then presolve plus the full LP
relaxation, which proves volume/budget conflicts the others cannot. A profile that runs
out of its budget is left for good: the engine's later steps start at the next one (see
benchmarks/bench_explain.py for the figures).
"""

from __future__ import annotations

import re
from typing import Any

from ortools.sat.python import cp_model

from ..cpsat import build, make_solver
from ..data import ProblemData
from ..rules import REGISTRY
from .result import Group, Key

# Engine.run's ladder: (presolve, linearization, budget in seconds or None: the rest of
# the step's limit). Light search first (no LP: 1.7x fewer seconds than linearization 1),
# then presolve without the LP, then the full LP (benchmarks/README.md, issue 13).
TIERS: tuple[tuple[bool, int, float | None], ...] = (
    (False, 0, 0.1),
    (True, 0, 0.1),
    (True, 2, None),
)
_MUSCLE = re.compile(r"^([a-z_]+)(?:>=|<=| week )")
_UNRANKED = 1_000_000


def _rank(rank: int | None) -> int:
    return _UNRANKED if rank is None else rank


class Engine:
    """The explain-mode model of one ProblemData, with group literals over its *units*.

    A unit is what a conflict can name. For most rules it is one (rule, detail) literal
    of ``EncodeContext.hard``. For a rule with client-change units (``Explaining.units``:
    availability) it is a client change ("needs ghd", an excluded exercise's id,
    "skill"): its literal forbids every exercise that needs that change, so dropping a
    set of units frees exactly the exercises a client with those changes could do.

    Level-1 groups: one per rule (details together), and for a client-change rule one
    per kind of change (``Explaining.unit_group``: equipment, exclusions, skill gate).
    Groups of rules with a ``drop_rank`` come first, so the deletion filter tries to
    remove them first."""

    def __init__(self, data: ProblemData, seed: int, step_limit: float) -> None:
        self.data, self.seed, self.step_limit = data, seed, step_limit
        self.b = build(data, explain=True, tiebreak=False)
        self.model = model = self.b.model
        model.clear_objective()  # feasibility only
        self.solves = 0
        self.dtime = 0.0  # CP-SAT deterministic time of every solve so far
        self.unproven = False
        self.tier = 0  # the first of TIERS this engine still runs (see run())
        self.cores: list[set[int]] = []  # literal indices of still_infeasible's proofs
        self.by_id = {ex.id: ex for ex in data.exercises}
        lits = self.b.ctx.literals
        self.unit_rules = {
            rid
            for rid, rule in REGISTRY.items()
            if rule.explaining.units is not None and data.rulebook.active(rid)
        }
        units: dict[Group, dict[Key, Any]] = {}
        for key in sorted(lits):
            if key[0] not in self.unit_rules:
                units.setdefault((key[0], ""), {})[key] = lits[key]
        self.members: dict[Key, list[int]] = {}  # client-change unit -> exercises it frees
        for rid in sorted(self.unit_rules):
            hooks = REGISTRY[rid].explaining
            assert hooks.units is not None and hooks.unit_group is not None
            forbid = {
                e: lits[(rid, ex.id)] for e, ex in enumerate(data.exercises) if (rid, ex.id) in lits
            }
            for unit, frees in sorted(hooks.units(data).items()):
                self.members[(rid, unit)] = frees
                lit = model.new_bool_var(f"unit:{rid}:{unit}")
                for e in frees:
                    if e in forbid:
                        model.add_implication(lit, forbid[e])
                units.setdefault((rid, hooks.unit_group(unit)), {})[(rid, unit)] = lit
        rank = {rid: rule.explaining.drop_rank for rid, rule in REGISTRY.items()}
        order = sorted(units, key=lambda g: (_rank(rank.get(g[0])), g))
        self.units = {g: units[g] for g in order}
        self.glit: dict[Group, Any] = {}  # group -> literal
        for g, members in self.units.items():
            if len(members) == 1:
                self.glit[g] = next(iter(members.values()))
            else:
                self.glit[g] = model.new_bool_var(f"group:{g[0]}:{g[1]}")
                for lit in members.values():
                    model.add_implication(self.glit[g], lit)
        self.group_of = {u: g for g, us in self.units.items() for u in us}
        self.unit_of = {lit.index: u for us in self.units.values() for u, lit in us.items()}
        # The plan (selection and sets) of the last solution found hints the next solve:
        # the deletion filter's steps differ by a part or two, so the last plan is
        # nearly one (bench_explain: 35% less CPU time, 40% fewer deterministic units).
        v = self.b.v
        plan = [v.x[w][s][e] for w in range(v.W) for s in range(v.S) for e in range(v.E)]
        plan += [v.n[w][s][e] for w in range(v.W) for s in range(v.S) for e in range(v.E)]
        self.plan_vars = list({var.index: var for var in plan}.values())  # weeks may share x
        self.hint: list[tuple[Any, int]] = []
        # minimize() hints every part's literal true: a solution then sets the literal of
        # each part it happens to hold, which minimize() reads (a dropped part left unset).
        lits = {lit.index: lit for us in self.units.values() for lit in us.values()}
        lits.update({lit.index: lit for lit in self.glit.values()})
        self.hint_lits = list(lits.values())

    def run(
        self, assumed: list, limit: float | None = None, first: bool = True, parts: bool = False
    ):
        """Solve under ASSUMED (FIRST: stop at the first solution, else optimise), up the
        ladder of TIERS from this engine's current one: a profile that runs out of its
        budget hands the step to the next, and later steps start there. The last plan
        found is the hint; PARTS (the deletion filter's steps): every part's literal is
        hinted true too (on the mesocycle's screens that hint costs 50% more time)."""
        limit = self.step_limit if limit is None else limit
        self.model.clear_assumptions()
        self.model.add_assumptions(assumed)
        self.model.clear_hints()
        for var, value in self.hint:
            self.model.add_hint(var, value)
        for lit in self.hint_lits if parts else ():
            self.model.add_hint(lit, True)
        while True:
            presolve, linearization, budget = TIERS[self.tier]
            last = self.tier == len(TIERS) - 1
            step = limit if last or budget is None else min(budget, limit)
            solver = make_solver(
                self.seed,
                step,
                explain=True,
                first=first,
                linearization=linearization,
                presolve=presolve,
            )
            code = solver.solve(self.model)
            self.solves += 1
            self.dtime += solver.deterministic_time
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self.hint = [(var, solver.value(var)) for var in self.plan_vars]
            done = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
            if done or (first and code == cp_model.FEASIBLE) or last or limit <= step:
                return code, solver
            self.tier += 1
            limit -= step

    def minimize(self, fixed: list, cand: list, one_of: list[set[int]] | None = None) -> list:
        """A minimal subset of CAND that conflicts together with FIXED.

        Deletion filter in adaptive blocks: try to drop the next block of untested
        parts; if the rest still conflicts, drop it (and shrink to the solver's
        sufficient subset) and double the block, else halve it; a single part whose
        removal makes the rest feasible is necessary and kept. Removals are the slow,
        infeasible solves, so they are made in bulk; keeping a part costs a few fast,
        feasible ones. A feasible block whose solution holds all of its parts but one
        (their literals are hinted true, see run) proves that one necessary. ONE_OF: sets
        of literal indices of which the conflict needs at least one (the units of a group
        found necessary): the last one left of such a set is kept without a solve."""
        cand = list(cand)
        kept: set[int] = set()
        block = max(1, len(cand) // 2)
        while True:
            left = {c.index for c in cand}
            for need in one_of or []:
                if len(need & left) == 1:
                    kept |= need & left
            todo = [c for c in cand if c.index not in kept]
            if not todo:
                return cand
            drop = {c.index for c in todo[:block]}
            trial = [d for d in cand if d.index not in drop]
            code, solver = self.run(fixed + trial, parts=True)
            if code == cp_model.INFEASIBLE:
                core = set(solver.sufficient_assumptions_for_infeasibility())
                cand = [d for d in trial if d.index in core or d.index in kept] or trial
                block *= 2
            elif block > 1:
                # The solution holds every part whose literal it sets: if only one
                # dropped part is unset, the rest of CAND holds without it (necessary).
                unset = [c for c in todo[:block] if not solver.boolean_value(c)]
                if code != cp_model.UNKNOWN and len(unset) == 1:
                    kept.add(unset[0].index)
                else:
                    block //= 2
            else:
                kept |= drop
                self.unproven |= code == cp_model.UNKNOWN

    def conflict(self) -> list[Key] | None:
        """A minimal conflicting set of units; None if not proven infeasible."""
        groups = list(self.glit)
        code, solver = self.run([self.glit[g] for g in groups], limit=4 * self.step_limit)
        if code != cp_model.INFEASIBLE:
            return None
        core = set(solver.sufficient_assumptions_for_infeasibility())
        group_at = {self.glit[g].index: g for g in groups}
        chosen = [
            group_at[lit.index]
            for lit in self.minimize(
                [], [self.glit[g] for g in groups if self.glit[g].index in core]
            )
        ]
        # Refine every multi-unit group at once: one solve for a unit-level core, then
        # the deletion filter over those units. A group found necessary keeps at least
        # one unit (one_of), so the rules named are the groups chosen and the result is
        # minimal. Client-change units come last, those training none of the muscles
        # named so far first (likely not needed: the deletion filter drops them in bulk).
        single = [next(iter(self.units[g].values())) for g in chosen if len(self.units[g]) == 1]
        multi = [g for g in chosen if len(self.units[g]) > 1]
        multi.sort(key=lambda g: g[0] in self.unit_rules)
        cand = [lit for g in multi for lit in self.units[g].values()]
        if cand:
            code, solver = self.run(single + cand)
            if code == cp_model.INFEASIBLE:
                core = set(solver.sufficient_assumptions_for_infeasibility())
                cand = [d for d in cand if d.index in core] or cand
            named = [self.unit_of[lit.index] for lit in single + cand]
            muscles = {m.group(1) for _, d in named if (m := _MUSCLE.match(d))}
            last = {lit.index: self._trains(self.unit_of[lit.index], muscles) for lit in cand}
            cand.sort(
                key=lambda lit: self.unit_of[lit.index][0] in self.unit_rules and last[lit.index]
            )
            one_of = [{lit.index for lit in self.units[g].values()} for g in multi]
            cand = self.minimize(single, cand, one_of)
        return sorted(self.unit_of[lit.index] for lit in single + cand)

    def _trains(self, unit: Key, muscles: set[str]) -> bool:
        """Does an exercise this client-change unit forbids train one of MUSCLES?"""
        exs = self.data.exercises
        return any(
            muscles & {*exs[e].primary, *exs[e].secondary} for e in self.members.get(unit, [])
        )

    def still_infeasible(self, drop: list[Key]) -> bool:
        """Is this model infeasible with every part but DROP held (all_but)? Proven by a
        solve, or by the core of an earlier proof that DROP's units and groups are not
        part of (every literal of that core is then held, or implied by a held group)."""
        lits = {self.units[self.group_of[k]][k].index for k in drop}
        lits |= {self.glit[self.group_of[k]].index for k in drop}
        if any(not core & lits for core in self.cores):
            return True
        code, solver = self.run(self.all_but(drop))
        if code != cp_model.INFEASIBLE:
            return False
        self.cores.append(set(solver.sufficient_assumptions_for_infeasibility()))
        return True

    def all_but(self, drop: list[Key]) -> list:
        """Every group literal; the groups of DROP split into their other units."""
        touched = {self.group_of[k] for k in drop}
        out = []
        for g, lit in self.glit.items():
            if g in touched:
                out += [u_lit for u, u_lit in self.units[g].items() if u not in drop]
            else:
                out.append(lit)
        return out
