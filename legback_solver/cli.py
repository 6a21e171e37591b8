"""The `legback` command line: parse, call the library, print. Nothing more."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_common import (
    DEFAULT_WEEKS,
    EXIT_INFEASIBLE,
    EXIT_NO_ANSWER,
    EXIT_VIOLATIONS,
    GAP,
    SEED,
    _echo,
    _friendly,
    _status_line,
    time_limit,
    weeks_option,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="legback")
def main() -> None:
    """legback: leg-and-back training plans for strength coaches (OR-Tools CP-SAT)."""


@main.command()
@click.argument("client", type=click.Path(dir_okay=False, path_type=Path))
@weeks_option(f"{DEFAULT_WEEKS}, or as long as --from")
@click.option("--start-date", help="Monday of week 1 (YYYY-MM-DD): every session gets its date.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the plan here (.json, .csv, .xlsx, .md, .html, .ics or .pdf).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx", "md", "html", "ics", "pdf"]),
    help="Output format [default: from --out's suffix, else json]; without --out, to stdout.",
)
@click.option(
    "--from",
    "previous",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Re-plan: the plan being followed.",
)
@click.option(
    "--done-through", help="Re-plan: sessions done through week W or W:DAY (e.g. 2:wed) are kept."
)
@SEED
@time_limit("Seconds for the solver.")
@GAP
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="CP-SAT worker threads (deterministic for any number).",
)
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@_friendly
def solve(
    client: Path,
    weeks: int | None,
    start_date: str | None,
    out: Path | None,
    fmt: str | None,
    previous: Path | None,
    done_through: str | None,
    seed: int,
    time_limit: float,
    gap: float | None,
    workers: int,
    quiet: bool,
) -> None:
    """Solve a mesocycle (or, with --weeks 1, a repeating week) for CLIENT.

    Example: legback solve examples/alex.yaml --weeks 5 --start-date 2026-11-23 --out alex.plan.json

    Re-plan after a missed day or an injury: legback solve alex.yaml --from alex.plan.json --done-through 2:wed

    Hand it out: legback solve alex.yaml --start-date 2026-11-23 --out alex.xlsx (or .csv, .md, .html, .ics)

    Exit codes: 0 plan found, 2 bad input, 3 infeasible (explained), 4 no answer in time.
    """
    from datetime import date

    from . import io
    from .errors import InputError, shorten
    from .interrupt import run_interruptible
    from .solve import solve as run

    if (previous is None) != (done_through is None):
        raise InputError(
            "--from/--done-through", ["give both to re-plan (the plan and how far it was done)"]
        )
    start = None
    if start_date:
        try:
            start = date.fromisoformat(start_date)
        except ValueError:
            raise InputError(
                "--start-date", [f"{shorten(start_date)} is not a date (use YYYY-MM-DD)"]
            ) from None
        if not 1900 <= start.year <= 9000:
            raise InputError("--start-date", [f"{start} is out of range (years 1900 to 9000)"])
    fmt = _out_format(out, fmt, dated=start is not None or previous is not None)
    if out:
        io.check_writable(out)
    before = io.load_plan(previous) if previous else None
    with _status_line(quiet) as progress:
        result = run_interruptible(
            run,
            io.load_client(client),
            weeks=weeks or (len(before.weeks) if before else DEFAULT_WEEKS),
            seed=seed,
            time_limit=time_limit,
            workers=workers,
            start_date=start,
            previous=before,
            done_through=done_through,
            gap=gap,
            progress=progress,
        )
    if result.feasible or result.status == "infeasible":
        _emit(result.plan, out, fmt)
    elif out is not None or fmt:
        _echo(
            f"No plan within {time_limit:g} s: nothing written"
            + (f" ({out} is unchanged)" if out is not None else ""),
            err=True,
        )
    if not quiet and (out or not fmt):
        from .render import print_plan

        print_plan(result.plan)
    if result.status == "infeasible":
        sys.exit(EXIT_INFEASIBLE)
    if not result.feasible:
        sys.exit(EXIT_NO_ANSWER)


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--client",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Audit against this client file instead of the one in the plan.",
)
@_friendly
def check(plan: Path, client: Path | None) -> None:
    """Audit PLAN against its rulebook; print each violation as `rule-id: what, where`.

    Example: legback check alex.plan.json

    Exit codes: 0 clean, 1 violations, 2 bad input.
    """
    from . import io
    from .check import check_plan, judged_by

    profile = io.load_client(client) if client else None
    loaded = io.load_plan(plan, profile)
    violations = check_plan(loaded, profile)
    _echo(judged_by(loaded, profile))
    for v in violations:
        _echo(str(v))
    if violations:
        click.echo(f"{len(violations)} violation(s)", err=True)
        sys.exit(EXIT_VIOLATIONS)
    click.echo("ok: no violations")


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def exercises(fmt: str) -> None:
    """List the exercise catalogue.

    Example: legback exercises --format json
    """
    from .catalogue import load_catalogue

    cat = load_catalogue()
    if fmt == "json":
        click.echo(json.dumps([ex.model_dump(mode="json") for ex in cat], indent=2))
    else:
        from rich.console import Console

        from .render import exercises_table

        Console().print(exercises_table(cat))


@main.command()
@click.option(
    "--rulebook", default="default", show_default=True, help="Rulebook name or TOML path."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@_friendly
def rules(rulebook: str, fmt: str) -> None:
    """Show a rulebook: every rule, its kind, parameters and source seed.

    Example: legback rules --rulebook bad-back --format json
    """
    from .rulebook import load_rulebook

    book = load_rulebook(rulebook)
    if fmt == "json":
        payload = {
            "name": book.name,
            "description": book.description,
            "rules": {
                rid: {"statement": s.statement, "source": list(s.source), **s.as_dict()}
                for rid, s in book.rules.items()
            },
        }
        click.echo(json.dumps(payload, indent=2))
    else:
        from rich.console import Console

        from .render import rules_table

        Console().print(rules_table(book))


def _out_format(out: Path | None, fmt: str | None, dated: bool = True) -> str | None:
    """The export format for --out/--format (None: neither given); checked before solving."""
    if out is None and fmt is None:
        return None
    from .errors import InputError
    from .io.export import BINARY, format_for

    fmt = format_for(out, fmt)
    if out is None and fmt in BINARY:
        raise InputError("--format", [f"{fmt} is a binary file; give --out FILE.{fmt}"])
    if fmt == "ics" and not dated:
        raise InputError(
            "--format ics", ["a calendar needs dates: add --start-date YYYY-MM-DD (a Monday)"]
        )
    return fmt


def _emit(plan, out: Path | None, fmt: str | None) -> None:
    """Write PLAN to OUT atomically, or to stdout when only --format was given."""
    if fmt is None:
        return
    from .io.export import export_plan, write_plan

    if out is not None:
        write_plan(plan, out, fmt)
    else:
        content = export_plan(plan, fmt)
        content = content if isinstance(content, str) else content.decode()
        if sys.stdout.isatty():  # a terminal: no escape sequences from names
            from .io.text import terminal

            content = terminal(content)
        click.echo(content, nl=False)


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx", "md", "html", "ics", "pdf"]),
    help="Output format [default: from --out's suffix, else json].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of stdout.",
)
@click.option(
    "--client",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The client, for a CSV/xlsx plan written without legback's metadata.",
)
@_friendly
def export(plan: Path, fmt: str | None, out: Path | None, client: Path | None) -> None:
    """Export a saved PLAN (JSON, or an edited CSV/xlsx) as json, csv, xlsx, md, html or ics.

    Example: legback export alex.plan.json --format xlsx --out alex.xlsx
    """
    from . import io

    loaded = io.load_plan(plan, io.load_client(client) if client else None)
    _emit(loaded, out, _out_format(out, fmt) or "json")


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The chart file (.png, .svg or .pdf).",
)
@click.option(
    "--client",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Chart against this client file instead of the one in the plan.",
)
@_friendly
def plot(plan: Path, out: Path, client: Path | None) -> None:
    """Chart PLAN: weekly sets per muscle against the target range, spinal load per
    session against the cap, over the weeks.

    Example: legback plot alex.plan.json --out alex.png
    """
    from . import io
    from .plot import write_plot

    profile = io.load_client(client) if client else None
    write_plot(io.load_plan(plan, profile), out, profile)


@main.command("explain")
@click.argument("client", type=click.Path(dir_okay=False, path_type=Path))
@weeks_option()
@SEED
@time_limit("Seconds for the solver.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--all", "all_rows", is_flag=True, help="Every measured quantity, not one per rule.")
@_friendly
def explain_command(
    client: Path, weeks: int | None, seed: int, time_limit: float, fmt: str, all_rows: bool
) -> None:
    """Explain CLIENT. Infeasible: a minimal set of conflicting rules and client facts,
    and relaxations verified by re-solving. Feasible: which hard rules bind (zero
    slack), the slack of the others, and the objective by term.

    Example: legback explain alex.yaml --weeks 1

    Exit codes: 0 feasible, 2 bad input, 3 infeasible (explained), 4 no answer in time.
    """
    from . import io
    from .data import make_data
    from .explain import explain as run_explain
    from .interrupt import run_interruptible
    from .report import Report
    from .solve import solve_data

    data = make_data(io.load_client(client), weeks or DEFAULT_WEEKS)
    with _status_line() as progress:
        result = run_interruptible(
            solve_data, data, seed=seed, time_limit=time_limit, explain=False, progress=progress
        )
    if result.feasible:
        report = Report.from_dict(result.plan.report)
        if fmt == "json":
            click.echo(json.dumps(result.plan.report, indent=2))
        else:
            _echo("\n".join(report.lines(all_rows=all_rows)))
        return
    if result.status == "infeasible":
        why = run_interruptible(run_explain, data, seed=seed, time_limit=time_limit)
        if fmt == "json":
            click.echo(json.dumps(why.to_dict(), indent=2))
        else:
            _echo("\n".join(why.lines()))
        sys.exit(EXIT_INFEASIBLE)
    click.echo(f"No plan and no proof of infeasibility within {time_limit:g} s.", err=True)
    sys.exit(EXIT_NO_ANSWER)


@main.command("batch")
@click.argument("roster", type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder: one plan per client, summary.csv and summary.parquet.",
)
@weeks_option()
@click.option(
    "--jobs",
    type=click.IntRange(1, 1024),
    help="Worker processes (or Dask workers for --dask local) [default: one per core].",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS|local",
    help="Run on a Dask cluster (scheduler address), or 'local' for a LocalCluster.",
)
@time_limit("Seconds for each client's solve.")
@GAP
@SEED
@click.option("--quiet", is_flag=True, help="No progress bar and no closing line.")
@_friendly
def batch_command(
    roster: Path,
    out: Path,
    weeks: int | None,
    jobs: int | None,
    dask_address: str | None,
    time_limit: float,
    gap: float | None,
    seed: int,
    quiet: bool,
) -> None:
    """Solve every client of ROSTER into the folder --out: a 5-week mesocycle each, as
    `legback solve` (--weeks 1 for weekly plans).

    ROSTER is a CSV or Parquet table with one client per row (list fields in a column
    form: availability "mon 18:00 75; wed 07:00 60", equipment "barbell;dumbbell"; see
    legback_solver/roster.py), or a folder of client files. Each plan is written to
    OUT/<id>.json as soon as it is solved; bad rows and failures are recorded with their
    error and the rest go on. Re-running the same command resumes: clients whose input
    has not changed are not solved again. OUT/summary.csv and OUT/summary.parquet list
    every client's status, objective, solve seconds, checker violations and error.

    Example: legback batch examples/roster.csv --out plans/ --jobs 2

    Exit codes: 0 done, 1 a plan failed the checker, 2 bad roster or options,
    130 interrupted (re-run to resume).
    """
    from .batch import solve_roster

    try:
        df = solve_roster(
            roster,
            out,
            weeks=weeks or DEFAULT_WEEKS,
            jobs=jobs,
            dask=dask_address,
            time_limit=time_limit,
            gap=gap,
            seed=seed,
            progress=False if quiet else None,
        )
    except KeyboardInterrupt:
        click.echo(
            f"interrupted: finished plans are in {out}; re-run the same command to resume",
            err=True,
        )
        sys.exit(130)
    status = df["status"]
    solved = int(status.isin(["optimal", "feasible"]).sum())
    infeasible = int((status == "infeasible").sum())
    failed = len(df) - solved - infeasible
    bad = int(df["violations"].fillna(0).gt(0).sum())
    if not quiet:
        click.echo(
            f"{len(df)} clients: {solved} solved, {infeasible} infeasible, {failed} failed"
            f" -> {out / 'summary.csv'}",
            err=True,
        )
    if bad:
        click.echo(f"{bad} plan(s) failed the checker (see the violations column)", err=True)
        sys.exit(EXIT_VIOLATIONS)


@main.command("roster")
@click.option("-n", "count", default=100, show_default=True, type=click.IntRange(1, 10**7))
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**31 - 1))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The roster file (.csv or .parquet).",
)
@_friendly
def roster_command(count: int, seed: int, out: Path) -> None:
    """Write a synthetic roster of N clients (for trying `legback batch` at scale).

    Example: legback roster -n 1000 --out roster.csv
    """
    from .errors import InputError
    from .io import write_atomic
    from .roster import make_roster

    df = make_roster(count, seed)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        write_atomic(out, df.to_csv(index=False))
    elif suffix in (".parquet", ".pq"):
        write_atomic(out, df.to_parquet(index=False))
    else:
        raise InputError(str(out), ["give a .csv or .parquet file name"])


@main.command("new")
@click.argument("client", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--prompt/--no-prompt",
    default=None,
    help="Ask for the fields [default: when run in a terminal], else write the template.",
)
@click.option("--force", is_flag=True, help="Replace CLIENT if it exists.")
@_friendly
def new_command(client: Path, prompt: bool | None, force: bool) -> None:
    """Write a commented client template (asking for the fields in a terminal).

    Example: legback new dana.yaml
    """
    from .template import ask_client, new_client

    if prompt is None:
        prompt = sys.stdin.isatty()
    new_client(client, ask_client() if prompt else None, force=force)
    click.echo(f"wrote {client}; plan it with: legback solve {client}")


if __name__ == "__main__":  # pragma: no cover
    main()
