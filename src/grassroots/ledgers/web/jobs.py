"""The `ledger_upload_purge` job: uploaded ledgers past their two hours are emptied (the
encrypted file set to NULL; the row keeps its hash and outcome). Idempotent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from grassroots.db import make_session_factory, transaction, writer_engine
from grassroots.ledgers.web.actions import empty_expired_uploads


def ledger_upload_purge_job(engine: Engine, now: datetime) -> dict[str, int]:
    """The scheduled job (grassroots.jobs.registry.JOBS)."""
    with make_session_factory(writer_engine(engine))() as session, transaction(session):
        return {"emptied": empty_expired_uploads(session, now)}
