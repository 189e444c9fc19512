"""Protection of parties' personal data (DESIGN §7).

AES-256-GCM for ID-card numbers and phone numbers (and attachment files: seal_bytes) at
rest, with the key in a key file outside the database; a keyed blind index (HMAC-SHA256
under a separate derived key) for exact lookup; masking for display. Ciphertext layout:
1-byte key version, 12-byte nonce, then the GCM ciphertext+tag; the field name (a file's
name) is bound in as associated data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from grassroots.config import get_settings


class KeyFileMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Keyring:
    version: int
    data_key: bytes  # AES-256-GCM
    index_key: bytes  # HMAC for the blind index (never rotated without a reindex)
    old_keys: dict[int, bytes]

    def encrypt(self, field: str, plain: str) -> bytes:
        return self.seal_bytes(field, plain.encode())

    def decrypt(self, field: str, blob: bytes) -> str:
        return self.open_bytes(field, blob).decode()

    def seal_bytes(self, associated: str, data: bytes) -> bytes:
        """Any bytes (an attachment file) under the current key, in the layout of `encrypt`;
        `associated` is bound in: the blob opens only with the same string (a field name, a
        file's SHA-256)."""
        nonce = os.urandom(12)
        sealed = AESGCM(self.data_key).encrypt(nonce, data, associated.encode())
        return bytes([self.version]) + nonce + sealed

    def open_bytes(self, associated: str, blob: bytes) -> bytes:
        """The bytes sealed by `seal_bytes` (any key version still in the file). KeyError: a
        version this key file no longer has; cryptography's InvalidTag: a wrong key, other
        associated data or changed bytes."""
        if len(blob) < 13 + 16:  # version, nonce, GCM tag: shorter cannot be ours
            raise InvalidTag
        version, nonce, sealed = blob[0], blob[1:13], blob[13:]
        key = self.data_key if version == self.version else self.old_keys[version]
        return AESGCM(key).decrypt(nonce, sealed, associated.encode())

    def for_usage(self, usage: str) -> Keyring:
        """The same keyring with every key derived for one usage (HMAC-SHA256 of the key and
        the usage name): ciphertext of one usage (a lead's informant) does not open under
        another's keys (parties), though one key file serves both and rotates both."""

        def derive(key: bytes) -> bytes:
            return hmac.new(key, f"usage:{usage}".encode(), hashlib.sha256).digest()

        return Keyring(
            version=self.version,
            data_key=derive(self.data_key),
            index_key=derive(self.index_key),
            old_keys={v: derive(k) for v, k in self.old_keys.items()},
        )

    def key_version_of(self, blob: bytes) -> int:
        return blob[0]

    def blind_index(self, field: str, plain: str) -> str:
        normalised = normalise(field, plain)
        return hmac.new(
            self.index_key, f"{field}:{normalised}".encode(), hashlib.sha256
        ).hexdigest()


def normalise(field: str, plain: str) -> str:
    """The form that is encrypted and indexed: no spaces or dashes, ID numbers upper-case,
    phones without the +86 / 0086 country prefix."""
    value = re.sub(r"[\s-]", "", plain)
    if field == "id_number":
        return value.upper()
    return re.sub(r"^(?:\+86|0086)(?=\d{7})", "", value)


def _new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def new_key_file(path: Path) -> None:
    """Create a key file (0600). Refuses to overwrite an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"version": 1, "keys": {"1": _new_key()}, "index_key": _new_key()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)


def _replace_key_file(path: Path, doc: dict[str, object]) -> None:
    """Write beside, fsync, rename over: a crash leaves the old file or the new, never half."""
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def add_key_version(path: Path) -> int:
    """Add a new data key and make it current; old keys stay so old ciphertext still opens.
    The blind-index key does not change (the index stays valid). Returns the new version."""
    doc = json.loads(path.read_text())
    version = max(int(v) for v in doc["keys"]) + 1
    if version > 255:  # the version is one byte of every ciphertext
        raise ValueError("key versions exhausted (255)")
    doc["keys"][str(version)] = _new_key()
    doc["version"] = version
    _replace_key_file(path, doc)
    return version


def retire_key_versions(path: Path, keep: set[int]) -> list[int]:
    """Remove data keys not in `keep` (call only when no ciphertext uses them any more)."""
    doc = json.loads(path.read_text())
    keep = keep | {int(doc["version"])}
    retired = sorted(int(v) for v in doc["keys"] if int(v) not in keep)
    doc["keys"] = {v: k for v, k in doc["keys"].items() if int(v) in keep}
    _replace_key_file(path, doc)
    return retired


def load_keyring(path: Path) -> Keyring:
    if not path.exists():
        raise KeyFileMissing(
            f"密钥文件不存在：{path}。请运行 `grassroots init` 创建。 / "
            f"key file {path} missing: run `grassroots init`."
        )
    doc = json.loads(path.read_text())
    keys = {int(v): base64.b64decode(k) for v, k in doc["keys"].items()}
    version = int(doc["version"])
    return Keyring(
        version=version,
        data_key=keys[version],
        index_key=base64.b64decode(doc["index_key"]),
        old_keys={v: k for v, k in keys.items() if v != version},
    )


@lru_cache(maxsize=4)
def _cached(path: str, stamp: tuple[int, int, int]) -> Keyring:
    return load_keyring(Path(path))


def keyring(path: Path | None = None) -> Keyring:
    """The process's keyring, reloaded when the key file changes (after a rotation: the file
    is replaced by rename, so the inode changes even within one mtime tick)."""
    path = path or get_settings().key_file_path
    stat = path.stat() if path.exists() else None
    stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size) if stat else (0, 0, 0)
    return _cached(str(path), stamp)


def mask_phone(phone: str) -> str:
    """Mobiles as 138****8000; shorter numbers keep only what still hides at least 4 digits."""
    digits = normalise("phone", phone)
    if len(digits) >= 11:
        return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
    if len(digits) >= 8:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_id_number(id_number: str) -> str:
    """Hide birthplace (digits 1-6) and birth date (7-14): only the last 4 stay visible."""
    value = normalise("id_number", id_number)
    if len(value) < 15:  # not an ID number's shape: show nothing of it
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]
