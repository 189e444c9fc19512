"""Photos on the residents' report page (issue 18 via issue 20): kept in the case's
attachment store with the same checks, EXIF place and time always removed, photos only, at
most three; a refused photo reports nothing."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import select

from grassroots.cases.attachments.models import Attachment
from grassroots.cases.models import Case
from tests.cases.attachments.samples import PDF, exif_of, photo_with_gps
from tests.residents.conftest import proof


def form(client: Any, report_body: Any) -> dict[str, str]:
    return {k: str(v) for k, v in report_body().items()} | {"proof": proof(client)}


def test_a_residents_photo_is_attached_without_its_place(client, report_body, session, client_as):
    photo = photo_with_gps()
    r = client.post(
        "/public/report", data=form(client, report_body),
        files=[("attachments", ("p.jpg", photo, "image/jpeg"))],
    )  # fmt: skip
    assert r.status_code == 201, r.text
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    (row,) = session.scalars(select(Attachment).where(Attachment.case_id == case.id)).all()
    assert row.kind == "jpeg" and not row.kept_location
    wang = client_as("wang")
    (listed,) = wang.get(f"/api/v1/cases/{case.code}/attachments").json()
    assert exif_of(wang.get(listed["url"]).content)[1] == {}


def test_a_document_or_a_fourth_photo_reports_nothing(client, report_body, session):
    before = session.scalars(select(Case)).all()
    r = client.post(
        "/public/report", data=form(client, report_body),
        files=[("attachments", ("a.pdf", PDF, "application/pdf"))],
    )  # fmt: skip
    assert r.status_code == 415 and "不支持的文件类型" in r.text
    photos = [("attachments", (f"{i}.jpg", photo_with_gps((200 + i, 100)))) for i in range(4)]
    r = client.post("/public/report", data=form(client, report_body), files=photos)
    assert r.status_code == 422 and "最多上传 3 张照片" in r.text
    assert session.scalars(select(Case)).all() == before
    assert session.scalars(select(Attachment)).all() == []


def test_an_oversized_photo_is_refused_with_the_same_limit(client, app, report_body):
    app.state.settings = app.state.settings.model_copy(update={"attachment_max_bytes": 4096})
    r = client.post(
        "/public/report", data=form(client, report_body),
        files=[("attachments", ("big.jpg", photo_with_gps((1200, 900))))],
    )  # fmt: skip
    assert r.status_code == 413 and "文件过大" in r.text


# The JSON API takes the same photos in base64 (issue 18): the same checks, the same store.
API = "/api/v1/public/reports"


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def test_the_json_api_attaches_base64_photos_without_their_place(
    client, report_body, session, client_as
):
    body = report_body(
        proof=proof(client), photos=[b64(photo_with_gps()), b64(photo_with_gps((300, 200)))]
    )
    r = client.post(API, json=body)
    assert r.status_code == 201, r.text
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    rows = session.scalars(select(Attachment).where(Attachment.case_id == case.id)).all()
    assert sorted(row.kind for row in rows) == ["jpeg", "jpeg"]
    assert not any(row.kept_location for row in rows)
    wang = client_as("wang")
    for listed in wang.get(f"/api/v1/cases/{case.code}/attachments").json():
        assert exif_of(wang.get(listed["url"]).content)[1] == {}


def test_the_json_api_refuses_a_document_a_fourth_photo_bad_base64_and_oversize(
    client, app, report_body, session
):
    before = session.scalars(select(Case)).all()
    r = client.post(API, json=report_body(proof=proof(client), photos=[b64(PDF)]))
    assert r.status_code == 415 and "不支持的文件类型" in r.text
    four = [b64(photo_with_gps((200 + i, 100))) for i in range(4)]
    r = client.post(API, json=report_body(proof=proof(client), photos=four))
    assert r.status_code == 422 and "photos" in r.text
    r = client.post(API, json=report_body(proof=proof(client), photos=["not base64 at all!"]))
    assert r.status_code == 422 and "photos" in r.text
    app.state.settings = app.state.settings.model_copy(update={"attachment_max_bytes": 4096})
    big = b64(photo_with_gps((1200, 900)))
    r = client.post(API, json=report_body(proof=proof(client), photos=[big]))
    assert r.status_code == 413 and "文件过大" in r.text
    assert session.scalars(select(Case)).all() == before
    assert session.scalars(select(Attachment)).all() == []
