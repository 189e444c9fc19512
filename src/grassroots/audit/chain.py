"""The hash chain: row_hash = SHA-256(prev_hash + RFC 8785 canonical JSON of the row's fields).

Every field that says who did what, when, from where, to what and with which result is in
the hash; editing any of them, deleting, reordering or inserting a row breaks the chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import rfc8785

HASHED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_name",
    "ip",
    "action",
    "object_type",
    "object_id",
    "result",
    "details",
)


def canonical_time(at: datetime) -> str:
    """Microsecond UTC ISO 8601: what both SQLite and PostgreSQL give back unchanged."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def json_safe(details: dict[str, Any]) -> dict[str, Any]:
    """The details exactly as the JSON column will give them back (so the hash still matches
    after a round trip): dates and other objects become strings."""
    result: dict[str, Any] = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    return result


def canonical_bytes(fields: dict[str, Any]) -> bytes:
    doc = {name: fields[name] for name in HASHED_FIELDS}
    doc["at"] = canonical_time(fields["at"])
    return bytes(rfc8785.dumps(doc))


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical_bytes(fields))
    return digest.hexdigest()
