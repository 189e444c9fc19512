"""docs/cli.md is the commands' own help: regenerate it with `make cli-docs` when it differs."""

from __future__ import annotations

from grassroots.cli.reference import DOC, reference


def test_the_cli_reference_is_current():
    assert DOC.read_text(encoding="utf-8") == reference(), "docs/cli.md is stale: make cli-docs"


def test_the_reference_covers_every_command():
    page = reference()
    for command in (
        "grassroots init",
        "grassroots jobs run",
        "grassroots users add",
        "grassroots geo locate",
        "grassroots report",
        "grassroots stats rebuild",
    ):
        assert f"`{command}`" in page  # fmt: skip
