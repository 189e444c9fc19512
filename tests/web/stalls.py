"""What the live server was doing when a browser test waited in vain for it.

CI failed twice on a PostgreSQL browser test that waited 30 s for a page the server never
finished (a log-in, a ledger upload); neither reproduced here. When such a wait times out,
the failure now carries the server threads' Python stacks (the server runs in this process)
and, on PostgreSQL, every other session on the live database with its state, wait and
blockers: enough to tell a lock wait from a busy CPU or a stuck client.
"""

from __future__ import annotations

import sys
import threading
import traceback

from sqlalchemy import Engine, text

# live server origin → its engine (tests/web/conftest.py registers each server)
SERVER_ENGINES: dict[str, Engine] = {}

_ACTIVITY = text(
    "SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid) AS blocked_by,"
    " now() - xact_start AS in_transaction, left(query, 160) AS query"
    " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def server_threads() -> str:
    """The stacks of this process's threads other than the test's own, innermost last
    (uvicorn's loop and the request threads of its pool)."""
    here, frames = threading.get_ident(), sys._current_frames()
    names = {t.ident: t.name for t in threading.enumerate()}
    parts = []
    for ident, frame in frames.items():
        if ident == here:
            continue
        stack = "".join(traceback.format_stack(frame))
        if "grassroots" in stack or "uvicorn" in stack:
            parts.append(f"--- thread {names.get(ident, ident)}\n{stack}")
    return "\n".join(parts) or "(no server thread in grassroots or uvicorn code)"


def database_sessions(engine: Engine) -> str:
    """PostgreSQL: the other sessions on the database, one line each."""
    if engine.dialect.name != "postgresql":
        return "(SQLite: no session list)"
    with engine.connect() as conn:
        rows = conn.execute(_ACTIVITY).all()
    return "\n".join(str(tuple(row)) for row in rows) or "(no other session)"


def stall_report(origin: str) -> str:
    """Both, for the server at `origin` (a best effort: a report that fails says why)."""
    engine = SERVER_ENGINES.get(origin)
    try:
        sessions = database_sessions(engine) if engine is not None else "(unknown server)"
    except Exception as exc:  # a diagnostic must not hide the first failure
        sessions = f"(the session list failed: {exc!r})"
    return f"database sessions:\n{sessions}\nserver threads:\n{server_threads()}"
