"""docs/cases.md keeps up with the transition table."""

from __future__ import annotations

from pathlib import Path

from grassroots.cases.workflow.transitions import TABLE

DOC = Path(__file__).resolve().parents[2] / "docs" / "cases.md"


def test_every_action_and_requirement_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for action, t in TABLE.items():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{action}`")), "")
        assert row, f"{action} missing from docs/cases.md"
        assert t.label in row
        for field in t.requires:
            assert field in row, f"{action}: {field} not documented"
