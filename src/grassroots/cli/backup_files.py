"""The attachment files in a backup: copied beside the database backups into
`<out>/attachments/`, in the store's own content-addressed layout, sealed as they are (the key
file is still not in the backup, so neither are the files' clear bytes).

The copy is incremental: a file is written once under its SHA-256, so a name already in the
backup holds the same file, unless a key rotation re-sealed it (same name and size, another key
version in its head), which is copied again. `grassroots backup` copies the files before the
database snapshot and once more after it: every file a row of the snapshot names was written
before its row committed, so the second pass has it. Files the store later removes (the
retention rule) stay in the backup folder until the operator prunes old backups
(docs/deployment.md).
"""

from __future__ import annotations

from pathlib import Path

from grassroots.cases.attachments.store import head_of, kept_files, replace

FOLDER = "attachments"


def copy_files(source: Path, target: Path) -> int:
    """Copy the kept files of the store `source` that `target` lacks or holds in another
    sealing; how many were copied. Each is written beside, flushed and renamed, with its
    times kept (the retention rule reads a file's age), so a stopped copy leaves no half
    file under a kept name."""
    copied = 0
    for path in kept_files(source):
        there = target / path.relative_to(source)
        if there.is_file() and _same_sealing(path, there):
            continue
        there.parent.mkdir(parents=True, exist_ok=True)
        stat = path.stat()
        replace(there, path.read_bytes(), (stat.st_atime, stat.st_mtime))
        copied += 1
    return copied


def _same_sealing(one: Path, other: Path) -> bool:
    return one.stat().st_size == other.stat().st_size and head_of(one) == head_of(other)


def files_in(backup_folder: Path) -> Path:
    """The attachments folder of a backup folder (one for all its database backups)."""
    return backup_folder / FOLDER
