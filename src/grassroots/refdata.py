"""Reference data cached in the process: the working calendar, the deadline policies, the
category and source dictionaries, the jurisdiction tree and the grid index change rarely and
are read by nearly every request.

A one-row table holds a stamp that the database itself changes, by triggers (migration
0009), in the same transaction as any write to those tables, whoever makes it: an action, an
import, another process, or SQL typed by hand. A cached value is kept with the stamp it was
read under and used while the stamp read at the start of the use is the same (one primary-key
SELECT, or a column of a query the caller makes anyway), so every process sees a committed
change from its next request on. The stamp is random, not a counter: a change rolled back
never comes back, so a value cached inside that transaction can never match a later stamp.

The stamp is read before the data it guards: a value read after it is at least as new.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from grassroots.db import Base, execute_core

T = TypeVar("T")
S = TypeVar("S", Session, Connection)

STAMP_ROW = 1
# The tables whose writes change the stamp (the triggers of migration 0009).
REFERENCE_TABLES = ("calendar_year", "calendar_day", "deadline_policy", "case_category",
                    "case_source", "jurisdiction", "boundary", "unit")  # fmt: skip


class ReferenceStamp(Base):
    __tablename__ = "reference_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


STAMP_QUERY = select(ReferenceStamp.stamp).where(ReferenceStamp.id == STAMP_ROW)

_ENTRIES: dict[tuple[str, str], tuple[str, Any]] = {}
_LOCK = threading.Lock()


def database_key(session: Session | Connection) -> str:
    """Which database: several are open in one process in the tests and the benchmarks."""
    bind = session.get_bind() if isinstance(session, Session) else session
    engine = bind.engine
    return engine.url.render_as_string(hide_password=True)


def current_stamp(session: Session | Connection) -> str:
    result = execute_core(session, STAMP_QUERY) if isinstance(session, Session) else (
        session.execute(STAMP_QUERY))  # fmt: skip
    return str(result.scalar_one_or_none() or "")


def cached(session: S, name: str, load: Callable[[S], T]) -> T:
    """`name`'s value for the database of `session`: the cached one while the stamp has not
    changed, else `load(session)` (run after reading the stamp, in the same transaction)."""
    stamp = current_stamp(session)
    found = lookup(session, name, stamp)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = load(session)
    remember(session, name, stamp, value)
    return value


def lookup(session: Session | Connection, name: str, stamp: str) -> Any | None:
    """The value cached under `stamp` (a caller that read the stamp itself), or None."""
    entry = peek(session, name)
    return entry[1] if entry is not None and entry[0] == stamp and stamp else None


def peek(session: Session | Connection, name: str) -> tuple[str, Any] | None:
    """(stamp, value) as cached, for a caller that checks the stamp in a query of its own."""
    return _ENTRIES.get((database_key(session), name))


def remember(session: Session | Connection, name: str, stamp: str, value: Any) -> None:
    with _LOCK:
        _ENTRIES[(database_key(session), name)] = (stamp, value)
