"""The 核查情况报告 in Word: the finding and the actions for the issuing body, never the
people named nor the informant; only once verified."""

from __future__ import annotations

import io

from docx import Document

from tests.leads.conftest import JUSTICE, LEADS, handed_down, run


def test_reply_document(client_as):
    qian, sun = client_as("qian"), client_as("sun")
    code = qian.post(LEADS, json=handed_down(informant_name="举报人丁")).json()["code"]
    assert qian.get(f"{LEADS}/{code}/reply.docx").status_code == 409
    run(qian, code, ("assign", {"unit_code": JUSTICE}))
    run(sun, code, ("start", {}), ("verify", {"finding": "partly", "actions_taken": "责令整改"}))
    r = qian.get(f"{LEADS}/{code}/reply.docx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "关于线索核查情况的报告" in text and "部分属实" in text and "责令整改" in text
    assert "市扫黑办〔2026〕12号" in text and code in text
    assert "举报人丁" not in text and "刘某某" not in text
    assert sun.get(f"{LEADS}/{code}/reply.docx").status_code == 403
