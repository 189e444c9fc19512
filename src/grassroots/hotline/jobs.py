"""The 12345 replies job: the replies owed go into the notification outbox (registered in
grassroots.jobs.registry.JOBS before the outbox job, which sends them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from grassroots.config import get_settings
from grassroots.db import make_session_factory, utcnow, writer_engine
from grassroots.hotline.actions import do_queue_replies


def queue_hotline_replies(engine: Engine, now: datetime | None = None) -> dict[str, Any]:
    """Idempotent: a second run queues nothing new. Off while GRASSROOTS_HOTLINE_REPLY_CHANNEL
    is empty (the replies are then only exported to a file)."""
    name = get_settings().hotline_reply_channel
    if not name:
        return {"queued": 0, "unchanged": 0, "channel": ""}
    with make_session_factory(writer_engine(engine))() as session:
        result = do_queue_replies(session, name, now or utcnow())
    return {**result, "channel": name}
