"""Password hashing (argon2id) and the password policy (DESIGN §7, 等保2.0 / ASVS V2)."""

from __future__ import annotations

import gzip
import secrets
import string
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from grassroots.config import get_settings
from grassroots.errors import Problem

MIN_LENGTH = 8
MAX_LENGTH = 128  # argon2 takes any length; this bounds the work an attacker can ask for
MIN_CLASSES = 3


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher() -> PasswordHasher:
    s = get_settings()
    return _hasher(s.argon2_time_cost, s.argon2_memory_kib, s.argon2_parallelism)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches. With no stored hash, burns the same time and says no,
    so that an unknown user cannot be told from a wrong password by timing."""
    h = hasher()
    try:
        return h.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash(secrets.token_urlsafe(16))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Django's list of 19,640 common passwords plus a curated supplement (data/SOURCE.md)."""
    data = resources.files("grassroots.accounts") / "data"
    with gzip.open(data.joinpath("common-passwords.txt.gz").open("rb"), "rt") as f:
        words = {line.strip().lower() for line in f if line.strip()}
    extra = data.joinpath("common-passwords-extra.txt").read_text(encoding="utf-8")
    for line in extra.splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            words.add(word)
    return frozenset(words)


def character_classes(password: str) -> int:
    """Lower-case, upper-case, digits, and everything else (symbols, CJK ...)."""
    checks = (str.islower, str.isupper, str.isdigit)
    found = {i for c in password for i, check in enumerate(checks) if check(c)}
    if any(not (c.islower() or c.isupper() or c.isdigit()) for c in password):
        found.add(3)
    return len(found)


def policy_problems(password: str, *, username: str = "") -> list[str]:
    """Every rule the password breaks, in words a user can act on (empty = acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"至少 {MIN_LENGTH} 个字符 / at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"最多 {MAX_LENGTH} 个字符 / at most {MAX_LENGTH} characters")
    if character_classes(password) < MIN_CLASSES:
        problems.append(
            "须包含大写字母、小写字母、数字、符号中的至少三类 / "
            "use at least 3 of: upper-case, lower-case, digits, symbols"
        )
    if password.lower() in common_passwords():
        problems.append("这是常见密码，请换一个 / this is a common password, choose another")
    if username and username.lower() in password.lower():
        problems.append("不得包含用户名 / must not contain the username")
    return problems


def check_policy(password: str, *, username: str = "") -> None:
    problems = policy_problems(password, username=username)
    if problems:
        raise Problem(
            422,
            "weak_password",
            "密码不符合要求：" + "；".join(problems),
            errors=[{"field": "password", "message": p, "type": "weak_password"} for p in problems],
        )


def generate_password(length: int = 16) -> str:
    """A random password that meets the policy (for new accounts and resets)."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if not policy_problems(candidate):
            return candidate
