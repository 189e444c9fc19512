"""`grassroots screens ...`: pair, list and revoke the wall screens (docs/screens.md)."""

from __future__ import annotations

import typer

from grassroots.clikit import cli_session
from grassroots.config import get_settings
from grassroots.errors import Problem
from grassroots.screens.actions import PRESETS, do_issue_code, do_revoke
from grassroots.screens.queries import all_screens, screen_named

app = typer.Typer(help="指挥中心大屏 / the big screens.", no_args_is_help=True)


@app.command("pair")
def pair(
    name: str,
    jurisdiction: str = typer.Option(..., "--jurisdiction", help="Code of the area it shows."),
    preset: str = typer.Option("standard", "--preset", help=f"Layout: {', '.join(PRESETS)}."),
) -> None:
    """Print a one-time code for screen NAME (valid 10 minutes); type it on the wall PC at
    /screen. Pairing an existing NAME again replaces its session once the code is used.

    Examples:
      grassroots screens pair hall --jurisdiction 990101000000
      grassroots screens pair town-room --jurisdiction 990101002000 --preset map
    """
    minutes = get_settings().screen_code_minutes
    with cli_session() as session:
        screen, code = do_issue_code(session, name, jurisdiction, preset, minutes)
        typer.echo(f"大屏 / screen: {screen.name} → {screen.jurisdiction.name}")
    typer.echo(f"配对码（{minutes} 分钟内有效，只显示一次）/ pairing code: {code}")


@app.command("list")
def list_screens() -> None:
    """List the screens: name, area, preset, state.

    Example:
      grassroots screens list
    """
    with cli_session() as session:
        for s in all_screens(session):
            state = "revoked" if s.revoked_at else ("paired" if s.session_hash else "waiting")
            typer.echo(f"{s.name:<24} {s.jurisdiction.code:<15} {s.preset:<10} {state}")


@app.command("revoke")
def revoke(name: str) -> None:
    """Revoke screen NAME: its session ends at once and it shows the pairing form again.

    Example:
      grassroots screens revoke hall
    """
    with cli_session() as session:
        screen = screen_named(session, name)
        if screen is None:
            raise Problem(404, "not_found", f"大屏 {name} 不存在 / screen not found")
        do_revoke(session, screen, actor=None)
    typer.echo(f"已撤销 / revoked: {name}")
