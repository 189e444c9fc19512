"""`grassroots users ...` and `grassroots tokens ...` through the real Typer app on a real,
committed database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from grassroots.accounts.models import ApiToken, AuthSession, User
from grassroots.audit.models import AuditEntry
from grassroots.cli.main import app
from grassroots.config import get_settings
from grassroots.geo.actions import NewNode, do_create_tree

runner = CliRunner()
TOWNSHIP = "990101002000"


@pytest.fixture
def cli_db(fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("GRASSROOTS_DATABASE_URL", fresh_engine.url.render_as_string(False))
    get_settings.cache_clear()
    with Session(fresh_engine) as s:
        do_create_tree(
            s,
            [
                NewNode("990101000000", "示范县", "county", None, None),
                NewNode(TOWNSHIP, "青石镇", "township", "990101000000", None),
            ],
            [],
        )
    yield fresh_engine
    get_settings.cache_clear()


def run(*args: str, stdin: str | None = None):
    result = runner.invoke(app, list(args), input=stdin)
    return result


def _user(engine: Engine, username: str) -> User | None:
    with Session(engine) as s:
        return s.scalar(select(User).where(User.username == username))


def test_users_add_with_generated_password_then_list(cli_db):
    r = run(
        "users",
        "add",
        "zhangsan",
        "--name",
        "张三",
        "--role",
        "centre_staff",
        "--jurisdiction",
        TOWNSHIP,
    )
    assert r.exit_code == 0, r.output
    assert "shown once" in r.output
    user = _user(cli_db, "zhangsan")
    assert user is not None and user.password_hash.startswith("$argon2id$")
    listed = run("users", "list")
    assert "zhangsan" in listed.output and "centre_staff" in listed.output
    with Session(cli_db) as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.object_id == "zhangsan"))


def test_users_add_refuses_a_weak_password(cli_db):
    r = run(
        "users",
        "add",
        "lisi",
        "--name",
        "李四",
        "--role",
        "grid_worker",
        "--jurisdiction",
        TOWNSHIP,
        "--password-stdin",
        stdin="password1\n",
    )
    assert r.exit_code == 1 and "密码不符合要求" in r.output
    assert _user(cli_db, "lisi") is None


def test_disable_enable_set_role_reset_password(cli_db):
    run(
        "users",
        "add",
        "lisi",
        "--name",
        "李四",
        "--role",
        "grid_worker",
        "--jurisdiction",
        TOWNSHIP,
        "--password-stdin",
        stdin="Qingshi-Zhen-88\n",
    )
    assert run("users", "disable", "lisi").exit_code == 0
    assert _user(cli_db, "lisi").is_active is False
    assert "disabled" in run("users", "list").output
    assert run("users", "enable", "lisi").exit_code == 0
    assert _user(cli_db, "lisi").is_active is True
    assert run("users", "set-role", "lisi", "mediator").exit_code == 0
    assert _user(cli_db, "lisi").role == "mediator"
    before = _user(cli_db, "lisi").password_hash
    r = run("users", "reset-password", "lisi")
    assert r.exit_code == 0 and "shown once" in r.output
    assert _user(cli_db, "lisi").password_hash != before
    assert run("users", "disable", "nobody").exit_code == 1


def test_tokens_create_and_revoke(cli_db):
    run(
        "users",
        "add",
        "qian",
        "--name",
        "钱进",
        "--role",
        "centre_staff",
        "--jurisdiction",
        TOWNSHIP,
    )
    r = run(
        "tokens",
        "create",
        "qian",
        "--name",
        "12345",
        "--scope",
        "case.read",
        "--expires-days",
        "30",
    )
    assert r.exit_code == 0, r.output
    token_id = int(r.output.split("token id:")[1].split()[0])
    raw = r.output.split("(shown once):")[1].strip()
    with Session(cli_db) as s:
        row = s.get(ApiToken, token_id)
        assert row.scopes == ["case.read"] and row.token_hash != raw and row.expires_at
    bad = run("tokens", "create", "qian", "--name", "x", "--scope", "users.manage")
    assert bad.exit_code == 1
    assert run("tokens", "revoke", str(token_id)).exit_code == 0
    with Session(cli_db) as s:
        assert s.get(ApiToken, token_id).revoked_at is not None
        assert s.scalars(select(AuthSession)).all() == []


def test_every_command_has_examples():
    for group, commands in {
        "users": ["add", "list", "disable", "enable", "set-role", "reset-password"],
        "tokens": ["create", "revoke"],
    }.items():
        for command in commands:
            r = run(group, command, "--help")
            assert r.exit_code == 0 and "grassroots " + group in r.output, (group, command)
