"""One ledger cell read as a date, an ID number, a phone number or text.

Each parser returns the value or raises CellError with the reason in Chinese. Nothing is
ever guessed: an ID number that Excel stored as a number (3.30106E+17) has lost its last
digits and is refused with a message saying so.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from grassroots.crypto import mask_id_number, mask_phone
from grassroots.parties.idcard import id_number_warnings

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug kept)
FIRST_YEAR = 1980
_SPACES = re.compile(r"[\s\u3000]+")
_YMD = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


class CellError(ValueError):
    """A cell that cannot be read: `reason` in Chinese; `shown` is the value as it may be
    printed (ID numbers and phone numbers masked)."""

    def __init__(self, reason: str, shown: str = "") -> None:
        super().__init__(reason)
        self.reason, self.shown = reason, shown


def text(value: object) -> str:
    """A cell as text: None → "", whole floats without ".0", spaces at the ends removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


def _checked(day: date, shown: str, today: date) -> date:
    if day.year < FIRST_YEAR or day > today:
        raise CellError(f"日期不合理（早于{FIRST_YEAR}年或晚于今天）", shown)
    return day


def _from_number(number: float, shown: str) -> date:
    if number.is_integer() and _COMPACT.match(str(int(number))):
        return _compact(str(int(number)), shown)
    if 1 <= number < 100000:
        return EXCEL_EPOCH + timedelta(days=int(number))
    raise CellError("无法识别的日期", shown)


def _compact(digits: str, shown: str) -> date:
    y, m, d = (int(x) for x in _COMPACT.match(digits).groups())  # type: ignore[union-attr]
    return _made(y, m, d, shown)


def _made(y: int, m: int, d: int, shown: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError("日期不存在（月或日超出范围）", shown) from None


def parse_date(value: object, today: date) -> date:
    """2026.3.5, 2026-3-5, 2026/3/5, 2026年3月5日, 20260305, an Excel serial (46086) or a
    date cell; spaces anywhere; a time after the date is ignored."""
    shown = text(value)
    if isinstance(value, datetime):
        return _checked(value.date(), shown, today)
    if isinstance(value, date):
        return _checked(value, shown, today)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _checked(_from_number(float(value), shown), shown, today)
    raw = _SPACES.sub("", shown)
    if not raw:
        raise CellError("日期为空", shown)
    if match := _YMD.match(shown.replace("\u3000", " ").strip()):
        y, m, d = (int(x) for x in match.groups())
        return _checked(_made(y, m, d, shown), shown, today)
    if _COMPACT.match(raw):
        return _checked(_compact(raw, shown), shown, today)
    if _SERIAL.match(raw):
        return _checked(_from_number(float(raw), shown), shown, today)
    raise CellError("无法识别的日期（请写成 2026-3-5、2026.3.5 或 2026年3月5日）", shown)


MANGLED_ID = (
    "身份证号被 Excel 存成了数字（科学计数法，如 3.30106E+17），后几位已丢失、无法还原；"
    "请按原始材料核对后，把该列设为“文本”格式重新填写"
)


def parse_id_number(value: object, today: date) -> str | None:
    """An 18-character resident ID number passing GB 11643 (check digit, birth date), or
    None for an empty cell. A number cell is refused: Excel keeps 15 significant digits."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(MANGLED_ID, "（数字）")
    raw = _SPACES.sub("", str(value)).lstrip("'").upper()
    if not raw:
        return None
    if _SCIENTIFIC.match(raw):
        raise CellError(MANGLED_ID, raw)
    problems = id_number_warnings(raw, today)
    if problems:
        shown = mask_id_number(raw) if len(raw) >= 8 else "*" * len(raw)
        reason = "；".join(p.split(" / ")[0] for p in problems)
        raise CellError(f"身份证号有误：{reason}", shown)
    return raw


def parse_phone(value: object) -> str | None:
    """A mobile (11 digits, +86 allowed) or a landline with its area code; None if empty."""
    raw = _SPACES.sub("", text(value)).lstrip("'")
    if not raw:
        return None
    if match := _MOBILE.match(raw.replace("-", "")):
        return match.group(1)
    if _LANDLINE.match(raw):
        return raw
    shown = mask_phone(raw) if len(raw) >= 7 else "*" * len(raw)
    raise CellError("电话号码格式不对（应为11位手机号或带区号的固定电话）", shown)


def parse_coordinate(value: object, low: float, high: float) -> float:
    """A latitude or longitude in decimal degrees (WGS-84), within [low, high]."""
    raw = _SPACES.sub("", text(value)).rstrip("°")
    try:
        number = float(raw)
    except ValueError:
        raise CellError("坐标应为十进制度数（如 30.2741）", raw[:20]) from None
    if not low <= number <= high:
        raise CellError(f"坐标超出范围（{low:g}～{high:g}）", raw[:20])
    return number
