"""GET /cases: filters, keyset pagination with an opaque cursor, sort, bad parameters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from grassroots.calendar.today import local_date
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_register, do_reject
from grassroots.db import utcnow
from tests.cases.conftest import grid_in


@pytest.fixture
def seven(session, users):
    """Seven cases of wang's village, oldest first, varied enough to filter on."""
    grid = grid_in(session, users["wang"])
    made = []
    for i in range(7):
        data = s.NewCase(
            category_code="neighbour" if i % 2 else "labour", source_code="visit",
            title=f"第{i}件 {'排水' if i == 3 else '纠纷'}", description="清单测试",
            grid_code=grid, violence_risk=(i == 5),
        )  # fmt: skip
        when = utcnow() - timedelta(days=70 - i)
        made.append(do_register(session, data, actor=users["wang"], now=when).code)
    do_accept(session, made[6], actor=users["zhao"], now=utcnow())
    return made


def codes(client, **params):
    r = client.get("/api/v1/cases", params=params)
    assert r.status_code == 200, r.text
    return [c["code"] for c in r.json()["items"]]


def test_keyset_pages_cover_everything_once(client_as, seven):
    zhao = client_as("zhao")
    everything = codes(zhao, limit=200)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = zhao.get("/api/v1/cases", params=params).json()
        seen += [c["code"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    assert len(set(seen)) == len(seen)
    assert [c for c in everything if c in seven] == list(reversed(seven))


def test_sort_by_code(client_as, seven):
    zhao = client_as("zhao")
    ascending = codes(zhao, sort="code", limit=200)
    assert ascending == sorted(ascending)
    first_page = zhao.get("/api/v1/cases", params={"sort": "code", "limit": 2}).json()
    second = codes(zhao, sort="code", limit=2, cursor=first_page["next_cursor"])
    assert second == ascending[2:4]


def test_filters(client_as, seven):
    zhao = client_as("zhao")
    assert set(codes(zhao, category="labour", limit=200)) >= {seven[0], seven[2]}
    assert seven[1] not in codes(zhao, category="labour", limit=200)
    assert codes(zhao, q="排水") == [seven[3]]
    assert seven[5] in codes(zhao, violence_risk="true", limit=200)
    assert seven[4] not in codes(zhao, violence_risk="true", limit=200)
    assert codes(zhao, state="accepted", category="labour") == [seven[6]]
    assert codes(zhao, state="accepted", category="neighbour") == []
    assert seven[6] in codes(zhao, state=["accepted", "in_progress"], limit=200)
    day = local_date(datetime.now(UTC) - timedelta(days=67)).isoformat()  # a day in China
    in_range = codes(zhao, registered_from=day, registered_to=day)
    assert set(in_range) & set(seven) == {seven[3]}


def test_deadline_filters(client_as, seven):
    zhao = client_as("zhao")
    overdue = set(codes(zhao, overdue="true", limit=200))
    assert set(seven[:6]) <= overdue  # registered 64–70 days ago, never accepted
    assert seven[6] not in overdue  # accepted today: the resolve clock just started
    assert set(seven[:6]) <= set(codes(zhao, light="red", limit=200))
    assert seven[6] in codes(zhao, light="green", limit=200)
    case = zhao.get(f"/api/v1/cases/{seven[0]}").json()
    assert case["light"] == "red" and case["overdue"] is True


def test_jurisdiction_filter(client_as, seven, users):
    zhao = client_as("zhao")
    village = users["wang"].jurisdiction.code
    assert set(seven) <= set(codes(zhao, jurisdiction=village, limit=200))
    assert codes(zhao, jurisdiction="990101003000") == []


def test_the_open_filter_keeps_the_cases_still_being_handled(client_as, session, users, seven):
    reason = s.Reject(channel=s.LegalChannel.litigation, reason="属法院受理范围")
    do_reject(session, seven[0], reason, actor=users["zhao"], now=utcnow())
    zhao = client_as("zhao")
    assert set(codes(zhao, open="true", limit=200)) & set(seven) == set(seven[1:])
    assert set(codes(zhao, open="false", limit=200)) & set(seven) == {seven[0]}
    page = zhao.get("/cases", params={"state": "open"}).text  # 在办 in the list's state filter
    assert all(f'href="/cases/{c}"' in page for c in seven[1:])
    assert f'href="/cases/{seven[0]}"' not in page
    assert '<option value="open" selected>' in page
    assert 'href="/cases?state=open" aria-current="page">在办</a>' in page  # the quick filter
    mine = client_as("wang").get("/cases", params={"queue": "registered_by_me"}).text
    assert all(f'href="/cases/{c}"' in mine for c in seven[1:])  # 我登记的: still live
    assert f'href="/cases/{seven[0]}"' not in mine  # rejected: no longer in the queue
    assert 'href="/cases?queue=registered_by_me" aria-current="page">' in mine


def test_the_list_is_cards_on_a_phone(client_as, seven):
    """Each cell names its column (data-label) for app.css's under-600-px card layout."""
    page = client_as("zhao").get("/cases").text
    assert 'class="table is-fullwidth is-striped is-hoverable is-narrow case-table"' in page
    assert page.count('data-label="事件编号"') >= len(seven)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"sort": "due", "cursor": "WyJkdWUiLCAibm90LWEtZGF5IiwgMV0="}, "cursor"),
        ({"state": "lost"}, "state"),
        ({"light": "blue"}, "light"),
        ({"limit": 0}, "limit"),
        ({"jurisdiction": "123"}, "jurisdiction"),
        ({"registered_from": "yesterday"}, "registered_from"),
    ],
)
def test_bad_parameters_are_named(client_as, params, field):
    r = client_as("zhao").get("/api/v1/cases", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]]
