"""Resident ID-card numbers (GB 11643-1999): length, birth date and check digit.

A failed check is a warning shown to staff, never a refusal: people bring cards with typos,
old 15-digit numbers and numbers the registry issued with mistakes, and the dispute still
has to be registered.
"""

from __future__ import annotations

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # index = weighted sum mod 11
_EIGHTEEN = re.compile(r"\d{17}[\dX]")
_FIFTEEN = re.compile(r"\d{15}")


def check_digit(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _birth_date_warning(yyyymmdd: str, today: date) -> str:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return "出生日期不存在 / the birth date in the number is not a real date"
    if born > today:
        return "出生日期晚于今天 / the birth date in the number is in the future"
    if born.year < 1890:
        return "出生日期过早 / the birth date in the number is implausibly early"
    return ""


def id_number_warnings(value: str, today: date | None = None) -> list[str]:
    """Warnings for a resident ID number (empty list = looks valid)."""
    today = today or date.today()
    number = re.sub(r"[\s-]", "", value).upper()
    if _FIFTEEN.fullmatch(number):
        warning = _birth_date_warning("19" + number[6:12], today)
        old = "15位旧号码，无校验位 / old 15-digit number without a check digit"
        return [old, warning] if warning else [old]
    if not _EIGHTEEN.fullmatch(number):
        return ["身份证号应为18位（末位可为X） / an ID number has 18 characters (last may be X)"]
    warnings = []
    if number[0] == "0":
        warnings.append("行政区划码无效 / the region code cannot start with 0")
    date_warning = _birth_date_warning(number[6:14], today)
    if date_warning:
        warnings.append(date_warning)
    expected = check_digit(number[:17])
    if number[17] != expected:
        warnings.append(
            "校验位不符（GB 11643），请核对号码 / check digit wrong (GB 11643): please re-check"
        )
    return warnings
