"""Nothing personal in application logs (DESIGN §7).

Every log record, from any library (uvicorn, SQLAlchemy, ours), has ID-card numbers and phone
numbers masked before any handler sees it. Installed as a log-record factory so it covers
loggers and handlers configured later (uvicorn's own dictConfig) as well; PersonalDataFilter
is the same masking for handlers configured by hand.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from grassroots.crypto import mask_id_number, mask_phone

# 18-digit (GB 11643) and 15-digit ID numbers, not part of a longer run of digits (letters
# around them do not matter: "ID11010519491231002X" is masked too).
_ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?!\d)")
# Mainland mobiles, optionally written with spaces or dashes (138 1234 8000), +86 allowed.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
# Landlines with area code: 0571-88881234, 010 12345678.
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[ -]?\d{7,8}(?!\d)")


def mask_text(text: str) -> str:
    """The text with every ID-number and phone-like run masked."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
    return _LANDLINE.sub(lambda m: mask_phone(m.group(0)), text)


def _mask_value(value: Any) -> Any:
    return mask_text(value) if isinstance(value, str) else value


def _safe_message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a broken format string: let logging report it as usual
        return str(record.msg)


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask msg and args in place, keeping args' shape (uvicorn's access formatter unpacks
    them); when a non-string argument still carries a number, flatten to the masked text."""
    if isinstance(record.msg, str):
        record.msg = mask_text(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_mask_value(a) for a in record.args)
    elif isinstance(record.args, Mapping):
        record.args = {k: _mask_value(v) for k, v in record.args.items()}
    message = _safe_message(record)
    masked = mask_text(message)
    if masked != message:
        record.msg, record.args = masked, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    return record


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


def _quiet_sql_echo() -> None:
    """SQLAlchemy's engine log prints statement parameters and result rows: party names and
    addresses, which the masking does not recognise. Unless someone chose a level for it
    explicitly, keep it at WARNING even when the root logger runs at DEBUG."""
    engine_log = logging.getLogger("sqlalchemy.engine")
    if engine_log.level == logging.NOTSET:
        engine_log.setLevel(logging.WARNING)


def install_log_masking() -> None:
    """Wrap the process's log-record factory once (idempotent); quiet SQL parameter echo."""
    _quiet_sql_echo()
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, "masks_personal_data", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(current(*args, **kwargs))

    factory.masks_personal_data = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def log_masking_installed() -> bool:
    return bool(getattr(logging.getLogRecordFactory(), "masks_personal_data", False))
