"""The files on disk: content-addressed (SHA-256) under GRASSROOTS_ATTACHMENTS_DIR (default
<data_dir>/attachments), written once and never changed; the virus-scan hook runs on a
file before it is kept. A blob lives at <dir>/<2 hex>/<sha256>, its thumbnail beside it."""

from __future__ import annotations

import hashlib
import logging
import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from grassroots.cases.attachments.files import Prepared
from grassroots.config import Settings
from grassroots.errors import Problem

log = logging.getLogger(__name__)
SCAN_TIMEOUT_SECONDS = 120


def attachments_dir(settings: Settings) -> Path:
    return settings.attachments_dir or settings.data_dir / "attachments"


def blob_path(root: Path, sha256: str, thumbnail: bool = False) -> Path:
    return root / sha256[:2] / (f"{sha256}.thumb.jpg" if thumbnail else sha256)


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def check_size(size: int, settings: Settings) -> None:
    limit = settings.attachment_max_bytes
    if size > limit:
        mib = f"{limit / 1024 / 1024:.0f}"
        raise Problem(
            413, "file_too_large", f"文件过大：单个文件不能超过 {mib} MB / file over {limit} bytes"
        )


def scan(content: bytes, settings: Settings) -> None:
    """The configured scanner (GRASSROOTS_ATTACHMENT_SCAN_COMMAND, the file's path appended)
    must exit 0; anything else, or no answer in time, refuses the file. Off when empty."""
    command = settings.attachment_scan_command
    if not command:
        return
    with tempfile.NamedTemporaryFile(prefix="scan-", delete=False) as f:
        f.write(content)
    try:
        done = subprocess.run(  # noqa: S603 (the operator's own configured command)
            [*shlex.split(command), f.name], capture_output=True, timeout=SCAN_TIMEOUT_SECONDS
        )
        clean = done.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        log.warning("attachment scanner did not answer: %s", command)
        clean = False
    finally:
        os.unlink(f.name)
    if not clean:
        raise Problem(
            422, "scan_refused", "文件未通过病毒扫描，未保存 / the virus scan refused the file"
        )


def keep(prepared: Prepared, root: Path) -> str:
    """Write the blob (and its thumbnail) if it is not there yet; its SHA-256."""
    sha = digest(prepared.content)
    _write_once(blob_path(root, sha), prepared.content)
    if prepared.thumbnail is not None:
        _write_once(blob_path(root, sha, thumbnail=True), prepared.thumbnail)
    return sha


def _write_once(path: Path, content: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    with os.fdopen(fd, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
