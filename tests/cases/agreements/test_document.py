"""人民调解协议书 as Word/PDF: layout, content, masking by permission, audit, scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from docx.shared import Length, Pt
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.cases.agreements.actions import mask_name
from grassroots.office.pdf import soffice
from tests.cases.conftest import VALID, act

HTML = {"accept": "text/html"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ID_NUMBER = "99010119800101001X"


@pytest.fixture
def agreed(case_in: Any, client_as: Any) -> str:
    """A case of wang's in progress with an agreement recorded by zhao."""
    code, version = case_in("in_progress")
    r = act(client_as("zhao"), code, "record_agreement", version, **VALID["record_agreement"])
    assert r.status_code == 200, r.text
    return code


def _download(client: Any, code: str, **form: str) -> Any:
    return client.post(f"/cases/{code}/agreement/document", data=form, headers=HTML)


def _text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _exports(session: Session, code: str) -> list[AuditEntry]:
    session.expire_all()
    stmt = select(AuditEntry).where(
        AuditEntry.action == "case.agreement_document", AuditEntry.object_id == code
    )
    return list(session.scalars(stmt))


def test_a_revealer_gets_the_full_document_with_a_reason_and_it_is_audited(
    agreed: str, client_as: Any, session: Session
) -> None:
    r = _download(client_as("zhao"), agreed, format="docx", reason="当事人申请领取协议书")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX and r.headers["cache-control"] == "no-store"
    assert f'filename="agreement-{agreed}.docx"' in r.headers["content-disposition"]
    text = _text(r.content)
    for expected in (
        "人民调解协议书", f"编号：{agreed}", "清山村村民调解委员会", "申请人：张三",
        "被申请人：李四", ID_NUMBER, "两户因院墙排水沟堵塞发生争执", "赔偿 2000 元",
        "现金一次付清", "于2026年3月31日前履行完毕", "第三十一条", "具有法律约束力",
        "应当按照约定履行", "人民调解员（签名）：赵强", "（印章）", "一式3份",
    ):  # fmt: skip
        assert expected in text, expected
    [row] = _exports(session, agreed)
    assert row.details["unmasked"] is True and row.details["format"] == "docx"
    assert row.details["reason"] == "当事人申请领取协议书" and ID_NUMBER not in str(row.details)


def test_layout_follows_the_official_document_conventions(agreed: str, client_as: Any) -> None:
    r = _download(client_as("li"), agreed, format="docx", reason="调解员存档需要")
    doc = Document(io.BytesIO(r.content))
    section = doc.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin,
             section.bottom_margin, section.left_margin, section.right_margin)  # fmt: skip
    assert [round(Length(s).mm) for s in sizes] == [210, 297, 37, 35, 28, 26]
    title = doc.paragraphs[0]
    assert title.text == "人民调解协议书" and title.runs[0].font.size == Pt(22)
    body = next(p for p in doc.paragraphs if "第三十一条" in p.text)
    assert body.paragraph_format.line_spacing == Pt(28) and body.runs[0].font.size == Pt(16)


def test_a_reader_who_may_not_reveal_gets_masked_names(
    agreed: str, client_as: Any, session: Session
) -> None:
    r = _download(client_as("wang"), agreed, format="docx")
    assert r.status_code == 200, r.text
    text = _text(r.content)
    assert "申请人：张*" in text and "被申请人：李*" in text
    assert "张三" not in text and "李四" not in text and ID_NUMBER not in text
    assert "**************001X" in text and "赔偿 2000 元" in text and agreed in text
    [row] = _exports(session, agreed)
    assert row.details["unmasked"] is False


def test_a_revealer_without_a_reason_gets_nothing(
    agreed: str, client_as: Any, session: Session
) -> None:
    r = _download(client_as("zhao"), agreed, format="docx", reason="看")
    assert r.status_code == 422 and "张三" not in r.text
    assert _exports(session, agreed) == []


def test_outside_the_scope_it_looks_missing_and_the_refusal_is_audited(
    agreed: str, client_as: Any, session: Session
) -> None:
    r = _download(client_as("zhou"), agreed, format="docx", reason="我想看看协议")
    assert r.status_code == 404 and "张三" not in r.text
    assert _exports(session, agreed) == []
    denied = session.scalars(
        select(AuditEntry).where(AuditEntry.object_id == agreed, AuditEntry.result == "denied")
    ).all()
    assert [d.action for d in denied] == ["case.read"]


