"""What every `legback` command shares: exit codes, the bad-input and Ctrl-C wrapper,
safe printing, the live status line, and the options that solving commands share."""

from __future__ import annotations

import sys
from functools import wraps

import click

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_NO_ANSWER = 4


EXIT_INTERRUPTED = 130


def _friendly(fn):
    """Bad input: one paragraph on stderr, exit 2, no traceback. Ctrl-C: exit 130, and
    nothing half-written (every file is written atomically)."""

    @wraps(fn)
    def inner(*args, **kwargs):
        from .errors import InputError
        from .io.text import one_line

        try:
            return fn(*args, **kwargs)
        except InputError as e:
            click.echo(f"error: {one_line(e.paragraph())}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was written", err=True)
            _exit(EXIT_INTERRUPTED)

    return inner


def _exit(code: int) -> None:
    """Exit with CODE; at once if a solve thread is still running (see interrupt.py)."""
    from .interrupt import busy

    if busy():
        import os

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _echo(line: str, err: bool = False) -> None:
    """Print text that may come from input: no escape sequences or control characters."""
    from .io.text import terminal

    click.echo(terminal(line), err=err)


def _status_line(quiet: bool = False):
    """The live solve status on stderr (progress.py), as a ``with`` block: only in a
    terminal and without --quiet; otherwise a block that yields None (nothing shown)."""
    from contextlib import nullcontext

    if quiet or not sys.stderr.isatty():
        return nullcontext(None)
    from .progress import SolveProgress

    return SolveProgress()


# Options shared by the commands that solve: one definition, one validation.
SEED = click.option(
    "--seed",
    default=0,
    show_default=True,
    type=click.IntRange(0, 2**31 - 1),
    help="CP-SAT random seed.",
)


# The plan length, one definition for solve, explain and batch. The CLI accepts 1-52 (the
# widest a rulebook's meso-length may allow); each client's meso-length rule then decides
# (3-16 in the default rulebook): solve and explain stop with exit 2, batch records the
# client as failed and goes on.
DEFAULT_WEEKS = 5  # a mesocycle: 4 accumulation weeks and a deload week


def weeks_option(default: str = str(DEFAULT_WEEKS)):
    return click.option(
        "--weeks",
        type=click.IntRange(1, 52),
        help=(
            "Mesocycle weeks (3-16 in the default rulebook; a client's meso-length rule may"
            f" move them), or 1 for a repeating week [default: {default}]."
        ),
    )


def finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value is not None and value != value:  # NaN slips through FloatRange
        raise click.BadParameter("nan is not a number")
    return value


# The stopping gap, one definition for solve and batch.
GAP = click.option(
    "--gap",
    type=click.FloatRange(0, 1),
    callback=finite,
    help="Stop within this relative gap [default: 0 for one week, 0.01 for a mesocycle].",
)


def time_limit(help_text: str):
    return click.option(
        "--time-limit",
        default=30.0,
        show_default=True,
        type=click.FloatRange(0, 86400, min_open=True),
        callback=finite,
        help=help_text,
    )
