"""Reading a GeoReport request: the form body of a POST, the query of GET requests.

"Optional" arguments sent empty count as not sent (the spec); every wrong argument is
reported at once, as a list of errors with status 400.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from pydantic import ValidationError

from grassroots.open311.formats import Open311Error
from grassroots.open311.queries import MAX_IDS, MAX_PAGE_SIZE, RequestFilter
from grassroots.open311.schemas import RequestIn

MAX_FIELDS = 100
SPAN = timedelta(days=90)  # the spec: a range of at most 90 days, by default the last 90
FORM = "application/x-www-form-urlencoded"
ATTRIBUTES = {"attribute[kind]": "kind", "attribute[people_involved]": "people_involved"}
FIELDS = set(RequestIn.model_fields) - set(ATTRIBUTES.values())


def form_fields(content_type: str, body: bytes) -> dict[str, str]:
    """The non-empty fields of a urlencoded body (the last of repeated ones)."""
    if content_type.split(";")[0].strip().lower() != FORM:
        raise Open311Error(400, f"POST requests must be sent as {FORM}")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise Open311Error(400, "the body is not UTF-8 form data / 请求体不是 UTF-8 表单") from None
    return {k: v for k, v in pairs if v.strip()}


def request_in(fields: dict[str, str]) -> RequestIn:
    """RequestIn from the form; unknown fields (device data, other attributes) are ignored."""
    if "service_code" not in fields:
        raise Open311Error(400, "service_code was not provided / 未提供 service_code")
    known = {k: v for k, v in fields.items() if k in FIELDS}
    known |= {name: fields[key] for key, name in ATTRIBUTES.items() if key in fields}
    try:
        return RequestIn.model_validate(known)
    except ValidationError as error:
        texts = [_message(e) for e in error.errors()]
        raise Open311Error(400, texts[0], more=texts[1:]) from None


def _message(error: object) -> str:
    assert isinstance(error, dict)
    where = ".".join(str(p) for p in error.get("loc", ()))
    text = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {text}" if where else text


def _moment(name: str, value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Open311Error(
            400, f"{name} must be a w3 date/time with its zone, e.g. 2010-01-01T00:00:00Z"
        )
    return moment.astimezone(UTC)


def _range(
    start_text: str | None, end_text: str | None, now: datetime
) -> tuple[datetime, datetime]:
    start, end = _moment("start_date", start_text), _moment("end_date", end_text)
    if start is not None and end is not None:
        if end < start or end - start > SPAN:
            raise Open311Error(
                400, "start_date to end_date must be 0 to 90 days / 时间范围须在 90 天内"
            )
        return start, end
    if start is not None:
        return start, start + SPAN
    end = end or now
    return end - SPAN, end


def _listed(value: str | None, limit: int, name: str) -> list[str] | None:
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    if len(items) > limit:
        raise Open311Error(400, f"at most {limit} values of {name}")
    return items or None


def _whole(name: str, value: str | None, default: int, high: int) -> int:
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= high:
        raise Open311Error(400, f"{name} must be a whole number from 1 to {high}")
    return int(value)


def request_filter(query: dict[str, str], prefix: str | None, now: datetime) -> RequestFilter:
    statuses = _listed(query.get("status"), 2, "status")
    if statuses is not None and not set(statuses) <= {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed (comma separated)")
    start, end = _range(query.get("start_date"), query.get("end_date"), now)
    return RequestFilter(
        ids=_listed(query.get("service_request_id"), MAX_IDS, "service_request_id"),
        service_codes=_listed(query.get("service_code"), 50, "service_code"),
        statuses=set(statuses) if statuses else None, start=start, end=end, prefix=prefix,
        page=_whole("page", query.get("page"), 1, 10_000),
        page_size=_whole("page_size", query.get("page_size"), MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    )  # fmt: skip
