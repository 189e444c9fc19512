"""Hostile text planted through the real app, and the HTML check of the pages that show it.

Every free-text field a person types gets PAYLOAD behind a tag of its own ("T01…"), so a page
that shows it can be checked for the literal text (escaped: what was typed is what is shown)
and for any element or attribute the payload would create if it were not escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient

from grassroots.calendar.today import china_today
from tests.cases.conftest import act

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>{{7*7}}'
HTML = {"accept": "text/html"}
TOWNSHIP = "990101002000"
XSS_UNIT = "990101002-xss"
MEDIATOR = "xssmed"
MEDIATOR_PASSWORD = "Xin-Tiaojie-2026"


def hostile(tag: str) -> str:
    """The payload behind a field's tag (two characters + 62 = 64, the shortest limit)."""
    return f"{tag}{PAYLOAD}"


class InjectionScan(HTMLParser):
    """What a page's markup holds: elements the payload would create, and its text (text
    nodes and attribute values, decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.created: list[str] = []
        self.text: list[str] = []
        self.json_blocks: list[str] = []
        self.hrefs: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.text.extend(v for v in named.values() if v)  # an input's value, a label
        if tag == "a" and named.get("href"):
            self.hrefs.append(str(named["href"]))
        if "onerror" in named or (tag == "img" and named.get("src") == "x"):
            self.created.append(f"<{tag} {named}>")
        if tag == "script":
            self._script = named

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is None:
            self.text.append(data)
        elif self._script.get("type") == "application/json":
            self.json_blocks.append(data)
        elif "alert(1)" in data:
            self.created.append(f"<script>{data}</script>")


def scan(html: str) -> InjectionScan:
    parser = InjectionScan()
    parser.feed(html)
    parser.close()
    return parser


def assert_escaped(html: str, shown: tuple[str, ...]) -> None:
    """No element or attribute came from a payload, each JSON block parses, and every field
    in `shown` appears as the literal text typed (not executed, not evaluated: no "49")."""
    found = scan(html)
    assert not found.created, f"markup created by user text: {found.created}"
    text = "".join(found.text) + "\n".join(strings([json.loads(b) for b in found.json_blocks]))
    missing = [tag for tag in shown if hostile(tag) not in text]
    assert not missing, f"user text missing or altered: {missing}"


def strings(value: Any) -> list[str]:
    """Every string inside decoded JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def log_in_as(client: TestClient, username: str, password: str) -> TestClient:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


def post_form(client: TestClient, path: str, data: dict[str, str]) -> None:
    r = client.post(path, data=data, headers=HTML, follow_redirects=False)
    assert r.status_code == 303, (
        path,
        r.status_code,
        r.text[r.text.find("help is-danger") :][:300],
    )


def plant_admin_text(admin: TestClient, village: str) -> None:
    """What administrators type: a category's names, a unit, a mediator's display name, a
    holiday's label and a deadline policy's basis; the unit and the mediator in `village`,
    where the cases are held."""
    post_form(
        admin,
        "/admin/categories/neighbour",
        {"name": hostile("A1"), "name_en": hostile("A2"), "sort_order": "1", "active": "1"},
    )
    post_form(
        admin,
        "/admin/units",
        {
            "code": XSS_UNIT,
            "name": hostile("A3"),
            "kind": "department",
            "jurisdiction_code": village,
        },
    )
    post_form(admin, "/admin/users", {
        "username": MEDIATOR, "display_name": hostile("A4"), "role": "mediator",
        "jurisdiction_code": village, "unit_code": XSS_UNIT,
        "password": MEDIATOR_PASSWORD})  # fmt: skip
    day = china_today().replace(month=12, day=31).isoformat()
    post_form(admin, "/admin/calendar/day", {"day": day, "is_working": "0", "name": hostile("A5")})
    post_form(admin, "/admin/policies", {
        "category_code": "neighbour", "level": "township", "accept_days": "1",
        "resolve_days": "10", "follow_up_days": "3", "basis": hostile("A6")})  # fmt: skip


def registration(where: dict[str, float], prefix: str) -> dict[str, Any]:
    """A registration at `where` (lat, lng) whose every free-text field is hostile (tags
    prefix + 1…7)."""
    return {
        "category_code": "neighbour", "source_code": "grid_patrol",
        "title": hostile(f"{prefix}1"), "description": hostile(f"{prefix}2"),
        "address": hostile(f"{prefix}3"), "note": hostile(f"{prefix}4"),
        **where, "people_involved": 2,
        "parties": [
            {"role": "applicant", "name": hostile(f"{prefix}5"), "address": hostile(f"{prefix}6"),
             "phone": "13800138000", "id_number": "99010119800101001X"},
            {"role": "respondent", "name": hostile(f"{prefix}7")},
        ],
    }  # fmt: skip


@dataclass
class Case:
    client_by: dict[str, TestClient]
    code: str
    version: int
    village: str = ""
    done: list[str] = field(default_factory=list)

    def run(self, who: str, action: str, **body: Any) -> None:
        r = act(self.client_by[who], self.code, action, self.version, **body)
        assert r.status_code == 200, (action, r.text)
        self.version = r.json()["version"]
        self.done.append(action)


def register(client_by: dict[str, TestClient], body: dict[str, Any]) -> Case:
    r = client_by["wang"].post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    made = r.json()
    return Case(client_by, made["code"], made["version"], made["village_code"])
