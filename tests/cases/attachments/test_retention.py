"""The retention rule: files of cases closed longer ago than GRASSROOTS_ATTACHMENT_RETENTION_YEARS
go (rows audited per case, files no row names removed from disk), files named by another case
stay, 0 keeps everything, and files no row has named for a day are swept."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.cases.attachments.jobs import expire_and_sweep, years_before
from grassroots.cases.attachments.models import Attachment
from grassroots.cases.attachments.store import blob_path
from grassroots.cases.models import Case
from grassroots.jobs.registry import JOBS
from tests.cases.attachments.samples import PDF, photo_with_gps

NOW = datetime.now(UTC)


def new_case_with(client: Any, body: dict[str, Any], *files: bytes) -> str:
    code = client.post("/api/v1/cases", json=body).json()["code"]
    for content in files:
        r = client.post(f"/api/v1/cases/{code}/attachments", files={"file": ("x", content)})
        assert r.status_code == 201, r.text
    return code


def close(session: Session, code: str, at: datetime | None) -> None:
    case = session.scalars(select(Case).where(Case.code == code)).one()
    case.closed_at = at
    session.commit()


def shas_of(session: Session, code: str) -> list[str]:
    case_id = session.scalars(select(Case.id).where(Case.code == code)).one()
    return sorted(session.scalars(select(Attachment.sha256).where(Attachment.case_id == case_id)))


@pytest.fixture
def setup(app: Any, client_as: Any, new_case_body: dict[str, Any]) -> Any:
    settings = app.state.settings.model_copy(update={"attachment_retention_years": 5})
    root = settings.data_dir / "attachments"
    return settings, root, client_as("wang"), new_case_body


def test_files_of_a_case_closed_beyond_the_period_go_and_shared_ones_stay(setup, session):
    settings, root, wang, body = setup
    photo = photo_with_gps()
    old = new_case_with(wang, body, photo, PDF)
    open_case = new_case_with(wang, body, PDF)
    recent = new_case_with(wang, body, photo_with_gps(size=(640, 480)))
    photo_sha, pdf_sha = (shas_of(session, old)[i] for i in (0, 1))
    close(session, old, NOW - timedelta(days=5 * 366 + 1))
    close(session, recent, NOW - timedelta(days=4 * 365))
    summary = expire_and_sweep(session, NOW, settings)
    session.expire_all()
    assert shas_of(session, old) == [] and len(shas_of(session, recent)) == 1
    assert shas_of(session, open_case) != []
    gone = {s for s in (photo_sha, pdf_sha) if not blob_path(root, s).exists()}
    kept_pdf = shas_of(session, open_case)[0]
    assert blob_path(root, kept_pdf).exists() and kept_pdf not in gone
    assert gone == {photo_sha, pdf_sha} - {kept_pdf}
    assert summary["expired_files"] == 2 * len(gone)  # the photo and its thumbnail
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "attachment.expire")
    ).all()
    assert [(a.object_id, a.actor_id) for a in audit] == [(old, None)]
    assert sorted(audit[0].details["sha256"]) == sorted([photo_sha, pdf_sha])
    assert expire_and_sweep(session, NOW, settings) == {"expired_files": 0, "orphan_files": 0}


def test_zero_years_keeps_every_file_and_a_reopened_case_keeps_its_own(setup, session):
    settings, _, wang, body = setup
    ancient = new_case_with(wang, body, PDF)
    reopened = new_case_with(wang, body, photo_with_gps())
    close(session, ancient, NOW - timedelta(days=50 * 366))
    close(session, reopened, None)
    keep_all = settings.model_copy(update={"attachment_retention_years": 0})
    assert expire_and_sweep(session, NOW, keep_all)["expired_files"] == 0
    expire_and_sweep(session, NOW, settings)
    session.expire_all()
    assert shas_of(session, ancient) == [] and len(shas_of(session, reopened)) == 1


def test_a_file_no_row_has_named_for_a_day_is_swept(setup, session):
    settings, root, wang, body = setup
    code = new_case_with(wang, body, PDF)
    (named,) = shas_of(session, code)
    stray, fresh = root / "ab" / ("ab" + "1" * 62), root / "cd" / ("cd" + "2" * 62)
    for path in (stray, fresh):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"left by a registration that failed")
    two_days_ago = (NOW - timedelta(days=2)).timestamp()
    for path in (stray, blob_path(root, named)):
        os.utime(path, (two_days_ago, two_days_ago))
    assert expire_and_sweep(session, NOW, settings) == {"expired_files": 0, "orphan_files": 1}
    assert not stray.exists() and fresh.exists() and blob_path(root, named).exists()


def test_the_same_file_kept_again_is_younger_than_the_sweep(setup, session):
    _, root, wang, body = setup
    code = new_case_with(wang, body, PDF)
    (sha,) = shas_of(session, code)
    old = (NOW - timedelta(days=3)).timestamp()
    os.utime(blob_path(root, sha), (old, old))
    new_case_with(wang, body, PDF)
    assert Path(blob_path(root, sha)).stat().st_mtime > old


def test_the_job_is_registered_and_a_leap_day_has_a_year_before():
    assert "attachment_retention" in [j.name for j in JOBS]
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert years_before(leap, 1) == datetime(2027, 2, 28, 12, tzinfo=UTC)


def test_a_part_left_by_a_stopped_write_is_swept_without_harm(setup, session):
    settings, root, wang, body = setup
    code = new_case_with(wang, body, PDF)
    (named,) = shas_of(session, code)
    folder = blob_path(root, named).parent
    old_part, new_part = folder / ".part-old", folder / ".part-new"
    for path in (old_part, new_part):
        path.write_bytes(b"half a sealed file")
    two_days_ago = (NOW - timedelta(days=2)).timestamp()
    os.utime(old_part, (two_days_ago, two_days_ago))
    assert expire_and_sweep(session, NOW, settings) == {"expired_files": 0, "orphan_files": 1}
    assert not old_part.exists() and new_part.exists() and blob_path(root, named).exists()
