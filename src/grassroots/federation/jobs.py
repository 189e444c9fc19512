"""The federation outbox job (registered in grassroots.jobs.registry.JOBS): queue a
status.changed document for each of our shared cases that moved, then send every due
document in order per case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from grassroots.config import get_settings
from grassroots.db import make_session_factory, utcnow, writer_engine
from grassroots.federation.actions import queue_status_changes
from grassroots.federation.models import FederationLink
from grassroots.federation.queries import current_key, fallback_key, own_code
from grassroots.federation.sending import drain


def federation_outbox(engine: Engine, now: datetime | None = None) -> dict[str, Any]:
    moment = now or utcnow()
    sessions = make_session_factory(writer_engine(engine))
    with sessions() as session:
        if session.query(FederationLink.id).first() is None:
            return {"queued": 0, "sent": 0, "failed": 0}  # nothing shared: no key needed
        queued = queue_status_changes(session, moment)
        signer = (own_code(session), current_key(session))
        fallback = fallback_key(session, moment)
    summary = drain(sessions, moment, get_settings(), signer, fallback=fallback)
    return {"queued": queued} | summary
