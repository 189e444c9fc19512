"""Personal-data protection primitives: encryption round trip, blind index, masking."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_new_key_version_keeps_old_ciphertext_readable(tmp_path):
    from grassroots.crypto import add_key_version, load_keyring, new_key_file, retire_key_versions

    path = tmp_path / "k.key"
    new_key_file(path)
    v1 = load_keyring(path)
    old_blob = v1.encrypt("phone", "13900001111")
    assert add_key_version(path) == 2
    v2 = keyring(path)
    assert v2.version == 2 and v2.key_version_of(v2.encrypt("phone", "1")) == 2
    assert v2.decrypt("phone", old_blob) == "13900001111"  # old key kept
    assert v2.index_key == v1.index_key  # the blind index does not change
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert retire_key_versions(path, keep={2}) == [1]
    with pytest.raises(KeyError):
        load_keyring(path).decrypt("phone", old_blob)


def test_keyring_reloads_after_the_file_is_replaced(tmp_path):
    from grassroots.crypto import add_key_version, new_key_file

    path = tmp_path / "k.key"
    new_key_file(path)
    assert keyring(path).version == 1
    add_key_version(path)
    assert keyring(path).version == 2


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=4096), associated=st.text(max_size=80), other=st.text(max_size=80))
def test_sealed_bytes_open_to_the_same_bytes_and_only_with_the_same_associated_data(
    data, associated, other
):
    ring = keyring().for_usage("attachment")
    blob = ring.seal_bytes(associated, data)
    assert blob[0] == ring.version and len(blob) == 1 + 12 + len(data) + 16
    assert ring.open_bytes(associated, blob) == data
    if other != associated:
        with pytest.raises(InvalidTag):
            ring.open_bytes(other, blob)
    with pytest.raises(InvalidTag):
        keyring().open_bytes(associated, blob)  # another usage's key does not open it


def test_sealed_bytes_keep_opening_after_a_new_key_version(tmp_path):
    from grassroots.crypto import add_key_version, load_keyring, new_key_file

    path = tmp_path / "k.key"
    new_key_file(path)
    name = "ab" * 32
    old = load_keyring(path).for_usage("attachment").seal_bytes(name, b"\x89PNG scanned")
    add_key_version(path)
    ring = load_keyring(path).for_usage("attachment")
    assert ring.version == 2 and old[0] == 1
    assert ring.open_bytes(name, old) == b"\x89PNG scanned"
    assert ring.seal_bytes(name, b"x")[0] == 2
    for broken in (b"", old[:20], old[:-1] + bytes([old[-1] ^ 1])):
        with pytest.raises(InvalidTag):
            ring.open_bytes(name, broken)
