"""The files beside the database in a backup: the attachment store (photos, agreements) and
the generated reports, copied into the backup folder's `attachments/` and `reports/` as they
are (attachments stay sealed: the key file is still not in the backup, so neither are their
clear bytes), and put back by a restore.

The copy is incremental: an attachment is written once under its SHA-256 and a report once
under a fresh name, so a name already in the backup holds the same file, unless a key rotation
re-sealed an attachment (same name and size, another key version in its head), which is
copied again. `grassroots backup` copies the files before the database snapshot and once more
after it: every file a row of the snapshot names was written before its row committed, so the
second pass has it. Files the store later removes (the retention rule) stay in the backup
folder until the operator deletes old backups (docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grassroots.cases.attachments.store import head_of, kept_files, replace

Listing = Callable[[Path], list[Path]]


def report_files(root: Path) -> list[Path]:
    """The generated reports under `root` (not hidden leftovers)."""
    if not root.exists():
        return []
    return sorted(p for p in root.iterdir() if p.is_file() and not p.name.startswith("."))


@dataclass(frozen=True)
class Stores:
    """The folders of a server's files, each with its folder name in a backup."""

    attachments: Path
    reports: Path

    def pairs(self, backup_folder: Path) -> list[tuple[Path, Path, Listing]]:
        """(live folder, backup folder, how to list its files) for each store."""
        return [
            (self.attachments, backup_folder / "attachments", kept_files),
            (self.reports, backup_folder / "reports", report_files),
        ]


def copy_files(source: Path, target: Path, listing: Listing = kept_files) -> int:
    """Copy the files of `source` (as `listing` finds them) that `target` lacks or holds in
    another sealing; how many were copied. Each is written beside, flushed and renamed, with
    its times kept (the retention rule reads a file's age), so a stopped copy leaves no half
    file under a kept name."""
    copied = 0
    for path in listing(source):
        there = target / path.relative_to(source)
        if there.is_file() and _same_sealing(path, there):
            continue
        there.parent.mkdir(parents=True, exist_ok=True)
        stat = path.stat()
        replace(there, path.read_bytes(), (stat.st_atime, stat.st_mtime))
        copied += 1
    return copied


def back_up_files(stores: Stores, backup_folder: Path) -> int:
    pairs = stores.pairs(backup_folder)
    return sum(copy_files(live, kept, listing) for live, kept, listing in pairs)


def put_back_files(backup_folder: Path, stores: Stores) -> int:
    pairs = stores.pairs(backup_folder)
    return sum(copy_files(kept, live, listing) for live, kept, listing in pairs)


def _same_sealing(one: Path, other: Path) -> bool:
    return one.stat().st_size == other.stat().st_size and head_of(one) == head_of(other)
