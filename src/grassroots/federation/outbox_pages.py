"""The outbox of documents to partner deployments (/admin/partners/outbox): each with its
state, attempts, last error and next attempt; retry a failed one, cancel one that will never
go. The deployment's administrators only (queries.access_outbox). Thin: access, do_*, render."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.federation import queries as q
from grassroots.federation.actions import do_cancel_outgoing, do_retry_outgoing
from grassroots.i18n import N_
from grassroots.web.flash import set_flash
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, requires("config.write")]
OUTBOX = "/admin/partners/outbox"
OUTBOX_LABELS = {"pending": N_("Pending"), "failed": N_("Failed, will retry"),
                 "sent": N_("Delivered"), "gave_up": N_("Cancelled")}  # fmt: skip
register_globals(federation_outbox_states=OUTBOX_LABELS)


@router.get(OUTBOX, response_class=HTMLResponse)
def outbox_page(
    request: Request, session: DbSession, user: Admin,
    state: Annotated[str | None, Query(pattern="^(pending|failed|sent|gave_up)$")] = None,
    before: DbId | None = None,
) -> HTMLResponse:  # fmt: skip
    """发件箱: the documents to partner deployments, newest first, a page at a time."""
    q.access_outbox(session, user)
    page = q.outbox(session, state, before)
    older = ""
    if page.older is not None:
        kept = [("state", state)] if state else []
        older = f"{OUTBOX}?{urlencode([*kept, ('before', page.older)])}"
    context = {"documents": page.documents, "state": state, "before": before, "older_url": older}
    return render(request, "federation/outbox.html", context, user=user)


def _back(flash: str, arg: str = "") -> Response:
    response = RedirectResponse(OUTBOX, status_code=303)
    set_flash(response, flash, arg)
    return response


@router.post(OUTBOX + "/{row_id}/retry", response_class=HTMLResponse)
def retry(session: DbSession, user: Admin, row_id: DbId) -> Response:
    row = q.access_outgoing(session, user, row_id)
    try:
        do_retry_outgoing(session, row, actor=user)
    except Problem:
        session.rollback()
        return _back("outbox_unchanged")
    return _back("retry_queued")


@router.post(OUTBOX + "/{row_id}/cancel", response_class=HTMLResponse)
def cancel(session: DbSession, user: Admin, row_id: DbId) -> Response:
    row = q.access_outgoing(session, user, row_id)
    try:
        cancelled = do_cancel_outgoing(session, row, actor=user)
    except Problem:
        session.rollback()
        return _back("outbox_unchanged")
    return _back("outbox_cancelled", str(cancelled))
