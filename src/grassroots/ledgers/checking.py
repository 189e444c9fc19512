"""Every row of a sheet checked: the entries to import, or every error (row, column, value,
why). Rows without a date and a party (blank lines, 填表人 footers) are passed
over and counted; a row repeating an earlier row of the file is reported, not imported."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.cases import schemas as s
from grassroots.cases.models import PartyRole
from grassroots.crypto import Keyring, keyring
from grassroots.dictionary.models import Category
from grassroots.ledgers import words
from grassroots.ledgers.places import Gazetteer, Located
from grassroots.ledgers.schemas import Checked, Entry, RowError
from grassroots.ledgers.sheets.headers import LABELS, REQUIRED, find_header
from grassroots.ledgers.sheets.mapping import Mapping
from grassroots.ledgers.sheets.reading import Sheet
from grassroots.ledgers.sheets.values import (
    CellError,
    parse_coordinate,
    parse_date,
    parse_id_number,
    parse_phone,
    text,
)

_NAMES = re.compile(r"[、,，;；/与和\s]+")
_ROLE_PREFIX = re.compile(r"^(申请人|被申请人|当事人)[:：]?")


class RowProblems(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


class _Row:
    """One sheet row seen through the header: cells by field, errors collected."""

    def __init__(self, number: int, cells: dict[str, Any], names: dict[str, str]) -> None:
        self.number, self.cells, self.names = number, cells, names
        self.errors: list[RowError] = []

    def raw(self, field: str) -> Any:
        return self.cells.get(field)

    def text(self, field: str) -> str:
        return text(self.cells.get(field))

    def fail(self, field: str, shown: str, reason: str) -> None:
        self.errors.append(
            RowError(self.number, self.names.get(field, LABELS[field]), shown, reason)
        )

    def parsed(self, field: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(self.cells.get(field))
        except CellError as error:
            self.fail(field, error.shown, error.reason)
            return None


def _parties(row: _Row, today: date) -> list[s.PartyIn]:
    names = [n for n in _NAMES.split(_ROLE_PREFIX.sub("", row.text("party"))) if n]
    others = [n for n in _NAMES.split(_ROLE_PREFIX.sub("", row.text("respondent"))) if n]
    id_number = row.parsed("id_number", lambda v: parse_id_number(v, today))
    phone = row.parsed("phone", parse_phone)
    if not others:  # 当事人 “张三、李四”: the first applies, the others respond
        names, others = names[:1], names[1:]
    people = [(PartyRole.applicant, n) for n in names] + [(PartyRole.respondent, n) for n in others]
    parties = []
    for i, (role, name) in enumerate(people):
        first = i == 0
        try:
            parties.append(
                s.PartyIn(
                    role=role,
                    name=name,
                    id_number=id_number if first else None,
                    phone=phone if first else None,
                )
            )
        except ValidationError:
            row.fail("party", name[:20], "当事人姓名过长（最多64字）")
    return parties


def _outcome(row: _Row, mapping: Mapping, accepted: date | None, today: date) -> tuple[str, Any]:
    written = row.text("outcome")
    outcome = words.outcome_of(written, mapping.outcomes)
    if outcome is None:
        row.fail("outcome", written, "无法识别的调解结果（可在映射文件 [outcomes] 中说明）")
        return "open", None
    closed = None
    if outcome != "open" and row.text("closed_on"):
        closed = row.parsed("closed_on", lambda v: parse_date(v, today))
    elif outcome == "rejected":  # 不予受理 without a day: refused the day it came in
        closed = accepted
    elif outcome != "open":
        row.fail("closed_on", "", "已结案（调解成功或不成功）的纠纷须填写结案日期")
    if closed and accepted and closed < accepted:
        row.fail("closed_on", row.text("closed_on"), "结案日期早于受理日期")
    return outcome, closed


class Checker:
    """Checks the rows of one sheet against the dictionary and the tree under `prefix`."""

    def __init__(self, session: Session, mapping: Mapping, prefix: str, today: date) -> None:
        self.mapping, self.today = mapping, today
        self.categories = list(session.scalars(select(Category).where(Category.active)))
        self.places = Gazetteer(session, prefix, mapping.places)
        self.ring = keyring()

    def _located(self, row: _Row) -> Located | None:
        field = "village" if row.text("village") else "address"
        try:
            if row.text("grid_code"):
                field = "grid_code"
                return self.places.by_grid(row.text("grid_code"))
            if row.text("lat") or row.text("lng"):
                return self._at_point(row)
            return self.places.by_names(
                row.text("village"), row.text("township"), row.text("address")
            )
        except CellError as error:
            row.fail(field, error.shown, error.reason)
            return None

    def _at_point(self, row: _Row) -> Located | None:
        lat = row.parsed("lat", lambda v: parse_coordinate(v, -90, 90))
        lng = row.parsed("lng", lambda v: parse_coordinate(v, -180, 180))
        if lat is None or lng is None:
            return None
        try:
            return self.places.by_point(lat, lng, row.text("village"), row.text("township"))
        except CellError as error:
            row.fail("lat", error.shown, error.reason)
            return None

    def entry(self, row: _Row) -> Entry:
        accepted = row.parsed("accepted_on", lambda v: parse_date(v, self.today))
        outcome, closed = _outcome(row, self.mapping, accepted, self.today)
        category = words.category_of(row.text("category"), self.categories, self.mapping.categories)
        if category is None:
            row.fail(
                "category",
                row.text("category"),
                "纠纷类型不在字典中（可在映射文件 [categories] 中对应到字典类别）",
            )
        summary = row.text("summary")
        if not summary:
            row.fail("summary", "", "纠纷简要情况为空")
        parties = _parties(row, self.today)
        if not parties:
            row.fail("party", "", "当事人为空")
        located = self._located(row)
        if row.errors:
            raise RowProblems(row.errors)
        return self._entry(row, accepted, closed, outcome, category, summary, parties, located)

    def _entry(self, row: _Row, *values: Any) -> Entry:
        accepted, closed, outcome, category, summary, parties, located = values
        performance = row.text("performance")
        follow_up = row.text("follow_up")
        entry = Entry(
            row.number,
            accepted,
            closed,
            outcome,
            row.text("outcome"),
            category,
            summary,
            parties,
            located,
            mediator=row.text("mediator")[:64],
            performance=words.performance_of(performance),
            performance_text=performance,
            follow_up=follow_up,
            satisfaction=words.satisfaction_of(follow_up),
            file_no=row.text("file_no")[:64],
        )
        entry.fingerprint = fingerprint(entry, self.ring)
        return entry


def fingerprint(entry: Entry, ring: Keyring | None = None) -> str:
    """The same dispute: the day accepted, the category, the village and every party's
    name (a keyed hash: the names are not stored with it)."""
    names = "|".join(sorted(p.name for p in entry.parties))
    village = entry.located.place.codes.get("village", entry.located.place.grid_code)
    key = f"{entry.accepted_on.isoformat()}|{entry.category_code}|{village}|{names}"
    return (ring or keyring()).blind_index("ledger_row", key)


def _is_blank(row: _Row) -> bool:
    return not row.text("accepted_on") and not row.text("party")


def check_sheet(
    session: Session, sheet: Sheet, mapping: Mapping, prefix: str, today: date
) -> Checked:
    """Every row of `sheet` checked (see the module's doc)."""
    checked = Checked(sheet.name)
    at = mapping.header_row - 1 if mapping.header_row else None
    header = find_header(sheet.rows, mapping.columns, at)
    missing = [LABELS[f] for f in REQUIRED if header is None or f not in header.columns.values()]
    if header is None or missing:
        reason = f"找不到表头或缺少必需的列：{'、'.join(missing)}（可用 --mapping 指定列名）"
        checked.errors.append(RowError((header.index + 1) if header else 1, "", "", reason))
        return checked
    names = {f: header.names[i] for i, f in header.columns.items()}
    checked.columns = {header.names[i]: i for i in header.columns}
    checker = Checker(session, mapping, prefix, today)
    seen: dict[str, int] = {}
    for index in range(header.first_data_row, len(sheet.rows)):
        values = sheet.rows[index]
        cells = {f: values[i] for i, f in header.columns.items() if i < len(values)}
        row = _Row(index + 1, cells, names)
        if _is_blank(row):
            checked.blank_rows += 1
            continue
        try:
            entry = checker.entry(row)
        except RowProblems as problems:
            checked.errors.extend(problems.errors)
            continue
        if entry.fingerprint in seen:
            checked.repeated.append((entry.row, seen[entry.fingerprint]))
            continue
        seen[entry.fingerprint] = entry.row
        checked.entries.append(entry)
        if entry.located.without_grid:
            checked.notices.append(_no_grid(entry, row))
    return checked


def _no_grid(entry: Entry, row: _Row) -> RowError:
    """The notice for a case placed at its village: the ledger named none of its grids."""
    field = "village" if row.text("village") else "address"
    why = (
        f"该村（社区）有{entry.located.grids}个网格，台账未写网格编码或坐标："
        "案件落在村一级，不指定网格"
    )
    return RowError(entry.row, row.names.get(field, LABELS[field]), row.text(field)[:40], why)
