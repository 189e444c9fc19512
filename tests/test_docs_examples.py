"""The examples in docs/ and README.md, checked against the code they describe.

- Every `grassroots ...` command line in a code block (the commands' own examples in
  docs/cli.md among them) parses against the real CLI: the command exists and takes those
  options and arguments with values of the right type (parsed, not run: most of them serve,
  write files or need a configured database).
- Every request written as `METHOD /api/v1/...` names a route the app serves with that method.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from starlette.routing import Match

from grassroots.cli.main import app as cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
FENCE = re.compile(r"```[a-z]*\n(.*?)```", re.S)
# Usage summaries, not examples: [optional] parts, a|b choices, FILE/N placeholders, "…".
PLACEHOLDER = re.compile(r"\[|\||\.\.\.|…|\b(FILE|DIR|N|H|P|L|NAME|HASH|LAT|LNG)\b")
REQUEST = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^\s`)，。；;?\[]*)")


def command_examples() -> Iterator[tuple[str, str]]:
    for doc in DOCS:
        for block in FENCE.findall(doc.read_text(encoding="utf-8")):
            for line in re.sub(r"\\\n\s*", " ", block).splitlines():  # "\" continues a line
                for part in line.split("&&"):
                    command = _command(part)
                    if command:
                        yield f"{doc.name}: {command}", command


def _command(line: str) -> str | None:
    words = line.strip().split(" ")
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # VAR=value prefixes
        words.pop(0)
    text = " ".join(words)
    text = re.split(r"\s+#|\s+\(|\s*>", text)[0].strip()  # comments, notes, redirections
    if not re.match(r"grassroots [a-z]", text) or PLACEHOLDER.search(text):
        return None
    return text


def _parse(args: list[str]) -> Any:
    command: Any = typer.main.get_command(cli)
    path = ["grassroots"]
    while hasattr(command, "commands") and args and args[0] in command.commands:
        path.append(args[0])
        command = command.commands[args.pop(0)]
    assert not hasattr(command, "commands"), f"{' '.join(path)} needs a subcommand"
    return command.make_context(" ".join(path), args)


EXAMPLES = dict(command_examples())


def test_the_docs_have_command_examples():
    assert len(EXAMPLES) >= 30


@pytest.mark.parametrize("command", list(EXAMPLES.values()), ids=list(EXAMPLES))
def test_a_command_example_parses(command: str):
    _parse(shlex.split(command)[1:])


def requests() -> set[tuple[str, str]]:
    found = set()
    for doc in DOCS:
        found |= set(REQUEST.findall(doc.read_text(encoding="utf-8")))
    return found


def test_every_request_in_the_docs_names_a_route(app):
    missing = []
    for method, path in sorted(requests()):
        scope = {"type": "http", "path": path, "method": method}
        if not any(route.matches(scope)[0] == Match.FULL for route in app.routes):
            missing.append(f"{method} {path}")
    assert not missing


IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def test_every_image_a_doc_shows_is_in_the_repository():
    """A picture linked from docs/ or README.md (the phone screenshots the browser tests take,
    copied to docs/images/) exists, and is a PNG."""
    shown = [(doc, link) for doc in DOCS for link in IMAGE.findall(doc.read_text("utf-8"))]
    assert any("images/phone/" in link for _, link in shown)
    for doc, link in shown:
        path = (doc.parent / link).resolve()
        assert path.is_file(), f"{doc.name} shows {link}, which is not there"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{link} is not a PNG"
