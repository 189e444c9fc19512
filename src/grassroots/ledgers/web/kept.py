"""The import page's preview, and how it is kept between views (JSON, sealed by the caller):
what the page shows — sheets, header, columns, the first rows (names masked), the counts,
notices and errors — not the checked entries themselves."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from grassroots.ledgers.actions import Report
from grassroots.ledgers.schemas import RowError


@dataclass
class Preview:
    sheets: list[str]
    sheet: str
    mapping_text: str
    columns: list[tuple[str, str]] = field(default_factory=list)  # header text → field
    header_row: int | None = None
    rows: list[dict[str, object]] = field(default_factory=list)
    report: Report | None = None
    errors: list[RowError] = field(default_factory=list)
    unreadable: str = ""


def _report_json(r: Report) -> dict[str, Any]:
    return {
        "sheet": r.sheet, "file_sha256": r.file_sha256, "rows": r.rows,
        "duplicates": r.duplicates, "repeated": r.repeated, "blank_rows": r.blank_rows,
        "notices": [asdict(n) for n in r.notices],
        "before": r.before.isoformat() if r.before else None,
    }  # fmt: skip


def _report(kept: dict[str, Any]) -> Report:
    before = kept["before"]
    return Report(
        kept["sheet"], kept["file_sha256"], kept["rows"],
        duplicates=[(a, b) for a, b in kept["duplicates"]],
        repeated=[(a, b) for a, b in kept["repeated"]],
        notices=[RowError(**n) for n in kept["notices"]], blank_rows=kept["blank_rows"],
        before=datetime.fromisoformat(before) if before else None, dry_run=True,
    )  # fmt: skip


def preview_json(p: Preview) -> str:
    kept = {
        "sheets": p.sheets, "sheet": p.sheet, "mapping_text": p.mapping_text,
        "columns": p.columns, "header_row": p.header_row, "rows": p.rows,
        "report": _report_json(p.report) if p.report else None,
        "errors": [asdict(e) for e in p.errors], "unreadable": p.unreadable,
    }  # fmt: skip
    return json.dumps(kept, ensure_ascii=False, default=str)  # dates as 2026-03-05


def preview_from_json(text: str) -> Preview:
    kept = json.loads(text)
    return Preview(
        kept["sheets"], kept["sheet"], kept["mapping_text"],
        columns=[(a, b) for a, b in kept["columns"]], header_row=kept["header_row"],
        rows=kept["rows"], report=_report(kept["report"]) if kept["report"] else None,
        errors=[RowError(**e) for e in kept["errors"]], unreadable=kept["unreadable"],
    )  # fmt: skip
