"""The PDF export: an overview page then one page per week, the html's content, read
back with pypdf and rendered to PNG with pypdfium2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from legback_solver import solve
from legback_solver.cli import main
from legback_solver.io.export import export_plan

from .conftest import client

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def meso():
    c = client(
        name="Dana <Ünïcode> \u202eevil",
        units="lb",
        one_rep_max_lb={"deadlift": 405, "squat": 315, "chin-up": 250},
    )
    return solve(c, weeks=3, seed=0).plan


@pytest.fixture(scope="module")
def pdf_bytes(meso):
    return export_plan(meso, "pdf")


def _pages(data: bytes) -> list[str]:
    import io

    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_one_page_per_week_after_the_overview(meso, pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF-")
    pages = _pages(pdf_bytes)
    assert len(pages) == 1 + len(meso.weeks)
    assert "Training plan: Dana <Ünïcode> evil" in pages[0]
    assert "Weekly sets per muscle" in pages[0] and "Spinal load per session" in pages[0]
    for week, text in zip(meso.weeks, pages[1:], strict=True):
        assert f"Week {week.week}" in text
        assert f"Week {week.week + 1}" not in text
        assert "Spinal load:" in text
        for s in week.sessions:
            assert f"{s.start} · {s.minutes} min · {s.focus}" in text


def test_pdf_has_the_html_content(meso, pdf_bytes):
    from legback_solver.io.layout import exercise_name as _name

    text = "\n".join(_pages(pdf_bytes))
    html = export_plan(meso, "html")
    for w in meso.weeks:
        for s in w.sessions:
            for pe in s.exercises:
                assert _name(pe.exercise) in text and _name(pe.exercise) in html
                if pe.load_lb is not None:
                    assert f"{pe.load_lb:g} lb" in text  # the client's unit
    assert " kg" not in text


def test_pdf_first_page_renders_to_png(pdf_bytes, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(pdf_bytes)
    image = doc[0].render(scale=1).to_pil()
    out = tmp_path / "page1.png"
    image.save(out)
    assert out.read_bytes().startswith(b"\x89PNG")
    assert image.size[0] == pytest.approx(595, abs=2)  # A4 at 72 dpi
    grey = image.convert("L")
    dark = sum(grey.histogram()[:128])
    assert dark > 2000, "the page has text on it"


def test_solve_and_export_write_pdf(tmp_path, meso):
    plan_json = tmp_path / "plan.json"
    plan_json.write_text(meso.to_json())
    out = tmp_path / "plan.pdf"
    r = CliRunner().invoke(main, ["export", str(plan_json), "--format", "pdf", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert len(_pages(out.read_bytes())) == 1 + len(meso.weeks)
    r = CliRunner().invoke(main, ["export", str(plan_json), "--format", "pdf"])
    assert r.exit_code == 2 and "binary" in r.output


def test_solve_format_pdf(tmp_path, example_path):
    out = tmp_path / "alex.pdf"
    r = CliRunner().invoke(
        main, ["solve", str(example_path), "--weeks", "1", "--format", "pdf", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert len(_pages(out.read_bytes())) == 2
