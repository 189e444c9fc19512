"""/ledgers/import through the real HTTP app (SQLite and PostgreSQL): a bad file shows every
error and its annotated copy and imports nothing; a good one previews its first rows, then
imports in one go, the file emptied and audited with its hash; mappings are saved and
reused; only the uploader sees an upload, only centre staff may import."""

from __future__ import annotations

import base64
import hashlib
import socket
import subprocess
import sys
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.audit.models import AuditEntry
from grassroots.cases.models import Case
from grassroots.crypto import keyring
from grassroots.db import utcnow
from grassroots.ledgers.models import LedgerImport, LedgerMapping, LedgerUpload
from grassroots.ledgers.web.progress import this_process
from tests.ledgers.ledger_files import good_rows, villages, workbook

HTML = {"accept": "text/html"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client: Any, data: bytes, name: str = "台账.xlsx", **form: str) -> int:
    files = {"file": (name, data, XLSX)}
    r = client.post("/ledgers/import", files=files, data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def _count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _rows(session: Session) -> list[list[Any]]:
    village, other = villages(session.get_bind())[:2]  # type: ignore[arg-type]
    return good_rows(village, other)


def test_a_bad_file_shows_every_error_and_imports_nothing(client_as, session: Session):
    rows = _rows(session)
    rows[0][3] = "3.30106E+17"
    rows[2][5] = "不存在村"
    zhao = client_as("zhao")
    upload_id = _upload(zhao, workbook(rows))
    page = zhao.get(f"/ledgers/import/{upload_id}", headers=HTML)
    assert page.status_code == 200 and 'id="ledger-errors"' in page.text
    assert "科学计数法" in page.text and "未知的村" in page.text and "不存在村" in page.text
    annotated = zhao.get(f"/ledgers/import/{upload_id}/annotated")
    assert annotated.status_code == 200 and annotated.headers["content-type"] == XLSX
    cases = _count(session, Case)
    refused = zhao.post(f"/ledgers/import/{upload_id}/run", headers=HTML)
    assert refused.status_code == 422 and 'id="ledger-errors"' in refused.text
    assert _count(session, Case) == cases and _count(session, LedgerImport) == 0


def test_a_good_file_previews_then_imports_and_the_file_is_emptied(client_as, session: Session):
    data = workbook(_rows(session))
    zhao = client_as("zhao")
    upload_id = _upload(zhao, data)
    stored = session.get_one(LedgerUpload, upload_id)
    assert stored.data_enc is not None and data not in stored.data_enc  # encrypted at rest
    page = zhao.get(f"/ledgers/import/{upload_id}", headers=HTML)
    assert 'id="ledger-rows"' in page.text and "张*、李*" in page.text and "张三" not in page.text
    assert 'id="ledger-columns"' in page.text and "受理日期" in page.text
    assert 'id="ledger-notices"' in page.text and "不指定网格" in page.text  # several grids
    assert zhao.get(f"/ledgers/import/{upload_id}/annotated").status_code == 404
    fragment = zhao.get(f"/ledgers/import/{upload_id}/progress", headers=HTML)
    assert fragment.status_code == 200 and 'hx-trigger="load delay:1s"' in fragment.text
    cases = _count(session, Case)
    htmx = {**HTML, "HX-Request": "true"}  # the page sends it by htmx, polling the progress
    done = zhao.post(f"/ledgers/import/{upload_id}/run", headers=htmx, follow_redirects=False)
    assert done.status_code == 200 and done.headers["HX-Redirect"] == f"/ledgers/import/{upload_id}"
    result = zhao.get(f"/ledgers/import/{upload_id}", headers=HTML)
    assert 'id="ledger-imported">5<' in result.text
    assert _count(session, Case) == cases + 5
    session.expire_all()
    stored = session.get_one(LedgerUpload, upload_id)
    assert stored.data_enc is None and stored.result is not None
    digest = hashlib.sha256(data).hexdigest()
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.details["sha256"].as_string() == digest)
    ).all()
    assert {"ledger.upload", "ledger.import", "ledger.upload.import"} <= set(actions)


