"""The cells of a ledger read without a database: dates in every common form (property:
any day written any way reads back as that day), ID numbers Excel mangled refused, phones,
and headers found under merged titles and across two rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.ledgers.sheets.headers import find_header
from grassroots.ledgers.sheets.mapping import parse_mapping
from grassroots.ledgers.sheets.reading import UnreadableFile
from grassroots.ledgers.sheets.values import (
    CellError,
    parse_date,
    parse_id_number,
    parse_phone,
)
from grassroots.ledgers.words import outcome_of
from tests.ledgers.ledger_files import BELOW, TOP, id_number

TODAY = date(2026, 12, 7)
WAYS = [
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d:%Y%m%d}",
    lambda d: int(f"{d:%Y%m%d}"),
    lambda d: float((d - date(1899, 12, 30)).days),  # an Excel serial
    lambda d: f" {d.year} 年 {d.month} 月 {d.day} 日 ",
    lambda d: datetime(d.year, d.month, d.day, 10, 30),
    lambda d: f"{d.year}-{d.month}-{d.day} 10:30",
]


@given(st.dates(date(1980, 1, 1), TODAY), st.sampled_from(range(len(WAYS))))
def test_every_common_form_reads_as_the_day(day: date, way: int):
    assert parse_date(WAYS[way](day), TODAY) == day


@pytest.mark.parametrize(
    ("value", "reason"),
    [("2025.13.1", "日期不存在"), ("2025-2-30", "日期不存在"), ("明年春天", "无法识别"),
     ("1975-1-1", "日期不合理"), (TODAY + timedelta(days=1), "日期不合理"), ("", "日期为空")],
)  # fmt: skip
def test_impossible_dates_are_refused(value: object, reason: str):
    with pytest.raises(CellError, match=reason):
        parse_date(value, TODAY)


def test_id_numbers_excel_mangled_are_refused_never_guessed():
    good = id_number("19800101", 1)
    assert parse_id_number(f" {good[:6]} {good[6:]} ", TODAY) == good
    assert parse_id_number(None, TODAY) is None
    for mangled in (3.30106e17, 330106198001010012, "3.30106E+17", "3.30106e17"):
        with pytest.raises(CellError, match="科学计数法") as caught:
            parse_id_number(mangled, TODAY)
        assert "330106198" not in caught.value.shown
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(CellError, match="校验位不符") as caught:
        parse_id_number(wrong, TODAY)
    assert caught.value.shown.endswith(wrong[-4:]) and wrong[:14] not in caught.value.shown


def test_phones():
    assert parse_phone("138 0013 8000") == parse_phone("+86-13800138000") == "13800138000"
    assert parse_phone(13800138000.0) == "13800138000"
    assert parse_phone("0571-87654321") == "0571-87654321"
    with pytest.raises(CellError, match="电话号码格式不对"):
        parse_phone("12345")


def test_the_header_under_a_merged_title_across_two_rows():
    rows: list[list[object]] = [["某某村人民调解委员会台账"], [None], TOP, BELOW, [1, "2025.3.5"]]
    header = find_header(rows, {})
    assert header is not None and header.index == 2 and header.first_data_row == 4
    assert header.columns[2] == "party" and header.columns[3] == "id_number"
    assert header.columns[4] == "phone" and header.columns[6] == "category"
    single = find_header([["台账"], ["登记时间", "申请人", "案由", "简要案情"]], {})
    assert single is not None and single.first_data_row == 2
    assert list(single.columns.values()) == ["accepted_on", "party", "category", "summary"]


def test_a_mapping_with_unknown_fields_is_refused():
    assert parse_mapping('[columns]\n"收件日" = "accepted_on"\n').columns == {
        "收件日": "accepted_on"
    }
    with pytest.raises(UnreadableFile, match="未知的字段"):
        parse_mapping('[columns]\n"收件日" = "received"\n')
    with pytest.raises(UnreadableFile, match="TOML"):
        parse_mapping("[columns\n")


@pytest.mark.parametrize(
    ("written", "outcome"),
    [
        ("不予受理", "rejected"),
        ("不予受理（已告知起诉）", "rejected"),
        ("未予受理", "rejected"),
        ("调解不成功", "terminated"),
        ("调解成功", "resolved"),
        ("受理", None),
    ],
)
def test_outcomes_as_ledgers_write_them(written: str, outcome: str | None):
    assert outcome_of(written, {}) == outcome
