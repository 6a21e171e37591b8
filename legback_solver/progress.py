"""A live status line on stderr while CP-SAT searches (issue 13).

    solving: best 1937  bound 1950  gap 0.67%  3.2 s of 30 s

A solve that ends within ``threshold`` seconds (1 s) prints nothing; a longer one shows the
best objective found so far, the best proven bound, their relative gap and the elapsed time
against the time limit, refreshed four times a second and removed when the solve ends.

The line is fed by two CP-SAT callbacks: a solution callback (each improving plan) and the
best-bound callback. Both only read what the solver reports, so the search and the plan are
the same with and without the line (tests/test_progress.py checks the plan JSON).

Use: ``with SolveProgress() as progress: solve(client, progress=progress)``. The solver
calls ``progress.watch(solver, time_limit, scale)`` around ``CpSolver.solve`` (the hook in
``solver.solve_data``); the ``with`` block makes sure the line is gone even when Ctrl-C
leaves the solve thread behind. Nothing is shown when the console is not a terminal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ortools.sat.python import cp_model
from rich.console import Console
from rich.live import Live
from rich.spinner import Spinner

THRESHOLD_SECONDS = 1.0  # a faster solve shows nothing


class _Callback(cp_model.CpSolverSolutionCallback):
    """Records each improving solution's objective (and the bound, when BOUNDS: the
    bound of a restricted model, such as a fixed selection, bounds nothing else)."""

    def __init__(self, progress: SolveProgress, bounds: bool = True) -> None:
        super().__init__()
        self._progress = progress
        self._bounds = bounds

    def on_solution_callback(self) -> None:
        bound = self.best_objective_bound if self._bounds else None
        self._progress._found(self.objective_value, bound)


class SolveProgress:
    """The status line of the solves run inside its ``with`` block (one at a time).

    console: where to draw (default: a rich Console on stderr); nothing is drawn unless it
    is a terminal. threshold: seconds of search before the line appears."""

    def __init__(
        self,
        console: Console | None = None,
        threshold: float = THRESHOLD_SECONDS,
        refresh_per_second: float = 4,
    ) -> None:
        self.console = console if console is not None else Console(stderr=True)
        self.threshold = threshold
        self.refresh_per_second = refresh_per_second
        self._lock = threading.Lock()  # the figures (callbacks write, the line reads)
        self._show_lock = threading.Lock()  # starting and stopping the Live display
        self._live: Live | None = None
        self._timer: threading.Timer | None = None
        self._spinner = Spinner("dots", style="cyan")
        self._span = False  # inside span(): the stages of one solve share the line
        self._reset(30.0, 1)

    @property
    def enabled(self) -> bool:
        """A terminal that can redraw a line (not TERM=dumb)."""
        return self.console.is_terminal and not self.console.is_dumb_terminal

    def _reset(self, time_limit: float, scale: int) -> None:
        self.time_limit, self.scale = time_limit, max(1, scale)
        self.objective: float | None = None
        self.bound: float | None = None
        self.started = time.perf_counter()

    # -- fed by the solver's callbacks (its thread) ------------------------------------
    # The best plan only rises and the proven bound only falls, within a solve and
    # across the stages of a span.
    def _found(self, objective: float, bound: float | None) -> None:
        with self._lock:
            if self.objective is None or objective > self.objective:
                self.objective = objective
        if bound is not None:
            self._bound(bound)

    def _bound(self, bound: float) -> None:
        with self._lock:
            if self.bound is None or bound < self.bound:
                self.bound = bound

    def note_bound(self, bound: float) -> None:
        """A bound proven outside watch() (a search that owns the bound callback)."""
        self._bound(bound)

    # -- the line ----------------------------------------------------------------------
    def line(self) -> str:
        """The status as text: best, bound, gap and time (in the plan's score units)."""
        with self._lock:
            objective, bound = self.objective, self.bound
        # objective = scale * score - tiebreak (maximised): score = ceil(objective / scale)
        score = None if objective is None else -(-round(objective) // self.scale)
        top = None if bound is None else -(-round(bound) // self.scale)
        parts = ["no plan yet" if score is None else f"best {score}"]
        if top is not None:
            parts.append(f"bound {top}")
        if score is not None and top is not None:
            parts.append(f"gap {100 * max(0, top - score) / max(1, abs(top)):.2f}%")
        elapsed = time.perf_counter() - self.started
        parts.append(f"{elapsed:.1f} s of {self.time_limit:g} s")
        return "solving: " + "  ".join(parts)

    def __rich__(self) -> Spinner:
        self._spinner.update(text=self.line())
        return self._spinner

    # -- one solve -----------------------------------------------------------------------
    @contextmanager
    def span(self, time_limit: float) -> Iterator[None]:
        """Around every stage of one solve (the first stage, the representative weeks,
        the full model's continuation): one line, one clock against TIME_LIMIT, the best
        plan and the lowest proven bound carried from stage to stage, shown once the
        whole solve outlasts the threshold (a mesocycle's stages are each short, together
        several seconds)."""
        if not self.enabled or self._span:
            yield
            return
        self._reset(time_limit, self.scale)
        self._span = True
        self._arm()
        try:
            yield
        finally:
            self._span = False
            self.stop()

    @contextmanager
    def watch(
        self,
        solver: cp_model.CpSolver,
        time_limit: float,
        scale: int = 1,
        *,
        plans: bool = True,
        bounds: bool = True,
    ) -> Iterator[Any]:
        """Around ``solver.solve(model, callback)``: yields the solution callback to pass
        (None when disabled) and shows the line once the solve outlasts the threshold.
        scale: the objective's tie-break scale (solver.Built.scale), so that the line
        shows the plan's score. PLANS: the solutions are plans of the client (not of a
        relaxation); BOUNDS: the solver's bound bounds the client's plans (not a bound of
        a restricted model). Inside span() the line, its clock and figures carry on."""
        if not self.enabled:
            yield None
            return
        if self._span:
            self.scale = max(1, scale)
        else:
            self._reset(time_limit, scale)
            self._arm()
        if bounds:
            solver.best_bound_callback = self._bound
        try:
            yield _Callback(self, bounds) if plans else None
        finally:
            solver.best_bound_callback = None
            if not self._span:
                self.stop()

    def _arm(self) -> None:
        self._timer = threading.Timer(self.threshold, self._start)
        self._timer.daemon = True
        if self.threshold <= 0:  # at once (and so deterministically, for tests)
            self._start()
        else:
            self._timer.start()

    def _start(self) -> None:  # the timer's thread
        with self._show_lock:
            if self._live is not None or self._timer is None:  # shown, or already stopped
                return
            self._live = Live(
                self,
                console=self.console,
                refresh_per_second=self.refresh_per_second,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start()

    def stop(self) -> None:
        """Remove the line (if shown) and cancel a pending start; safe to call twice."""
        with self._show_lock:
            timer, self._timer = self._timer, None
            live, self._live = self._live, None
            if timer is not None:
                timer.cancel()
            if live is not None:
                live.stop()

    def __enter__(self) -> SolveProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
