"""`grassroots audit verify|head|anchor`."""

from __future__ import annotations

import typer
from sqlalchemy.orm import Session, sessionmaker

from grassroots.audit.anchors import database_label, latest_anchor
from grassroots.audit.jobs import ChainBroken, anchor_head
from grassroots.audit.verify import chain_head, verify_chain
from grassroots.config import get_settings
from grassroots.db import engine_for, make_session_factory, utcnow

app = typer.Typer(help="审计日志 / audit log: verify the hash chain, print and anchor its head.")


def _sessions() -> sessionmaker[Session]:
    engine = engine_for()
    return make_session_factory(engine)


@app.command()
def verify(
    anchor: str | None = typer.Option(
        None, "--anchor", help="A head hash kept outside the database; it must be in the chain."
    ),
    no_anchor: bool = typer.Option(
        False,
        "--no-anchor",
        help="Do not check against the anchor file (GRASSROOTS_AUDIT_ANCHOR_FILE).",
    ),
) -> None:
    """Walk the whole chain; print "intact, N rows, head HASH" or the first broken row.

    When the anchor file exists, the chain must also hold its latest anchor of this database
    (the anchored row, unchanged, and at least that many rows). Exit status 0 when intact,
    1 when broken.

    Examples:
      grassroots audit verify
      grassroots audit verify --no-anchor
      grassroots audit verify --anchor 3f5e...c1   # a head printed earlier by `audit head`
    """
    engine, path = engine_for(), get_settings().audit_anchor_path
    pinned = None if no_anchor else latest_anchor(path, database_label(engine))
    try:
        with make_session_factory(engine)() as session, session.begin():
            report = verify_chain(session, anchor, pinned)
    finally:
        engine.dispose()
    if pinned is not None:
        typer.echo(f"外部锚点 / checked against the anchor file {path}: {pinned.describe()}")
    elif not no_anchor:
        typer.echo(f"无外部锚点 / no anchor of this database in {path} (grassroots audit anchor)")
    if report.intact:
        typer.echo(f"审计日志完整 / {report.message()}")
        return
    typer.echo(f"审计日志已被篡改 / audit log {report.message()}", err=True)
    raise typer.Exit(1)


@app.command()
def head() -> None:
    """Print the chain head (row id and hash) to keep outside the database.

    Example:
      grassroots audit head >> /secure/elsewhere/audit-anchors.txt
    """
    with _sessions()() as session:
        last_id, last_hash = chain_head(session)
    typer.echo(f"{last_id} {last_hash}")


@app.command()
def anchor() -> None:
    """Verify the rows since the last anchor, then append the head to the anchor file.

    The file is GRASSROOTS_AUDIT_ANCHOR_FILE (default <data dir>/audit-anchors.log); keep it
    on another disk or host. The audit_anchor job does the same on every run of the job loop.
    Exit status 1 (and nothing written) when the chain is broken.

    Example:
      GRASSROOTS_AUDIT_ANCHOR_FILE=/mnt/anchors/grassroots.log grassroots audit anchor
    """
    engine, path = engine_for(), get_settings().audit_anchor_path
    try:
        with make_session_factory(engine)() as session, session.begin():
            done = anchor_head(session, path, database_label(engine), utcnow())
    except ChainBroken as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    state = "written" if done.written else "unchanged since the last anchor"
    typer.echo(f"{path}: {done.anchor.describe()} ({state}), hash {done.anchor.last_hash}")
