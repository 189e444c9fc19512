"""The hash chain: row_hash = SHA-256(prev_hash + RFC 8785 canonical JSON of the row's fields).

Every field that says who did what (and through which API token, when there is one), when,
from where, to what and with which result is in the hash; editing any of them, deleting,
reordering or inserting a row breaks the chain.
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
    "token_id",
)
# Hashed only when not null: rows written before the field existed (and rows of sessions and
# the CLI) hash exactly as they always did, so existing chains still verify.
HASHED_WHEN_SET = frozenset({"token_id"})


def canonical_time(at: datetime) -> str:
    """Microsecond UTC ISO 8601: what both SQLite and PostgreSQL give back unchanged."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def json_safe(details: dict[str, Any]) -> dict[str, Any]:
    """The details exactly as the JSON column will give them back (so the hash still matches
    after a round trip): dates and other objects become strings."""
    result: dict[str, Any] = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    return result


_SAFE_INT = 2**53 - 1  # RFC 8785 numbers are IEEE doubles: larger integers are refused
# Non-integral floats in this range: Python's repr() and ECMAScript's Number::toString give
# the same shortest digits in fixed notation (outside it one or both use an exponent, and
# an integral float is "5.0" in Python but "5" in RFC 8785).
_FIXED_FLOAT = (1e-4, 1e16)


def _plain(value: Any) -> bool:
    """Whether `value` holds only what json.dumps writes exactly as RFC 8785 does: strings,
    safe integers, booleans, null, lists, and objects with ASCII keys (so sorting by code
    point equals RFC 8785's sorting by UTF-16 unit), and floats that both print alike
    (_FIXED_FLOAT); other floats are not plain: RFC 8785 prints them the ECMAScript way."""
    if value is None or isinstance(value, str | bool):
        return True
    if isinstance(value, int):
        return -_SAFE_INT <= value <= _SAFE_INT
    if isinstance(value, float):  # printed as repr() by both, in this range (coordinates)
        return _FIXED_FLOAT[0] <= abs(value) < _FIXED_FLOAT[1] and not value.is_integer()
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and k.isascii() and _plain(v) for k, v in value.items())
    return False


def canonical_json(doc: dict[str, Any]) -> bytes:
    """RFC 8785 canonical JSON. Audit rows are plain (see _plain), and for them the standard
    library's encoder gives the same bytes about 2.5 times as fast as rfc8785's pure-Python
    one; anything else (floats, lone surrogates) goes to rfc8785."""
    if _plain(doc):
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: let rfc8785 decide
            pass
    return bytes(rfc8785.dumps(doc))


def canonical_bytes(fields: dict[str, Any]) -> bytes:
    doc = {
        name: fields.get(name)
        for name in HASHED_FIELDS
        if name not in HASHED_WHEN_SET or fields.get(name) is not None
    }
    doc["at"] = canonical_time(fields["at"])
    return canonical_json(doc)


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical_bytes(fields))
    return digest.hexdigest()
