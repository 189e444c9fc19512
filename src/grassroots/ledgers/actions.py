"""Import a ledger sheet: all or nothing, in one transaction with one audit row.

Any invalid row and nothing is written: LedgerRefused carries every error and the annotated
copy of the sheet. The same file (its SHA-256 and sheet) imported again writes nothing;
rows repeating an earlier import's dispute or a case registered on the platform the same day
(same category, village and a party's name) are reported and not imported.
"""

from __future__ import annotations

import gc
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Executable, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.accounts.permissions import granted
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import china_today, utc
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.deadlines.policies import all_policies, policy_from_rows
from grassroots.cases.intake.actions import CASE_TABLE, EVENT_TABLE, PARTY_TABLE, party_fields
from grassroots.cases.models import CaseSequence
from grassroots.cases.tallies.contribution import (
    FIELDS,
    Contribution,
    add_into,
    own_place_contributions,
    with_roll_ups,
)
from grassroots.cases.tallies.maintain import apply, index_of
from grassroots.crypto import keyring
from grassroots.db import insert_rows, transaction
from grassroots.dictionary.models import Category
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.ledgers.checking import check_sheet
from grassroots.ledgers.export import ledger_workbook
from grassroots.ledgers.models import LedgerCase, LedgerImport
from grassroots.ledgers.queries import (
    REVEAL_PERMISSION,
    access_committee,
    access_ledger_import,
    imported_before,
    ledger_lines,
    same_day_cases,
    stored_fingerprints,
)
from grassroots.ledgers.schemas import Checked, Entry, LedgerRefused, RowError
from grassroots.ledgers.sheets.annotate import annotated
from grassroots.ledgers.sheets.mapping import Mapping
from grassroots.ledgers.sheets.reading import kind_of, read_sheet
from grassroots.ledgers.writing import LEDGER_SOURCE, historical_row, history_events, new_case
from grassroots.privacy.logging_filter import mask_text
from grassroots.scope import current_jurisdiction

Progress = Callable[[int, int], None]  # (rows written, rows to write)
CHUNK = 1000
PREVIEW_ROWS = 20  # rows a dry run keeps to show
_SEQ = cast(Table, CaseSequence.__table__)
_LEDGER_CASE = cast(Table, LedgerCase.__table__)
_CASE_IDS = select(CASE_TABLE.c.code, CASE_TABLE.c.id).where(
    CASE_TABLE.c.code.in_(bindparam("codes", expanding=True))
)


@dataclass
class Report:
    sheet: str
    file_sha256: str
    rows: int = 0  # valid rows read
    imported: list[tuple[int, str]] = field(default_factory=list)  # (row, case code)
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (row, existing case)
    repeated: list[tuple[int, int]] = field(default_factory=list)  # (row, same as row)
    notices: list[RowError] = field(default_factory=list)  # e.g. placed at a village
    blank_rows: int = 0
    before: datetime | None = None  # when this file was imported before (nothing now)
    dry_run: bool = False
    preview: list[Entry] = field(default_factory=list)  # a dry run's first rows to import


def _duplicates(session: Session, prefix: str, entries: list[Entry]) -> list[tuple[int, str]]:
    if not entries:
        return []
    stored = stored_fingerprints(session, [e.fingerprint for e in entries])
    days = [e.accepted_on for e in entries]
    platform = same_day_cases(session, prefix, min(days), max(days))
    found = []
    for e in entries:
        if e.fingerprint in stored:
            found.append((e.row, stored[e.fingerprint]))
            continue
        key = (e.accepted_on, e.category_code, e.located.place.codes.get("village", ""))
        names = {p.name for p in e.parties}
        match = next((code for code, name in platform.get(key, []) if name in names), None)
        if match:
            found.append((e.row, match))
    return found


