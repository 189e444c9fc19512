"""The 附件 section of the case page and the files of the registration form (HTML posts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from grassroots.cases.attachments.models import Attachment
from grassroots.cases.models import Case
from grassroots.geo.models import Jurisdiction
from grassroots.geo.queries import current_geometry
from tests.cases.attachments.samples import PDF, exif_of, photo_with_gps


def register_form(session: Any, new_case_body: dict[str, Any]) -> dict[str, str]:
    """The registration form's fields for new_case_body, at a point inside its grid."""
    grid = session.scalar(
        select(Jurisdiction).where(Jurisdiction.code == new_case_body["grid_code"])
    )
    point = current_geometry(session, grid.id).representative_point()
    return {
        "kind": "dispute", "category_code": "neighbour", "source_code": "grid_patrol",
        "title": new_case_body["title"], "description": new_case_body["description"],
        "people_involved": "2", "duplicates_checked": "1", "lat": str(point.y),
        "lng": str(point.x),
    }  # fmt: skip


def test_the_case_page_lists_and_uploads_files(client_as, new_case_body, session):
    wang = client_as("wang")
    code = wang.post("/api/v1/cases", json=new_case_body).json()["code"]
    page = wang.get(f"/cases/{code}")
    assert 'id="attachments"' in page.text and 'class="attachment"' not in page.text
    r = wang.post(
        f"/cases/{code}/attachments",
        files=[("attachments", ("a.jpg", photo_with_gps())), ("attachments", ("b.pdf", PDF))],
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{code}#attachments"
    page = wang.get(f"/cases/{code}")
    assert page.text.count('class="attachment"') == 2
    assert "/thumbnail" in page.text


def test_a_refused_file_comes_back_on_the_case_page(client_as, new_case_body, session):
    wang = client_as("wang")
    code = wang.post("/api/v1/cases", json=new_case_body).json()["code"]
    r = wang.post(f"/cases/{code}/attachments", files={"attachments": ("x.exe", b"MZ\x90\x00")})
    assert r.status_code == 422
    assert "不支持的文件类型" in r.text
    assert session.scalars(select(Attachment)).all() == []
    assert wang.post(f"/cases/{code}/attachments", data={}).status_code == 422


def test_the_registration_form_takes_photos(client_as, new_case_body, session):
    wang = client_as("wang")
    form = register_form(session, new_case_body)
    r = wang.post(
        "/cases/new", data=form, files=[("attachments", ("a.jpg", photo_with_gps()))],
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    code = r.headers["location"].rsplit("/", 1)[1]
    (row,) = wang.get(f"/api/v1/cases/{code}/attachments").json()
    assert exif_of(wang.get(row["url"]).content)[1] == {}


def test_a_refused_file_registers_nothing(client_as, new_case_body, session):
    wang = client_as("wang")
    form = register_form(session, new_case_body)
    r = wang.post("/cases/new", data=form, files=[("attachments", ("a.txt", b"hello"))])
    assert r.status_code == 422 and "不支持的文件类型" in r.text
    assert new_case_body["title"] in r.text  # the form keeps what was typed
    assert session.scalars(select(Case)).all() == []
