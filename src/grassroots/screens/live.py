"""The screen's event stream (text/event-stream): a change stamp read from the database
every settings.screen_poll_seconds, and the whole picture sent when it moved.

The stamp is one small query (figures.stamp), so several server processes each serve
their own screens with no message bus between them. Every `snapshot` event carries all the
screen shows; a screen that reconnects (EventSource does by itself, after `retry`) gets a
fresh one first, whatever Last-Event-ID it sends: nothing is missed and nothing replayed.
A stream ends after settings.screen_stream_seconds (the browser reconnects) and at once
when the screen is revoked or paired again (a `revoked` event: the page reloads to the
pairing form).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from grassroots.screens.figures import Stamp, snapshot, stamp
from grassroots.screens.models import Screen

REFRESH_SECONDS = 60.0  # a full picture at least this often: a new day, deadlines passing
KEEPALIVE_SECONDS = 15.0
RETRY_MS = 2000


def message(event: str, data: dict[str, Any], event_id: str = "") -> str:
    lines = [f"event: {event}"] + ([f"id: {event_id}"] if event_id else [])
    return "\n".join([*lines, f"data: {json.dumps(data, ensure_ascii=False)}", "", ""])


def _read(factory: sessionmaker[Session], screen_id: int) -> Stamp:
    with factory() as session:
        return stamp(session, screen_id)


def _picture(factory: sessionmaker[Session], screen_id: int, hours: int, locale: str) -> Any:
    with factory() as session:
        screen = session.get(Screen, screen_id)
        return None if screen is None else snapshot(session, screen, hours, locale)


async def events(request: Request, screen: Screen, locale: str) -> AsyncIterator[str]:
    """The stream of one screen's connection."""
    settings = request.app.state.settings
    factory: sessionmaker[Session] = request.app.state.read_sessions
    mine, last, sent, said = screen.session_hash, None, 0.0, time.monotonic()
    end = time.monotonic() + settings.screen_stream_seconds
    yield f"retry: {RETRY_MS}\n\n"
    while time.monotonic() < end and not await request.is_disconnected():
        now = await run_in_threadpool(_read, factory, screen.id)
        if now.session_hash != mine:
            yield message("revoked", {})
            return
        if now != last or time.monotonic() - sent > REFRESH_SECONDS:
            hours = settings.screen_recent_hours
            data = await run_in_threadpool(_picture, factory, screen.id, hours, locale)
            yield message("snapshot", data, f"{now.events[0]}.{now.events[1]}")
            last, sent = now, time.monotonic()
            said = sent
        elif time.monotonic() - said > KEEPALIVE_SECONDS:
            yield ": keep-alive\n\n"
            said = time.monotonic()
        await asyncio.sleep(settings.screen_poll_seconds)