def test_a_mapping_is_chosen_saved_and_reused(client_as, session: Session):
    village = villages(session.get_bind())[0]  # type: ignore[arg-type]
    csv = (
        "\ufeff登记时间,申请人,所在村,案由,简要案情,处理结果,办结时间\n"
        f"2024/11/2,钱九,{village},土地纠纷,承包地边界争议,调处成功,2024-11-08\n"
    ).encode()
    zhao = client_as("zhao")
    first = _upload(zhao, csv, "台账.csv")
    assert "纠纷类型不在字典中" in zhao.get(f"/ledgers/import/{first}", headers=HTML).text
    toml = '[categories]\n"土地纠纷" = "forest_land"\n[outcomes]\n"调处成功" = "resolved"\n'
    form = {"sheet": "CSV", "mapping_toml": toml}
    chose = zhao.post(
        f"/ledgers/import/{first}/choose", data=form, headers=HTML, follow_redirects=False
    )
    assert chose.status_code == 303
    page = zhao.get(f"/ledgers/import/{first}", headers=HTML)
    assert 'id="ledger-errors"' not in page.text and 'id="ledger-rows"' in page.text
    saved = zhao.post(f"/ledgers/import/{first}/mapping", data={"name": "本所台账"},
                      headers=HTML, follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    mapping = session.scalars(select(LedgerMapping)).one()
    assert mapping.name == "本所台账" and mapping.toml == toml
    bad = zhao.post(f"/ledgers/import/{first}/choose", data={"mapping_toml": "[columns]\nx = 1"},
                    headers=HTML)  # fmt: skip
    assert bad.status_code == 422 and "映射文件" in bad.text
    second = _upload(zhao, csv.replace(b"2024/11/2", b"2024/11/3"), "台账2.csv",
                     mapping_id=str(mapping.id))  # fmt: skip
    again = zhao.get(f"/ledgers/import/{second}", headers=HTML)
    assert 'id="ledger-errors"' not in again.text and 'id="ledger-rows"' in again.text


def test_only_the_uploader_sees_an_upload_and_only_centre_staff_import(client_as, session: Session):
    assert 'id="ledger-import-link"' in client_as("zhao").get("/cases", headers=HTML).text
    assert 'id="ledger-import-link"' not in client_as("wang").get("/cases", headers=HTML).text
    upload_id = _upload(client_as("zhao"), workbook(_rows(session)))
    assert client_as("qian").get(f"/ledgers/import/{upload_id}", headers=HTML).status_code == 404
    assert client_as("wang").get("/ledgers/import", headers=HTML).status_code == 403
    files = {"file": ("台账.txt", b"hello", "text/plain")}
    refused = client_as("zhao").post("/ledgers/import", files=files, headers=HTML)
    assert refused.status_code == 422 and "只能导入" in refused.text


def _seal_file(data: bytes) -> bytes:
    return keyring().encrypt("ledger.upload", base64.b64encode(data).decode("ascii"))


def test_the_preview_is_kept_for_its_file_sheet_and_mapping(client_as, session: Session):
    """Viewed again, the preview is the one kept (the rows are not checked again: a file
    swapped under it does not show); another mapping makes a new one."""
    rows = _rows(session)
    zhao = client_as("zhao")
    upload_id = _upload(zhao, workbook(rows))
    first = zhao.get(f"/ledgers/import/{upload_id}", headers=HTML)
    assert 'id="ledger-rows"' in first.text
    stored = session.get_one(LedgerUpload, upload_id)
    assert stored.preview_key and stored.preview_enc and b"ledger-rows" not in stored.preview_enc
    rows[0][3] = "3.30106E+17"
    stored.data_enc = _seal_file(workbook(rows))
    session.commit()
    again = zhao.get(f"/ledgers/import/{upload_id}", headers=HTML)
    assert again.text.count("<tr>") == first.text.count("<tr>")
    assert 'id="ledger-errors"' not in again.text and 'id="ledger-rows"' in again.text
    form = {"sheet": "", "mapping_toml": "# 另一个映射\n"}
    zhao.post(f"/ledgers/import/{upload_id}/choose", data=form, headers=HTML)
    remade = zhao.get(f"/ledgers/import/{upload_id}", headers=HTML)
    assert 'id="ledger-errors"' in remade.text and "科学计数法" in remade.text


def test_progress_is_read_from_the_database_and_a_dead_import_shows_stopped(
    client_as, session: Session
):
    zhao = client_as("zhao")
    upload_id = _upload(zhao, workbook(_rows(session)))
    stored = session.get_one(LedgerUpload, upload_id)
    stored.progress_state, stored.progress_by = "running", "another-host:1"
    stored.progress_done, stored.progress_total, stored.progress_at = 3000, 10000, utcnow()
    session.commit()
    fragment = zhao.get(f"/ledgers/import/{upload_id}/progress", headers=HTML)
    assert "3000 / 10000" in fragment.text and 'hx-trigger="load delay:1s"' in fragment.text
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stored.progress_by = f"{socket.gethostname()[:50]}:{gone.pid}:1"
    session.commit()
    fragment = zhao.get(f"/ledgers/import/{upload_id}/progress", headers=HTML)
    assert 'id="ledger-progress-stopped"' in fragment.text and "hx-get" not in fragment.text
    page = zhao.get(f"/ledgers/import/{upload_id}", headers=HTML)
    assert 'id="ledger-progress-stopped"' in page.text
    # a pid that runs but started at another time is another process (the pid was reused)
    host, pid, started = this_process().split(":")
    stored.progress_by = f"{host}:{pid}:{int(started or 0) + 1}"
    session.commit()
    fragment = zhao.get(f"/ledgers/import/{upload_id}/progress", headers=HTML)
    assert 'id="ledger-progress-stopped"' in fragment.text
    stored.progress_by = this_process()  # this very process: running
    session.commit()
    fragment = zhao.get(f"/ledgers/import/{upload_id}/progress", headers=HTML)
    assert 'id="ledger-progress-stopped"' not in fragment.text and "hx-get" in fragment.text
    stored.progress_state = "failed"
    session.commit()
    fragment = zhao.get(f"/ledgers/import/{upload_id}/progress", headers=HTML)
    assert 'id="ledger-progress-failed"' in fragment.text
