"""Notices, channels, opt-ins and deliveries as the API and the pages show them."""

from __future__ import annotations

from collections.abc import Callable

from grassroots.crypto import keyring
from grassroots.notifications.delivery.contact import mask_address, open_address
from grassroots.notifications.delivery.direct import ADDRESS_FIELD as DIRECT_ADDRESS
from grassroots.notifications.delivery.outbox import RETRYABLE
from grassroots.notifications.kinds import kind_label, notice_text
from grassroots.notifications.models import (
    Channel,
    Delivery,
    DirectMessage,
    Notification,
    Subscription,
)
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


def delivery_out(row: tuple[Delivery, Channel, Notification | None, str | None]) -> DeliveryOut:
    delivery, channel, notice, username = row
    return DeliveryOut(
        id=delivery.id, channel=channel.name, kind=notice.kind if notice else delivery.topic,
        case_code=notice.case_code if notice else "",
        subject="" if notice else (delivery.dedupe_key or "").partition(":")[2],
        recipient=username or "", address_masked=mask_address(open_address(delivery.address_enc)),
        state=delivery.state, attempts=delivery.attempts, retryable=delivery.state in RETRYABLE,
        next_attempt_at=delivery.next_attempt_at, last_error=delivery.last_error,
        created_at=delivery.created_at, sent_at=delivery.sent_at,
    )  # fmt: skip


def direct_out(row: tuple[DirectMessage, Channel]) -> DeliveryOut:
    message, channel = row
    address = keyring().decrypt(DIRECT_ADDRESS, message.address_enc)
    return DeliveryOut(
        id=message.id, source="direct", channel=channel.name, kind=message.kind, case_code="",
        recipient="", address_masked=mask_address(address), state=message.state,
        attempts=message.attempts,
        retryable=message.state in RETRYABLE and message.text_enc is not None,
        next_attempt_at=message.next_attempt_at, last_error=message.last_error,
        created_at=message.created_at, sent_at=message.sent_at,
    )  # fmt: skip
