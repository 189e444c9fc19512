"""The dashboard's figures agree with each other: the trend's current month, the month card
and the category chart count the same registered cases (SQLite and PostgreSQL)."""

from __future__ import annotations

from grassroots.geo.queries import children, current_geometry
from grassroots.stats.figures.dashboard import by_category, month_cards, trend


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
    cards = {c.key: c.value for c in month_cards(session, township)}
    assert series["registered"][-1] == before + 3
    assert int(cards["registered"]) == series["registered"][-1]
    assert sum(n for _, n in by_category(session, township)) >= 3
