"""边界联席会议 pages: record from the form (decision rows, outside partners one a line),
errors beside the field with nothing stored, the page escaped, edit, minutes, not found."""

from __future__ import annotations

from sqlalchemy import func, select

from grassroots.border.meetings.models import BorderMeeting
from tests.border.meetings.conftest import LIUHE, QINGSHI

HTML = {"accept": "text/html"}


def _form(**over: str | list[str]) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "held_on": "2026-04-02",
        "place": "柳河镇",
        "jurisdiction_codes": [QINGSHI, LIUHE],
        "outside": "邻县综治中心 990201000000\n邻县林业站",
        "topics": "<b>林地</b>边界",
        "decision_rows": "3",
        "d0-text": "联合巡查",
        "d0-owner": "柳河镇综治中心",
        "d0-due_on": "2026-04-30",
        "d1-text": "",
        "d2-text": "回访",
        "d2-owner": "青石镇",
        "d2-done": "1",
    }
    return form | over


def test_a_meeting_from_the_form_is_shown_escaped(client_as, session):
    zhou = client_as("zhou")
    page = zhou.get("/border/meetings/new", headers=HTML).text
    assert f'value="{LIUHE}" checked' in page and 'name="d2-text"' in page
    r = zhou.post("/border/meetings", data=_form(), headers=HTML, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = zhou.get(r.headers["location"], headers=HTML).text
    assert "&lt;b&gt;林地&lt;/b&gt;边界" in page and "<b>林地" not in page
    assert "邻县林业站" in page and "990201000000" in page and "回访" in page
    m = zhou.get("/api/v1/border/meetings").json()[0]
    assert m["outside"] == [
        {"name": "邻县综治中心", "code": "990201000000"},
        {"name": "邻县林业站", "code": None},
    ]
    full = zhou.get(f"/api/v1/border/meetings/{m['id']}").json()
    assert [(d["text"], d["done"]) for d in full["decisions"]] == [
        ("联合巡查", False),
        ("回访", True),
    ]
    assert f'href="/border/meetings/{m["id"]}"' in zhou.get("/border/meetings", headers=HTML).text


def test_errors_come_back_beside_their_fields_and_nothing_is_stored(client_as, session):
    zhou = client_as("zhou")
    r = zhou.post("/border/meetings", data=_form(topics=" ", **{"d2-owner": ""}), headers=HTML)
    assert r.status_code == 422
    assert 'id="topics-error"' in r.text and 'id="d2-owner-error"' in r.text
    assert "回访" in r.text  # what was typed stays
    r = zhou.post("/border/meetings", data=_form(jurisdiction_codes=QINGSHI), headers=HTML)
    assert r.status_code == 422 and 'id="meeting-errors"' in r.text
    assert session.scalar(select(func.count()).select_from(BorderMeeting)) == 0


def test_edit_and_minutes_from_the_pages(client_as, new_meeting):
    m = new_meeting()
    zhou = client_as("zhou")
    page = zhou.get(f"/border/meetings/{m['id']}/edit", headers=HTML).text
    assert "联合现场勘界" in page and 'name="d3-text"' in page  # the one row and three blank
    form = _form(**{"d0-text": "联合现场勘界", "d0-owner": "青石镇司法所", "d0-done": "1"})
    r = zhou.post(f"/border/meetings/{m['id']}", data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    got = zhou.get(f"/api/v1/border/meetings/{m['id']}").json()
    assert got["place"] == "柳河镇" and got["decisions"][0]["done"] is True
    r = zhou.get(f"/border/meetings/{m['id']}/minutes.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    wu = client_as("wu")
    for path in (f"/border/meetings/{m['id']}", f"/border/meetings/{m['id']}/edit"):
        assert wu.get(path, headers=HTML).status_code == 404
