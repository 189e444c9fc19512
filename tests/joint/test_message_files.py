"""Files on the handlers' messages (issue 19): a message carries photos or documents, either
case attachments named by id (API) or files chosen in the page's form; both sides of the
joint case see and download them; a file of another case, a bad file or too many files
refuse the message and store nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.cases.attachments.models import Attachment
from grassroots.joint.models import JointMessage, joint_message_file
from tests.cases.attachments.samples import PDF, photo_with_gps


def _counts(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(JointMessage)) or 0,
        session.scalar(select(func.count()).select_from(joint_message_file)) or 0,
        session.scalar(select(func.count()).select_from(Attachment)) or 0,
    )


def test_a_message_carries_case_files_and_the_other_side_downloads_them(
    client_as: Any, session: Session, joint_case: Any
) -> None:
    code = joint_case()
    zhao, zhou = client_as("zhao"), client_as("zhou")
    up = zhao.post(f"/api/v1/cases/{code}/attachments", files={"file": ("a.pdf", PDF)})
    assert up.status_code == 201, up.text
    file_id = up.json()[0]["id"]
    body = {"text": "现场照片和协议草稿见附件", "attachment_ids": [file_id]}
    r = zhao.post(f"/api/v1/joint/{code}/messages", json=body)
    assert r.status_code == 201, r.text
    assert [f["id"] for f in r.json()["files"]] == [file_id]
    thread = zhou.get(f"/api/v1/joint/{code}").json()["messages"]
    assert [f["kind"] for f in thread[-1]["files"]] == ["pdf"]
    got = zhou.get(f"/api/v1/cases/{code}/attachments/{file_id}")
    assert got.status_code == 200 and got.content == PDF
    assert client_as("wu").get(f"/api/v1/cases/{code}/attachments/{file_id}").status_code == 404


def test_the_page_form_sends_photos_with_the_message(
    client_as: Any, session: Session, joint_case: Any
) -> None:
    code = joint_case()
    zhou = client_as("zhou")
    before = _counts(session)
    r = zhou.post(f"/joint/{code}/messages", data={"text": "我镇拍的边界照片"},
                  files=[("files", ("p.jpg", photo_with_gps())), ("files", ("d.pdf", PDF))],
                  follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    assert _counts(session) == (before[0] + 1, before[1] + 2, before[2] + 2)
    page = client_as("zhao").get(f"/joint/{code}").text
    assert page.count("data-attachment=") == 2 and "JPEG" in page and "PDF" in page


def test_refused_files_post_nothing(client_as: Any, session: Session, joint_case: Any) -> None:
    code, other = joint_case(), joint_case(title="另一件联调案件")
    zhao = client_as("zhao")
    elsewhere = zhao.post(f"/api/v1/cases/{other}/attachments", files={"file": ("a.pdf", PDF)})
    assert elsewhere.status_code == 201, elsewhere.text
    other_file = elsewhere.json()[0]["id"]
    before = _counts(session)
    r = zhao.post(f"/api/v1/joint/{code}/messages",
                  json={"text": "附件", "attachment_ids": [other_file]})  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, "unknown_attachment")
    r = zhao.post(f"/api/v1/joint/{code}/messages",
                  json={"text": "附件", "attachment_ids": list(range(1, 13))})  # fmt: skip
    assert r.status_code == 422
    r = zhao.post(f"/joint/{code}/messages", data={"text": "坏文件"},
                  files=[("files", ("x.exe", b"MZ\x90\x00 not a photo"))])  # fmt: skip
    assert r.status_code == 422 and 'id="message-files-error"' in r.text
    assert _counts(session) == before
