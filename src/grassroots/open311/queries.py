"""Reads for the Open311 server: clients by key, services, the requests a resident may see.

Only cases that came in through Open311 (an open311_request row) are served, and of those
only what a resident may see (responses.py): never staff names, parties, internal notes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from grassroots.cases.models import OPEN_STATES, Case
from grassroots.dictionary.models import Category
from grassroots.geo.models import Jurisdiction, Level
from grassroots.open311.models import Open311Client, Open311Request
from grassroots.scope import current_jurisdiction

MAX_PAGE_SIZE = 1000  # the spec's default query limit: the first 1000 requests
MAX_IDS = 100  # service_request_id values in one query


def key_hash(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def client_for_key(session: Session, api_key: str) -> Open311Client | None:
    """The active client whose api_key this is (its service account still active)."""
    client = session.scalar(
        select(Open311Client).where(Open311Client.key_hash == key_hash(api_key))
    )
    if client is None or client.revoked_at is not None or not client.user.is_active:
        return None
    return client


def client_named(session: Session, name: str) -> Open311Client | None:
    return session.scalar(select(Open311Client).where(Open311Client.name == name))


def all_clients(session: Session) -> Sequence[Open311Client]:
    return session.scalars(select(Open311Client).order_by(Open311Client.name)).all()


def jurisdiction_prefix(session: Session, jurisdiction_id: str, own_id: str) -> str | None:
    """The code prefix a jurisdiction_id stands for: None (everything) for none or the
    deployment's own id; a current county, township or village's subtree for its code.
    Raises LookupError for anything else (the spec's 404)."""
    if not jurisdiction_id or jurisdiction_id == own_id:
        return None
    node = current_jurisdiction(session, jurisdiction_id)
    if node is None or node.level not in (Level.county, Level.township, Level.village):
        raise LookupError(jurisdiction_id)
    return node.prefix


def services(session: Session) -> Sequence[Category]:
    query = select(Category).where(Category.active).order_by(Category.sort_order, Category.code)
    return session.scalars(query).all()


def service(session: Session, code: str) -> Category | None:
    category = session.get(Category, code)
    return category if category is not None and category.active else None


@dataclass(frozen=True)
class Served:
    """One request as the GETs serve it: its case, its Open311 row, service and agency."""

    case: Case
    request: Open311Request
    service_name: str
    agency: str


def _served() -> Select[Case, Open311Request, str, str]:
    return (
        select(Case, Open311Request, Category.name, Jurisdiction.name)
        .join(Open311Request, Open311Request.case_id == Case.id)
        .join(Category, Category.code == Case.category_code)
        .join(Jurisdiction, Jurisdiction.id == Case.holder_jurisdiction_id)
    )


def _rows(session: Session, query: Select[Case, Open311Request, str, str]) -> list[Served]:
    return [Served(c, r, name, agency) for c, r, name, agency in session.execute(query).all()]


@dataclass(frozen=True)
class RequestFilter:
    ids: list[str] | None
    service_codes: list[str] | None
    statuses: set[str] | None  # open / closed
    start: datetime
    end: datetime
    prefix: str | None
    page: int
    page_size: int


def find_requests(session: Session, f: RequestFilter) -> list[Served]:
    """The requests matching `f`, newest first. service_request_id overrides the others
    (the spec), except the jurisdiction, which is where the endpoint looks at all."""
    query = _served()
    if f.prefix is not None:
        query = query.where(Case.grid_code.startswith(f.prefix, autoescape=True))
    if f.ids is not None:
        return _rows(session, query.where(Case.code.in_(f.ids)).order_by(Case.id.desc()))
    query = query.where(Case.registered_at >= f.start, Case.registered_at <= f.end)
    if f.service_codes is not None:
        query = query.where(Case.category_code.in_(f.service_codes))
    if f.statuses is not None and len(f.statuses) == 1:
        is_open = Case.state.in_(OPEN_STATES)
        query = query.where(is_open if "open" in f.statuses else ~is_open)
    query = query.order_by(Case.registered_at.desc(), Case.id.desc())
    return _rows(session, query.offset((f.page - 1) * f.page_size).limit(f.page_size))


def find_request(session: Session, service_request_id: str, prefix: str | None) -> Served | None:
    query = _served().where(Case.code == service_request_id)
    if prefix is not None:
        query = query.where(Case.grid_code.startswith(prefix, autoescape=True))
    rows = _rows(session, query)
    return rows[0] if rows else None


def request_for_token(session: Session, token: str) -> tuple[str, str] | None:
    """(service_request_id, token) for a token, or None."""
    row = session.execute(
        select(Case.code, Open311Request.token)
        .join(Open311Request, Open311Request.case_id == Case.id)
        .where(Open311Request.token == token)
    ).first()
    return (row[0], row[1]) if row else None


def replayed(session: Session, client_id: int, digest: str) -> Served | None:
    """The request a client already posted with these very fields (a retried POST)."""
    query = _served().where(Open311Request.client_id == client_id, Open311Request.digest == digest)
    rows = _rows(session, query)
    return rows[0] if rows else None


def request_of_case(session: Session, case_id: int) -> tuple[Open311Request, str] | None:
    """The Open311 request a case came from, with its client's name (None: another source)."""
    query = (
        select(Open311Request, Open311Client.name)
        .join(Open311Client, Open311Client.id == Open311Request.client_id)
        .where(Open311Request.case_id == case_id)
    )
    row = session.execute(query).first()
    return (row[0], row[1]) if row else None
