"""Lead fixtures: a lead handed down to the 青石镇 township, and helpers to act over HTTP."""

from __future__ import annotations

from typing import Any

TOWNSHIP = "990101002000"  # 青石镇: zhao's centre, sun's 司法所, li's 调委会
OTHER_TOWNSHIP = "990101003000"  # 柳河镇: zhou
JUSTICE = "990101002-justice"
POLICE = "990101002-police"
MEDIATION = "990101002-mediation"
LEADS = "/api/v1/leads"


def handed_down(**changes: Any) -> dict[str, Any]:
    """A lead handed down by the city's office with a document number and a deadline."""
    body: dict[str, Any] = {
        "source": "assigned",
        "issuing_body": "市扫黑除恶专项斗争领导小组办公室",
        "document_number": "市扫黑办〔2026〕12号",
        "batch": "2026-第3批",
        "category_code": "organised_crime",
        "title": "反映某砂石场强揽工程",
        "content": "群众反映青石镇某砂石场以威胁手段强揽周边工程。",
        "place": "青石镇东山村砂石场",
        "occurred_on": "2026-05-01",
        "jurisdiction_code": TOWNSHIP,
        "due_on": "2026-12-31",
        "persons": "砂石场负责人刘某某",
        "informant_name": "举报人甲",
        "informant_contact": "13911112222",
    }
    return body | changes


def act(client: Any, code: str, action: str, version: int, **body: Any) -> Any:
    return client.post(
        f"{LEADS}/{code}/actions/{action}", json={"expected_version": version, **body}
    )


def run(client: Any, code: str, *steps: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """Several actions in a row by one client, each on the version the last one returned."""
    version = client.get(f"{LEADS}/{code}").json()["version"]
    out: dict[str, Any] = {}
    for action, body in steps:
        r = act(client, code, action, version, **body)
        assert r.status_code == 200, (action, r.json())
        out = r.json()
        version = out["version"]
    return out