def _refuse(sheet: object, checked: Checked) -> LedgerRefused:
    return LedgerRefused(checked.errors, annotated(sheet, checked.errors, checked.columns))  # type: ignore[arg-type]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """An import keeps millions of small objects alive until it ends; the cyclic collector's
    passes over them cost about a fifth of its time: collect 50× less often meanwhile."""
    first, *older = gc.get_threshold()
    gc.set_threshold(max(first, 50_000), *older)
    try:
        yield
    finally:
        gc.set_threshold(first, *older)


def do_import_ledger(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: User,
    sheet: str | None = None,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
    done: Callable[[Report], None] | None = None,
) -> Report:
    """Check the sheet and import its new rows as historical cases (see the module doc);
    `done` runs inside the import's transaction once it has written (or found the file
    imported before)."""
    prefix = access_ledger_import(actor)
    mapping = mapping or Mapping()
    table = read_sheet(data, kind_of(filename), sheet or mapping.sheet)
    digest = hashlib.sha256(data).hexdigest()
    report = Report(table.name, digest, dry_run=dry_run)
    with transaction(session), _fewer_collections():
        before = imported_before(session, digest, table.name)
        if before is not None:
            report.before = before.imported_at
            if done is not None and not dry_run:
                done(report)
            return report
        checked = check_sheet(session, table, mapping, prefix, china_today(now))
        if checked.errors:
            raise _refuse(table, checked)
        report.rows, report.repeated = len(checked.entries), checked.repeated
        report.blank_rows, report.notices = checked.blank_rows, checked.notices
        report.duplicates = _duplicates(session, prefix, checked.entries)
        skip = {row for row, _ in report.duplicates}
        fresh = [e for e in checked.entries if e.row not in skip]
        if dry_run:
            report.preview = fresh[:PREVIEW_ROWS]
            return report
        _write(session, report, fresh, filename, actor, utc(now), progress)
        if done is not None:
            done(report)
    return report


def _write(
    session: Session,
    report: Report,
    fresh: list[Entry],
    filename: str,
    actor: User,
    moment: datetime,
    progress: Progress | None,
) -> None:
    batch = LedgerImport(
        file_sha256=report.file_sha256,
        sheet=report.sheet[:100],
        filename=filename[-200:],
        imported=len(fresh),
        duplicates=len(report.duplicates),
        actor_id=actor.id,
        imported_at=moment,
    )
    session.add(batch)
    session.flush()
    report.imported = store_entries(session, batch.id, fresh, actor, progress)
    details = {
        "sha256": report.file_sha256,
        "sheet": report.sheet,
        "imported": len(fresh),
        "duplicates": len(report.duplicates),
        "repeated": len(report.repeated),
    }
    record_audit(
        session,
        actor=actor,
        action="ledger.import",
        object_type="ledger_import",
        object_id=batch.id,
        details=details,
    )


@lru_cache(maxsize=4)
def _reserve_statement(dialect: str) -> Executable:
    """Take `n` case numbers of a county's year at once (intake's counter, moved by n)."""
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        make(_SEQ)
        .values(county_code=bindparam("county6"), year=bindparam("year"), last=bindparam("n"))
        .on_conflict_do_update(
            index_elements=["county_code", "year"], set_={"last": _SEQ.c.last + bindparam("n")}
        )
        .returning(_SEQ.c.last)
    )


def _case_codes(connection: Connection, entries: list[Entry]) -> list[str]:
    """一案一码 for each entry, numbered in the county and year of its 受理日期."""
    wanted: dict[tuple[str, int], int] = defaultdict(int)
    for e in entries:
        wanted[(e.located.place.codes[Level.county][:6], e.accepted_on.year)] += 1
    stmt = _reserve_statement(connection.dialect.name)
    following: dict[tuple[str, int], int] = {}
    for (county6, year), n in sorted(wanted.items()):
        last = connection.execute(stmt, {"county6": county6, "year": year, "n": n}).scalar_one()
        following[(county6, year)] = last - n + 1
    codes = []
    for e in entries:
        key = (e.located.place.codes[Level.county][:6], e.accepted_on.year)
        codes.append(f"{key[0]}-{key[1]}-{following[key]:06d}")
        following[key] += 1
    return codes


class _Store:
    """What every row of one import shares: the calendar, policies, holders, names."""

    def __init__(self, session: Session, import_id: int, actor: User) -> None:
        self.session, self.import_id, self.actor = session, import_id, actor
        self.cal = clk.load_calendar(session)
        self.policies = all_policies(session)
        self.names = {c.code: c.name for c in session.scalars(select(Category))}
        self.holders: dict[str, Jurisdiction] = {}
        self.days = index_of(self.cal)
        # Statistics at each case's own place: the roll-up rows are added once, at the end
        # (with_roll_ups), not six times per case (docs/performance.md, ledger import).
        self.own: Contribution = {}
        self.unset: dict[str, Any] = dict.fromkeys(FIELDS)  # columns a row leaves to defaults
        self.ring = keyring()

    def holder(self, entry: Entry) -> Jurisdiction:
        """The village's mediation committee (人民调解委员会) holds a ledger's case."""
        code = entry.located.place.codes[Level.village]
        if code not in self.holders:
            node = current_jurisdiction(self.session, code)
            assert node is not None
            self.holders[code] = node
        return self.holders[code]

    def case_row(self, entry: Entry, code: str) -> dict[str, Any]:
        holder = self.holder(entry)
        p = policy_from_rows(
            self.policies.get(holder.level, {}),
            entry.category_code,
            holder.level,
            False,
            LEDGER_SOURCE,
        )
        data = new_case(entry, self.names[entry.category_code])
        return historical_row(entry, data, holder, self.actor.id, self.cal, p) | {"code": code}

    def ledger_row(self, entry: Entry, case_id: int) -> dict[str, Any]:
        follow_up = (
            self.ring.encrypt("ledger.follow_up", entry.follow_up) if entry.follow_up else None
        )
        return {
            "case_id": case_id,
            "import_id": self.import_id,
            "row_no": entry.row,
            "fingerprint": entry.fingerprint,
            "mediator": entry.mediator,
            "file_no": entry.file_no,
            "outcome_text": entry.outcome_text[:64],
            "performance_text": entry.performance_text[:200],
            "follow_up_enc": follow_up,
        }

    def chunk(self, connection: Connection, entries: list[Entry], codes: list[str]) -> None:
        rows = [self.case_row(e, c) for e, c in zip(entries, codes, strict=True)]
        insert_rows(connection, CASE_TABLE, rows)
        stored = dict(connection.execute(_CASE_IDS, {"codes": codes}).tuples().all())
        ids = [stored[code] for code in codes]
        events, parties, ledger = [], [], []
        for entry, row, case_id in zip(entries, rows, ids, strict=True):
            events += [ev | {"case_id": case_id} for ev in history_events(row, entry)]
            parties += [party_fields(p, self.ring) | {"case_id": case_id} for p in entry.parties]
            ledger.append(self.ledger_row(entry, case_id))
            add_into(self.own, own_place_contributions(self.unset | row, self.days))
        insert_rows(connection, EVENT_TABLE, events)
        insert_rows(connection, PARTY_TABLE, parties)
        insert_rows(connection, _LEDGER_CASE, ledger)


def store_entries(
    session: Session,
    import_id: int,
    entries: list[Entry],
    actor: User,
    progress: Progress | None,
) -> list[tuple[int, str]]:
    """Write the entries' cases, events, parties and ledger rows in chunks, then add them to
    the statistics at once: [(row, case code)]."""
    store = _Store(session, import_id, actor)
    connection = session.connection()
    codes = _case_codes(connection, entries)
    for start in range(0, len(entries), CHUNK):
        store.chunk(connection, entries[start : start + CHUNK], codes[start : start + CHUNK])
        if progress is not None:
            progress(min(start + CHUNK, len(entries)), len(entries))
    apply(connection, with_roll_ups(store.own))
    return [(e.row, c) for e, c in zip(entries, codes, strict=True)]


def do_export_ledger(
    session: Session,
    *,
    actor: User,
    committee_code: str,
    first: date,
    last: date,
    reason: str = "",
    scopes: Iterable[str] | None = None,
) -> tuple[str, bytes]:
    """The committee's 人民调解台账 for [first, last] (.xlsx) and its file name; names in
    full only for a reader with party.reveal who gave a reason (4 characters at least).
    One audit row in the same transaction as the access check."""
    if last < first:
        raise Problem(422, "bad_period", "结束日期早于开始日期 / the period ends before it starts")
    reason = reason.strip()
    reveal = bool(reason) and REVEAL_PERMISSION in granted(actor.role, scopes)
    if reason and not reveal:
        raise Problem(
            403, "reveal_forbidden", "您不能查看当事人完整姓名 / you may not reveal parties"
        )
    if reveal and len(reason) < 4:
        raise Problem(
            422, "reason_required", "请填写至少4个字的理由 / give a reason (4+ characters)"
        )
    with transaction(session):
        committee = access_committee(session, actor, committee_code, scopes)
        lines = ledger_lines(session, committee, first, last)
        names = {c.code: c.name for c in session.scalars(select(Category))}
        period = f"{first:%Y年%-m月%-d日}至{last:%Y年%-m月%-d日}"
        title = f"{committee.name}人民调解委员会 人民调解台账（{period}）"
        data = ledger_workbook(title, lines, names, reveal)
        details = {
            "committee": committee.code,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "rows": len(lines),
            "unmasked": reveal,
            "reason": mask_text(reason),
        }
        record_audit(
            session,
            actor=actor,
            action="ledger.export",
            object_type="jurisdiction",
            object_id=committee.code,
            details=details,
        )
    return f"人民调解台账-{committee.code}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx", data
