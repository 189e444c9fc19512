"""`grassroots open311 keys ...`: the api_keys of Open311 clients (docs/open311.md)."""

from __future__ import annotations

import re

import typer

from grassroots.clikit import cli_session
from grassroots.open311.actions import do_create_key, do_revoke_key
from grassroots.open311.queries import all_clients

app = typer.Typer(help="Open311 GeoReport v2 接口 / the Open311 server.", no_args_is_help=True)
keys_app = typer.Typer(help="客户端密钥 / client api_keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@keys_app.command("create")
def keys_create(
    name: str,
    jurisdiction: str | None = typer.Option(
        None, "--jurisdiction", help="Code of the area the client may report into (default: all)."
    ),
) -> None:
    """Register client NAME and print its api_key once (only its hash is stored).

    Examples:
      grassroots open311 keys create fixmystreet
      grassroots open311 keys create town-app --jurisdiction 990101002000
    """
    if not NAME.match(name):
        typer.echo("错误 / error: NAME is 1–40 letters, digits, '_', '.' or '-'", err=True)
        raise typer.Exit(1)
    with cli_session() as session:
        client, api_key = do_create_key(session, name, jurisdiction)
        typer.echo(f"已创建 / created: {client.name} ({client.prefix}…)")
    typer.echo(f"api_key（只显示一次）/ api_key (shown once): {api_key}")


@keys_app.command("list")
def keys_list() -> None:
    """List the clients: name, key prefix, area, state.

    Example:
      grassroots open311 keys list
    """
    with cli_session() as session:
        for c in all_clients(session):
            state = "revoked" if c.revoked_at else "active"
            area = c.user.jurisdiction.code if c.user.jurisdiction else "-"
            typer.echo(f"{c.name:<24} {c.prefix:<14} {area:<15} {state}")


@keys_app.command("revoke")
def keys_revoke(name: str) -> None:
    """Revoke client NAME's api_key: its POSTs are refused from now on (403).

    Example:
      grassroots open311 keys revoke fixmystreet
    """
    with cli_session() as session:
        do_revoke_key(session, name)
    typer.echo(f"已吊销 / revoked: {name}")
