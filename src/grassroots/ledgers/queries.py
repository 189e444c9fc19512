"""Reads of the ledger domain: who may import, what was imported before, which rows repeat
cases already stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.accounts.permissions import granted
from grassroots.calendar.today import local_date, local_midnight_utc
from grassroots.cases.models import Case, Party
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.ledgers.models import LedgerCase, LedgerImport
from grassroots.scope import current_jurisdiction, in_subtree

IMPORT_PERMISSION = "ledger.import"
IMPORTING_LEVELS = frozenset({Level.county, Level.township})


def access_ledger_import(user: User, scopes: Iterable[str] | None = None) -> str:
    """The code prefix a user may import ledgers into: staff with ledger.import (role ∩
    token scopes) posted at a county or township; 403 otherwise."""
    post = user.jurisdiction
    if (
        IMPORT_PERMISSION not in granted(user.role, scopes)
        or post is None
        or post.valid_to is not None
        or Level(post.level) not in IMPORTING_LEVELS
    ):
        raise Problem(
            403,
            "ledger_import_forbidden",
            "只有县、乡镇综治中心受理员可以导入台账 / only county or township centre "
            "staff may import ledgers",
        )
    return post.prefix


def imported_before(session: Session, sha256: str, sheet: str) -> LedgerImport | None:
    return session.scalar(
        select(LedgerImport).where(LedgerImport.file_sha256 == sha256, LedgerImport.sheet == sheet)
    )


def stored_fingerprints(session: Session, prints: list[str]) -> dict[str, str]:
    """fingerprint → the code of the case an earlier import made of it."""
    found: dict[str, str] = {}
    for start in range(0, len(prints), 500):
        chunk = prints[start : start + 500]
        query = (
            select(LedgerCase.fingerprint, Case.code)
            .join(Case, Case.id == LedgerCase.case_id)
            .where(LedgerCase.fingerprint.in_(chunk))
        )
        found.update({f: c for f, c in session.execute(query)})
    return found


def same_day_cases(
    session: Session, prefix: str, first: date, last: date
) -> dict[tuple[date, str, str], list[tuple[str, str]]]:
    """(day, category, village) → [(case code, party name)] of the cases registered through
    the platform (not from a ledger) in [first, last] under `prefix`."""
    query = (
        select(Case.code, Case.registered_at, Case.category_code, Case.village_code, Party.name)
        .join(Party, Party.case_id == Case.id)
        .outerjoin(LedgerCase, LedgerCase.case_id == Case.id)
        .where(
            LedgerCase.case_id.is_(None),
            Case.county_code.startswith(prefix[:6], autoescape=True),
            Case.registered_at >= local_midnight_utc(first),
            Case.registered_at < local_midnight_utc(last + timedelta(days=1)),
        )
    )
    found: dict[tuple[date, str, str], list[tuple[str, str]]] = {}
    for code, at, category, village, name in session.execute(query):
        found.setdefault((local_date(at), category, village or ""), []).append((code, name))
    return found


EXPORT_PERMISSION = "case.read"
REVEAL_PERMISSION = "party.reveal"


def access_committee(
    session: Session, user: User, code: str, scopes: Iterable[str] | None = None
) -> Jurisdiction:
    """A village or township (its 人民调解委员会) in the user's subtree, the user holding
    case.read; 404 alike otherwise."""
    node = current_jurisdiction(session, code)
    if (
        node is None
        or node.level not in (Level.village, Level.township)
        or EXPORT_PERMISSION not in granted(user.role, scopes)
        or not in_subtree(user, node.code)
    ):
        raise Problem(404, "committee_not_found", f"未找到调委会 {code} / no such committee")
    return node


@dataclass(frozen=True)
class LedgerLine:
    case: Case
    parties: list[Party]
    ledger: LedgerCase | None
    village: str
    mediator: str


def ledger_lines(
    session: Session, committee: Jurisdiction, first: date, last: date
) -> list[LedgerLine]:
    """The committee's cases accepted in [first, last] (China days), oldest first."""
    column = Case.village_code if committee.level == Level.village else Case.township_code
    query = (
        select(Case, LedgerCase, User.display_name)
        .outerjoin(LedgerCase, LedgerCase.case_id == Case.id)
        .outerjoin(User, User.id == Case.assignee_id)
        .where(
            column == committee.code,
            Case.spam.is_(False),
            Case.registered_at >= local_midnight_utc(first),
            Case.registered_at < local_midnight_utc(last + timedelta(days=1)),
        )
        .order_by(Case.registered_at, Case.id)
    )
    rows = session.execute(query).all()
    ids = [case.id for case, _, _ in rows]
    parties: dict[int, list[Party]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = select(Party).where(Party.case_id.in_(ids[start : start + 500])).order_by(Party.id)
        for party in session.scalars(chunk):
            parties[party.case_id].append(party)
    names = dict(
        session.execute(
            select(Jurisdiction.code, Jurisdiction.name).where(
                Jurisdiction.level == Level.village,
                Jurisdiction.valid_to.is_(None),
                Jurisdiction.code.startswith(committee.prefix, autoescape=True),
            )
        ).all()
    )
    return [
        LedgerLine(
            case,
            parties[case.id],
            ledger,
            names.get(case.village_code or "", ""),
            ledger.mediator if ledger else (assignee or ""),
        )
        for case, ledger, assignee in rows
    ]
