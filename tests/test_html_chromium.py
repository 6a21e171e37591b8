"""The HTML program rendered by headless Chromium (Debian's chromium; `.ci/run` installs it).

Chromium runs with networking features off and a throwaway profile; the page must render
from the file alone, show every week and every exercise, and print one page per week.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import date

import pytest

from legback_solver import solve
from legback_solver.catalogue import catalogue_by_id
from legback_solver.io.export import write_plan
from legback_solver.models import Plan
from tests.conftest import client

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install chromium; CI installs it)"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Plan, str]:
    plan = solve(client(), weeks=3, start_date=date(2026, 11, 23)).plan
    path = tmp_path_factory.mktemp("html") / "plan.html"
    write_plan(plan, path)
    return plan, path.as_uri()


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_screenshot_and_dom(page, tmp_path) -> None:
    plan, uri = page
    shot = tmp_path / "shot.png"
    run = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,3000", uri)
    assert shot.is_file() and shot.stat().st_size > 10_000, run.stderr[-2000:]
    assert shot.read_bytes()[:4] == b"\x89PNG"

    run = chromium(tmp_path, "--dump-dom", uri)
    assert run.returncode == 0, run.stderr[-2000:]
    text = html.unescape(re.sub(r"<[^>]+>", " ", run.stdout))
    for w in plan.weeks:
        assert re.search(rf"Week {w.week} ·", text), f"week {w.week} heading missing"
    cat = catalogue_by_id()
    for w in plan.weeks:
        for s in w.sessions:
            for pe in s.exercises:
                assert cat[pe.exercise].name in text


def test_prints_one_page_per_week(page, tmp_path) -> None:
    plan, uri = page
    pdf = tmp_path / "plan.pdf"
    run = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", uri)
    assert pdf.is_file(), run.stderr[-2000:]
    counts = [int(n) for n in re.findall(rb"/Count (\d+)", pdf.read_bytes())]
    assert counts and max(counts) >= 1 + len(plan.weeks)  # the overview, then a page a week
