"""Authentication writes nothing on the request path: the "last used" time of bearer tokens
and the "last seen" time of browser sessions (which the idle timeout reads), and the
deletion of sessions found expired, are kept in the process's memory and written in ONE
short transaction every settings.auth_flush_seconds by a background thread (and when the
server stops).

This process reads its own unwritten times (`last_seen`), so its idle checks are exact;
another process sees them at most auth_flush_seconds (+ authn.TOUCH_EVERY) late, which the
30-minute idle timeout does not notice. auth_flush_seconds = 0 writes them at once, during
the request (the test suite's setting, so that a test sees the row change it caused).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from sqlalchemy import bindparam, delete, or_, update
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import ApiToken, AuthSession
from grassroots.db import transaction

log = logging.getLogger(__name__)

_TOUCH_TOKEN = (
    update(ApiToken)
    .where(
        ApiToken.id == bindparam("row_id"),
        or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < bindparam("at")),
    )
    .values(last_used_at=bindparam("at"))
)
_TOUCH_SESSION = (
    update(AuthSession)
    .where(AuthSession.id == bindparam("row_id"), AuthSession.last_seen_at < bindparam("at"))
    .values(last_seen_at=bindparam("at"))
)


class AuthTouches:
    def __init__(self, write_sessions: sessionmaker[Session], flush_seconds: float) -> None:
        self._sessions = write_sessions
        self.flush_seconds = flush_seconds
        self._tokens: dict[int, datetime] = {}
        self._seen: dict[int, datetime] = {}
        self._expired: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def synchronous(self) -> bool:
        return self.flush_seconds <= 0

    def token_used(self, token_id: int, at: datetime) -> None:
        with self._lock:
            self._tokens[token_id] = at

    def session_seen(self, session_id: int, at: datetime) -> None:
        with self._lock:
            self._seen[session_id] = at

    def session_expired(self, session_id: int) -> None:
        with self._lock:
            self._expired.add(session_id)
            self._seen.pop(session_id, None)

    def last_used(self, token_id: int) -> datetime | None:
        return self._tokens.get(token_id)

    def last_seen(self, session_id: int) -> datetime | None:
        return self._seen.get(session_id)

    def flush(self) -> int:
        """Write what is kept, in one transaction; returns how many rows it concerned. What
        could not be written (the database is down) is kept for the next flush."""
        with self._lock:
            tokens, seen, expired = self._tokens, self._seen, self._expired
            self._tokens, self._seen, self._expired = {}, {}, set()
        if not (tokens or seen or expired):
            return 0
        try:
            with self._sessions() as session, transaction(session):
                _write(session, tokens, seen, expired)
        except Exception:
            self._keep(tokens, seen, expired)
            raise
        return len(tokens) + len(seen) + len(expired)

    def _keep(self, tokens: dict[int, datetime], seen: dict[int, datetime], gone: set[int]) -> None:
        with self._lock:
            for mine, old in ((self._tokens, tokens), (self._seen, seen)):
                for key, at in old.items():
                    mine[key] = max(at, mine.get(key, at))
            self._expired |= gone

    def start(self) -> None:
        if self.synchronous or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="grassroots-auth", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.flush_seconds):
            try:
                self.flush()
            except Exception:  # kept for the next round; the server goes on
                log.exception("writing last-used times failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        try:
            self.flush()
        except Exception:
            log.exception("writing last-used times at shutdown failed")


def _write(
    session: Session, tokens: dict[int, datetime], seen: dict[int, datetime], gone: set[int]
) -> None:
    conn = session.connection()
    if tokens:
        conn.execute(_TOUCH_TOKEN, [{"row_id": k, "at": v} for k, v in tokens.items()])
    if seen:
        conn.execute(_TOUCH_SESSION, [{"row_id": k, "at": v} for k, v in seen.items()])
    if gone:
        conn.execute(delete(AuthSession).where(AuthSession.id.in_(sorted(gone))))
