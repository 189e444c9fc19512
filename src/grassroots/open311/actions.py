"""Writes: client keys (create, revoke) and a POSTed request registered as a case.

A request goes through intake's write_case (cases/intake): the same case, event, parties,
statistics and audit row as staff registration, registered by the client's service account
and held by the centre at settings.open311_intake_level of the grid it falls in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.cases import schemas as s
from grassroots.cases.intake.actions import Place, locate, write_case
from grassroots.cases.models import CaseKind, PartyRole
from grassroots.crypto import keyring
from grassroots.db import transaction, utcnow
from grassroots.dictionary.models import Category
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.open311 import place as places
from grassroots.open311.formats import Open311Error
from grassroots.open311.models import Open311Client, Open311Request
from grassroots.open311.queries import Served, client_named, key_hash, replayed, service
from grassroots.open311.schemas import RequestIn
from grassroots.scope import current_jurisdiction, within

KEY_PREFIX = "o311_"
NO_DESCRIPTION = "（未附描述 / no description）"


def _home(session: Session, code: str | None) -> Jurisdiction:
    if code:
        node = current_jurisdiction(session, code)
        if node is None:
            raise Problem(422, "unknown_jurisdiction", f"区划不存在 / unknown jurisdiction: {code}")
        return node
    roots = session.scalars(
        select(Jurisdiction).where(
            Jurisdiction.parent_id.is_(None), Jurisdiction.valid_to.is_(None)
        )
    ).all()
    if len(roots) != 1:
        raise Problem(422, "jurisdiction_required", "请指定区划 / give --jurisdiction")
    return roots[0]


def do_create_key(
    session: Session, name: str, jurisdiction_code: str | None = None
) -> tuple[Open311Client, str]:
    """A client and its api_key (returned once, stored as a hash), with its service account
    posted at the jurisdiction it may report into (default: the deployment's one root)."""
    api_key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction(session):
        if client_named(session, name) is not None:
            raise Problem(409, "client_exists", f"客户端 {name} 已存在 / client exists")
        home = _home(session, jurisdiction_code)
        user = User(username=f"open311:{name}", display_name=f"Open311 {name}",
                    role=Role.system.value, jurisdiction=home)  # fmt: skip
        client = Open311Client(
            name=name, key_hash=key_hash(api_key), prefix=api_key[:12], user=user
        )
        session.add(client)
        session.flush()
        details = {"prefix": client.prefix, "jurisdiction": home.code}
        record_audit(session, actor=None, action="open311.key.create", object_type="open311_client",
                     object_id=name, details=details)  # fmt: skip
    return client, api_key


def do_revoke_key(session: Session, name: str) -> Open311Client:
    with transaction(session):
        client = client_named(session, name)
        if client is None:
            raise Problem(404, "not_found", f"客户端不存在 / no client {name}")
        if client.revoked_at is None:
            client.revoked_at = utcnow()
            record_audit(session, actor=None, action="open311.key.revoke",
                         object_type="open311_client", object_id=name)  # fmt: skip
    return client


def request_digest(data: RequestIn) -> str:
    """The fields of a request, canonical: the same POST twice has the same digest."""
    return hashlib.sha256(
        json.dumps(data.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()


def _new_case(category: Category, data: RequestIn, located: dict[str, object]) -> s.NewCase:
    text = data.description.strip()
    title = (text.splitlines()[0][:40] if text else "") or f"{category.name}（Open311）"
    parties = []
    if data.reporter_name or data.phone:
        name = data.reporter_name or "（未留姓名 / no name）"
        parties.append(s.PartyIn(role=PartyRole.applicant, name=name, phone=data.phone))
    return s.NewCase(
        kind=CaseKind(data.kind), category_code=category.code, source_code="open311", title=title,
        description=text or NO_DESCRIPTION, address=data.address_string, parties=parties,
        people_involved=data.people_involved, **located,  # type: ignore[arg-type]
    )  # fmt: skip


def _place(session: Session, new: s.NewCase, actor: User, day: object) -> Place:
    try:
        found = locate(session, new, day)  # type: ignore[arg-type]
    except Problem as problem:
        raise Open311Error(400, problem.message) from None
    if not within(actor.jurisdiction.prefix if actor.jurisdiction else None, found.grid_code):
        raise Open311Error(
            400, "位置不在本客户端可上报的区域内 / location outside this client's area"
        )
    return found


def do_create_request(
    session: Session, client: Open311Client, data: RequestIn, *, intake_level: str,
    now: datetime | None = None,
) -> Served:  # fmt: skip
    """The case for a POSTed request, or the earlier one for the same fields (a retry)."""
    digest = request_digest(data)
    try:
        return _create(session, client, data, digest, intake_level, utc(now))
    except IntegrityError:  # the same request committed meanwhile by a parallel retry
        session.rollback()
        earlier = replayed(session, client.id, digest)
        if earlier is None:
            raise
        return earlier


def _create(session: Session, client: Open311Client, data: RequestIn, digest: str,
            intake_level: str, moment: datetime) -> Served:  # fmt: skip
    with transaction(session):
        earlier = replayed(session, client.id, digest)
        if earlier is not None:
            return earlier
        category = service(session, data.service_code)
        if category is None:
            raise Open311Error(404, f"service_code '{data.service_code}' not found / 无此服务类别")
        actor = client.user
        prefix = actor.jurisdiction.prefix if actor.jurisdiction else ""
        new = _new_case(category, data, places.where(session, data, prefix))
        place = _place(session, new, actor, local_date(moment))
        holder = current_jurisdiction(session, place.codes[Level(intake_level)])
        assert holder is not None
        case = write_case(session, new, actor, moment, place, holder)
        email = keyring().encrypt("email", data.email) if data.email else None
        request = Open311Request(
            case_id=case.id, client_id=client.id, digest=digest, token=secrets.token_urlsafe(24),
            description=data.description, media_url=data.media_url or "",
            account_id=data.account_id, email_enc=email, created_at=moment,
        )  # fmt: skip
        session.add(request)
        session.flush()
    return Served(case, request, category.name, holder.name)
