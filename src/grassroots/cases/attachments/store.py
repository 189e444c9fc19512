"""The files on disk: content-addressed (SHA-256 of the clear bytes) under
GRASSROOTS_ATTACHMENTS_DIR (default <data_dir>/attachments), written once; the virus-scan hook
runs on a file before it is kept. A blob lives at <dir>/<2 hex>/<sha256>, its thumbnail beside
it.

Each file is sealed (AES-256-GCM, the key file's "attachment" usage): MAGIC, then the
keyring's layout (key version byte, nonce, ciphertext + tag), with the file's own name as
associated data, so a file moved to another hash's name does not open. A file without MAGIC
is a plain one kept before sealing (no kept type starts with those bytes): still read, and
sealed by `grassroots attachments seal` (docs/cases.md)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag

from grassroots.cases.attachments.files import Prepared
from grassroots.config import Settings
from grassroots.crypto import Keyring, keyring
from grassroots.errors import Problem

log = logging.getLogger(__name__)
SCAN_TIMEOUT_SECONDS = 120
MAGIC = b"GRA1"
USAGE = "attachment"  # the key usage (Keyring.for_usage): opens nothing else
THUMB_SUFFIX = ".thumb.jpg"
KEPT_NAME = re.compile(r"[0-9a-f]{64}(?:\.thumb\.jpg)?")


class Unreadable(Exception):
    """A sealed file that does not open: a key the key file no longer has, another file's
    name, or changed bytes. The message says which, never what the file holds."""


def file_ring() -> Keyring:
    return keyring().for_usage(USAGE)


def seal(path: Path, content: bytes, ring: Keyring) -> bytes:
    return MAGIC + ring.seal_bytes(path.name, content)


def key_version(head: bytes) -> int | None:
    """The key version a file's first bytes name; None for a plain file."""
    return head[len(MAGIC)] if head.startswith(MAGIC) and len(head) > len(MAGIC) else None


def open_file(path: Path, ring: Keyring | None = None) -> bytes:
    """The clear bytes of a kept file, sealed or plain."""
    return open_data(path.name, path.read_bytes(), ring)


def open_data(name: str, data: bytes, ring: Keyring | None = None) -> bytes:
    """The clear bytes of the file `name` read as `data`. Unreadable if it does not open."""
    if not data.startswith(MAGIC):
        return data
    try:
        return (ring or file_ring()).open_bytes(name, data[len(MAGIC) :])
    except KeyError as exc:
        raise Unreadable(f"key version {data[len(MAGIC)]} not in the key file") from exc
    except InvalidTag as exc:
        raise Unreadable("wrong key, another file's name or damaged bytes") from exc


def kept_files(root: Path) -> list[Path]:
    """Every blob and thumbnail under `root` (not the .part- leftovers of a write)."""
    if not root.exists():
        return []
    return sorted(p for p in root.glob("??/*") if KEPT_NAME.fullmatch(p.name) and p.is_file())


def head_of(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(len(MAGIC) + 1)


def attachments_dir(settings: Settings) -> Path:
    return settings.attachments_dir or settings.data_dir / "attachments"


def blob_path(root: Path, sha256: str, thumbnail: bool = False) -> Path:
    return root / sha256[:2] / (sha256 + THUMB_SUFFIX if thumbnail else sha256)


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
    """Write the blob (and its thumbnail), sealed, if it is not there yet; its SHA-256."""
    sha, ring = digest(prepared.content), file_ring()
    _write_once(blob_path(root, sha), prepared.content, ring)
    if prepared.thumbnail is not None:
        _write_once(blob_path(root, sha, thumbnail=True), prepared.thumbnail, ring)
    return sha


def _write_once(path: Path, content: bytes, ring: Keyring) -> None:
    if path.exists():
        # Kept again: a fresh time keeps it from the retention job's sweep of files that no
        # row names (attachments/jobs.py), which only removes files older than its start.
        os.utime(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    replace(path, seal(path, content, ring))


def replace(path: Path, data: bytes, times: tuple[float, float] | None = None) -> None:
    """Write beside, fsync, rename over: a crash leaves the old file or the new, never half.
    `times` (atime, mtime) carries a re-sealed file's age over (the retention rule reads it)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    if times is not None:
        os.utime(tmp, times)
    os.replace(tmp, path)
