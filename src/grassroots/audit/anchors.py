"""Anchors: the chain head written, now and then, to an append-only file OUTSIDE the database.

Someone with full rights on the database can delete the tail of the log, the head row with
it, or roll both back to an earlier state and recompute everything after; the chain inside
the database cannot tell. A line in a file the database cannot reach can: `audit verify`
checks that the anchored row is still there with the anchored hash and that the chain
reaches at least that far.

One line per anchor, tab-separated: time (UTC, ISO 8601), row id, row hash, database (the
backend, host, port and database name: never the password). One file may hold the anchors of
several databases (a test machine, a training copy); each database is checked only against
its own. Lines that do not parse (a torn last write) are skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

HASH_LENGTH = 64


@dataclass(frozen=True)
class Anchor:
    at: datetime
    last_id: int
    last_hash: str
    database: str

    def line(self) -> str:
        return f"{self.at.isoformat()}\t{self.last_id}\t{self.last_hash}\t{self.database}\n"

    def describe(self) -> str:
        return f"row {self.last_id} anchored at {self.at.isoformat(timespec='seconds')}"


def database_label(engine: Engine) -> str:
    """Which database an anchor belongs to: backend, host, port, name (no user, password or
    driver, so the server and the commands agree however their URLs spell the driver)."""
    url = engine.url
    return f"{url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database or ''}"


def parse_line(line: str) -> Anchor | None:
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 4:
        return None
    at, last_id, last_hash, database = parts
    try:
        moment, number = datetime.fromisoformat(at), int(last_id)
    except ValueError:
        return None
    if moment.tzinfo is None or number < 0 or len(last_hash) != HASH_LENGTH:
        return None
    return Anchor(moment, number, last_hash, database)


def latest_anchor(path: Path, database: str) -> Anchor | None:
    """The last well-formed anchor of `database` in the file; None if there is none (or no
    file)."""
    if not path.exists():
        return None
    latest = None
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            anchor = parse_line(line)
            if anchor is not None and anchor.database == database:
                latest = anchor
    return latest


def append_anchor(path: Path, anchor: Anchor) -> None:
    """Append one line with O_APPEND in a single write, then fsync: never rewrites the file
    (so it can be made append-only at the file system: `chattr +a`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, anchor.line().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
