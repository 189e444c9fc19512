"""`grassroots backup` and `grassroots restore`: a consistent copy of the database taken while
the server runs, and putting one back (server stopped).

SQLite: SQLite's online backup API copies the database page by page inside a read
transaction (WAL: writers carry on), into one self-contained file that is then checked with
PRAGMA integrity_check. PostgreSQL: pg_dump's custom format (a consistent snapshot, any
load), restored with pg_restore into an empty database.

The attachment files (photos, agreements), sealed as they are, and the generated reports are
copied into the backup folder's `attachments/` and `reports/` (grassroots.cli.backup_files),
and put back by a restore.

The key file that encrypts personal data and the files is NOT in the backup, on purpose (a
stolen backup must not reveal phone and ID numbers, nor open a photo): keep a copy of it apart
from the backups (docs/deployment.md).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from grassroots.cli.backup_files import Stores, back_up_files, put_back_files


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    files: int = 0  # attachment files copied this time (the others were there already)


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("没有数据库文件 / the database is not a file")
    return Path(database)


def backup(url: str, folder: Path, stores: Stores, now: datetime | None = None) -> Backup:
    """Write a backup of the database at `url` into `folder`, and copy the server's files
    `stores` beside it (before the snapshot and again after it: the files of rows committed
    meanwhile); returns the database file and the count of files copied."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    copied = back_up_files(stores, folder)
    if url.startswith("sqlite"):
        target = folder / f"grassroots-{stamp}.db"
        _sqlite_copy(sqlite_path(url), target)
    else:
        target = folder / f"grassroots-{stamp}.dump"
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}",
              f"--dbname={_libpq(url)}"])  # fmt: skip
    copied += back_up_files(stores, folder)
    return Backup(target, target.stat().st_size, copied)


def restore(url: str, source: Path, stores: Stores) -> int:
    """Put the backup `source` into the database at `url`, which must be new or empty (a
    SQLite file that does not exist yet; a PostgreSQL database without tables), then the
    files of its folder that `stores` lack; how many files were put back.
    A refused database restore puts back no file."""
    if not source.is_file():
        raise BackupError(f"找不到备份文件 / no such backup file: {source}")
    if url.startswith("sqlite"):
        target = sqlite_path(url)
        if target.exists():
            raise BackupError(f"数据库文件已存在，请先移走 / {target} exists: move it away first")
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target)
    else:
        _run([_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
              f"--dbname={_libpq(url)}", str(source)])  # fmt: skip
    return put_back_files(source.parent, stores)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"找不到数据库文件 / no such database file: {source}")
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        (result,) = dst.execute("PRAGMA integrity_check").fetchone()
    finally:
        dst.close()
        src.close()
    if result != "ok":
        target.unlink(missing_ok=True)
        raise BackupError(f"备份校验失败 / the copy failed its integrity check: {result}")


def _libpq(url: str) -> str:
    """A libpq connection string from our URL (postgresql:// or postgresql+psycopg://)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"需要 {name}（PostgreSQL 客户端）/ {name} (PostgreSQL client) not found")
    return found


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603  (no shell; our own arguments)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()[-2000:]}")
