"""The one rule for spreadsheet cells (issue 12, item 5): text that a spreadsheet would read
as a formula gets a leading quote; everything else is left as it is."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from grassroots.office.spreadsheet import FORMULA_STARTS, safe_cell, safe_row


@given(st.text())
def test_no_text_cell_starts_a_formula_and_the_text_is_kept(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell == ("'" + text if text.startswith(FORMULA_STARTS) else text)


@given(st.sampled_from(FORMULA_STARTS), st.text())
def test_every_formula_start_is_neutralised(start: str, rest: str) -> None:
    assert safe_cell(start + rest) == "'" + start + rest


@given(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.decimals(),
        st.dates(),
        st.datetimes(),
    )
)
def test_numbers_and_dates_are_left_alone(value: object) -> None:
    assert safe_row([value])[0] is value
