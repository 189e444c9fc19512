"""The audit chain's canonical JSON: the fast path gives exactly RFC 8785's bytes.

Rows already in deployed chains were hashed with rfc8785; a single differing byte would make
`audit verify` report an intact chain as broken, so equality is checked over generated
documents, not only over the shapes audit rows have today.
"""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from grassroots.audit.chain import _plain, canonical_json

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.text()
    | st.text(alphabet=st.characters(max_codepoint=0x3F))  # control characters, quotes
    | st.floats(allow_nan=False, allow_infinity=False)
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), _DOCS, max_size=6))
def test_equals_rfc8785_for_any_document(doc: dict[str, Any]):
    assert canonical_json(doc) == bytes(rfc8785.dumps(doc))


@given(st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), _DOCS, max_size=6))
def test_equals_rfc8785_for_ascii_keys(doc: dict[str, Any]):
    assert canonical_json(doc) == bytes(rfc8785.dumps(doc))


def test_astral_and_private_use_keys_sort_by_utf16_units():
    # U+1F600 sorts before U+E000 in UTF-16 (surrogate 0xD83D < 0xE000), after it by code point
    doc = {"\U0001f600": 1, "\ue000": 2}
    assert not _plain(doc)
    assert canonical_json(doc) == bytes(rfc8785.dumps(doc))


def test_audit_row_shape_takes_the_fast_path():
    row = {"id": 7, "action": "case.assign", "details": {"from": "accepted", "to": None}}
    assert _plain(row)
    expected = b'{"action":"case.assign","details":{"from":"accepted","to":null},"id":7}'
    assert canonical_json(row) == expected


@pytest.mark.parametrize("value", [2**53, -(2**53), 5.0, -0.0, 1e-5, 9.9e-5, 1e16, 1e21])
def test_numbers_rfc8785_treats_specially_leave_the_fast_path(value: object):
    assert not _plain({"n": value})


@pytest.mark.parametrize(
    "value", [0.5, -0.5, 1 / 3, 1e-4, -1e-4, 1.0000000000000002e-4, 118.7890123, 39.91234567,
              123456789012345.67, 4503599627370495.5],
)  # fmt: skip
def test_floats_printed_alike_take_the_fast_path(value: float):
    assert _plain({"n": value})
    assert canonical_json({"n": value, "m": [value]}) == bytes(
        rfc8785.dumps({"n": value, "m": [value]})
    )


@given(st.floats(min_value=1e-4, max_value=1e16, allow_nan=False, allow_infinity=False))
def test_every_float_in_the_fast_range_prints_as_rfc8785(value: float):
    for v in (value, -value):
        assert canonical_json({"n": v}) == bytes(rfc8785.dumps({"n": v}))


def test_lone_surrogate_is_refused_as_rfc8785_refuses_it():
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical_json({"a": "\ud800"})
