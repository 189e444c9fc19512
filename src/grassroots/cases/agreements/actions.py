"""Exporting the 人民调解协议书 of a case (Word or PDF): access check, content, audit row.

Party names, ID numbers and addresses appear in full only for a request that may reveal
personal data (party.reveal in its permissions: the role's, intersected with a bearer token's
scopes), and only with a stated reason; everyone else who may see the case gets
the document with masked names (张*) and masked ID numbers. Every export is audited (who,
which case, format, masked or not, the reason) in the same transaction as the access check.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import CHINA_TZ
from grassroots.cases.agreements.document import (
    AgreementContent,
    AgreementParty,
    build_agreement_docx,
    chinese_date,
)
from grassroots.cases.models import Case, CaseEvent, Party
from grassroots.cases.queries import access_case
from grassroots.crypto import keyring, mask_id_number
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.models import Unit, UnitKind
from grassroots.privacy.logging_filter import mask_text

DocumentFormat = Literal["docx", "pdf"]
ROLE_NAMES = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"}
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def agreement_event(session: Session, case: Case) -> CaseEvent | None:
    """The latest recorded agreement of the case (record_agreement), if any."""
    return session.scalar(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.action == "record_agreement")
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )


def committee_name(session: Session, case: Case) -> str:
    """The mediation committee: the handling unit if it is one, else the committee of the
    jurisdiction holding the case, else that jurisdiction's name + 人民调解委员会."""
    if case.unit is not None and case.unit.kind == UnitKind.mediation_committee:
        return case.unit.name
    found = session.scalar(
        select(Unit.name)
        .where(Unit.jurisdiction_id == case.holder_jurisdiction_id, Unit.active.is_(True))
        .where(Unit.kind == UnitKind.mediation_committee)
        .order_by(Unit.code)
        .limit(1)
    )
    return found or f"{case.holder.name}人民调解委员会"


def print_context(session: Session, case: Case, event: CaseEvent) -> dict[str, str]:
    """What the printable HTML view shares with the Word file: committee and dates."""
    deadline = str((event.details or {}).get("performance_deadline", ""))
    return {
        "committee": committee_name(session, case),
        "signed_on": chinese_date(event.at.astimezone(CHINA_TZ).date()),
        "performance_deadline": _chinese_iso_date(deadline),
    }


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the family name's first character stays."""
    return name[:1] + "*" * (len(name) - 1)


def agreement_party(party: Party, unmasked: bool) -> AgreementParty:
    blob = party.id_number_enc  # decrypted only into the document, masked unless unmasked
    id_number = keyring().decrypt("id_number", blob) if blob is not None else ""
    role = ROLE_NAMES.get(party.role, party.role)
    if unmasked:
        return AgreementParty(role, party.name, id_number, party.address)
    return AgreementParty(
        role, mask_name(party.name), mask_id_number(id_number) if id_number else ""
    )


def agreement_content(
    session: Session, case: Case, event: CaseEvent, unmasked: bool
) -> AgreementContent:
    details = event.details or {}
    deadline = str(details.get("performance_deadline", ""))
    mediator = session.get(User, event.actor_id)
    return AgreementContent(
        committee=committee_name(session, case),
        code=case.code,
        facts=case.description,
        terms=str(details.get("terms", "")),
        performance_manner=str(details.get("performance_manner", "")),
        performance_deadline=_chinese_iso_date(deadline),
        mediator=mediator.display_name if mediator is not None else "",
        signed_on=event.at.astimezone(CHINA_TZ).date(),
        judicial_confirmation=bool(details.get("judicial_confirmation")),
        responsibilities=str(details.get("responsibilities", "")),
        performance_place=str(details.get("performance_place", "")),
        parties=[agreement_party(p, unmasked) for p in case.parties],
    )


def _chinese_iso_date(value: str) -> str:
    try:
        return chinese_date(date.fromisoformat(value))
    except ValueError:
        return value


def may_unmask(permissions: frozenset[str]) -> bool:
    """`permissions`: the request's (deps.Permissions, accounts.permissions.granted)."""
    return "party.reveal" in permissions


def do_export_agreement(
    session: Session,
    user: User,
    code: str,
    fmt: DocumentFormat,
    reason: str,
    ip: str = "",
    *,
    permissions: frozenset[str],
) -> bytes:
    """The agreement as .docx bytes (PDF conversion happens after, outside the
    transaction). 404 for a case outside the user's scope or without an agreement; a request
    that may reveal must give a reason (names then appear in full)."""
    reason, unmasked = reason.strip(), may_unmask(permissions)
    with transaction(session):
        case = access_case(session, user, code)  # first: out of scope looks missing
        event = agreement_event(session, case)
        if event is None:
            raise Problem(404, "no_agreement", "本案尚未记录调解协议 / no agreement recorded")
        if unmasked and len(reason) < 4:
            raise Problem(422, "reason_required", "请填写导出理由 / a reason is required")
        content = agreement_content(session, case, event, unmasked)
        record_audit(
            session, actor=user, action="case.agreement_document", object_type="case",
            object_id=case.code, ip=ip,
            details={"format": fmt, "unmasked": unmasked, "reason": mask_text(reason)},
        )  # fmt: skip
    return build_agreement_docx(content)
