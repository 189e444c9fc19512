"""Import 12345 work orders as cases: all or nothing, idempotent on 工单编号.

Each new order becomes a case (source hotline_12345) through intake's write_case, held by
the centre at settings.hotline_intake_level of its grid, registered by the hotline's
service account, its accept and resolve clocks capped by the order's 办理时限.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.cases import schemas as s
from grassroots.cases.intake.actions import Place, locate, write_case
from grassroots.cases.models import Case, CaseKind, PartyRole
from grassroots.config import get_settings
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.geo.address import grid_named_in
from grassroots.geo.models import Jurisdiction, Level
from grassroots.hotline.export import reply
from grassroots.hotline.models import HotlineOrder
from grassroots.hotline.queries import (
    HOTLINE_USER,
    active_categories,
    category_for,
    hotline_user,
    imported_numbers,
    replies_answered_by,
    replies_owed,
)
from grassroots.hotline.schemas import ImportRefused, OrderIn
from grassroots.notifications.delivery.outbox import queue_message
from grassroots.notifications.models import Channel
from grassroots.notifications.queries import channel_named
from grassroots.scope import current_jurisdiction


@dataclass(frozen=True)
class Imported:
    cases: list[tuple[str, str]]  # (工单编号, case code) registered now
    skipped: list[str]  # 工单编号 imported before


def _service_account(session: Session) -> User:
    user = hotline_user(session)
    if user is not None:
        return user
    root = session.scalars(
        select(Jurisdiction).where(
            Jurisdiction.parent_id.is_(None), Jurisdiction.valid_to.is_(None)
        )
    ).first()
    user = User(
        username=HOTLINE_USER, display_name="12345 热线", role=Role.system.value, jurisdiction=root
    )
    session.add(user)
    session.flush()
    return user


def _location(session: Session, order: OrderIn) -> dict[str, object] | None:
    if order.lat is not None and order.lng is not None:
        return {"lat": order.lat, "lng": order.lng}
    grid = order.grid_code or grid_named_in(session, order.address)
    return {"grid_code": grid} if grid else None


def _new_case(order: OrderIn, category: str, located: dict[str, object]) -> s.NewCase:
    first = order.content.splitlines()[0][:40]
    title = f"{order.demand_type}：{first}" if order.demand_type else first
    parties = []
    if order.caller or order.phone:
        parties.append(
            s.PartyIn(
                role=PartyRole.applicant, name=order.caller or "（未留姓名）", phone=order.phone
            )
        )
    return s.NewCase(
        kind=CaseKind.request, category_code=category, source_code="hotline_12345",
        title=title[:200], description=order.content, address=order.address, parties=parties,
        **located,  # type: ignore[arg-type]
    )  # fmt: skip


def _planned(
    session: Session, orders: list[OrderIn], day: object, errors: list[str]
) -> list[tuple[OrderIn, s.NewCase, Place]]:
    """Every new order's case and place, or ImportRefused listing every error: `errors`
    (the file's) and those of every order that cannot be placed or categorised."""
    categories = active_categories(session)
    plans, errors = [], list(errors)
    for order in orders:
        where = f"工单 / order {order.order_no}"
        category = category_for(categories, order.demand_type)
        located = _location(session, order)
        if category is None:
            errors.append(f"{where}: 诉求类型: 无对应类别 / no matching category")
        if located is None:
            errors.append(
                f"{where}: 地址: 无法定位到网格 / not placed in a grid (give 网格编码 or 经纬度)"
            )
        if category is None or located is None:
            continue
        new = _new_case(order, category, located)
        try:
            plans.append((order, new, locate(session, new, day)))  # type: ignore[arg-type]
        except Problem as problem:
            errors.append(f"{where}: {problem.message}")
    if errors:
        raise ImportRefused(errors)
    return plans


def do_import_orders(
    session: Session, orders: list[OrderIn], *, intake_level: str, errors: list[str] | None = None,
    now: datetime | None = None,
) -> Imported:  # fmt: skip
    """The orders not imported before, as cases, in one transaction with one audit row;
    nothing at all if the file had `errors` or any new order cannot be placed, or if another
    import wrote one of these orders at the same moment (the unique 工单编号: run again)."""
    try:
        return _import(session, orders, intake_level, errors or [], utc(now))
    except IntegrityError as exc:
        message = (
            "同一批工单正由另一次导入写入，本次未导入；请再运行一次（已导入的会跳过） / another "
            "import wrote these orders at the same moment; nothing imported: run again"
        )
        raise ImportRefused([message]) from exc


def _import(
    session: Session, orders: list[OrderIn], intake_level: str, errors: list[str],
    moment: datetime,
) -> Imported:  # fmt: skip
    with transaction(session):
        done = imported_numbers(session, (o.order_no for o in orders))
        fresh = [o for o in orders if o.order_no not in done]
        plans = _planned(session, fresh, local_date(moment), errors)
        actor = _service_account(session)
        cases = []
        for order, new, place in plans:
            holder = current_jurisdiction(session, place.codes[Level(intake_level)])
            assert holder is not None
            case = write_case(session, new, actor, moment, place, holder, order.time_limit)
            session.add(HotlineOrder(
                order_no=order.order_no, case_id=case.id, called_at=order.called_at,
                demand_type=order.demand_type, time_limit_on=order.time_limit,
                feedback_due_on=order.feedback_due, imported_at=moment,
            ))  # fmt: skip
            cases.append((order.order_no, case.code))
        details = {"imported": len(cases), "skipped": len(done)}
        record_audit(
            session,
            actor=None,
            action="hotline.import",
            object_type="hotline_order",
            details=details,
        )
    return Imported(cases, sorted(done))


REPLY_TOPIC = "hotline_reply"


def do_queue_replies(session: Session, channel_name: str, now: datetime) -> dict[str, int]:
    """The safety sweep (job hotline_replies): put the replies owed (办结反馈: result, time,
    the resident's rating) into the outbox for the webhook channel `channel_name`, one
    delivery per 工单编号 (a changed reply — rated after a follow-up, resolved again after
    返工 — re-queues the same delivery; an unchanged one is not sent again). Each action that
    ends or changes a reply already queued it in its own transaction (hotline.replies), so
    the sweep normally finds nothing. One transaction, one audit row when anything was queued."""
    with transaction(session):
        channel = channel_named(session, channel_name)
        if channel is None or channel.kind != "webhook":
            message = f"没有名为 {channel_name} 的 Webhook 渠道 / no webhook channel of that name"
            raise Problem(422, "no_reply_channel", message)
        queued, unchanged = queue_owed(session, channel, replies_owed(session), now)
    return {"queued": queued, "unchanged": unchanged}


def queue_owed(
    session: Session, channel: Channel, owed: list[tuple[HotlineOrder, Case]], now: datetime
) -> tuple[int, int]:
    """Queue each order's reply (in the caller's transaction) and remember the case version
    it answers; one audit row when anything was queued. Returns (queued, unchanged)."""
    queued = unchanged = 0
    for order, case in owed:
        if queue_message(session, channel, REPLY_TOPIC, order.order_no, reply(order, case), now):
            queued += 1
        else:
            unchanged += 1
        version = case.version if case.id == order.case_id else None
        if order.reply_case_version != version:
            order.reply_case_version = version
    if queued:
        record_audit(session, actor=None, action="hotline.reply_queue",
                     object_type="hotline_order", details={"queued": queued})  # fmt: skip
    return queued, unchanged


def do_queue_replies_of(session: Session, case_ids: list[int], now: datetime) -> int:
    """Inside the writing transaction of an action (hotline.replies, before its commit): the
    replies of the orders the cases `case_ids` answer — their own, or merged into one of
    them — queued or re-queued when changed. Nothing while no reply channel is configured, or
    the configured one is missing (the sweep job reports that; the action is never refused)."""
    name = get_settings().hotline_reply_channel
    channel = channel_named(session, name) if name and case_ids else None
    if channel is None or channel.kind != "webhook":
        return 0
    return queue_owed(session, channel, replies_answered_by(session, case_ids), now)[0]
