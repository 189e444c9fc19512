"""Attachments over the API: type sniffing, size limit, EXIF place and time removed, the
virus-scan hook, scope (another township's file is 404), audit, one row per file."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from grassroots.audit.models import AuditEntry
from grassroots.cases.attachments.models import Attachment
from tests.cases.attachments.samples import (
    GPS,
    PDF,
    docx,
    exif_of,
    photo_with_gps,
    plain_zip,
    xlsx,
)


@pytest.fixture
def code(client_as: Any, new_case_body: dict[str, Any]) -> str:
    return client_as("wang").post("/api/v1/cases", json=new_case_body).json()["code"]


def upload(client: Any, code: str, content: bytes, **fields: str) -> Any:
    return client.post(
        f"/api/v1/cases/{code}/attachments", files={"file": ("x.bin", content)}, data=fields
    )


def blobs(app: Any) -> list[Path]:
    root = app.state.settings.data_dir / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_photo_loses_its_gps_and_time_and_gets_a_thumbnail(client_as, code):
    wang = client_as("wang")
    r = upload(wang, code, photo_with_gps())
    assert r.status_code == 201, r.text
    (row,) = r.json()
    assert row["kind"] == "jpeg" and row["media_type"] == "image/jpeg"
    assert not row["kept_location"] and row["thumbnail_url"]
    kept = wang.get(row["url"])
    assert kept.status_code == 200 and kept.headers["content-type"] == "image/jpeg"
    top, gps, inner = exif_of(kept.content)
    assert gps == {} and 0x0132 not in top and 0x9003 not in inner
    assert top[0x0112] == 1  # the orientation stays
    thumb = wang.get(row["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert len(thumb.content) < len(kept.content)


def test_keep_location_keeps_the_photo_as_taken(client_as, code):
    wang = client_as("wang")
    original = photo_with_gps()
    (row,) = upload(wang, code, original, keep_location="1").json()
    assert row["kept_location"]
    kept = wang.get(row["url"]).content
    assert kept == original and exif_of(kept)[1] == GPS


def test_a_png_with_exif_is_cleaned_too(client_as, code):
    (row,) = upload(client_as("wang"), code, photo_with_gps(fmt="PNG")).json()
    assert row["kind"] == "png"
    assert exif_of(client_as("wang").get(row["url"]).content)[1] == {}


@pytest.mark.parametrize(
    ("content", "kind"), [(PDF, "pdf"), (docx(), "docx"), (xlsx(), "xlsx")]
)  # fmt: skip
def test_documents_are_known_by_their_bytes(client_as, code, content, kind):
    wang = client_as("wang")
    (row,) = upload(wang, code, content).json()
    assert row["kind"] == kind and row["thumbnail_url"] is None
    got = wang.get(row["url"])
    assert got.content == content and "attachment" in got.headers["content-disposition"]
    assert wang.get(f"{row['url']}/thumbnail").status_code == 404


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 a windows program", b"<html><script>alert(1)</script>", plain_zip(),
     b"\xff\xd8\xff but not really a jpeg"],
)  # fmt: skip
def test_a_wrong_type_is_refused_with_a_clear_message_and_nothing_kept(
    client_as, code, app, session, content
):
    r = upload(client_as("wang"), code, content)
    assert r.status_code in (415, 422), r.text
    assert "不支持的文件类型" in r.json()["title"] or "照片已损坏" in r.json()["title"]
    assert session.scalars(select(Attachment)).all() == []
    assert blobs(app) == []


def test_a_file_over_the_limit_is_refused(client_as, code, app, session):
    app.state.settings = app.state.settings.model_copy(update={"attachment_max_bytes": 4096})
    big = PDF + b"0" * 5000
    r = upload(client_as("wang"), code, big)
    assert r.status_code == 413
    assert "文件过大" in r.json()["title"]
    assert session.scalars(select(Attachment)).all() == []
    assert upload(client_as("wang"), code, PDF).status_code == 201


def test_another_townships_file_is_404_like_a_missing_one(client_as, code, session):
    (row,) = upload(client_as("wang"), code, photo_with_gps()).json()
    zhou = client_as("zhou")  # 受理员 of 柳河镇, another township
    for path in (row["url"], row["thumbnail_url"], f"/api/v1/cases/{code}/attachments"):
        assert zhou.get(path).status_code == 404
    assert upload(zhou, code, PDF).status_code in (403, 404)
    missing = client_as("wang").get(f"/api/v1/cases/{code}/attachments/999999")
    assert missing.status_code == 404
    denied = session.scalars(
        select(AuditEntry).where(AuditEntry.object_id == code, AuditEntry.result == "denied")
    ).all()
    assert {d.actor_name for d in denied} == {"zhou"}


def test_a_file_of_another_case_is_404_through_this_case(client_as, code, new_case_body):
    wang = client_as("wang")
    other = wang.post("/api/v1/cases", json={**new_case_body, "title": "另一件"}).json()["code"]
    (row,) = upload(wang, other, PDF).json()
    assert wang.get(f"/api/v1/cases/{code}/attachments/{row['id']}").status_code == 404


def test_upload_and_download_are_audited_and_the_same_file_is_one_row(client_as, code, session):
    wang = client_as("wang")
    first = upload(wang, code, PDF).json()
    again = upload(wang, code, PDF).json()
    assert first[0]["id"] == again[0]["id"]
    assert len(wang.get(f"/api/v1/cases/{code}/attachments").json()) == 1
    wang.get(first[0]["url"])
    rows = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action.like("attachment.%"), AuditEntry.object_id == code
        )
    ).all()
    assert [(r.action, r.actor_name) for r in rows] == [
        ("attachment.upload", "wang"),
        ("attachment.download", "wang"),
    ]
    assert rows[0].details["sha256"] == first[0]["sha256"]


def test_a_file_belongs_to_a_timeline_entry_of_its_own_case_only(client_as, code, new_case_body):
    wang = client_as("wang")
    (event,) = wang.get(f"/api/v1/cases/{code}/timeline").json()
    (row,) = upload(wang, code, PDF, event_id=str(event["id"])).json()
    assert row["event_id"] == event["id"]
    other = wang.post("/api/v1/cases", json={**new_case_body, "title": "另一件"}).json()["code"]
    r = upload(wang, other, photo_with_gps(), event_id=str(event["id"]))
    assert r.status_code == 422 and "不属于本案" in r.json()["title"]


def test_no_file_and_no_delete(client_as, code):
    wang = client_as("wang")
    r = wang.post(f"/api/v1/cases/{code}/attachments", data={"keep_location": "1"})
    assert r.status_code == 422 and "请选择" in r.json()["title"]
    (row,) = upload(wang, code, PDF).json()
    assert wang.delete(row["url"]).status_code == 405


SCANNER = """#!/bin/sh
# A fake virus scanner: refuses any file holding the marker, accepts the rest.
if grep -q FAKE-VIRUS-MARKER "$1"; then exit 1; fi
exit 0
"""


def test_the_virus_scan_hook_refuses_what_the_scanner_refuses(
    client_as, code, app, tmp_path, session
):
    script = tmp_path / "scanner.sh"
    script.write_text(SCANNER)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    update = {"attachment_scan_command": str(script)}
    app.state.settings = app.state.settings.model_copy(update=update)
    wang = client_as("wang")
    r = upload(wang, code, PDF + b"% FAKE-VIRUS-MARKER\n")
    assert r.status_code == 422 and "病毒扫描" in r.json()["title"]
    assert session.scalars(select(Attachment)).all() == []
    assert upload(wang, code, PDF).status_code == 201
