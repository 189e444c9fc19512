"""The 12345 work-order format (docs/hotline.md): JSON or CSV with Chinese field names.

Every order is checked and every error listed with its place (第 n 条, 工单编号, field);
one wrong order refuses the whole file.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from grassroots.calendar.today import CHINA_TZ

FIELDS = (
    "工单编号",
    "来电时间",
    "诉求人",
    "联系电话",
    "诉求内容",
    "地址",
    "诉求类型",
    "办理时限",
    "要求反馈时间",
)
EXTRA_FIELDS = ("网格编码", "纬度", "经度")  # optional: a grid code, or a point (WGS84)
REPLY_FIELDS = ("工单编号", "案件编号", "办结时间", "办理结果", "群众评价", "要求反馈时间")
MAX_ORDERS = 5000
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


class ImportRefused(ValueError):
    """The file's errors, every one of them."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def _moment(value: Any) -> Any:
    """A date/time as 12345 platforms write it; without a zone it is China time."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)


def _day(value: Any) -> Any:
    if isinstance(value, str) and len(value.strip()) > 10:
        return _moment(value).astimezone(CHINA_TZ).date()
    return value.strip().replace("/", "-") if isinstance(value, str) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    order_no: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$")] = Field(
        alias="工单编号"
    )
    called_at: Annotated[datetime, BeforeValidator(_moment)] = Field(alias="来电时间")
    caller: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = Field(
        "", alias="诉求人"
    )
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{5,20}$")] | None = Field(
        None, alias="联系电话"
    )
    content: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)
    ] = Field(alias="诉求内容")
    address: Text = Field("", alias="地址")
    demand_type: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = Field(
        "", alias="诉求类型"
    )
    time_limit: Annotated[date, BeforeValidator(_day)] | None = Field(None, alias="办理时限")
    feedback_due: Annotated[date, BeforeValidator(_day)] | None = Field(None, alias="要求反馈时间")
    grid_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{15}$")] | None = Field(
        None, alias="网格编码"
    )
    lat: float | None = Field(None, ge=-90, le=90, alias="纬度")
    lng: float | None = Field(None, ge=-180, le=180, alias="经度")


def _records(text: str, kind: str) -> list[dict[str, Any]]:
    if kind == "json":
        data = json.loads(text)
        data = data.get("工单", data) if isinstance(data, dict) else data
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ImportRefused(["JSON 须为工单对象的数组 / JSON must be a list of order objects"])
        return data
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        f for f in ("工单编号", "来电时间", "诉求内容") if f not in (reader.fieldnames or [])
    ]
    if missing:
        raise ImportRefused([f"CSV 缺少列 / CSV lacks the columns: {', '.join(missing)}"])
    return [dict(row) for row in reader]


def _label(index: int, record: dict[str, Any]) -> str:
    return f"第 {index} 条 / order {index} ({str(record.get('工单编号', '?'))[:64]})"


def _errors(index: int, record: dict[str, Any], error: ValidationError) -> list[str]:
    out = []
    for e in error.errors():
        field = ".".join(str(p) for p in e["loc"]) or "-"
        out.append(
            f"{_label(index, record)}: {field}: {str(e['msg']).removeprefix('Value error, ')}"
        )
    return out


def read_orders(raw: bytes, kind: str) -> tuple[list[OrderIn], list[str]]:
    """The orders of a file (kind json or csv) that pass their checks, and the errors of the
    others (the import lists them with its own and writes nothing if there are any)."""
    try:
        records = _records(raw.decode("utf-8-sig"), kind)
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as error:
        raise ImportRefused([f"无法读取文件 / unreadable file: {error}"]) from None
    if len(records) > MAX_ORDERS:
        raise ImportRefused([f"一次最多 {MAX_ORDERS} 条 / at most {MAX_ORDERS} orders a file"])
    orders, errors, seen = [], [], set()
    for index, record in enumerate(records, 1):
        number = str(record.get("工单编号", "")).strip()
        if number and number in seen:
            errors.append(f"{_label(index, record)}: 工单编号: 文件中重复 / repeated in the file")
        seen.add(number)
        cleaned = {k: v for k, v in record.items() if v not in ("", None)}
        try:
            orders.append(OrderIn.model_validate(cleaned))
        except ValidationError as error:
            errors += _errors(index, record, error)
    return orders, errors
