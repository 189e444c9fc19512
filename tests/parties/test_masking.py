"""A masked value is never the clear value, and hides what it must."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from grassroots.crypto import mask_id_number, mask_phone


@given(st.from_regex(r"\+?[0-9][0-9 -]{0,19}", fullmatch=True))
def test_masked_phone_differs_from_clear(phone: str):
    masked = mask_phone(phone)
    assert masked != phone
    assert masked != phone.replace(" ", "").replace("-", "")


@given(st.from_regex(r"[0-9]{1,17}[0-9Xx]", fullmatch=True))
def test_masked_id_number_differs_and_hides_birthplace_and_birth_date(number: str):
    masked = mask_id_number(number)
    assert masked != number and masked != number.upper()
    if len(number) == 18:
        assert masked[:14] == "*" * 14  # region (1-6) and birth date (7-14) hidden


def test_mobile_keeps_prefix_and_last_four():
    assert mask_phone("138 1234 8000") == "138****8000"
