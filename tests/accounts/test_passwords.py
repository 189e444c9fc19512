"""Password policy and hashing (argon2id)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from grassroots.accounts.login.passwords import (
    common_passwords,
    generate_password,
    hash_password,
    policy_problems,
    verify_password,
)
from grassroots.config import Settings
from tests.accounts.conftest import login


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("Ab1!", "至少 8 个字符"),
        ("abcdefgh12", "至少三类"),
        ("ABCDEFGH!!", "至少三类"),
        ("P@ssw0rd", "常见密码"),
        ("Admin@123", "常见密码"),
        ("Zhao-2026-ok", "用户名"),
    ],
)
def test_policy_refuses(password, broken):
    problems = policy_problems(password, username="zhao")
    assert any(broken in p for p in problems), problems


@pytest.mark.parametrize("password", ["Shifanxian-01", "qingshi Zhen 7", "绿水青山2026ab"])
def test_policy_accepts(password):
    assert policy_problems(password, username="zhao") == []


def test_common_list_is_loaded_from_package_data():
    words = common_passwords()
    assert len(words) > 19_000
    assert {"123456", "password", "qwerty", "woaini1314"} <= words


def test_generated_passwords_meet_the_policy():
    assert all(policy_problems(generate_password()) == [] for _ in range(50))


def test_hash_is_argon2id_and_verifies():
    h = hash_password("Shifanxian-01")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "Shifanxian-01")
    assert not verify_password(h, "Shifanxian-02")
    assert not verify_password(None, "Shifanxian-01")
    assert not verify_password("not a hash", "x")


def test_production_cost_defaults_follow_rfc_9106():
    fields = Settings.model_fields
    assert fields["argon2_time_cost"].default == 3
    assert fields["argon2_memory_kib"].default == 64 * 1024
    assert fields["argon2_parallelism"].default == 4
    assert (
        PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)
        .hash("x")
        .startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    )


def test_own_password_change_checks_policy_and_ends_other_sessions(client_as, client):
    zhao = client_as("zhao")
    other = client_as("zhao")
    weak = zhao.post(
        "/api/v1/auth/password",
        json={"current_password": "Shifanxian-03", "new_password": "password1"},
    )
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    wrong = zhao.post(
        "/api/v1/auth/password",
        json={"current_password": "nope", "new_password": "Qingshi-Zhen-88"},
    )
    assert wrong.status_code == 422
    ok = zhao.post(
        "/api/v1/auth/password",
        json={"current_password": "Shifanxian-03", "new_password": "Qingshi-Zhen-88"},
    )
    assert ok.status_code == 204
    assert zhao.get("/api/v1/auth/me").status_code == 200
    assert other.get("/api/v1/auth/me").status_code == 401
    assert login(client, "zhao", "Qingshi-Zhen-88").status_code == 200
