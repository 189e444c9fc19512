"""`grassroots demo` prints one account per role with its password, marked demo-only."""

from __future__ import annotations

from grassroots.accounts.permissions import HUMAN_ROLES
from grassroots.demo.staff import DEMO_PASSWORDS
from grassroots.demo.staff_notice import ROLE_LABELS, print_demo_logins
from tests.accounts.conftest import login


def test_demo_notice_lists_every_role_with_a_password(capsys):
    print_demo_logins()
    out = capsys.readouterr().out
    assert "仅供演示" in out and "FOR THE DEMO ONLY" in out
    for role in HUMAN_ROLES:
        assert ROLE_LABELS[role.value] in out
    for username, password in DEMO_PASSWORDS.items():
        assert f"{username}" in out and password in out


def test_demo_passwords_really_log_in(client):
    for username in DEMO_PASSWORDS:
        assert login(client, username).status_code == 200, username
