"""`grassroots attachments seal|status`: the attachment files on disk under the key file
(store.py), for deployments that kept files in plain before sealing and after a key rotation."""

from __future__ import annotations

import typer

from grassroots.cases.attachments.actions import Sealing, do_seal_files
from grassroots.cases.attachments.queries import file_key_versions
from grassroots.cases.attachments.store import attachments_dir
from grassroots.clikit import cli_session, fail
from grassroots.config import get_settings
from grassroots.crypto import keyring

app = typer.Typer(help="案件附件文件 / the case attachment files on disk.", no_args_is_help=True)


def describe(versions: dict[int | None, int]) -> list[str]:
    """One line per key version, plain files first (what `keys status` also prints)."""
    lines = [f"  plain (未加密): {versions[None]} files"] if versions.get(None) else []
    numbered = sorted((v, n) for v, n in versions.items() if v is not None)
    return lines + [f"  version {v}: {n} files" for v, n in numbered]


def report(found: Sealing, dry_run: bool) -> None:
    verb = "would be" if dry_run else "were"
    typer.echo(
        f"加密 {found.sealed}，换新密钥 {found.resealed}，已是当前密钥 {found.current} / "
        f"{found.sealed} plain files {verb} sealed, {found.resealed} {verb} sealed again under "
        f"the current key, {found.current} already under it"
    )


@app.command("seal")
def seal(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only count; change no file."),
) -> None:
    """Seal every plain attachment file, and every file under an old key version, under the
    current key (each file replaced atomically; running it again changes nothing).

    Run it once after upgrading a deployment that kept files in plain, and after
    `grassroots keys rotate` if that was interrupted. The server may keep running.

    Examples:
      grassroots attachments seal --dry-run
      grassroots attachments seal
    """
    root = attachments_dir(get_settings())
    with cli_session() as session:
        found = do_seal_files(session, root, dry_run=dry_run)
    report(found, dry_run)
    if found.unreadable:
        names = ", ".join(found.unreadable[:10])
        raise fail(
            f"{len(found.unreadable)} 个文件无法打开，未改动（密钥文件不符或文件已损坏）/ "
            f"{len(found.unreadable)} files do not open and were left as they are: {names}"
        )


@app.command("status")
def status() -> None:
    """How many attachment files each key version seals, and how many are still plain.

    Example:
      grassroots attachments status
    """
    root = attachments_dir(get_settings())
    typer.echo(f"attachments {root}; current key version {keyring().version}")
    for line in describe(file_key_versions(root)) or ["  no files"]:
        typer.echo(line)
