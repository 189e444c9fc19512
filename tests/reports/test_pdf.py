"""docx → PDF (LibreOffice) → PNG (pdftoppm): pages, and Chinese text in the PDF."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from grassroots.reports.render import render
from grassroots.scope import current_jurisdiction
from grassroots.stats.periods import parse_period
from tests.reports.conftest import TODAY
from tests.stats import history as h


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


@pytest.mark.slow
def test_pdf_renders_with_chinese_text_and_images(session: Session, tmp_path: Path) -> None:
    h.build_history(session, 25, seed=9, first=datetime(2026, 1, 3, tzinfo=UTC), days=80)
    j = current_jurisdiction(session, "990101000000")
    assert j is not None
    files = render(session, j, parse_period("2026-Q1"), ["pdf", "docx"], today=TODAY)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(files["pdf"])
    pages = _pages(pdf)
    assert 2 <= pages <= 8
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    assert all(p.stat().st_size > 1000 for p in images)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "矛盾纠纷排查化解工作情况的报告" in flat
    assert "一、总体情况" in flat and "示范县" in flat
    assert "XX" not in flat and "{{" not in flat
