"""Personal-data protection primitives: encryption round trip, blind index, masking."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from grassroots.crypto import keyring, mask_id_number, mask_phone


def test_encrypt_round_trip_and_field_binding():
    ring = keyring()
    blob = ring.encrypt("phone", "13812348000")
    assert b"13812348000" not in blob
    assert ring.decrypt("phone", blob) == "13812348000"
    with pytest.raises(InvalidTag):
        ring.decrypt("id_number", blob)  # ciphertext cannot be moved to another field


def test_blind_index_exact_and_normalised():
    ring = keyring()
    a = ring.blind_index("id_number", "11010519491231002x")
    assert a == ring.blind_index("id_number", "110105 19491231002X")
    assert a != ring.blind_index("phone", "11010519491231002X")
    assert "19491231" not in a


def test_masks():
    assert mask_phone("13812348000") == "138****8000"
    masked = mask_id_number("11010519491231002X")
    assert masked.endswith("002X") and "110105" not in masked and "19491231" not in masked
