"""`keys rotate`: a new data key, every party field re-encrypted in one transaction, the
blind index untouched, old ciphertext readable throughout."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import Role, User
from grassroots.audit.models import AuditEntry
from grassroots.audit.verify import verify_chain
from grassroots.cases.models import Party
from grassroots.crypto import load_keyring, new_key_file
from grassroots.db import make_session_factory, transaction, writer_engine
from grassroots.geo.models import Jurisdiction
from grassroots.parties.actions import do_rotate_keys
from grassroots.parties.queries import key_versions_in_use
from tests.parties.conftest import add_party, new_case
from tests.support.cli import CliResult, run_cli
from tests.support.personal_data import SEEDED_ID_NUMBERS, SEEDED_PHONES


def _fields(
    session: Session,
) -> dict[int, tuple[bytes | None, bytes | None, str | None, str | None]]:
    session.expire_all()
    return {
        p.id: (p.phone_enc, p.id_number_enc, p.phone_bidx, p.id_number_bidx)
        for p in session.scalars(select(Party))
    }


def test_rotation_re_encrypts_every_field(session: Session, users, tmp_path: Path):
    key_file = tmp_path / "rot.key"
    new_key_file(key_file)
    ring = load_keyring(key_file)
    village = users["wang"].jurisdiction
    with transaction(session):
        case = new_case(session, village, users["wang"], "990101-2026-900101")
        add_party(case, "张三", SEEDED_PHONES[2], SEEDED_ID_NUMBERS[2], ring)
        add_party(case, "李四", SEEDED_PHONES[3], None, ring)
    before = _fields(session)

    result = do_rotate_keys(session, key_file, users["system"])

    after = _fields(session)
    new_ring = load_keyring(key_file)
    assert (result.new_version, result.re_encrypted_fields, result.parties) == (2, 3, 2)
    assert key_versions_in_use(session) == {2: 3}
    for pid, (phone, id_number, phone_bidx, id_bidx) in after.items():
        old_phone, old_id, old_phone_bidx, old_id_bidx = before[pid]
        assert (phone_bidx, id_bidx) == (old_phone_bidx, old_id_bidx)
        assert phone != old_phone and new_ring.decrypt("phone", phone) == ring.decrypt(
            "phone", old_phone
        )
        if old_id is not None:
            assert new_ring.decrypt("id_number", id_number) == SEEDED_ID_NUMBERS[2]
        # the old ciphertext is still readable: the old key stays until retired
        assert new_ring.decrypt("phone", old_phone) == new_ring.decrypt("phone", phone)
    row = session.scalars(select(AuditEntry).where(AuditEntry.action == "keys.rotate")).one()
    assert row.details == {"re_encrypted_fields": 3, "parties": 2} and row.object_id == "2"
    assert verify_chain(session).intact


def test_failed_rotation_changes_no_row_and_keeps_everything_readable(
    session: Session, users, tmp_path: Path
):
    key_file = tmp_path / "rot.key"
    new_key_file(key_file)
    ring = load_keyring(key_file)
    with transaction(session):
        case = new_case(session, users["wang"].jurisdiction, users["wang"], "990101-2026-900102")
        add_party(case, "王五", SEEDED_PHONES[4], None, ring)
        # a field sealed under a key this file does not have: rotation cannot open it
        add_party(case, "赵六", SEEDED_PHONES[0], None, None)
    before = _fields(session)
    try:
        do_rotate_keys(session, key_file, users["system"])
    except Exception as exc:  # InvalidTag from the foreign ciphertext
        assert type(exc).__name__ == "InvalidTag"
    else:
        raise AssertionError("rotation should have failed")
    assert _fields(session) == before
    ring_now = load_keyring(key_file)
    first = min(before)
    assert ring_now.decrypt("phone", before[first][0]) == SEEDED_PHONES[4]


def _one_party(fresh_engine: Engine, ring) -> None:  # type: ignore[no-untyped-def]
    with make_session_factory(writer_engine(fresh_engine))() as session:
        with transaction(session):
            county = Jurisdiction(code="990101000000", name="示范县", level="county")
            clerk = User(username="clerk", display_name="办事员", role=Role.centre_staff.value)
            session.add_all([county, clerk])
        with transaction(session):
            case = new_case(session, county, clerk, "990101-2026-900103")
            add_party(case, "张三", SEEDED_PHONES[1], SEEDED_ID_NUMBERS[3], ring)


def _keys_cli(engine: Engine, key_file: Path, *args: str) -> CliResult:
    env = {
        "GRASSROOTS_DATABASE_URL": engine.url.render_as_string(False),
        "GRASSROOTS_KEY_FILE": str(key_file),
        # rotation seals the attachment files too: an empty folder of the test's own, not
        # the suite's (whose files are under the suite's key)
        "GRASSROOTS_ATTACHMENTS_DIR": str(key_file.parent / "attachments"),
    }
    return run_cli(["keys", *args], env)


def test_cli_rotate_and_status(fresh_engine: Engine, tmp_path: Path):
    key_file = tmp_path / "cli.key"
    new_key_file(key_file)
    _one_party(fresh_engine, load_keyring(key_file))
    rotated = _keys_cli(fresh_engine, key_file, "rotate", "--retire-old")
    assert rotated.returncode == 0, rotated.stderr
    assert "key version 2 current; 2 fields re-encrypted (1 parties)" in rotated.stdout
    assert "retired key versions: [1]" in rotated.stdout
    status = _keys_cli(fresh_engine, key_file, "status")
    assert "current version 2; versions [2]" in status.stdout
    assert "version 2: 2 fields" in status.stdout
    with make_session_factory(fresh_engine)() as session:
        party = session.scalars(select(Party)).one()
        assert (
            load_keyring(key_file).decrypt("id_number", party.id_number_enc) == SEEDED_ID_NUMBERS[3]
        )
        assert verify_chain(session).message().startswith("intact, 1 rows")


def test_cli_rotate_with_the_wrong_key_file_changes_nothing(fresh_engine: Engine, tmp_path: Path):
    right, wrong = tmp_path / "right.key", tmp_path / "wrong.key"
    new_key_file(right)
    new_key_file(wrong)
    _one_party(fresh_engine, load_keyring(right))
    with make_session_factory(fresh_engine)() as session:
        before = _fields(session)
    failed = _keys_cli(fresh_engine, wrong, "rotate")
    assert failed.returncode == 1
    assert "no row was changed" in failed.stderr and "Traceback" not in failed.stderr
    with make_session_factory(fresh_engine)() as session:
        assert _fields(session) == before
        assert verify_chain(session).message().startswith("intact, 0 rows")


def test_rotation_re_encrypts_totp_secrets_so_admins_survive_retiring_the_old_key(
    session: Session, users, tmp_path: Path
):
    """TOTP secrets are sealed with the same keyring: a rotation that left them under the
    old key would lock every administrator out once that key is retired."""
    from grassroots.accounts.login.totp import FIELD
    from grassroots.crypto import retire_key_versions

    key_file = tmp_path / "rot.key"
    new_key_file(key_file)
    ring = load_keyring(key_file)
    admin = users["admin"]
    with transaction(session):
        admin.totp_secret_enc = ring.encrypt(FIELD, "JBSWY3DPEHPK3PXP")
        admin.totp_pending_enc = ring.encrypt(FIELD, "KRSXG5CTMVRXEZLU")

    result = do_rotate_keys(session, key_file, users["system"])
    retire_key_versions(key_file, keep=set())

    session.expire_all()
    new_ring = load_keyring(key_file)
    assert result.re_encrypted_fields == 2
    assert admin.totp_secret_enc is not None and admin.totp_secret_enc[0] == 2
    assert new_ring.decrypt(FIELD, admin.totp_secret_enc) == "JBSWY3DPEHPK3PXP"
    assert admin.totp_pending_enc is not None
    assert new_ring.decrypt(FIELD, admin.totp_pending_enc) == "KRSXG5CTMVRXEZLU"
    assert key_versions_in_use(session) == {2: 2}
