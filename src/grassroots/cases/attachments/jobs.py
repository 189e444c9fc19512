"""The attachment_retention job (grassroots.jobs.registry.JOBS): files of cases closed longer
ago than GRASSROOTS_ATTACHMENT_RETENTION_YEARS are deleted (rows with an audit row per case,
then the files no row names), and files that no row has named for a day (an upload whose
registration failed after the file was kept) are removed. Idempotent: a second run finds
nothing. A file is removed only if it was last written before the job started, so the same
content uploaded again meanwhile (store.keep refreshes its time) is never lost."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from grassroots.cases.attachments.actions import do_expire_attachments
from grassroots.cases.attachments.queries import referenced
from grassroots.cases.attachments.store import attachments_dir, kept_files
from grassroots.config import Settings, get_settings
from grassroots.db import make_session_factory, writer_engine

ORPHAN_AGE = timedelta(days=1)


def years_before(now: datetime, years: int) -> datetime:
    """The same moment `years` calendar years earlier (29 February → 28 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def remove_files(root: Path, shas: list[str], written_before: datetime) -> int:
    """Remove each blob and its thumbnail if last written before `written_before`."""
    removed = 0
    for sha in shas:
        for path in (root / sha[:2] / sha, root / sha[:2] / f"{sha}.thumb.jpg"):
            if path.exists() and path.stat().st_mtime < written_before.timestamp():
                path.unlink()
                removed += 1
    return removed


def orphans(session: Session, root: Path, older_than: datetime) -> list[str]:
    """SHA-256 of kept files older than `older_than` that no row names."""
    old = {p.name[:64] for p in kept_files(root) if p.stat().st_mtime < older_than.timestamp()}
    return sorted(old - referenced(session, old))


def remove_parts(root: Path, older_than: datetime) -> int:
    """The .part- files of writes stopped half-way (store.replace: a crash, a killed seal run)
    older than `older_than`; a write still under way is younger."""
    parts = [p for p in root.glob("??/.part-*") if p.is_file()] if root.exists() else []
    old = [p for p in parts if p.stat().st_mtime < older_than.timestamp()]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)


def expire_and_sweep(session: Session, now: datetime, settings: Settings) -> dict[str, int]:
    root, started = attachments_dir(settings), datetime.now(now.tzinfo)
    years, expired = settings.attachment_retention_years, []
    if years:
        expired = do_expire_attachments(session, years_before(now, years), years)
    orphaned = [s for s in orphans(session, root, now - ORPHAN_AGE) if s not in expired]
    return {
        "expired_files": remove_files(root, expired, started),
        "orphan_files": remove_files(root, orphaned, now - ORPHAN_AGE)
        + remove_parts(root, now - ORPHAN_AGE),
    }


def attachment_retention_job(engine: Engine, now: datetime) -> dict[str, int]:
    with make_session_factory(writer_engine(engine))() as session:
        return expire_and_sweep(session, now, get_settings())
