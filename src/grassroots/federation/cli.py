"""`grassroots partners ...`: this deployment's public key and its partner deployments
(信息联通, docs/federation.md)."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from grassroots.clikit import cli_session
from grassroots.federation.actions import (
    do_add_partner,
    do_ensure_key,
    do_rotate_key,
    do_set_partner_active,
    do_set_partner_key,
)
from grassroots.federation.queries import access_partner, own_code, partners
from grassroots.federation.schemas import PartnerIn, PartnerKeyIn
from grassroots.federation.signing import fingerprint

app = typer.Typer(
    help="信息联通的对方县（区）/ partner deployments (federation).", no_args_is_help=True
)


@app.command("key")
def key() -> None:
    """Print this deployment's code and Ed25519 public key (made on first use), to give to
    a partner out of band, with a fingerprint to read back over the telephone.

    Example:
      grassroots partners key
    """
    with cli_session() as session:
        own = do_ensure_key(session)
        typer.echo(f"代码 / code: {own_code(session)}")
        typer.echo(f"公钥 / public key: {own.public_key}")
        typer.echo(f"指纹 / fingerprint: {fingerprint(own.public_key)}")


@app.command("rotate-key")
def rotate_key() -> None:
    """Make a new key pair that signs from now on, and print it for the partners (each
    registers it with `grassroots partners set-key`). The retired key is still tried with a
    partner that refuses the new one, for GRASSROOTS_FEDERATION_KEY_GRACE_DAYS (7) days.

    Example:
      grassroots partners rotate-key
    """
    with cli_session() as session:
        own = do_rotate_key(session, actor=None)
        typer.echo(f"代码 / code: {own_code(session)}")
        typer.echo(f"新公钥 / new public key: {own.public_key}")
        typer.echo(f"指纹 / fingerprint: {fingerprint(own.public_key)}")


@app.command("set-key")
def set_key(
    code: str,
    public_key: str = typer.Option(..., "--public-key", help="Its new public key (base64)."),
    grace_days: int | None = typer.Option(
        None, "--grace-days", help="Days its previous key stays accepted (default: the setting)."
    ),
) -> None:
    """Register partner CODE's new public key after it rotated its key pair; its previous
    key stays accepted for the grace period.

    Example:
      grassroots partners set-key 990102 --public-key "$(cat b-new.pub)" --grace-days 7
    """
    try:
        data = PartnerKeyIn(public_key=public_key, grace_days=grace_days)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
        typer.echo(f"错误 / error: 请检查 / check: {fields}", err=True)
        raise typer.Exit(1) from exc
    with cli_session() as session:
        partner = do_set_partner_key(session, access_partner(session, code), data, actor=None)
        typer.echo(f"已更新 / key changed: {partner.code} {fingerprint(partner.public_key)}")
        until = partner.previous_key_until
        typer.echo(f"旧公钥有效至 / previous key accepted until: {until:%Y-%m-%d %H:%M} UTC")


@app.command("add")
def add(
    name: str,
    code: str = typer.Option(..., "--code", help="The partner's code in its documents."),
    url: str = typer.Option(..., "--url", help="The partner's base URL (https://…)."),
    public_key: str = typer.Option(..., "--public-key", help="Its Ed25519 public key (base64)."),
    clear_personal: bool = typer.Option(
        False, "--clear-personal", help="Its policy accepts marked personal data in the clear."
    ),
) -> None:
    """Register partner NAME: its documents are accepted, joint cases may be shared with it.

    Example:
      grassroots partners add 邻县 --code 990102 --url https://b.cn --public-key "$(cat b.pub)"
    """
    try:
        data = PartnerIn(name=name, code=code, base_url=url, public_key=public_key,
                         clear_personal=clear_personal)  # fmt: skip
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
        typer.echo(f"错误 / error: 请检查 / check: {fields}", err=True)
        raise typer.Exit(1) from exc
    with cli_session() as session:
        partner = do_add_partner(session, data, actor=None)
        typer.echo(f"已登记 / added: {partner.name} ({partner.code})")
        typer.echo(f"指纹 / fingerprint: {fingerprint(partner.public_key)}")


@app.command("list")
def list_partners() -> None:
    """List the partners: code, state, base URL, name.

    Example:
      grassroots partners list
    """
    with cli_session() as session:
        for p in partners(session):
            state = "active" if p.active else "disabled"
            typer.echo(f"{p.code:<14} {state:<9} {p.base_url:<40} {p.name}")


@app.command("disable")
def disable(code: str) -> None:
    """Disable partner CODE: its documents are refused and nothing more is sent to it.

    Example:
      grassroots partners disable 990102
    """
    with cli_session() as session:
        do_set_partner_active(session, access_partner(session, code), False, actor=None)
        typer.echo(f"已停用 / disabled: {code}")
