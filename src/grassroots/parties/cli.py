"""`grassroots keys rotate|status`: the data key of every sealed column (parties, leads, …)
and of the attachment files on disk (grassroots.cases.attachments.store)."""

from __future__ import annotations

from pathlib import Path

import typer
from cryptography.exceptions import InvalidTag
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import Role, User
from grassroots.cases.attachments.actions import Sealing, do_seal_files
from grassroots.cases.attachments.cli import describe
from grassroots.cases.attachments.cli import report as report_files
from grassroots.cases.attachments.queries import file_key_versions
from grassroots.cases.attachments.store import attachments_dir
from grassroots.config import get_settings
from grassroots.crypto import load_keyring, retire_key_versions
from grassroots.db import engine_for, make_session_factory, writer_engine
from grassroots.parties.actions import do_rotate_keys
from grassroots.parties.queries import key_versions_in_use

app = typer.Typer(help="个人信息加密密钥 / keys of the personal data (parties, leads, roster, …).")


def _sessions() -> sessionmaker[Session]:
    engine = engine_for()
    return make_session_factory(writer_engine(engine))


@app.command()
def rotate(
    retire_old: bool = typer.Option(
        False, "--retire-old", help="Afterwards drop old keys that no field or file uses any more."
    ),
) -> None:
    """New data key; re-encrypt every encrypted field under it in one transaction.

    Every sealed column: parties' phone and ID numbers, TOTP secrets, leads (what was
    reported, actions, notes, people named, informant), roster work phones, webhook secrets,
    Open311 e-mail addresses.

    Then every attachment file is sealed again under the new key (and any plain one sealed;
    as `grassroots attachments seal`, which resumes an interrupted run).

    Old keys stay in the key file until you pass --retire-old (only keys no field and no
    file still uses are dropped). The blind-index key is not changed. Back up the key file
    first.

    Examples:
      grassroots keys rotate
      grassroots keys rotate --retire-old
    """
    key_file = get_settings().key_file_path
    with _sessions()() as session:
        system = session.scalar(select(User).where(User.role == Role.system.value))
        try:
            result = do_rotate_keys(session, key_file, system)
        except (InvalidTag, KeyError) as exc:
            typer.echo(
                "有密文无法用该密钥文件解密，数据未作任何修改（已新增一个密钥版本）。"
                "请确认密钥文件是否正确。 / "
                "some ciphertext cannot be opened with this key file: no row was changed (a new "
                "key version was added). Check that this is the right key file.",
                err=True,
            )
            raise typer.Exit(1) from exc
        typer.echo(
            f"已启用密钥版本 {result.new_version}，重新加密 {result.re_encrypted_fields} 项 / "
            f"key version {result.new_version} current; {result.re_encrypted_fields} fields "
            f"re-encrypted ({result.parties} parties)"
        )
        for column, count in result.columns.items():
            if count:
                typer.echo(f"  {column}: {count}")
        files = _files_then_retire(session, system, key_file, retire_old)
    if files.unreadable:
        typer.echo(
            f"{len(files.unreadable)} 个附件文件无法打开，其密钥版本保留 / "
            f"{len(files.unreadable)} attachment files do not open; their key versions are kept",
            err=True,
        )
        raise typer.Exit(1)


def _files_then_retire(
    session: Session, system: User | None, key_file: Path, retire_old: bool
) -> Sealing:
    """The attachment files sealed again under the new key (after the rows' transaction:
    a stopped run is resumed by `attachments seal`), then the versions nothing uses retired."""
    files = do_seal_files(session, attachments_dir(get_settings()), actor=system)
    report_files(files, dry_run=False)
    if retire_old:
        in_use = set(key_versions_in_use(session)) | _file_versions()
        retired = retire_key_versions(key_file, in_use)
        typer.echo(f"已删除旧密钥 / retired key versions: {retired or 'none'}")
    return files


def _file_versions() -> set[int]:
    """The key versions some attachment file still needs (a file that did not open keeps
    its version too: it is named in the file's clear header)."""
    found = file_key_versions(attachments_dir(get_settings()))
    return {v for v in found if v is not None}


@app.command()
def status() -> None:
    """Show the current key version, how many encrypted fields each version holds, and how
    many attachment files each version seals (and how many are still plain). A version may
    be retired when neither a field nor a file uses it.

    Example:
      grassroots keys status
    """
    key_file = get_settings().key_file_path
    ring = load_keyring(key_file)
    with _sessions()() as session:
        in_use = key_versions_in_use(session)
    known = sorted({ring.version, *ring.old_keys})
    typer.echo(f"key file {key_file}; current version {ring.version}; versions {known}")
    for version, count in sorted(in_use.items()):
        typer.echo(f"  version {version}: {count} fields")
    files = file_key_versions(attachments_dir(get_settings()))
    typer.echo("attachment files (grassroots attachments seal):")
    for line in describe(files) or ["  no files"]:
        typer.echo(line)
