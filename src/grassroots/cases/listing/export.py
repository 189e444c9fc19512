"""The case list as a file: CSV (UTF-8 with BOM, opens in Excel) or Excel .xlsx.

Case fields only (the list's columns): no party name, phone or ID number, and no
description, leaves the system through an export, so nothing needs masking or a reveal.

Every export is audited before its first byte leaves (who, filter, format, row count), and
nothing is cut silently: the cases are read in keyset batches of the user's scope and the
filter until the last one. CSV is streamed with no limit; an .xlsx sheet holds at most
XLSX_MAX_ROWS cases (Excel's limit) and a larger export is refused with a clear message.

Every cell goes through grassroots.office.spreadsheet.safe_cell: a title typed as `=HYPERLINK(…)`
comes out as text, never as a formula. The times are China's wall-clock time; in .xlsx the
registration time and the due date are real date cells.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import CHINA_TZ
from grassroots.cases.labels import KIND_LABELS, LIGHT_LABELS, light_of, state_label
from grassroots.cases.listing.queries import CaseFilter, filter_conditions
from grassroots.cases.models import Case
from grassroots.cases.queries import case_scope
from grassroots.cases.queues.queries import QUEUES, viewer
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.labels import level_label
from grassroots.geo.queries import names_of
from grassroots.i18n import N_
from grassroots.office.spreadsheet import safe_row

COLUMNS = (
    N_("Case code"),
    N_("Kind"),
    N_("Category"),
    N_("Title"),
    N_("State"),
    N_("Level"),
    N_("Township name"),
    N_("Village name"),
    N_("Village code"),
    N_("Grid name"),
    N_("Grid code"),
    N_("Registered at"),
    N_("Due"),
    N_("Deadline light"),
)
BATCH_SIZE = 1000
XLSX_MAX_ROWS = 1_048_575  # an Excel sheet has 1,048,576 rows; one is the header
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Export:
    """One export: the user's scope and filter, frozen at its start. Cases registered after
    the start (a higher id than `upto_id`) are not in it; `count` is what the audit row says."""

    conditions: tuple[ColumnElement[bool], ...]
    upto_id: int
    count: int


def start_export(
    session: Session, user: User, f: CaseFilter, today: date, queue: str | None = None
) -> Export:
    """Count the cases of the export (of one work queue, if given) in the caller's read
    transaction."""
    conditions = (case_scope(user), *filter_conditions(f, today))
    if queue is not None:
        conditions = (*conditions, QUEUES[queue](viewer(session, user), today))
    upto, count = session.execute(
        select(func.max(Case.id), func.count(Case.id)).where(*conditions)
    ).one()
    return Export(conditions, upto or 0, count)


# The columns an export row needs (light_of reads the two clock dates): rows, not ORM objects,
# are read: 5-7x faster over the 5,200 demo cases, and nothing is kept in the session.
EXPORTED = (
    Case.id, Case.code, Case.kind, Case.category_code, Case.title, Case.state, Case.level,
    Case.township_code, Case.village_code, Case.grid_code, Case.registered_at, Case.clock_due_on,
    Case.clock_yellow_on,
)  # fmt: skip


def case_batches(
    session: Session, export: Export, batch_size: int = BATCH_SIZE
) -> Iterator[list[Case]]:
    """Every case of the export, newest first, `batch_size` at a time (keyset paging on
    registered_at, id), as rows of the EXPORTED columns (typed as the Case they come from)."""
    after: tuple[datetime, int] | None = None
    while True:
        stmt = select(*EXPORTED).where(*export.conditions, Case.id <= export.upto_id)
        if after is not None:
            at, case_id = after
            stmt = stmt.where(
                (Case.registered_at < at) | ((Case.registered_at == at) & (Case.id < case_id))
            )
        order = (Case.registered_at.desc(), Case.id.desc())
        batch = cast(list[Case], list(session.execute(stmt.order_by(*order).limit(batch_size))))
        if not batch:
            return
        yield batch
        after = (batch[-1].registered_at, batch[-1].id)


def audit_filter(query_items: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The filter as the audit row keeps it: the free-text search may hold a person's name,
    so only its presence is recorded."""
    kept: dict[str, Any] = {k: v for k, v in query_items if k != "q"}
    if any(k == "q" for k, _ in query_items):
        kept["q"] = "(text)"
    return kept


