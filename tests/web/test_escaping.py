"""Stored XSS (issue 12, item 2): hostile text in every free-text field of every case action
and every administrator's entry is shown escaped on every page that shows it.

The payload (escaping_support.PAYLOAD) holds a script element, an attribute break-out with
an onerror handler, and a template expression. Each page is parsed: no element or attribute
may come from it, JSON blocks must parse, and the text typed must appear exactly as typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from grassroots.calendar.today import china_today
from grassroots.geo.queries import children, current_geometry
from grassroots.i18n import gettext_for
from grassroots.web.templating import environment
from tests.web.escaping_support import (
    HTML,
    MEDIATOR,
    MEDIATOR_PASSWORD,
    XSS_UNIT,
    Case,
    assert_escaped,
    hostile,
    log_in_as,
    plant_admin_text,
    register,
    registration,
    scan,
    strings,
)

ADMIN_TEXT = ("A1", "A3", "A4")  # category, unit, mediator: shown on case pages


@pytest.fixture
def mediator_client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


@pytest.fixture
def planted(client_as, mediator_client, session, users) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Administrators' hostile entries, then three hostile cases carried through every action
    that takes free text: A (the whole life of a case), B (escalated to the city and back),
    C (rejected)."""
    plant_admin_text(client_as("admin"), users["wang"].jurisdiction.code)
    clients = {n: client_as(n) for n in ("wang", "zhao", "qian")}
    clients[MEDIATOR] = log_in_as(mediator_client, MEDIATOR, MEDIATOR_PASSWORD)
    grid = children(session, users["wang"].jurisdiction)[0]
    point = current_geometry(session, grid.id).representative_point()
    where = {"lat": point.y, "lng": point.x}
    a = register(clients, registration(where, "R"))
    b = register(clients, registration(where, "Q"))
    c = register(clients, registration(where, "P"))
    life_of(a)
    escalated_and_back(b)
    c.run("zhao", "reject", channel="litigation", reason=hostile("Sg"), note=hostile("Nd"))
    a.run("zhao", "link", other_code=c.code, note=hostile("Ne"))
    a.run("zhao", "share", jurisdiction_code="990101003000", role="co", note=hostile("Nf"))
    return {"a": a.code, "b": b.code, "c": c.code, "grid": grid.code}


def life_of(a: Case) -> None:
    today = china_today()
    a.run("zhao", "accept", note=hostile("N1"))
    a.run("zhao", "assign", unit_code=XSS_UNIT, note=hostile("N2"))
    a.run("zhao", "assign", mediator=MEDIATOR, note=hostile("N3"))
    a.run(
        MEDIATOR,
        "record_session",
        held_on=today.isoformat(),
        summary=hostile("S1"),
        participants=[hostile("S2")],
        note=hostile("N4"),
    )
    a.run(
        MEDIATOR,
        "record_agreement",
        terms=hostile("S3"),
        responsibilities="双方各自承担责任",
        performance_manner=hostile("S4"),
        performance_place="村调解室",
        performance_deadline=(today + timedelta(days=30)).isoformat(),
        note=hostile("N5"),
    )
    a.run(
        "zhao",
        "extend",
        days=5,
        approved_by=hostile("S5"),
        reason=hostile("S6"),
        parties_consent=True,
        note=hostile("N6"),
    )
    a.run("zhao", "suspend", reason=hostile("S7"), note=hostile("N7"))
    a.run("zhao", "resume", note=hostile("N8"))
    a.run("zhao", "resolve", outcome_note=hostile("S8"), note=hostile("N9"))
    a.run(
        "zhao",
        "follow_up",
        performance="performed",
        satisfaction="satisfied",
        remaining_risk="none",
        note=hostile("Na"),
    )
    a.run("zhao", "close", note=hostile("Nb"))
    a.run("zhao", "reopen", reason=hostile("S9"), note=hostile("Nc"))


def escalated_and_back(b: Case) -> None:
    b.run("zhao", "accept")
    b.run("zhao", "escalate", reason=hostile("Sh"))  # village → township
    b.run("zhao", "escalate", reason=hostile("Sa"))  # → county
    b.run("qian", "refer_down", reason=hostile("Sb"))
    b.run("zhao", "escalate", reason=hostile("Sc"))
    b.run("qian", "escalate", reason=hostile("Sd"))
    b.run("qian", "city_reply", reply=hostile("Se"))
    b.run("qian", "terminate", reason=hostile("Sf"), routes_told=["litigation"])


# (who looks, the page, the tags of the hostile text it must show as typed): every page that
# shows text typed into a case or by an administrator. {a}, {b}, {c}: the cases; {grid}: theirs.
REGISTERED = "123457"  # title … respondent (the party's address is on no page)


def tags(prefix: str, suffixes: str) -> tuple[str, ...]:
    return tuple(prefix + s for s in suffixes)


