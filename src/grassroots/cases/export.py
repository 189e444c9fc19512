"""The case list as a file: CSV (UTF-8 with BOM, opens in Excel) or Excel .xlsx.

Case fields only: no party data leaves the system through an export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date

from openpyxl import Workbook

from grassroots.cases.models import Case
from grassroots.i18n import N_
from grassroots.web.labels import KIND_LABELS, LIGHT_LABELS, level_label, light_of, state_label

COLUMNS = (
    N_("Case code"),
    N_("Kind"),
    N_("Category"),
    N_("Title"),
    N_("State"),
    N_("Level"),
    N_("Village"),
    N_("Grid"),
    N_("Registered at"),
    N_("Due"),
    N_("Deadline light"),
)


def rows_of(
    cases: Sequence[Case], categories: dict[str, str], today: date, t: Callable[[str], str]
) -> list[list[str]]:
    return [
        [
            c.code,
            t(KIND_LABELS.get(c.kind, c.kind)),
            categories.get(c.category_code, c.category_code),
            c.title,
            t(state_label(c.state)),
            t(level_label(c.level)),
            c.village_code or "",
            c.grid_code or "",
            c.registered_at.strftime("%Y-%m-%d %H:%M"),
            c.clock_due_on.isoformat() if c.clock_due_on else "",
            t(LIGHT_LABELS[light_of(c, today)]),
        ]
        for c in cases
    ]


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list[str]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
