"""The inbox page (/notifications), its mark-read forms and the unread badge of the top
navigation (an htmx fragment the layout loads; no script of ours); a person's channel
choices (/notifications/settings); the administrators' channels and deliveries
(/admin/notifications)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.calendar.today import local_time
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.i18n import N_, gettext_for, request_locale
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
from grassroots.notifications.kinds import KINDS
from grassroots.notifications.schemas import ChannelChange, ChannelIn, SubscriptionIn
from grassroots.notifications.views import (
    channel_out,
    delivery_out,
    direct_out,
    notice_out,
    subscription_out,
)
from grassroots.web.flash import set_flash
from grassroots.web.forms import form_fields
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, requires("case.read")]
Admin = Annotated[User, requires("config.write")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
PAGE_SIZE = 30
DELIVERY_STATES = ("pending", "sent", "failed", "gave_up")
STATE_LABELS = {
    "pending": N_("Pending"), "sent": N_("Sent"), "failed": N_("Failed, will retry"),
    "gave_up": N_("Given up"),
}  # fmt: skip


def delivery_state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


register_globals(delivery_state_label=delivery_state_label)


@router.get("/notifications", response_class=HTMLResponse)
def inbox_page(
    request: Request, session: DbSession, user: Reader, unread: bool = False,
    before: Annotated[DbId | None, Query()] = None,
) -> HTMLResponse:  # fmt: skip
    rows, next_before = q.inbox(session, user, unread=unread, before=before, limit=PAGE_SIZE)
    gettext = gettext_for(request_locale(request))
    notices = [(notice_out(n, gettext), local_time(n.created_at)) for n in rows]
    context = {
        "notices": notices, "unread": unread, "next_before": next_before,
        "unread_count": q.unread_count(session, user),
    }  # fmt: skip
    return render(request, "notifications/inbox.html", context, user=user)


def _back(unread: bool) -> Response:
    return RedirectResponse("/notifications?unread=true" if unread else "/notifications", 303)


@router.post("/notifications/{notice_id}/read", response_class=HTMLResponse)
def mark_read(session: DbSession, user: Reader, notice_id: DbId, unread: bool = False) -> Response:
    do_mark_read(session, user, q.access_notification(session, user, notice_id))
    return _back(unread)


@router.post("/notifications/read-all", response_class=HTMLResponse)
def mark_all_read(session: DbSession, user: Reader) -> Response:
    do_mark_all_read(session, user)
    return _back(False)


@router.get("/notifications/badge", response_class=HTMLResponse)
def badge(request: Request, session: DbSession, user: Reader) -> HTMLResponse:
    """htmx: the unread count beside 通知 in the navigation (empty when none)."""
    context = {"count": q.unread_count(session, user)}
    return render(request, "notifications/_badge.html", context, user=user)


def _kinds_list(value: object) -> list[str]:
    return value if isinstance(value, list) else ([value] if value else [])  # type: ignore[list-item]


def _settings_page(
    request: Request, session: DbSession, user: User, error: str = "", status: int = 200
) -> HTMLResponse:  # fmt: skip
    mine = q.subscriptions_of(session, user)
    rows = [subscription_out(c, mine.get(c.id)) for c in q.channels(session, active_only=True)]
    context = {"rows": rows, "kinds": KINDS, "error": error}
    return render(request, "notifications/settings.html", context, user=user, status_code=status)


@router.get("/notifications/settings", response_class=HTMLResponse)
def settings_page(request: Request, session: DbSession, user: Reader) -> HTMLResponse:
    """Which kinds of notice the user also wants by e-mail or through each webhook."""
    return _settings_page(request, session, user)


@router.post("/notifications/settings/{channel_id}", response_class=HTMLResponse)
def save_settings(
    request: Request, session: DbSession, user: Reader, channel_id: DbId, form: FormFields
) -> Response:
    channel = q.access_channel(session, channel_id, active_only=True)
    data = {"address": form.get("address", ""), "kinds": _kinds_list(form.get("kinds"))}
    try:
        do_subscribe(session, user, channel, SubscriptionIn.model_validate(data))
    except ValidationError:
        return _settings_page(request, session, user, "请检查填写的内容 / check the form", 422)
    except Problem as exc:
        return _settings_page(request, session, user, exc.message, exc.status)
    response = RedirectResponse("/notifications/settings", status_code=303)
    set_flash(response, "saved")
    return response


KIND_LABELS = {
    "notice": N_("Notices"), "hotline_reply": N_("12345 replies"), "direct": N_("SMS to residents"),
}  # fmt: skip


def _outbox(session: DbSession, user: User, state: str | None, kind: str | None) -> list[Any]:
    """The newest 50 rows of the outbox of the kind asked (all kinds: merged by time)."""
    rows = []
    if kind != "direct":
        found, _ = q.deliveries(session, user, state=state, kind=kind, limit=50)
        rows += [delivery_out(r) for r in found]
    if kind in (None, "direct"):
        rows += [direct_out(r) for r in q.direct_messages(session, user, state=state, limit=50)[0]]
    return sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True)[:50]


def _admin_page(
    request: Request, session: DbSession, user: User, *, error: str = "", secret: str = "",
    status: int = 200, state: str | None = None, kind: str | None = None,
    typed: dict[str, Any] | None = None,
) -> HTMLResponse:  # fmt: skip
    context = {
        "channels": [channel_out(c) for c in q.channels(session)], "error": error,
        "secret": secret, "deliveries": _outbox(session, user, state, kind), "state": state,
        "states": DELIVERY_STATES, "kind": kind, "kinds": KIND_LABELS, "typed": typed or {},
    }  # fmt: skip
    return render(request, "notifications/channels.html", context, user=user, status_code=status)


@router.get("/admin/notifications", response_class=HTMLResponse)
def admin_page(
    request: Request, session: DbSession, user: Admin,
    state: Annotated[str | None, Query(pattern="^(pending|sent|failed|gave_up)$")] = None,
    kind: Annotated[str | None, Query(pattern="^(notice|hotline_reply|direct)$")] = None,
) -> HTMLResponse:  # fmt: skip
    """Channels (create, switch on/off) and the outbox — notices, 12345 replies, SMS to
    residents — with state, attempts, next try, channel and the recipient masked."""
    return _admin_page(request, session, user, state=state, kind=kind)


def _retried(problem: Problem | None) -> Response:
    response = RedirectResponse("/admin/notifications", status_code=303)
    set_flash(response, "retry_queued" if problem is None else "not_retryable")
    return response


@router.post("/admin/notifications/deliveries/{delivery_id}/retry", response_class=HTMLResponse)
def admin_retry_delivery(session: DbSession, user: Admin, delivery_id: DbId) -> Response:
    delivery = q.access_delivery(session, user, delivery_id)
    try:
        do_retry_delivery(session, delivery, actor=user)
    except Problem as exc:
        return _retried(exc)
    return _retried(None)


@router.post("/admin/notifications/direct/{message_id}/retry", response_class=HTMLResponse)
def admin_retry_direct(session: DbSession, user: Admin, message_id: DbId) -> Response:
    message = q.access_direct(session, user, message_id)
    try:
        do_retry_direct(session, message, actor=user)
    except Problem as exc:
        return _retried(exc)
    return _retried(None)


@router.post("/admin/notifications/channels", response_class=HTMLResponse)
def admin_create(request: Request, session: DbSession, user: Admin, form: FormFields) -> Response:
    data = {k: form.get(k) or None for k in ("name", "kind", "url", "secret")}
    try:
        _, secret = do_create_channel(session, ChannelIn.model_validate(data), actor=user)
    except ValidationError:
        message = "请检查名称、类型和地址（Webhook 需 http(s) 地址）/ check the name, kind and URL"
        return _admin_page(request, session, user, error=message, status=422, typed=form)
    except Problem as exc:
        return _admin_page(request, session, user, error=exc.message, status=exc.status, typed=form)
    # The generated secret is shown on this answer only (never stored in the clear).
    return _admin_page(request, session, user, secret=secret or "", status=201)


@router.post("/admin/notifications/channels/{channel_id}/toggle", response_class=HTMLResponse)
def admin_toggle(session: DbSession, user: Admin, channel_id: DbId) -> Response:
    channel = q.access_channel(session, channel_id)
    do_change_channel(session, channel, ChannelChange(active=not channel.active), actor=user)
    response = RedirectResponse("/admin/notifications", status_code=303)
    set_flash(response, "saved")
    return response
