"""`grassroots users ...` and `grassroots tokens ...`: account administration from the server.

For the operator with shell access to the server (bootstrap, emergencies). Every change is
audited like its HTTP counterpart, with the actor recorded as the CLI ("cli" in details).
"""

from __future__ import annotations

import sys
from datetime import timedelta

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.login.passwords import generate_password
from grassroots.accounts.models import ApiToken, Role, User
from grassroots.accounts.queries import user_by_name
from grassroots.accounts.tokens.actions import do_create_token, do_revoke_token
from grassroots.accounts.users.actions import (
    do_create_user,
    do_disable_user,
    do_enable_user,
    do_reset_password,
    do_set_role,
)
from grassroots.clikit import cli_session
from grassroots.db import utcnow
from grassroots.errors import Problem

users_app = typer.Typer(help="用户账户 / user accounts.", no_args_is_help=True)
tokens_app = typer.Typer(help="API 令牌 / API tokens for integrations.", no_args_is_help=True)
CLI_IP = "cli"


def _user(session: Session, username: str) -> User:
    user = user_by_name(session, username)
    if user is None or user.role == Role.system.value:
        raise Problem(404, "not_found", f"用户 {username} 不存在 / no such user")
    return user


def _password(prompt: bool) -> tuple[str, bool]:
    """A password read from stdin (--password-stdin) or a generated one (printed once)."""
    if prompt:
        return sys.stdin.readline().rstrip("\n"), False
    return generate_password(), True


@users_app.command("add")
def users_add(
    username: str,
    name: str = typer.Option(..., "--name", help="Display name, e.g. 张三."),
    role: Role = typer.Option(..., "--role", help="Role."),
    jurisdiction: str = typer.Option(..., "--jurisdiction", help="Code of the post's area."),
    unit: str | None = typer.Option(None, "--unit", help="Unit code (optional)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password."),
) -> None:
    """Create an account. Without --password-stdin a random password is printed once.

    Examples:
      grassroots users add zhangsan --name 张三 --role centre_staff --jurisdiction 990101002000
      echo 'S3cure-Pass' | grassroots users add lisi --name 李四 --role grid_worker \\
          --jurisdiction 990101002201 --password-stdin
    """
    if role is Role.system:
        typer.echo("错误 / error: the system role is the platform's own", err=True)
        raise typer.Exit(1)
    password, generated = _password(password_stdin)
    with cli_session() as session:
        do_create_user(
            session,
            username=username,
            display_name=name,
            role=role,
            jurisdiction_code=jurisdiction,
            unit_code=unit,
            password=password,
            ip=CLI_IP,
        )
    typer.echo(f"已创建 / created: {username} ({role.value})")
    if generated:
        typer.echo(f"初始密码（只显示一次）/ initial password (shown once): {password}")


@users_app.command("list")
def users_list() -> None:
    """List accounts: username, role, jurisdiction, state.

    Example:
      grassroots users list
    """
    with cli_session() as session:
        rows = session.scalars(select(User).order_by(User.username)).all()
        for u in rows:
            if u.role == Role.system.value:
                continue
            state = "active" if u.is_active else "disabled"
            if u.locked_until is not None and u.locked_until > utcnow():
                state += ",locked"
            code = u.jurisdiction.code if u.jurisdiction else "-"
            typer.echo(f"{u.username:<16} {u.role:<15} {code:<15} {state:<16} {u.display_name}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable an account: its sessions end and its tokens are revoked at once.

    Example:
      grassroots users disable zhangsan
    """
    with cli_session() as session:
        do_disable_user(session, _user(session, username), actor=None, ip=CLI_IP)
    typer.echo(f"已停用 / disabled: {username}")


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable an account again (also clears a lockout).

    Example:
      grassroots users enable zhangsan
    """
    with cli_session() as session:
        do_enable_user(session, _user(session, username), actor=None, ip=CLI_IP)
    typer.echo(f"已启用 / enabled: {username}")


@users_app.command("set-role")
def users_set_role(username: str, role: Role) -> None:
    """Change an account's role (its sessions and tokens end).

    Example:
      grassroots users set-role zhangsan leader
    """
    with cli_session() as session:
        do_set_role(session, _user(session, username), role, actor=None, ip=CLI_IP)
    typer.echo(f"角色已改为 / role now: {username} → {role.value}")


@users_app.command("reset-password")
def users_reset_password(
    username: str,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password."),
) -> None:
    """Set a new password (random, printed once, unless --password-stdin); unlocks and logs out.

    Examples:
      grassroots users reset-password zhangsan
      echo 'N3w-Passw0rd' | grassroots users reset-password zhangsan --password-stdin
    """
    password, generated = _password(password_stdin)
    with cli_session() as session:
        do_reset_password(session, _user(session, username), password, actor=None, ip=CLI_IP)
    typer.echo(f"密码已重置 / password reset: {username}")
    if generated:
        typer.echo(f"新密码（只显示一次）/ new password (shown once): {password}")


@tokens_app.command("create")
def tokens_create(
    username: str,
    name: str = typer.Option(..., "--name", help="What the token is for."),
    scope: list[str] = typer.Option(..., "--scope", help="A permission; repeat for more."),
    expires_days: int | None = typer.Option(
        None,
        "--expires-days",
        help="Days until expiry (default GRASSROOTS_TOKEN_DEFAULT_DAYS, at most "
        "GRASSROOTS_TOKEN_MAX_DAYS).",
    ),
) -> None:
    """Create a bearer token for USERNAME limited to the given scopes; printed once.

    Examples:
      grassroots tokens create qian --name 12345热线对接 --scope case.read --scope case.register
      grassroots tokens create chen --name 大屏 --scope stats.read --expires-days 90
    """
    expires = utcnow() + timedelta(days=expires_days) if expires_days else None
    with cli_session() as session:
        token, raw = do_create_token(
            session,
            _user(session, username),
            name=name,
            scopes=scope,
            expires_at=expires,
            actor=None,
            ip=CLI_IP,
        )
        typer.echo(f"令牌编号 / token id: {token.id}")
        typer.echo(f"过期 / expires: {token.expires_at:%Y-%m-%d %H:%M} UTC")
    typer.echo(f"令牌（只显示一次）/ token (shown once): {raw}")


@tokens_app.command("revoke")
def tokens_revoke(token_id: int) -> None:
    """Revoke a token by its id (see the id printed at creation), and every token it minted.

    Example:
      grassroots tokens revoke 3
    """
    with cli_session() as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise Problem(404, "not_found", f"令牌 {token_id} 不存在 / no such token")
        do_revoke_token(session, token, actor=None, ip=CLI_IP)
    typer.echo(f"已吊销 / revoked: {token_id}")
