"""How far 导入 has come, as any process sees it: the upload's progress columns (written in
their own short transactions by the importing process, grassroots.ledgers.web.actions) and,
in the importing process itself, the rows written so far in memory (on SQLite the import
holds the one write lock, so its progress reaches the database only when it starts and ends).
A running import whose process is gone (a restart) shows as stopped."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from threading import Lock

from grassroots.db import utcnow
from grassroots.ledgers.models import LedgerUpload

SILENT_FOR = timedelta(minutes=10)  # another host's import not heard of since: stopped
_LOCK = Lock()
_RUNNING: dict[int, tuple[int, int]] = {}  # upload id → (rows written, rows to write)


def this_process() -> str:
    """ "host:pid:start": the start (clock ticks since boot, Linux's /proc) tells a reused pid
    from the importing process; "" where there is no /proc."""
    return f"{_host()}:{os.getpid()}:{_started(os.getpid())}"


def _host() -> str:
    return socket.gethostname()[:50]  # the whole mark fits progress_by (80)


def _started(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # the fields after the command's closing parenthesis; the start time is field 22
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else ""


def advanced(upload_id: int, done: int, total: int) -> None:
    with _LOCK:
        _RUNNING[upload_id] = (done, total)


def ended(upload_id: int) -> None:
    with _LOCK:
        _RUNNING.pop(upload_id, None)


@dataclass(frozen=True)
class Position:
    state: str  # running / stopped / failed / "" (nothing running)
    done: int = 0
    total: int = 0


def _alive(by: str, heard: datetime | None, now: datetime) -> bool:
    """Is the process that marked the import still there? Same host: the pid runs and (when
    marked) started when the mark says; another host: heard of within SILENT_FOR."""
    host, pid, started = [*by.split(":"), "", "", ""][:3]
    if host != _host() or not pid.isdigit():
        return heard is not None and now - heard < SILENT_FOR
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it runs, under another user
    return not started or _started(int(pid)) in ("", started)


def position(upload: LedgerUpload, now: datetime | None = None) -> Position:
    """The upload's import as the page shows it."""
    if upload.progress_state != "running":
        return Position(upload.progress_state)
    if not _alive(upload.progress_by, upload.progress_at, now or utcnow()):
        return Position("stopped", upload.progress_done, upload.progress_total)
    with _LOCK:
        here = _RUNNING.get(upload.id)
    stored = (upload.progress_done, upload.progress_total)
    # the same import counted in two places: the one further on is the newer
    done, total = here if here is not None and here[0] >= stored[0] else stored
    return Position("running", done, total)
