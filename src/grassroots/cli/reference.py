"""docs/cli.md from the commands' own help: every command of `grassroots`, its help text
(with its examples) and its options, in a stable order. `make cli-docs` writes the file;
tests/cli/test_reference.py fails while it is stale."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import typer

from grassroots.cli.main import app

DOC = Path(__file__).resolve().parents[3] / "docs" / "cli.md"
HEADER = """# 命令行参考 / CLI reference

由各命令自身的帮助生成，请勿手改：修改命令的帮助文字后运行 `make cli-docs`
（`tests/cli/test_reference.py` 在本页过期时失败）。
Generated from the commands' own help; do not edit by hand: run `make cli-docs` after
changing a command's help (tests/cli/test_reference.py fails while this page is stale).
"""


def reference() -> str:
    """The whole page."""
    root = typer.main.get_command(app)
    parts = [HEADER]
    _walk(root, ["grassroots"], parts)
    return "\n".join(parts).rstrip() + "\n"


def _walk(command: Any, path: list[str], parts: list[str]) -> None:
    parts.append(_section(command, path))
    if hasattr(command, "commands"):  # a group (typer's own click)
        for name in sorted(command.commands):
            _walk(command.commands[name], [*path, name], parts)


def _section(command: Any, path: list[str]) -> str:
    depth = min(len(path), 3)
    lines = [f"{'#' * (depth + 1)} `{' '.join(path)}`", ""]
    text = inspect.cleandoc(command.help or "")
    if text:
        lines += ["```text", text, "```", ""]
    rows = [_row(p) for p in command.params if p.name != "help"]
    if rows:
        lines += ["| 参数 / parameter | 说明 / help | 默认 / default |", "|---|---|---|", *rows, ""]
    return "\n".join(lines)


def _row(param: Any) -> str:
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    help_text = getattr(param, "help", None) or ""
    if param.required:
        default = "必填 / required"
    elif param.default in (None, False, (), []) or callable(param.default):
        default = ""
    else:
        default = f"`{param.default}`"
    return f"| {names} | {help_text.replace('|', '/')} | {default} |"


def write() -> None:
    DOC.write_text(reference(), encoding="utf-8")


if __name__ == "__main__":
    write()
