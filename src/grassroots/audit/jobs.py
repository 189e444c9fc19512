"""The audit_anchor job: write the chain head to the anchor file (audit.anchors).

Idempotent: nothing is written while the head is the one last anchored. Before a new line is
written the rows since the last anchor are verified; a broken chain is never anchored (the
job fails, so `grassroots jobs run` exits 1 and the failure is logged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from grassroots.audit.anchors import Anchor, append_anchor, database_label, latest_anchor
from grassroots.audit.verify import chain_head, verify_chain, verify_since
from grassroots.config import get_settings
from grassroots.db import make_session_factory


class ChainBroken(RuntimeError):
    """The chain does not verify: it must not be anchored."""


@dataclass(frozen=True)
class Anchoring:
    anchor: Anchor
    written: bool  # False: the head had not moved since the last anchor


def anchor_head(session: Session, path: Path, database: str, now: datetime) -> Anchoring:
    """Verify the rows since the latest anchor of `database` in `path`, then append the current
    head unless it is already the latest anchor."""
    latest = latest_anchor(path, database)
    last_id, last_hash = chain_head(session)
    if latest is not None and (latest.last_id, latest.last_hash) == (last_id, last_hash):
        return Anchoring(latest, False)
    report = verify_since(session, latest) if latest else verify_chain(session)
    if not report.intact:
        raise ChainBroken(f"审计日志已被篡改，未写锚点 / audit log {report.message()}")
    anchor = Anchor(now, last_id, last_hash, database)
    append_anchor(path, anchor)
    return Anchoring(anchor, True)


def audit_anchor_job(engine: Engine, now: datetime) -> dict[str, int | str]:
    """The scheduled job (grassroots.jobs.registry.JOBS)."""
    path = get_settings().audit_anchor_path
    with make_session_factory(engine)() as session, session.begin():
        done = anchor_head(session, path, database_label(engine), now)
    return {"anchored_row": done.anchor.last_id, "written": int(done.written)}