def do_record_export(
    session: Session, user: User, fmt: str, export: Export, query_items: Sequence[tuple[str, str]],
    ip: str = "",
) -> None:  # fmt: skip
    """The audit row of an export, in a writer transaction of its own, before any data leaves."""
    with transaction(session):
        record_audit(
            session, actor=user, action="case.export", object_type="case_list",
            details={"format": fmt, "rows": export.count, "filter": audit_filter(query_items)},
            ip=ip,
        )  # fmt: skip


Cell = str | date | datetime


def row_of(
    c: Case, categories: dict[str, str], today: date, t: Callable[[str], str],
    names: dict[str, str],
) -> list[Cell]:  # fmt: skip
    """One case as a row: names where a person reads, each code in the column beside."""
    return [
        c.code,
        t(KIND_LABELS.get(c.kind, c.kind)),
        categories.get(c.category_code, c.category_code),
        c.title,
        t(state_label(c.state)),
        t(level_label(c.level)),
        names.get(c.township_code or "", c.township_code or ""),
        names.get(c.village_code or "", c.village_code or ""),
        c.village_code or "",
        names.get(c.grid_code or "", c.grid_code or ""),
        c.grid_code or "",
        c.registered_at.astimezone(CHINA_TZ).replace(tzinfo=None, second=0, microsecond=0),
        c.clock_due_on or "",
        t(LIGHT_LABELS[light_of(c, today)]),
    ]


def rows_of(
    session: Session, batch: list[Case], categories: dict[str, str], today: date,
    t: Callable[[str], str],
) -> list[list[Cell]]:  # fmt: skip
    """A batch of cases as rows, the names of their places read in one query."""
    names = names_of(
        session, (c for r in batch for c in (r.township_code, r.village_code, r.grid_code))
    )
    return [row_of(c, categories, today, t, names) for c in batch]


Rows = Iterator[list[list[Cell]]]  # batches of rows
MINUTES = "%Y-%m-%d %H:%M"


def csv_text(value: Cell) -> str:
    if isinstance(value, datetime):
        return value.strftime(MINUTES)
    return value.isoformat() if isinstance(value, date) else value


def csv_chunks(header: list[str], batches: Rows) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (Excel opens it as UTF-8), one chunk per batch."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(header))
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    for rows in batches:
        out.seek(0)
        out.truncate()
        writer.writerows(safe_row(csv_text(v) for v in row) for row in rows)
        yield out.getvalue().encode("utf-8")


def check_xlsx_size(export: Export, max_rows: int = XLSX_MAX_ROWS) -> None:
    if export.count > max_rows:
        message = (
            f"共 {export.count} 条，超过 Excel 每表 {max_rows} 行的上限：请缩小筛选范围，"
            f"或导出 CSV（无行数限制） / {export.count} cases: more than the {max_rows} rows "
            "an Excel sheet holds; narrow the filter or export CSV (no limit)"
        )
        raise Problem(422, "export_too_large", message)


def xlsx_file(header: list[str], batches: Rows, title: str) -> IO[bytes]:
    """A write-only workbook (rows go straight to disk) in a temporary file, at its start.
    The caller checked the size first (check_xlsx_size) and closes the file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(safe_row(header))
    for rows in batches:
        for row in rows:
            sheet.append([xlsx_cell(sheet, v) for v in safe_row(row)])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; file_chunks closes it
    book.save(out)
    out.seek(0)
    return out


def xlsx_cell(sheet: Any, value: Cell) -> Any:
    """A time to the minute as a date cell shown so; anything else as it is."""
    if not isinstance(value, datetime):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def file_chunks(out: IO[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    with out:
        while chunk := out.read(size):
            yield chunk
