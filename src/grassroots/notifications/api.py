"""/api/v1/notifications: the reader's own inbox — list (unread filter, keyset pages),
unread count, mark one or all read — and own channel opt-ins; /api/v1/notification-channels
/api/v1/notification-deliveries and /api/v1/notification-direct (the outbox, with 重试)
for administrators."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.i18n import gettext_for, request_locale
from grassroots.notifications import queries as q
from grassroots.notifications.actions import (
    do_change_channel,
    do_create_channel,
    do_mark_all_read,
    do_mark_read,
    do_retry_delivery,
    do_retry_direct,
    do_subscribe,
)
from grassroots.notifications.schemas import (
    ChannelChange,
    ChannelCreated,
    ChannelIn,
    ChannelOut,
    DeliveryOut,
    DeliveryPage,
    MarkedAll,
    NoticeOut,
    NoticePage,
    SubscriptionIn,
    SubscriptionOut,
    UnreadCount,
)
from grassroots.notifications.views import (
    channel_out,
    delivery_out,
    direct_out,
    notice_out,
    subscription_out,
)

router = APIRouter(tags=["notifications"])
Reader = Annotated[User, requires("case.read")]
Admin = Annotated[User, requires("config.write")]


@router.get("/notifications", response_model=NoticePage)
def list_notices(
    request: Request,
    session: DbSession,
    user: Reader,
    unread: bool = False,
    before: Annotated[DbId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NoticePage:
    """站内通知: the user's notices, newest first; `unread=true` keeps the unread ones; pass
    `next_before` back as `before` for the next page."""
    rows, next_before = q.inbox(session, user, unread=unread, before=before, limit=limit)
    gettext = gettext_for(request_locale(request))
    return NoticePage(items=[notice_out(n, gettext) for n in rows], next_before=next_before)


@router.get("/notifications/unread-count", response_model=UnreadCount)
def unread_count(session: DbSession, user: Reader) -> UnreadCount:
    """未读通知数."""
    return UnreadCount(unread=q.unread_count(session, user))


@router.post("/notifications/read-all", response_model=MarkedAll)
def mark_all_read(session: DbSession, user: Reader) -> MarkedAll:
    """全部标为已读: returns how many were unread."""
    return MarkedAll(marked=do_mark_all_read(session, user))


@router.post("/notifications/{notice_id}/read", response_model=NoticeOut)
def mark_read(request: Request, session: DbSession, user: Reader, notice_id: DbId) -> NoticeOut:
    """标为已读: one of the user's own notices (anyone else's: 404)."""
    notice = do_mark_read(session, user, q.access_notification(session, user, notice_id))
    return notice_out(notice, gettext_for(request_locale(request)))


@router.get("/notifications/subscriptions", response_model=list[SubscriptionOut])
def my_subscriptions(session: DbSession, user: Reader) -> list[SubscriptionOut]:
    """通知渠道订阅: every active channel with the user's own choice (kinds, address)."""
    mine = q.subscriptions_of(session, user)
    return [subscription_out(c, mine.get(c.id)) for c in q.channels(session, active_only=True)]


@router.put("/notifications/subscriptions/{channel_id}", response_model=SubscriptionOut)
def subscribe(
    session: DbSession, user: Reader, channel_id: DbId, body: SubscriptionIn
) -> SubscriptionOut:
    """The user's own opt-in on one active channel (no kinds: off)."""
    channel = q.access_channel(session, channel_id, active_only=True)
    return subscription_out(channel, do_subscribe(session, user, channel, body))


@router.get("/notification-channels", response_model=list[ChannelOut])
def list_channels(session: DbSession, user: Admin) -> list[ChannelOut]:
    """通知渠道 (administrators): e-mail and signed webhooks; secrets are never shown."""
    return [channel_out(c) for c in q.channels(session)]


@router.post("/notification-channels", response_model=ChannelCreated, status_code=201)
def create_channel(session: DbSession, user: Admin, body: ChannelIn) -> ChannelCreated:
    """A new channel; a webhook's generated secret is in this answer only."""
    channel, secret = do_create_channel(session, body, actor=user)
    return ChannelCreated(**channel_out(channel).model_dump(), secret=secret)


@router.patch("/notification-channels/{channel_id}", response_model=ChannelOut)
def change_channel(
    session: DbSession, user: Admin, channel_id: DbId, body: ChannelChange
) -> ChannelOut:
    """Switch a channel on or off, change a webhook's URL or secret."""
    channel = q.access_channel(session, channel_id)
    return channel_out(do_change_channel(session, channel, body, actor=user))


@router.get("/notification-deliveries", response_model=DeliveryPage)
def list_deliveries(
    session: DbSession,
    user: Admin,
    state: Literal["pending", "sent", "failed", "gave_up"] | None = None,
    kind: Literal["notice", "hotline_reply"] | None = None,
    before: Annotated[DbId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeliveryPage:
    """投递状态 (administrators): the outbox, newest first — notices to the people in their
    subtree and the 12345 replies (kind hotline_reply); the residents' SMS are under
    /notification-direct."""
    rows, next_before = q.deliveries(
        session, user, state=state, kind=kind, before=before, limit=limit
    )
    return DeliveryPage(items=[delivery_out(r) for r in rows], next_before=next_before)


@router.post("/notification-deliveries/{delivery_id}/retry", response_model=DeliveryOut)
def retry_delivery(session: DbSession, user: Admin, delivery_id: DbId) -> DeliveryOut:
    """重试: a failed or given-up delivery due again now, attempts counted afresh (409 for
    any other state). Audited."""
    delivery = do_retry_delivery(session, q.access_delivery(session, user, delivery_id),
                                 actor=user)  # fmt: skip
    return delivery_out(q.deliveries(session, user, before=delivery.id + 1, limit=1)[0][0])


@router.get("/notification-direct", response_model=DeliveryPage)
def list_direct(
    session: DbSession,
    user: Admin,
    state: Literal["pending", "sent", "failed", "gave_up"] | None = None,
    before: Annotated[DbId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeliveryPage:
    """短信投递 (administrators): the residents' direct messages (the receipt code by SMS),
    newest first, the phone masked."""
    rows, next_before = q.direct_messages(session, user, state=state, before=before, limit=limit)
    return DeliveryPage(items=[direct_out(r) for r in rows], next_before=next_before)


@router.post("/notification-direct/{message_id}/retry", response_model=DeliveryOut)
def retry_direct(session: DbSession, user: Admin, message_id: DbId) -> DeliveryOut:
    """重试 a failed direct message (409 when given up: its text is wiped). Audited."""
    message = do_retry_direct(session, q.access_direct(session, user, message_id), actor=user)
    return direct_out((message, q.access_channel(session, message.channel_id)))