def test_no_agreement_no_document(case_in: Any, client_as: Any) -> None:
    code, _ = case_in("in_progress")
    zhao = client_as("zhao")
    assert _download(zhao, code, format="docx", reason="当事人申请").status_code == 404
    assert "agreement/document" not in zhao.get(f"/cases/{code}", headers=HTML).text


def test_the_case_page_offers_the_download(agreed: str, client_as: Any) -> None:
    page = client_as("zhao").get(f"/cases/{agreed}", headers=HTML).text
    assert f'action="/cases/{agreed}/agreement/document"' in page and 'name="reason"' in page
    assert f'href="/cases/{agreed}/agreement"' in page  # the printable HTML view stays
    wang_page = client_as("wang").get(f"/cases/{agreed}", headers=HTML).text
    assert "agreement/document" in wang_page and 'name="reason"' not in wang_page


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_through_libreoffice(agreed: str, client_as: Any, session: Session) -> None:
    r = _download(client_as("wang"), agreed, format="pdf")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert [e.details["format"] for e in _exports(session, agreed)] == ["pdf"]


def test_mask_name_keeps_only_the_first_character() -> None:
    assert mask_name("张三") == "张*" and mask_name("欧阳小明") == "欧***" and mask_name("") == ""


def test_the_printable_view_masks_names_the_same_way(agreed: str, client_as: Any) -> None:
    full = client_as("zhao").get(f"/cases/{agreed}/agreement", headers=HTML).text
    assert "申请人：张三" in full and "第三十一条" in full
    assert "清山村村民调解委员会（印章）" in full and "于2026年3月31日前履行完毕" in full
    masked = client_as("wang").get(f"/cases/{agreed}/agreement", headers=HTML).text
    assert "申请人：张*" in masked and "申请人：张三" not in masked


def test_in_english_the_document_stays_chinese_under_an_english_heading(
    agreed: str, client_as: Any
) -> None:
    zhao = client_as("zhao")
    page = zhao.get(f"/cases/{agreed}/agreement?lang=en", headers=HTML).text
    assert "mediation agreement" in page and "The agreement itself stays in Chinese" in page
    assert '<article class="agreement panel-box" lang="zh-CN">' in page
    assert 'lang="zh-CN"' in page and "经调解，当事人自愿达成如下协议" in page
    r = _download(zhao, agreed, format="docx", reason="party asked for a copy")
    assert "人民调解协议书" in _text(r.content)


def _token(client_as: Any, username: str, scopes: list[str]) -> dict[str, str]:
    r = client_as(username).post("/api/v1/auth/tokens", json={"name": "t", "scopes": scopes})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}", **HTML}


def test_a_case_read_token_of_a_revealer_gets_masked_names_everywhere(
    agreed: str, client_as: Any, client: Any, session: Session
) -> None:
    """The role may reveal, the token may not: role ∩ scopes decides, on every page."""
    bearer = _token(client_as, "zhao", ["case.read"])
    form = {"format": "docx", "reason": "当事人申请领取协议书"}
    r = client.post(f"/cases/{agreed}/agreement/document", data=form, headers=bearer)
    assert r.status_code == 200, r.text
    text = _text(r.content)
    assert "申请人：张*" in text and "张三" not in text and ID_NUMBER not in text
    [row] = _exports(session, agreed)
    assert row.details["unmasked"] is False
    page = client.get(f"/cases/{agreed}/agreement", headers=bearer)
    assert page.status_code == 200 and "张三" not in page.text and "张*" in page.text
    detail = client.get(f"/cases/{agreed}", headers=bearer)
    assert detail.status_code == 200 and "/reveal" not in detail.text


def test_a_token_with_party_reveal_gets_the_full_document(
    agreed: str, client_as: Any, client: Any
) -> None:
    bearer = _token(client_as, "zhao", ["case.read", "party.reveal"])
    form = {"format": "docx", "reason": "当事人申请领取协议书"}
    r = client.post(f"/cases/{agreed}/agreement/document", data=form, headers=bearer)
    assert r.status_code == 200 and "申请人：张三" in _text(r.content)
    page = client.get(f"/cases/{agreed}/agreement", headers=bearer)
    assert "张三" in page.text
