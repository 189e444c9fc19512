"""What the GETs show: the spec's fields, from what a resident may see of the case.

status and status_notes come from the case's state in plain words; the agency is the
jurisdiction holding the case; the description is the resident's own text as sent, with
phone and ID numbers masked. Never staff names, other parties or internal notes.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from grassroots.calendar.today import CHINA_TZ
from grassroots.cases.models import OPEN_STATES, Case
from grassroots.dictionary.models import Category
from grassroots.open311.queries import Served
from grassroots.privacy.logging_filter import mask_text

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
STATUS_NOTES = {
    "registered": "已收到，等待受理 / received, waiting to be accepted",
    "accepted": "已受理，正在办理 / accepted, being handled",
    "in_progress": "正在办理 / being handled",
    "suspended": "暂停办理，稍后继续 / handling paused for now",
    "resolved": "已办结 / resolved",
    "closed": "已办结并回访 / resolved and followed up",
    "rejected": "不予受理，请按告知的途径办理 / not accepted: please use the channel you were told",
    "terminated": "调解终止，可依法另行主张 / mediation ended; other legal routes remain open",
}
# A request merged into another case (合并重复件): the spec's own example says "Duplicate
# request."; the other case is not named (it may be one the resident cannot look up).
MERGED_NOTE = "重复诉求，已与同一事项合并办理 / Duplicate request: handled with the same matter"
KIND_VALUES = [
    {"key": "dispute", "name": "矛盾纠纷 / dispute"},
    {"key": "request", "name": "诉求 / request"},
]


def w3(moment: datetime) -> str:
    """The spec's date/time form (w3 ISO 8601 with the offset): China time."""
    return moment.astimezone(CHINA_TZ).isoformat(timespec="seconds")


def end_of(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), CHINA_TZ).isoformat()


def status_of(case: Case) -> str:
    return "open" if case.state in OPEN_STATES else "closed"


def expected(case: Case) -> str | None:
    """When it can be expected: the running deadline (to resolve, else to accept)."""
    due = case.resolve_due or case.accept_due
    return end_of(due) if due is not None and case.state in OPEN_STATES else None


def request_out(served: Served) -> dict[str, Any]:
    case, request = served.case, served.request
    updated = case.closed_at or case.resolved_at if status_of(case) == "closed" else None
    return {
        "service_request_id": case.code, "status": status_of(case),
        "status_notes": MERGED_NOTE if case.outcome == "merged"
        else STATUS_NOTES.get(case.state, case.state),
        "service_name": served.service_name, "service_code": case.category_code,
        "description": mask_text(request.description) or None,
        "agency_responsible": served.agency, "service_notice": None,
        "requested_datetime": w3(case.registered_at),
        "updated_datetime": w3(updated or case.updated_at), "expected_datetime": expected(case),
        "address": mask_text(case.address) or None, "address_id": case.grid_code,
        "zipcode": None, "lat": case.lat, "long": case.lng,
        "media_url": request.media_url or None,
    }  # fmt: skip


def created_out(served: Served) -> dict[str, Any]:
    """POST's answer: realtime, so the id (never a token as well)."""
    case = served.case
    notice = (
        f"已登记为案件 {case.code}，由{served.agency}受理 / registered as case {case.code}, "
        f"to be accepted by {served.agency}"
    )
    return {
        "service_request_id": case.code, "service_notice": notice,
        "account_id": served.request.account_id or None,
    }  # fmt: skip


def service_out(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code, "service_name": category.name,
        "description": category.name_en or category.name, "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(n for n in (category.name, category.name_en) if n),
        "group": "矛盾纠纷 / disputes",
    }  # fmt: skip


def definition_out(category: Category) -> dict[str, Any]:
    """The attributes every service takes: the case's kind and the people involved, and a
    notice (variable false) on what is done with personal data."""
    notice = (
        "姓名、电话、邮箱仅用于办理本诉求并加密保存，不公开 / name, phone and email are used "
        "only to handle this request, stored encrypted and never published"
    )
    attributes = [
        {"variable": True, "code": "kind", "datatype": "singlevaluelist", "required": False,
         "datatype_description": None, "order": 1,
         "description": "矛盾纠纷还是诉求 / a dispute or a request", "values": KIND_VALUES},
        {"variable": True, "code": "people_involved", "datatype": "number", "required": False,
         "datatype_description": "0–100000", "order": 2,
         "description": "涉及人数 / people involved", "values": []},
        {"variable": False, "code": "privacy", "datatype": "string", "required": False,
         "datatype_description": None, "order": 3, "description": notice, "values": []},
    ]  # fmt: skip
    return {"service_code": category.code, "attributes": attributes}


def discovery_out(base_url: str, changeset: str, contact: str) -> dict[str, Any]:
    return {
        "changeset": changeset, "contact": contact,
        "key_service": "api_key 由系统管理员以 `grassroots open311 keys create` 发放 / "
        "api keys are issued by the administrators (grassroots open311 keys create)",
        "endpoints": [{
            "specification": SPECIFICATION, "url": f"{base_url.rstrip('/')}/open311/v2",
            "changeset": changeset, "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }  # fmt: skip
