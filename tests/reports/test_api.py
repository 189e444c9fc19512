"""Reports over HTTP and on the 报告 page: generate, keep, download — within the user's scope."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tests.reports.read import docx_text, sheets
from tests.stats import history as h

COUNTY, QINGSHI, LIUHE = "990101000000", "990101002000", "990101003000"


def test_leader_generates_and_downloads_the_county_report(session: Session, client_as) -> None:
    h.build_history(session, 15, seed=21, first=datetime(2026, 4, 2, tzinfo=UTC), days=50)
    chen = client_as("chen")
    r = chen.post(
        "/api/v1/reports",
        json={"jurisdiction": COUNTY, "period": "2026-Q2", "formats": ["docx", "xlsx"]},
    )
    assert r.status_code == 201, r.text
    kept = {f["fmt"]: f for f in r.json()}
    assert set(kept) == {"docx", "xlsx"}
    docx = chen.get(kept["docx"]["download_url"])
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "示范县综治中心关于2026年第二季度" in docx_text(docx.content)
    xlsx = chen.get(kept["xlsx"]["download_url"]).content
    assert "合计" in sheets(xlsx)["统计表"]
    assert [f["id"] for f in chen.get("/api/v1/reports").json()] == [
        kept["xlsx"]["id"],
        kept["docx"]["id"],
    ] or len(chen.get("/api/v1/reports").json()) == 2


def test_township_staff_report_on_their_township_only(session: Session, client_as) -> None:
    zhao = client_as("zhao")
    mine = zhao.post(
        "/api/v1/reports", json={"jurisdiction": QINGSHI, "period": "2026-03", "formats": ["xlsx"]}
    )
    assert mine.status_code == 201
    assert (
        zhao.post(
            "/api/v1/reports",
            json={"jurisdiction": LIUHE, "period": "2026-03", "formats": ["xlsx"]},
        ).status_code
        == 404
    )
    county = (
        client_as("chen")
        .post(
            "/api/v1/reports",
            json={"jurisdiction": COUNTY, "period": "2026-03", "formats": ["xlsx"]},
        )
        .json()[0]
    )
    assert zhao.get(county["download_url"]).status_code == 404
    assert [f["jurisdiction_code"] for f in zhao.get("/api/v1/reports").json()] == [QINGSHI]
    zhou = client_as("zhou")
    assert zhou.get(mine.json()[0]["download_url"]).status_code == 404


def test_grid_worker_may_read_but_not_generate(client_as) -> None:
    wang = client_as("wang")
    r = wang.post("/api/v1/reports", json={"jurisdiction": COUNTY, "period": "2026-03"})
    assert r.status_code == 403
    assert wang.get("/api/v1/reports").status_code == 200


def test_bad_format_changes_nothing(client_as) -> None:
    chen = client_as("chen")
    r = chen.post(
        "/api/v1/reports",
        json={"jurisdiction": COUNTY, "period": "2026-03", "formats": ["docx", "ppt"]},
    )
    assert r.status_code == 422 and r.json()["code"] == "bad_format"
    assert chen.get("/api/v1/reports").json() == []


def test_report_page_and_html_preview(session: Session, client_as) -> None:
    h.build_history(session, 8, seed=5, first=datetime(2026, 3, 2, tzinfo=UTC), days=20)
    chen = client_as("chen")
    page = chen.get("/reports")
    assert page.status_code == 200 and "矛盾纠纷排查化解工作报告" in page.text
    preview = chen.get("/reports/preview", params={"jurisdiction": COUNTY, "period": "2026-03"})
    assert preview.status_code == 200
    dash = chen.get(
        "/api/v1/stats/dashboard", params={"jurisdiction": COUNTY, "period": "2026-03"}
    ).json()
    registered = next(m["value"] for m in dash["metrics"] if m["key"] == "registered")
    assert f"共排查矛盾纠纷{registered}件" in preview.text
    words = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", preview.text)
    assert "XX" not in words and "None" not in words and "{{" not in words
    made = chen.post(
        "/reports/generate",
        data={"jurisdiction": COUNTY, "period": "2026-03", "formats": ["xlsx"]},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert "2026-03" in chen.get("/reports").text
