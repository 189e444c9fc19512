"""Case pages over a registered case, through the real HTTP app (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from grassroots.cases.models import Case
from grassroots.geo.queries import children, current_geometry

HTML = {"accept": "text/html"}


@pytest.fixture
def registered(client_as, session, users):
    """wang registers a case through the API at a point inside one of his village's grids."""
    grid = children(session, users["wang"].jurisdiction)[0]
    point = current_geometry(session, grid.id).representative_point()
    body = {
        "category_code": "neighbour",
        "source_code": "grid_patrol",
        "title": "测试纠纷",
        "description": "排水沟",
        "lat": point.y,
        "lng": point.x,
        "parties": [{"role": "applicant", "name": "张三", "phone": "13800138000"}],
    }
    r = client_as("wang").post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    return r.json()["code"], grid.code


def test_list_search_and_grid_fragment_find_the_case(client_as, registered):
    code, grid = registered
    zhao = client_as("zhao")
    assert code in zhao.get("/cases?q=排水", headers=HTML).text
    jump = zhao.get(f"/cases?q={code}", headers=HTML, follow_redirects=False)
    assert jump.status_code == 303 and jump.headers["location"] == f"/cases/{code}"
    fragment = zhao.get(f"/cases/grid/{grid}", headers={**HTML, "HX-Request": "true"})
    assert code in fragment.text and "<html" not in fragment.text
    markers = zhao.get("/cases/open.geojson").json()["features"]
    assert [f["properties"]["code"] for f in markers] == [code]
    assert code in zhao.get("/cases/export.csv?state=registered").text


def test_another_township_sees_nothing(client_as, registered):
    code, grid = registered
    zhou = client_as("zhou")
    assert zhou.get(f"/cases/{code}", headers=HTML).status_code == 404
    assert zhou.get("/cases/open.geojson").json()["features"] == []
    assert code not in zhou.get(f"/cases/grid/{grid}", headers=HTML).text
    assert code not in zhou.get("/cases/export.csv").text


def test_detail_masks_parties_and_reveal_needs_a_reason(client_as, registered):
    code, _ = registered
    zhao = client_as("zhao")
    page = zhao.get(f"/cases/{code}", headers=HTML).text
    assert "138****8000" in page and "13800138000" not in page
    party_id = page.split('id="party-', 1)[1].split("-", 1)[0]
    url = f"/cases/{code}/parties/{party_id}/reveal"
    short = zhao.post(url, data={"field": "phone", "reason": "看"}, headers=HTML)
    assert "13800138000" not in short.text and 'role="alert"' in short.text
    ok = zhao.post(url, data={"field": "phone", "reason": "回访需要联系申请人"}, headers=HTML)
    assert "13800138000" in ok.text and ok.headers["cache-control"] == "no-store"


def test_grid_worker_may_not_reveal(client_as, registered):
    code, _ = registered
    wang = client_as("wang")
    page = wang.get(f"/cases/{code}", headers=HTML).text
    assert "查看完整信息" not in page


def test_a_stale_form_is_refused_and_changes_nothing(client_as, registered):
    code, _ = registered
    zhao = client_as("zhao")
    r = zhao.post(f"/cases/{code}/act/accept", data={"expected_version": "99"}, headers=HTML)
    assert r.status_code == 422
    assert 'id="case-state"' in r.text and "已登记" in r.text


def test_an_action_form_error_sits_beside_its_field(client_as, registered):
    code, _ = registered
    zhao = client_as("zhao")
    r = zhao.post(
        f"/cases/{code}/act/reject", data={"expected_version": "1", "reason": ""}, headers=HTML
    )
    assert r.status_code == 422
    assert 'id="reject-reason-error"' in r.text and 'id="reject-channel-error"' in r.text
    accepted = zhao.post(
        f"/cases/{code}/act/accept", data={"expected_version": "1"}, headers=HTML,
        follow_redirects=False,
    )  # fmt: skip
    assert accepted.status_code == 303
    assert "已受理" in zhao.get(f"/cases/{code}", headers=HTML).text


@pytest.mark.parametrize(
    ("lang", "expected", "absent"), [("zh_CN", "不在", "outside"), ("en", "outside", "不在")]
)
def test_a_register_error_beside_its_field_speaks_the_ui_language(
    client_as, lang, expected, absent
):
    wang = client_as("wang")
    wang.get(f"/cases/new?lang={'en' if lang == 'en' else 'zh'}", headers=HTML)
    form = {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": "界外",
        "description": "坐标在本县以外", "lat": "10.0", "lng": "10.0",
    }  # fmt: skip
    r = wang.post("/cases/new", data=form, headers=HTML)
    assert r.status_code == 422
    error = r.text.split('id="lat-error">', 1)[1].split("</p>", 1)[0]
    assert expected in error and absent not in error and " / " not in error


def test_a_refused_action_without_a_form_on_the_page_still_says_why(client_as, registered):
    code, _ = registered
    zhao = client_as("zhao")
    r = zhao.post(f"/cases/{code}/act/resume", data={"expected_version": "1"}, headers=HTML)
    assert r.status_code in (409, 422)
    assert 'id="page-error"' in r.text
    message = r.text.split('id="page-error">', 1)[1].split("</div>", 1)[0].strip()
    assert message and " / " not in message


def test_the_list_shows_the_registration_day_in_china(client_as, registered, session):
    """01:30 on 2 March in China is still 1 March in UTC: the list shows China's day."""
    code, _ = registered
    late = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    session.execute(update(Case).where(Case.code == code).values(registered_at=late))
    session.commit()
    page = client_as("zhao").get("/cases", headers=HTML).text
    row = page[page.index(f"/cases/{code}") :].split("</tr>", 1)[0]
    assert "2026-03-02" in row and "2026-03-01" not in row
