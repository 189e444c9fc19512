"""Writes of the residents' channel: a report registered as a case (through intake's
write_case, as Open311 and the 12345 import do), its receipt code (shown once, kept as a
keyed hash), the SMS of the code through the outbox, and the resident's rating — 不满意
within the window reopens the case through the workflow's reopen (返工).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import china_today, local_date, utc
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_reopen
from grassroots.cases.attachments.actions import Stored, do_attach, store_files
from grassroots.cases.attachments.files import IMAGE_FORMATS, refuse_type
from grassroots.cases.intake.actions import locate, write_case
from grassroots.cases.models import Case, PartyRole
from grassroots.config import Settings
from grassroots.db import batched, transaction
from grassroots.dictionary.models import RESIDENT_SOURCE
from grassroots.errors import Problem
from grassroots.geo.address import grid_named_in
from grassroots.geo.models import Jurisdiction, Level
from grassroots.leads.sealing import new_receipt_code, receipt_hash
from grassroots.notifications.delivery.direct import queue_direct, sms_channel
from grassroots.residents import queries as q
from grassroots.residents.consent import CONSENT_VERSION
from grassroots.residents.models import PublicRating, PublicReport
from grassroots.residents.schemas import RatingIn, ReportIn
from grassroots.scope import current_jurisdiction

NO_NAME = "（未留姓名）"
SMS_TEXT = "【综治中心】您反映的问题已收到，查询码 {code}，请妥善保存，凭码查询办理进度。"
UNPLACED = (
    "无法确定位置，请使用“我的位置”或填写村（社区）名称 / could not place the report in a grid"
)


def _account(session: Session) -> User:
    """The channel's service account (role system, never logs in), made on first use; a
    parallel first use that made it meanwhile is read back."""
    user = q.resident_account(session)
    if user is not None:
        return user
    root = session.scalars(select(Jurisdiction).where(
        Jurisdiction.parent_id.is_(None), Jurisdiction.valid_to.is_(None))).first()  # fmt: skip
    try:
        with session.begin_nested():
            user = User(username=q.RESIDENT_USER, display_name="群众自报",
                        role=Role.system.value, jurisdiction=root)  # fmt: skip
            session.add(user)
    except IntegrityError:
        user = q.resident_account(session)
    assert user is not None
    return user


def _new_case(session: Session, data: ReportIn) -> s.NewCase:
    where: dict[str, object] = {"lat": data.lat, "lng": data.lng}
    if data.lat is None:
        grid = grid_named_in(session, data.place)
        if grid is None:
            raise Problem(
                422, "unplaced", UNPLACED, errors=[{"field": "place", "message": UNPLACED}]
            )
        where = {"grid_code": grid}
    parties = []
    if not data.anonymous:
        parties.append(s.PartyIn(role=PartyRole.applicant, name=data.name or NO_NAME,
                                 phone=data.phone))  # fmt: skip
    text = data.description
    return s.NewCase(
        kind=data.kind, category_code=data.category_code, source_code=RESIDENT_SOURCE,
        title=text.splitlines()[0][:40], description=text, address=data.place,
        parties=parties, **where,  # type: ignore[arg-type]
    )  # fmt: skip


def do_report(session: Session, data: ReportIn, settings: Settings,
              now: datetime | None = None) -> tuple[Case, PublicReport, str]:  # fmt: skip
    """A resident's report: the case in the grid's village (the grid's worker as assignee,
    so it reaches their queue), its receipt code, and the code's SMS when asked for."""
    moment, code = utc(now), new_receipt_code()
    with transaction(session):
        actor = _account(session)
        new = _new_case(session, data)
        place = locate(session, new, local_date(moment))
        holder = current_jurisdiction(session, place.codes[Level(settings.public_intake_level)])
        assert holder is not None
        case = write_case(session, new, actor, moment, place, holder)
        report = PublicReport(
            case_id=case.id, receipt_hash=receipt_hash(code, q.RECEIPT_USAGE),
            anonymous=data.anonymous, consent_version="" if data.anonymous else CONSENT_VERSION,
            sms_requested=data.sms, created_at=moment,
        )  # fmt: skip
        session.add(report)
        channel = sms_channel(session, settings) if data.sms else None
        if channel is not None and data.phone:
            queue_direct(session, channel, "public_receipt", data.phone,
                         SMS_TEXT.format(code=code), moment)  # fmt: skip
        session.flush()
    return case, report, code


def _refuse_rating(report: PublicReport, case: Case, rated: PublicRating | None) -> None:
    if q.public_state(case) not in q.RATED_STATES:
        raise Problem(409, "not_resolved", "办结后才能评价 / you can rate once it is resolved")
    if rated is not None:
        raise Problem(409, "already_rated", "已评价过 / already rated")


def do_rate(session: Session, data: RatingIn, settings: Settings,
            now: datetime | None = None) -> PublicRating:  # fmt: skip
    """The resident's rating of the latest resolution, once; 不满意 within the window (and
    asked for) reopens the case in the same transaction."""
    moment = utc(now)
    with batched(session):  # the rating and the reopen commit together, or neither
        report, case = q.report_by_receipt(session, data.receipt_code)
        _refuse_rating(report, case, q.current_rating(session, report, case))
        until = q.reopen_until(case, settings.public_reopen_days)
        reopen = (data.rating == "unsatisfied" and data.reopen and until is not None
                  and china_today(moment) <= until)  # fmt: skip
        rating = PublicRating(report_id=report.id, round=case.reopen_count, rating=data.rating,
                              comment=data.comment, reopened=reopen, rated_at=moment)  # fmt: skip
        session.add(rating)
        case.resident_rating = data.rating
        session.flush()
        actor = _account(session)
        details = {"rating": data.rating, "reopen": reopen}
        record_audit(session, actor=actor, action="case.resident_rate", object_type="case",
                     object_id=case.code, details=details)  # fmt: skip
        if reopen:
            note = "群众评价不满意，申请返工" + (f"：{data.comment}" if data.comment else "")
            do_reopen(session, case.code, s.Reopen(reason=note[:2000]), actor=actor, now=moment)
    return rating


PUBLIC_PHOTOS = 3


def public_photos(files: list[bytes], settings: Settings) -> list[Stored]:
    """A resident's photos checked and stored as any attachment (same types and size limit;
    documents refused here: photos only), at most PUBLIC_PHOTOS, EXIF place and time removed."""
    if len(files) > PUBLIC_PHOTOS:
        raise Problem(422, "too_many_files", f"最多上传 {PUBLIC_PHOTOS} 张照片 / too many photos")
    stored = store_files(files, False, settings)
    if any(prepared.kind not in IMAGE_FORMATS for prepared, _sha in stored):
        raise refuse_type()
    return stored


def do_attach_photos(session: Session, case: Case, stored: list[Stored]) -> None:
    """The photos on the resident's case, uploaded by the channel's service account."""
    for one in stored:
        do_attach(session, case, one, actor=_account(session))
