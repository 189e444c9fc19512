"""The 12345 reply (办结反馈) queued in the transaction of the action that ends or changes it.

A listener on every session's commit (installed when grassroots.hotline is imported, first
among the before_commit listeners so that its audit row joins the chain): the cases of the
session in an ended state (resolved, closed, rejected, terminated) — the one an action just
resolved, returned, closed or rated — have their orders' replies queued in the outbox with
the rest of the transaction (hotline.actions.do_queue_replies_of): a rolled-back action
queues nothing, a committed one cannot miss its reply. The job hotline_replies stays as the
safety sweep. Only loaded cases are looked at (no lazy load), and nothing at all while
GRASSROOTS_HOTLINE_REPLY_CHANNEL is empty.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from grassroots.config import get_settings
from grassroots.db import utcnow
from grassroots.hotline.actions import do_queue_replies_of
from grassroots.hotline.queries import REPLIED_STATES


def ended_cases(session: Session) -> list[int]:
    """The ids of the session's loaded cases in an ended state (attributes already loaded
    only: an expired case was not changed in this transaction)."""
    ids = []
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Case) and obj.__dict__.get("state") in REPLIED_STATES:
            key = inspect(obj).identity
            if key is not None:
                ids.append(int(key[0]))
    return ids


def _queue_before_commit(session: Session) -> None:
    if session.in_nested_transaction() or not get_settings().hotline_reply_channel:
        return
    ids = ended_cases(session)
    if ids:
        do_queue_replies_of(session, ids, utcnow())
        session.flush()


def install() -> None:
    """Register the listener once (idempotent)."""
    if not event.contains(Session, "before_commit", _queue_before_commit):
        event.listen(Session, "before_commit", _queue_before_commit, insert=True)
