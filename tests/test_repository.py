"""The committed tree itself: no merge-conflict markers left in any tracked text file."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKERS = ("<<<<<<< ", ">>>>>>> ")


def test_no_conflict_markers_in_tracked_files() -> None:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:  # an unpacked release, not a checkout: nothing to check
        return
    found = []
    for name in listed.stdout.splitlines():
        path = ROOT / name
        if path.suffix in {".mo", ".png", ".ico", ".docx", ".xlsx", ".pdf"} or not path.is_file():
            continue
        for number, line in enumerate(path.read_text("utf-8", errors="ignore").splitlines(), 1):
            if line.startswith(MARKERS) or line == "=======":
                found.append(f"{name}:{number}")
    assert not found, found
