"""The outbox job: send the due deliveries (registered in grassroots.jobs.registry.JOBS)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from grassroots.config import Settings, get_settings
from grassroots.db import make_session_factory, utcnow, writer_engine
from grassroots.notifications.delivery.direct import drain_direct
from grassroots.notifications.delivery.outbox import drain


def deliver_outbox(engine: Engine, now: datetime | None = None) -> dict[str, Any]:
    return drain_with(engine, now or utcnow(), get_settings())


def drain_with(engine: Engine, now: datetime, settings: Settings) -> dict[str, Any]:
    """One run with the given settings (SMTP server, retries): the counts by outcome."""
    sessions = make_session_factory(writer_engine(engine))
    return dict(drain(sessions, now, settings)) | drain_direct(sessions, now, settings)
