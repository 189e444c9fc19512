"""边界隐患 pages: register from the form (a point, or a polygon pasted), errors beside the
field with nothing stored, the page escaped, the status moved from the page, edit, scope."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from grassroots.border.hazards.models import BorderHazard
from tests.border.hazards.conftest import PASTURE
from tests.border.meetings.conftest import LIUHE, QINGSHI

HTML = {"accept": "text/html"}


def _form(**over: str | list[str]) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "name": "<b>交界</b>林地", "kind": "forest", "risk": "medium", "lat": "30.61",
        "lng": "112.41", "jurisdiction_codes": [QINGSHI, LIUHE], "outside": "邻县林场",
        "description": "林地界桩缺失", "measures": "",
    }  # fmt: skip
    return form | over


def test_a_hazard_from_the_form_is_shown_escaped_and_moved(client_as, session):
    zhou = client_as("zhou")
    page = zhou.get("/border/hazards/new", headers=HTML).text
    assert f'value="{LIUHE}" checked' in page and 'id="f-polygon"' in page
    r = zhou.post("/border/hazards", data=_form(), headers=HTML, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = zhou.get(r.headers["location"], headers=HTML).text
    assert "&lt;b&gt;交界&lt;/b&gt;林地" in page and "<b>交界" not in page
    assert "邻县林场" in page and 'id="status-form"' in page and "排查" in page
    hazard = zhou.get("/api/v1/border/hazards").json()[0]
    assert zhou.get(f"/api/v1/border/hazards/{hazard['id']}").json()["geometry"] == {
        "type": "Point",
        "coordinates": [112.41, 30.61],
    }
    r = zhou.post(f"{r.headers['location']}/status", data={"to": "preventing", "note": "补设界桩"},
                  headers=HTML, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    r = zhou.post(f"/border/hazards/{hazard['id']}/status", data={"to": "screening"}, headers=HTML)
    assert r.status_code == 409 and 'id="status-to-error"' in r.text
    list_page = zhou.get("/border/hazards", headers=HTML).text
    assert 'id="hazard-map"' in list_page and "防范化解" in list_page


def test_a_polygon_pasted_and_errors_beside_their_fields(client_as, session):
    zhao = client_as("zhao")
    form = _form(polygon=json.dumps(PASTURE), lat="", lng="")
    r = zhao.post("/border/hazards", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    for bad, field in ((_form(polygon="{not json"), "polygon"), (_form(lat="北纬"), "lat"),
                       (_form(lat="", lng=""), "lat"), (_form(description=" "), "description"),
                       (_form(kind=""), "kind")):  # fmt: skip
        r = zhao.post("/border/hazards", data=bad, headers=HTML)
        assert r.status_code == 422 and f'id="{field}-error"' in r.text, field
    r = zhao.post("/border/hazards", data=_form(jurisdiction_codes=LIUHE), headers=HTML)
    assert r.status_code == 422 and 'id="hazard-errors"' in r.text
    assert session.scalar(select(func.count()).select_from(BorderHazard)) == 1


def test_edit_from_the_page_and_not_found_beyond_the_owners(client_as, new_hazard):
    h = new_hazard(jurisdiction_codes=[QINGSHI])
    zhao = client_as("zhao")
    page = zhao.get(f"/border/hazards/{h['id']}/edit", headers=HTML).text
    assert "112.4" in page and 'name="polygon"' in page  # the polygon back in its box
    form = _form(polygon=json.dumps(PASTURE), jurisdiction_codes=QINGSHI, risk="low")
    r = zhao.post(f"/border/hazards/{h['id']}", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    assert zhao.get(f"/api/v1/border/hazards/{h['id']}").json()["risk"] == "low"
    zhou = client_as("zhou")
    for path in (f"/border/hazards/{h['id']}", f"/border/hazards/{h['id']}/edit"):
        assert zhou.get(path, headers=HTML).status_code == 404