PAGES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "zhao",
        "/cases/{a}",
        (
            *ADMIN_TEXT,
            *tags("R", REGISTERED),
            "P1",
            *tags("N", "123456789abcef"),
            *tags("S", "136789"),
        ),
    ),
    ("zhao", "/cases/{b}", ("A1", *tags("Q", REGISTERED), *tags("S", "habcdf"))),
    ("zhao", "/cases/{c}", ("A1", *tags("P", REGISTERED), "Sg", "Nd", "R1")),
    ("zhao", "/cases/{a}/agreement", ("A4", "R2", "R5", "R7", "S3", "S4")),
    ("zhao", "/cases", ("A1", "R1", "Q1", "P1")),
    ("zhao", "/cases?q=script", ("A1", "R1", "Q1", "P1")),
    ("zhao", "/cases/grid/{grid}", ("R1",)),
    ("zhao", "/", ("A1",)),
    ("zhao", "/map", ()),
    ("zhao", "/cases/new", ("A1",)),
    ("zhao", "/reports", ()),
    ("zhao", "/reports/preview?jurisdiction=990101002000&period={period}", ("A1",)),
    ("chen", "/", ("A1",)),
    ("chen", "/reports/preview?jurisdiction=990101000000&period={period}", ("A1",)),
    (MEDIATOR, "/", ("A4",)),
    (MEDIATOR, "/cases/{a}", ("A4", "R1", "S1")),
    ("admin", "/admin", ("A1", "A2", "A5", "A6")),
    ("admin", "/admin/units?jurisdiction={village}", ("A3",)),
    ("admin", "/admin/users", ("A3", "A4")),
    ("admin", "/admin/users/" + MEDIATOR, ("A3", "A4")),
    ("admin", "/admin/calendar?year={year}", ()),
    ("audit", "/audit", ()),
]


def test_every_page_shows_hostile_text_escaped(planted, client_as, mediator_client, users):  # type: ignore[no-untyped-def]
    clients = {MEDIATOR: mediator_client}
    today = china_today()
    fill = {
        **planted,
        "period": today.strftime("%Y-%m"),
        "year": today.year,
        "village": users["wang"].jurisdiction.code,
    }
    failures = []
    for who, path, shown in PAGES:
        client = clients.get(who) or clients.setdefault(who, client_as(who))
        page = client.get(path.format(**fill), headers=HTML)
        try:
            assert page.status_code == 200, page.status_code
            assert_escaped(page.text, shown)
        except AssertionError as exc:
            failures.append(f"{who} {path}: {exc}")
    assert not failures, "\n".join(failures)
    assert_map_data(clients["zhao"])


def assert_map_data(zhao: TestClient) -> None:
    """The maps read the open cases and the grid counts as JSON (their scripts escape the
    text before it goes into a popup): the text arrives exactly as typed."""
    cases = zhao.get("/cases/open.geojson")
    assert cases.headers["content-type"].startswith("application/")
    assert hostile("R1") in strings(cases.json())
    grids = zhao.get("/dashboard/grids.json")
    assert grids.status_code == 200 and grids.headers["content-type"].startswith("application/")


# Forms sent back with an error keep what was typed: (who, page, form, status, tags shown).
# The action form's page also lists the hostile unit and mediator as assignment choices.
ECHOES: list[tuple[str, str, dict[str, str], int, tuple[str, ...]]] = [
    (
        "wang",
        "/cases/new",
        {
            "kind": "dispute",
            "category_code": "neighbour",
            "source_code": "grid_patrol",
            "title": hostile("F1"),
            "description": hostile("F2"),
            "address": hostile("F3"),
            "note": hostile("F4"),
            "party-0-role": "applicant",
            "party-0-name": hostile("F5"),
        },
        422,
        ("A1", "F1", "F2", "F3", "F5"),
    ),
    (
        "zhao",
        "/cases/{a}/act/resolve",
        {
            "expected_version": "1",
            "outcome_note": hostile("F6"),
            "note": hostile("F7"),
        },
        422,
        ("A3", "A4", "F6", "F7"),
    ),
    (
        "admin",
        "/admin/calendar/{year}",
        {
            "notice": hostile("F8"),
            "schedule": hostile("F9"),
            "intent": "preview",
        },
        200,
        ("F8", "F9"),
    ),
    (
        "admin",
        "/admin/users",
        {
            "username": "xss2",
            "display_name": hostile("Fa"),
            "role": "mediator",
            "jurisdiction_code": "990101002000",
            "unit_code": "",
            "password": "short",
        },
        422,
        ("Fa",),
    ),
]


def test_forms_sent_back_keep_hostile_text_escaped(planted, client_as):  # type: ignore[no-untyped-def]
    fill = {**planted, "year": china_today().year + 1}
    failures = []
    for who, path, form, status, shown in ECHOES:
        page = client_as(who).post(path.format(**fill), data=form, headers=HTML)
        try:
            assert page.status_code == status, page.status_code
            assert_escaped(page.text, shown)
        except AssertionError as exc:
            failures.append(f"{who} {path}: {exc}")
    assert not failures, "\n".join(failures)


def test_gettext_escapes_text_that_is_not_a_msgid():
    """Defence in depth: `_()` given a person's text (never meant to) shows it escaped and
    as typed, `%` included, instead of trusting it as markup."""
    env = environment()
    typed = "50% <img src=x onerror=alert(1)> %(x)s"
    page = env.from_string("{{ _(t) }}|{{ ngettext(t, t, 2) }}|{{ _('Cases') }}").render(
        t=typed, locale="zh_CN"
    )
    escaped = "50% &lt;img src=x onerror=alert(1)&gt; %(x)s"
    assert page == f"{escaped}|{escaped}|{gettext_for('zh_CN')('Cases')}"


def test_audit_page_links_carry_the_search_terms_url_encoded(client_as):  # type: ignore[no-untyped-def]
    """Search terms typed into the audit filter go back into the paging links as query values:
    URL-encoded, so `&` or `=` in them cannot add or change a parameter."""
    typed = 'x&result=ok&page=9"><b>'
    page = client_as("audit").get("/audit", params={"actor": typed, "page": 2}, headers=HTML)
    assert page.status_code == 200
    links = [v for v in scan(page.text).hrefs if v.startswith("?")]
    assert links, "no paging link"
    query = parse_qs(urlsplit(links[0]).query, keep_blank_values=True)
    assert query["actor"] == [typed] and query["result"] == [""] and query["page"] == ["1"]
