"""GB 11643-1999 check digit and the date/length sanity checks: warnings, never refusals."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.parties.idcard import CHECK_CHARS, WEIGHTS, check_digit, id_number_warnings
from tests.support.personal_data import SEEDED_ID_NUMBERS

TODAY = date(2026, 11, 28)


def test_standard_example_by_hand():
    # GB 11643-1999's own example 11010519491231002X, weighted sum worked out by hand:
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167; 167 % 11 = 2
    assert sum(int(d) * w for d, w in zip("11010519491231002", WEIGHTS, strict=True)) == 167
    assert CHECK_CHARS[2] == "X"
    assert check_digit("11010519491231002") == "X"
    assert id_number_warnings("11010519491231002X", TODAY) == []
    assert id_number_warnings("11010519491231002x", TODAY) == []


@pytest.mark.parametrize("number", SEEDED_ID_NUMBERS)
def test_seeded_numbers_are_valid(number: str):
    assert id_number_warnings(number, TODAY) == []


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("110105194912310021", "校验位不符"),
        ("990104200102291117", "出生日期不存在"),  # 2001-02-29
        ("990101203001011234", "晚于今天"),
        ("990101180001011234", "过早"),
        ("090101198503121234", "行政区划码无效"),
        ("1101051949123100", "18位"),
        ("11010519491231002Y", "18位"),
        ("110105491231002", "15位旧号码"),
    ],
)
def test_warnings(number: str, expected: str):
    warnings = id_number_warnings(number, TODAY)
    assert any(expected in w for w in warnings), warnings


def test_old_fifteen_digit_number_with_impossible_date():
    assert len(id_number_warnings("110105491331002", TODAY)) == 2  # month 13


@given(st.from_regex(r"[1-9]\d{16}", fullmatch=True))
def test_exactly_one_check_character_is_accepted(first17: str):
    """Whatever the first 17 digits, exactly one of the 11 possible last characters passes
    the check (other warnings, e.g. about the date, aside)."""
    passing = [
        c
        for c in "0123456789X"
        if not any("校验位" in w for w in id_number_warnings(first17 + c, TODAY))
    ]
    assert passing == [check_digit(first17)]
