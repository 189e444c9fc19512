"""The inbox's API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from grassroots.bounds import non_blank
from grassroots.notifications.kinds import KINDS

NoticeKind = Annotated[str, StringConstraints(pattern=f"^({'|'.join(KINDS)})$")]


class NoticeOut(BaseModel):
    id: int
    kind: str
    label: str
    text: str
    case_code: str
    case_url: str | None
    created_at: datetime
    read: bool


class NoticePage(BaseModel):
    items: list[NoticeOut]
    next_before: int | None


class UnreadCount(BaseModel):
    unread: int


class MarkedAll(BaseModel):
    marked: int


WEBHOOK_URL = r"^https?://[^\s]+$"


class ChannelIn(BaseModel):
    """A new channel. A webhook needs its URL (http or https); its secret is generated when
    not given (at least 16 characters) and shown only in the answer to this request."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, non_blank(64)]
    kind: Literal["email", "webhook"]
    url: Annotated[str, StringConstraints(max_length=500, pattern=WEBHOOK_URL)] | None = None
    secret: Annotated[str, StringConstraints(min_length=16, max_length=200)] | None = None
    active: bool = True

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> ChannelIn:
        if self.kind == "webhook" and not self.url:
            raise ValueError("a webhook channel needs its url")
        if self.kind == "email" and (self.url or self.secret):
            raise ValueError("an e-mail channel has no url or secret")
        return self


class ChannelChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    active: bool | None = None
    url: Annotated[str, StringConstraints(max_length=500, pattern=WEBHOOK_URL)] | None = None
    secret: Annotated[str, StringConstraints(min_length=16, max_length=200)] | None = None


class ChannelOut(BaseModel):
    id: int
    name: str
    kind: str
    url: str
    has_secret: bool
    active: bool


class ChannelCreated(ChannelOut):
    secret: str | None  # the webhook's secret, this once


class SubscriptionIn(BaseModel):
    """The kinds wanted on a channel, and the address there: blank keeps the address already
    given (it is never shown back in the clear); no kinds switches the channel off."""

    model_config = ConfigDict(extra="forbid")

    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    kinds: Annotated[list[NoticeKind], Field(max_length=len(KINDS))] = []


class SubscriptionOut(BaseModel):
    channel_id: int
    channel_name: str
    channel_kind: str
    subscribed: bool
    address_masked: str  # e.g. q***@example.test, 139****0000
    kinds: list[str]


class DeliveryOut(BaseModel):
    """One row of the outbox: a notice's delivery, a message of the platform's own (the 12345
    reply: kind hotline_reply, subject the 工单编号) or a direct message (source direct: the
    receipt code by SMS). The recipient's address is shown masked only."""

    id: int
    source: Literal["delivery", "direct"] = "delivery"
    channel: str
    kind: str
    case_code: str
    subject: str = ""
    recipient: str
    address_masked: str = ""
    retryable: bool = False
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_before: int | None
