"""The attachment copy of a backup (grassroots.cli.backup_files) on hand-made files: only
what the backup lacks is copied, a file re-sealed under another key version (same name and
size) is copied again, a stopped write's leftover is not, each copy keeps its times, and
generated reports are copied by their own listing."""

from __future__ import annotations

import os
from pathlib import Path

from grassroots.cases.attachments.store import MAGIC
from grassroots.cli.backup_files import copy_files, report_files

SHA = "ab" + "0" * 62


def _kept(root: Path, version: int, body: bytes = b"x" * 40) -> Path:
    path = root / SHA[:2] / SHA
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(MAGIC + bytes([version]) + body)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    return path


def test_only_new_or_resealed_files_are_copied(tmp_path: Path):
    store, backup = tmp_path / "store", tmp_path / "backup"
    _kept(store, 1)
    (store / SHA[:2] / ".part-abc").write_bytes(b"half a file")
    assert copy_files(store, backup) == 1
    copy = backup / SHA[:2] / SHA
    assert copy.read_bytes() == (store / SHA[:2] / SHA).read_bytes()
    assert copy.stat().st_mtime == 1_700_000_000  # the retention rule reads a file's age
    assert not (backup / SHA[:2] / ".part-abc").exists()
    assert copy_files(store, backup) == 0
    _kept(store, 2, b"y" * 40)  # a key rotation re-sealed it: same name, same size
    assert copy_files(store, backup) == 1
    assert copy.read_bytes()[len(MAGIC)] == 2


def test_a_missing_store_copies_nothing(tmp_path: Path):
    assert copy_files(tmp_path / "none", tmp_path / "backup") == 0
    assert not (tmp_path / "backup").exists()


def test_reports_are_copied_but_not_hidden_leftovers(tmp_path: Path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "0f3c.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    (reports / ".part-1").write_bytes(b"half")
    assert [p.name for p in report_files(reports)] == ["0f3c.xlsx"]
    assert copy_files(reports, tmp_path / "backup", report_files) == 1
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == ["0f3c.xlsx"]
