"""`grassroots keys rotate|status`: the data key of every sealed column (parties, leads, …)."""

from __future__ import annotations

import typer
from cryptography.exceptions import InvalidTag
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grassroots.accounts.models import Role, User
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
        False, "--retire-old", help="Afterwards drop old keys that no field uses any more."
    ),
) -> None:
    """New data key; re-encrypt every encrypted field under it in one transaction.

    Every sealed column: parties' phone and ID numbers, TOTP secrets, leads (what was
    reported, actions, notes, people named, informant), roster work phones, webhook secrets,
    Open311 e-mail addresses.

    Old keys stay in the key file until you pass --retire-old (only keys no field still
    uses are dropped). The blind-index key is not changed. Back up the key file first.

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
        if retire_old:
            in_use = set(key_versions_in_use(session))
            retired = retire_key_versions(key_file, in_use)
            typer.echo(f"已删除旧密钥 / retired key versions: {retired or 'none'}")


@app.command()
def status() -> None:
    """Show the current key version and how many encrypted fields each version holds.

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
