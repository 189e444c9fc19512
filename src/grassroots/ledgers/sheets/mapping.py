"""A saved, reusable column mapping (TOML): what a centre's own ledgers call things.

sheet = "2025年"            # optional: the sheet to read
header_row = 3              # optional: the header's row number as Excel shows it
[columns]                   # header text → field (docs/ledgers.md lists the fields)
"登记时间" = "accepted_on"
[categories]                # 纠纷类型 as written → category code or name
"土地纠纷" = "forest_land"
[outcomes]                  # 调解结果 as written → resolved / terminated / rejected / open
"调处成功" = "resolved"
[places]                    # a place name as written → its name in the jurisdiction tree
"老张庄" = "张庄村"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grassroots.ledgers.sheets.headers import FIELDS, Header, normalise
from grassroots.ledgers.sheets.reading import UnreadableFile

OUTCOMES = ("resolved", "terminated", "rejected", "open")


@dataclass(frozen=True)
class Mapping:
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # normalised header → field
    categories: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)


def _table(data: dict[str, object], name: str) -> dict[str, str]:
    value = data.get(name, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise UnreadableFile(f"映射文件的 [{name}] 应是“名称 = 值”的列表")
    return {normalise(k): v for k, v in value.items()}


def parse_mapping(source: str) -> Mapping:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise UnreadableFile(f"映射文件不是合法的 TOML：{exc}") from exc
    columns = _table(data, "columns")
    wrong = sorted({f for f in columns.values() if f not in FIELDS})
    outcomes = _table(data, "outcomes")
    wrong += sorted({o for o in outcomes.values() if o not in OUTCOMES})
    if wrong:
        raise UnreadableFile(f"映射文件中有未知的字段或结果：{'、'.join(wrong)}")
    sheet, row = data.get("sheet"), data.get("header_row")
    if (sheet is not None and not isinstance(sheet, str)) or (
        row is not None and (not isinstance(row, int) or row < 1)
    ):
        raise UnreadableFile("映射文件的 sheet 应是文字，header_row 应是正整数")
    return Mapping(
        sheet, row, columns, _table(data, "categories"), outcomes, _table(data, "places")
    )


def load_mapping(path: Path) -> Mapping:
    try:
        return parse_mapping(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UnreadableFile(f"无法读取映射文件：{path}") from exc


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mapping_toml(header: Header, sheet: str | None) -> str:
    """The mapping a header was read with, as a file to edit and pass as --mapping."""
    lines = [f"sheet = {_quoted(sheet)}"] if sheet else []
    lines += [f"header_row = {header.index + 1}", "", "[columns]"]
    for i, name in sorted(header.names.items()):
        lines.append(f"{_quoted(name)} = {_quoted(header.columns[i])}")
    lines += ["", "[categories]", "", "[outcomes]", "", "[places]", ""]
    return "\n".join(lines)
