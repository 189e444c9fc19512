"""The dashboard's figures agree with each other: the trend's current month, the month card
and the category chart count the same registered cases (SQLite and PostgreSQL)."""

from __future__ import annotations

from grassroots.geo.queries import children, current_geometry
from grassroots.stats.figures.dashboard import by_category, period_cards, trend


def _register(client, point, category: str) -> None:
    body = {
        "category_code": category, "source_code": "grid_patrol", "title": "看板核对",
        "description": "看板数字核对", "lat": point.y, "lng": point.x,
    }  # fmt: skip
    r = client.post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text


def test_trend_month_card_and_categories_count_the_same_cases(client_as, session, users):
    township = users["zhao"].jurisdiction
    before = trend(session, township)["registered"][-1]
    grid = children(session, users["wang"].jurisdiction)[0]
    point = current_geometry(session, grid.id).representative_point()
    wang = client_as("wang")
    for category in ("neighbour", "neighbour", "housing_land"):
        _register(wang, point, category)
    session.expire_all()
    series = trend(session, township)
    cards = {c.key: c.value for c in period_cards(session, township)}
    assert series["registered"][-1] == before + 3
    assert int(cards["registered"]) == series["registered"][-1]
    assert sum(n for _, n in by_category(session, township)) >= 3


def test_each_month_card_opens_the_list_of_its_cases(client_as, session, users):
    """The 工作台's cards link to the cases behind them: the list counts the card's figure."""
    import re

    grid = children(session, users["wang"].jurisdiction)[0]
    point = current_geometry(session, grid.id).representative_point()
    for category in ("neighbour", "housing_land"):
        _register(client_as("wang"), point, category)
    zhao = client_as("zhao")
    page = zhao.get("/").text
    cards = re.findall(
        r'<a class="figure-card[^"]*" href="([^"]+)" data-figure="(\w+)">\s*'
        r'<span class="figure-label">[^<]*</span>\s*<span class="figure-value">([^<]*)</span>',
        page,
    )
    listed = {key: (href.replace("&amp;", "&"), value) for href, key, value in cards}
    assert {"registered", "resolved", "overdue", "follow_up"} <= set(listed)
    assert int(listed["registered"][1]) >= 2
    for key in ("registered", "resolved", "overdue", "follow_up"):
        href, value = listed[key]
        total = re.search(r'<p id="case-total">\D*(\d+)', zhao.get(href).text)
        assert total is not None and int(total.group(1)) == int(value), (key, href)


def test_the_figures_follow_the_period_in_the_url(client_as, session, users):
    """/?period=YEAR shows that year's figures (the same as /stats/board's), its cards list
    that year's cases, the chosen period is marked; a bad period is a clear 4xx."""
    import re

    from grassroots.calendar.today import china_today
    from grassroots.stats.periods import parse_period
    from grassroots.stats.queries import dashboard

    grid = children(session, users["wang"].jurisdiction)[0]
    point = current_geometry(session, grid.id).representative_point()
    _register(client_as("wang"), point, "neighbour")
    zhao, year = client_as("zhao"), str(china_today().year)
    page = zhao.get(f"/?period={year}").text
    township = users["zhao"].jurisdiction
    expected = dashboard(session, township, parse_period(year), with_children=False).values
    found = re.search(r'data-figure="registered">\s*<span class="figure-label">[^<]*</span>\s*'
                      r'<span class="figure-value">(\d+)</span>', page)  # fmt: skip
    assert found is not None and int(found.group(1)) == expected["registered"]
    assert f"date_from={year}-01-01&amp;date_to={year}-12-31" in page
    assert re.search(rf'data-period="{year}" aria-current="page"', page)
    assert f"/stats/board?jurisdiction={township.code}&amp;period={year}" in page
    month = zhao.get("/").text  # this month by default: the month's own dates
    assert re.search(r'data-period="\d{4}-\d{2}" aria-current="page"', month)
    for bad in ("2026-13", "nonsense", "2026-Q5"):
        r = zhao.get(f"/?period={bad}", headers={"accept": "text/html"})
        assert 400 <= r.status_code < 500, (bad, r.status_code)
