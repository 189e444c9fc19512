"""Attachment files sealed at rest: no clear byte run on disk (blob and thumbnail), the
download gives back the very bytes with the headers files had when served from disk, plain
files kept before sealing are still served and `grassroots attachments seal` seals them
(once), a sealed file moved to another hash's name is refused cleanly, and after a key
rotation old files still open and are sealed again under the new key."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from grassroots.cases.attachments.store import MAGIC, USAGE, blob_path, open_file
from grassroots.crypto import add_key_version, load_keyring, new_key_file
from tests.cases.attachments.samples import PDF, photo_with_gps
from tests.support.cli import CliResult, run_cli

JPEG_START, PDF_RUN = b"\xff\xd8\xff", b"trailer<<>>"


@pytest.fixture
def code(client_as: Any, new_case_body: dict[str, Any]) -> str:
    return client_as("wang").post("/api/v1/cases", json=new_case_body).json()["code"]


def upload(client: Any, code: str, content: bytes, **fields: str) -> dict[str, Any]:
    r = client.post(
        f"/api/v1/cases/{code}/attachments", files={"file": ("x.bin", content)}, data=fields
    )
    assert r.status_code == 201, r.text
    return r.json()[0]  # type: ignore[no-any-return]


def root_of(app: Any) -> Path:
    return app.state.settings.data_dir / "attachments"  # type: ignore[no-any-return]


def files_cli(engine: Engine, root: Path, *args: str, key_file: Path | None = None) -> CliResult:
    """`grassroots …` on `engine` (only the audit row goes there) and the folder `root`."""
    env = {
        "GRASSROOTS_DATABASE_URL": engine.url.render_as_string(False),
        "GRASSROOTS_ATTACHMENTS_DIR": str(root),
    }
    if key_file is not None:
        env["GRASSROOTS_KEY_FILE"] = str(key_file)
    return run_cli(list(args), env)


def test_the_bytes_on_disk_hold_no_clear_run_and_the_download_is_the_original(client_as, code, app):
    wang, photo = client_as("wang"), photo_with_gps()
    row = upload(wang, code, photo, keep_location="1")  # kept as sent: comparable bytes
    root = root_of(app)
    for path in (blob_path(root, row["sha256"]), blob_path(root, row["sha256"], True)):
        on_disk = path.read_bytes()
        assert on_disk.startswith(MAGIC) and JPEG_START not in on_disk
        assert b"Exif" not in on_disk and b"JFIF" not in on_disk
    got = wang.get(row["url"])
    assert got.status_code == 200 and got.content == photo
    thumb = wang.get(row["thumbnail_url"])
    assert thumb.content.startswith(JPEG_START) and thumb.headers["content-type"] == "image/jpeg"
    pdf = upload(wang, code, PDF)
    on_disk = blob_path(root, pdf["sha256"]).read_bytes()
    assert b"%PDF" not in on_disk and PDF_RUN not in on_disk
    assert wang.get(pdf["url"]).content == PDF


def test_the_download_has_the_headers_of_a_file_served_from_disk(client_as, code, app):
    wang = client_as("wang")
    row = upload(wang, code, PDF)
    got = wang.get(row["url"])
    name = f"{code}-%E9%99%84%E4%BB%B6{row['id']}.pdf"  # 附件
    assert got.headers["content-disposition"] == f"attachment; filename*=utf-8''{name}"
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-length"] == str(len(PDF))
    assert got.headers["accept-ranges"] == "bytes" and got.headers["etag"].startswith('"')
    assert got.headers["last-modified"].endswith(" GMT")
    assert got.headers["cache-control"] == "no-store"  # the API's own, as before
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in got.headers["content-security-policy"]
    assert wang.get(row["url"]).headers["etag"] == got.headers["etag"]
    part = wang.get(row["url"], headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == PDF[:10]
    assert part.headers["content-range"] == f"bytes 0-9/{len(PDF)}"
    assert wang.get(row["url"], headers={"Range": "bytes=-6"}).content == PDF[-6:]
    past = wang.get(row["url"], headers={"Range": f"bytes={len(PDF)}-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{len(PDF)}"
    stale = wang.get(row["url"], headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert stale.status_code == 200 and stale.content == PDF


def make_plain(root: Path, row: dict[str, Any], content: bytes, thumb: bytes | None) -> None:
    """What a deployment from before sealing holds on disk: the clear bytes, days old."""
    paths = [(blob_path(root, row["sha256"]), content)]
    if thumb is not None:
        paths.append((blob_path(root, row["sha256"], True), thumb))
    old = 1_700_000_000
    for path, data in paths:
        path.write_bytes(data)
        os.utime(path, (old, old))


def test_a_plain_file_is_served_and_attachments_seal_seals_it_once(
    client_as, code, app, fresh_engine
):
    wang, photo, root = client_as("wang"), photo_with_gps(), root_of(app)
    row = upload(wang, code, photo, keep_location="1")
    thumb = wang.get(row["thumbnail_url"]).content
    make_plain(root, row, photo, thumb)
    blob = blob_path(root, row["sha256"])
    assert wang.get(row["url"]).content == photo and blob.read_bytes() == photo
    dry = files_cli(fresh_engine, root, "attachments", "seal", "--dry-run")
    assert dry.returncode == 0 and "2 plain files would be sealed" in dry.stdout
    assert blob.read_bytes() == photo
    assert "plain (未加密): 2 files" in files_cli(fresh_engine, root, "keys", "status").stdout
    done = files_cli(fresh_engine, root, "attachments", "seal")
    assert done.returncode == 0, done.stderr
    assert "2 plain files were sealed, 0 were sealed again" in done.stdout
    sealed = blob.read_bytes()
    assert sealed.startswith(MAGIC) and JPEG_START not in sealed
    assert blob.stat().st_mtime == 1_700_000_000  # its age, which the retention rule reads
    assert wang.get(row["url"]).content == photo
    assert wang.get(row["thumbnail_url"]).content == thumb
    again = files_cli(fresh_engine, root, "attachments", "seal")
    assert "0 plain files were sealed, 0 were sealed again" in again.stdout
    assert "2 already under it" in again.stdout and blob.read_bytes() == sealed


def test_a_sealed_file_under_another_hash_is_refused_cleanly(
    client_as, code, app, fresh_engine, caplog
):
    wang, root = client_as("wang"), root_of(app)
    pdf, photo = upload(wang, code, PDF), upload(wang, code, photo_with_gps())
    moved = blob_path(root, photo["sha256"])
    shutil.copyfile(blob_path(root, pdf["sha256"]), moved)
    with caplog.at_level(logging.WARNING, logger="grassroots.cases.attachments.api"):
        r = wang.get(photo["url"])
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "attachment_unreadable" and "无法打开" in r.json()["title"]
    assert "Traceback" not in caplog.text and "does not open" in caplog.text
    assert PDF_RUN.decode() not in caplog.text
    assert wang.get(pdf["url"]).content == PDF  # the original name still opens
    # a plain file that is not its name is not vouched for by sealing it under that name
    moved.write_bytes(PDF)
    refused = files_cli(fresh_engine, root, "attachments", "seal")
    assert refused.returncode == 1 and moved.name in refused.stderr
    assert moved.read_bytes() == PDF


def test_after_a_key_rotation_old_files_open_and_are_sealed_again(
    client_as, code, app, fresh_engine, tmp_path
):
    wang, photo = client_as("wang"), photo_with_gps()
    row = upload(wang, code, photo, keep_location="1")
    folder = tmp_path / "rotated"  # its own folder and key file: the suite's key stays put
    shutil.copytree(root_of(app), folder)
    key_file = tmp_path / "rot.key"
    new_key_file(key_file)
    make_plain(folder, row, photo, wang.get(row["thumbnail_url"]).content)
    blob = blob_path(folder, row["sha256"])

    def cli(*args: str) -> CliResult:
        return files_cli(fresh_engine, folder, *args, key_file=key_file)

    assert cli("attachments", "seal").returncode == 0 and blob.read_bytes()[4] == 1
    add_key_version(key_file)  # a new current key; the files are still under version 1
    ring = load_keyring(key_file).for_usage(USAGE)
    assert ring.version == 2 and open_file(blob, ring) == photo
    assert "version 1: 2 files" in cli("attachments", "status").stdout
    resealed = cli("attachments", "seal")
    assert "0 plain files were sealed, 2 were sealed again" in resealed.stdout
    assert blob.read_bytes()[4] == 2 and open_file(blob, ring) == photo
    rotated = cli("keys", "rotate", "--retire-old")
    assert rotated.returncode == 0, rotated.stderr
    assert "2 were sealed again" in rotated.stdout
    assert "retired key versions: [1, 2]" in rotated.stdout
    status = cli("keys", "status").stdout
    assert "current version 3; versions [3]" in status and "version 3: 2 files" in status
    assert open_file(blob, load_keyring(key_file).for_usage(USAGE)) == photo
