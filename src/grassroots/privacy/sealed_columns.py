"""Every column that holds ciphertext of the deployment's keyring, registered by the models
module of its domain.

Key rotation (grassroots.parties.actions.do_rotate_keys) and `grassroots keys status` walk
this list, so a new encrypted column is rotated, and counted before an old key is retired,
as soon as its models module registers it — the rotation imports no domain above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import InstrumentedAttribute

from grassroots.crypto import Keyring


@dataclass(frozen=True)
class SealedColumn:
    column: InstrumentedAttribute[Any]
    field: str  # the associated data the ciphertext was sealed with
    usage: str | None = None  # the key usage (Keyring.for_usage); None: the keyring itself

    @property
    def name(self) -> str:
        return f"{self.column.class_.__tablename__}.{self.column.key}"

    def ring(self, base: Keyring) -> Keyring:
        return base.for_usage(self.usage) if self.usage else base


_COLUMNS: dict[str, SealedColumn] = {}


def register(column: InstrumentedAttribute[Any], field: str, usage: str | None = None) -> None:
    """Register (or replace) one encrypted column; importing its models module does it."""
    sealed = SealedColumn(column, field, usage)
    _COLUMNS[sealed.name] = sealed


def sealed_columns() -> list[SealedColumn]:
    return [_COLUMNS[name] for name in sorted(_COLUMNS)]
