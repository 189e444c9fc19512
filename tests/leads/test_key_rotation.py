"""`keys rotate` re-encrypts every sealed column, not only the parties: a lead's text,
notes, the people it names and its informant, and a roster work phone. After the rotation
the old key is retired and everything still reads back through the API."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.config import get_settings
from grassroots.crypto import load_keyring, retire_key_versions
from grassroots.leads.models import Lead, LeadEvent
from grassroots.parties.actions import do_rotate_keys
from grassroots.parties.queries import key_versions_in_use
from grassroots.privacy.sealed_columns import sealed_columns
from grassroots.roster.models import WorkerContact
from tests.leads.conftest import JUSTICE, LEADS, handed_down, run

PHONE = "13912345678"


@pytest.fixture
def own_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the run's key file that this test may rotate and retire keys in."""
    key_file = tmp_path / "rotating.key"
    shutil.copy(get_settings().key_file_path, key_file)
    monkeypatch.setenv("GRASSROOTS_KEY_FILE", str(key_file))
    get_settings.cache_clear()
    yield key_file
    monkeypatch.delenv("GRASSROOTS_KEY_FILE")
    get_settings.cache_clear()


def test_every_sealed_column_is_registered() -> None:
    names = {c.name for c in sealed_columns()}
    assert {
        "lead.content_enc", "lead.actions_taken_enc", "lead.persons_enc",
        "lead.informant_name_enc", "lead.informant_contact_enc", "lead_event.note_enc",
        "worker_contact.phone_enc", "case_party.phone_enc", "case_party.id_number_enc",
        "app_user.totp_secret_enc",
    } <= names  # fmt: skip


def test_rotation_re_encrypts_leads_and_roster_phones(
    own_key_file: Path, client_as, session: Session, users
):
    qian, sun, zhao = client_as("qian"), client_as("sun"), client_as("zhao")
    code = qian.post(LEADS, json=handed_down()).json()["code"]
    run(qian, code, ("assign", {"unit_code": JUSTICE}))
    run(sun, code, ("start", {}), ("note", {"note": "走访砂石场周边三户"}),
        ("verify", {"finding": "partly", "actions_taken": "责令停止强揽"}))  # fmt: skip
    assert zhao.put("/api/v1/roster/wang/phone", json={"phone": PHONE}).status_code == 204
    old_version = load_keyring(own_key_file).version

    result = do_rotate_keys(session, own_key_file, users["system"])
    assert result.columns["lead.content_enc"] >= 1 and result.columns["lead_event.note_enc"] >= 1
    assert result.columns["lead.informant_name_enc"] >= 1
    assert result.columns["worker_contact.phone_enc"] >= 1
    assert set(key_versions_in_use(session)) == {result.new_version}
    assert retire_key_versions(own_key_file, keep=set()) == [old_version]

    session.expire_all()
    lead = session.scalars(select(Lead).where(Lead.code == code)).one()
    for blob in (lead.content_enc, lead.persons_enc, lead.informant_name_enc,
                 lead.informant_contact_enc, lead.actions_taken_enc):  # fmt: skip
        assert blob is not None and blob[0] == result.new_version
    notes = session.scalars(select(LeadEvent.note_enc).where(LeadEvent.lead_id == lead.id))
    assert all(n is None or n[0] == result.new_version for n in notes)
    phone = session.get(WorkerContact, users["wang"].id)
    assert phone is not None and phone.phone_enc[0] == result.new_version

    detail = sun.get(f"{LEADS}/{code}").json()  # read with the old key gone
    assert detail["content"] == handed_down()["content"]
    assert detail["persons"] == "砂石场负责人刘某某" and detail["actions_taken"] == "责令停止强揽"
    assert "走访砂石场周边三户" in [e["note"] for e in detail["events"]]
    revealed = zhao.post(f"{LEADS}/{code}/informant/reveal", json={"reason": "核实举报细节"})
    assert revealed.json() == {"name": "举报人甲", "contact": "13911112222"}
    phone_out = zhao.post("/api/v1/roster/wang/phone/reveal", json={"reason": "联系核实排查"})
    assert phone_out.json() == {"username": "wang", "phone": PHONE}
