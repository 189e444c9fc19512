"""Every card of /stats/board opens the list of exactly the cases behind its figure: the
list's count equals the card's figure, for each card, on a built history (SQLite and
PostgreSQL)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from tests.stats import history as h
from tests.stats.conftest import COUNTY, QINGSHI

START = datetime(2026, 1, 1, tzinfo=UTC)
CARD = re.compile(r'<a class="figure-card[^"]*" href="([^"]+)" data-figure="(\w+)">\s*'
                  r'<span class="figure-label">[^<]*</span>\s*'
                  r'<span class="figure-value">([^<]*)</span>')  # fmt: skip
# A rate's card lists its numerator's cases: the counter it is compared with.
NUMERATOR = {"resolution_rate": "resolved", "satisfaction_rate": "satisfied"}


def _cards(page: str) -> dict[str, tuple[str, str]]:
    return {key: (html.unescape(href), value) for href, key, value in CARD.findall(page)}


def _listed(client, href: str) -> int:
    page = client.get(href)
    assert page.status_code == 200, (href, page.text[:300])
    found = re.search(r'<p id="case-total">\D*(\d+)', page.text)
    assert found is not None
    return int(found.group(1))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("params", "nonzero"),
    [
        ({"jurisdiction": COUNTY, "period": "2026-Q1"}, ("registered", "resolved", "overdue")),
        ({"jurisdiction": QINGSHI, "period": "2026-H1", "kind": "dispute"}, ("registered",)),
        ({"jurisdiction": COUNTY, "period": "2026-02..2026-04", "category": "neighbour"}, ()),
    ],
)
def test_each_card_lists_exactly_its_figure(session, client_as, params, nonzero) -> None:
    h.build_history(session, 40, seed=11, first=START, days=120, focus=QINGSHI[:9])
    chen = client_as("chen")
    cards = _cards(chen.get("/stats/board", params=params).text)
    assert set(cards) >= {"registered", "accepted", "resolved", "overdue", "violence_risk"}
    api = chen.get("/api/v1/stats/dashboard", params={
        k: v for k, v in params.items() if k != "kind"
    }).json()  # fmt: skip
    for key, (href, value) in cards.items():
        listed = _listed(chen, href)
        if key in NUMERATOR:
            if "kind" not in params:
                assert listed == api["counters"][NUMERATOR[key]], key
            continue
        assert listed == int(value), (key, href)
    assert all(int(cards[key][1]) > 0 for key in nonzero)  # the test compares something


def test_the_figure_filter_keeps_the_list_in_scope(session, client_as) -> None:
    h.build_history(session, 12, seed=5, first=START, days=60)
    href = f"/cases?jurisdiction={COUNTY}&figure=registered"
    assert _listed(client_as("chen"), href) == 12
    assert _listed(client_as("zhou"), f"/cases?figure=registered&jurisdiction={QINGSHI}") == 0
    assert client_as("chen").get("/cases?figure=nothing").status_code == 422


def test_the_cases_resolved_at_each_level_are_listed_exactly(session, client_as) -> None:
    """就地化解率's numerator (resolved by the village) and the other levels' shares open
    the list of exactly the cases the statistics count at that level."""
    h.build_history(session, 40, seed=11, first=START, days=120, focus=QINGSHI[:9])
    chen = client_as("chen")
    period = {"jurisdiction": COUNTY, "period": "2026-Q1"}
    counters = chen.get("/api/v1/stats/dashboard", params=period).json()["counters"]
    dates = "&date_from=2026-01-01&date_to=2026-03-31"
    for level in ("village", "township", "county"):
        href = f"/cases?jurisdiction={COUNTY}&figure=resolved_{level}{dates}"
        assert _listed(chen, href) == counters[f"resolved_{level}"], level
    assert counters["resolved_village"] > 0  # the test compares something
    assert (
        sum(counters[f"resolved_{x}"] for x in ("village", "township", "county", "city"))
        == (counters["resolved"])
    )
