"""Notices, channels, opt-ins and deliveries as the API and the pages show them."""

from __future__ import annotations

from collections.abc import Callable

from grassroots.notifications.delivery.contact import mask_address, open_address
from grassroots.notifications.kinds import kind_label, notice_text
from grassroots.notifications.models import Channel, Delivery, Notification, Subscription
from grassroots.notifications.schemas import ChannelOut, DeliveryOut, NoticeOut, SubscriptionOut


def notice_out(notice: Notification, gettext: Callable[[str], str]) -> NoticeOut:
    return NoticeOut(
        id=notice.id,
        kind=notice.kind,
        label=gettext(kind_label(notice.kind)),
        text=notice_text(notice.kind, notice.params, gettext),
        case_code=notice.case_code,
        case_url=f"/cases/{notice.case_code}" if notice.case_code else None,
        created_at=notice.created_at,
        read=notice.read_at is not None,
    )


def channel_out(channel: Channel) -> ChannelOut:
    return ChannelOut(
        id=channel.id, name=channel.name, kind=channel.kind, url=channel.url,
        has_secret=channel.secret_enc is not None, active=channel.active,
    )  # fmt: skip


def subscription_out(channel: Channel, sub: Subscription | None) -> SubscriptionOut:
    return SubscriptionOut(
        channel_id=channel.id, channel_name=channel.name, channel_kind=channel.kind,
        subscribed=bool(sub and sub.kinds),
        address_masked=mask_address(open_address(sub.address_enc)) if sub else "",
        kinds=list(sub.kinds) if sub else [],
    )  # fmt: skip


def delivery_out(row: tuple[Delivery, Channel, Notification, str]) -> DeliveryOut:
    delivery, channel, notice, username = row
    return DeliveryOut(
        id=delivery.id, channel=channel.name, kind=notice.kind, case_code=notice.case_code,
        recipient=username, state=delivery.state, attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at, last_error=delivery.last_error,
        created_at=delivery.created_at, sent_at=delivery.sent_at,
    )  # fmt: skip
