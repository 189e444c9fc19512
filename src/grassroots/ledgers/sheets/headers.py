"""Find the header of a ledger sheet and map its columns to fields.

Real ledgers start with merged title rows (某某村人民调解委员会2025年度台账), and many have a
two-row header (当事人 over 姓名 / 身份证号 / 联系电话). The header is the row among the first
HEADER_SEARCH rows whose cells name the most known fields; the row under it joins it when
it names fields too (a merged cell's text is carried over the empty cells it covered).
Columns are mapped by their Chinese names and synonyms; a mapping file (docs/ledgers.md)
adds or overrides names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grassroots.ledgers.sheets.values import text

HEADER_SEARCH = 20

# field → the header names it goes by (normalised: no spaces, no brackets, no *).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号序号", "顺序号"),
    "accepted_on": ("受理日期", "受理时间", "登记日期", "登记时间", "收案日期", "日期", "时间"),
    "party": ("当事人", "申请人", "当事人姓名", "申请人姓名", "姓名", "当事人申请人"),
    "respondent": ("被申请人", "对方当事人", "被申请人姓名", "当事人被申请人"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "证件号码",
        "当事人身份证号",
        "申请人身份证号",
        "身份证",
    ),
    "phone": ("联系电话", "电话", "手机", "手机号", "联系方式", "当事人联系电话", "申请人联系电话"),
    "category": ("纠纷类型", "案由", "纠纷类别", "矛盾类型", "纠纷种类", "类型"),
    "summary": (
        "纠纷简要情况",
        "简要案情",
        "纠纷情况",
        "基本情况",
        "主要事实",
        "纠纷内容",
        "简要情况",
        "纠纷事由",
        "案情",
    ),
    "mediator": ("调解员", "调解人员", "承办人", "调解人", "主持人"),
    "outcome": ("调解结果", "处理结果", "调处结果", "调解情况", "结果"),
    "closed_on": ("结案日期", "调结日期", "办结日期", "调解日期", "结案时间", "办结时间"),
    "performance": ("协议履行情况", "履行情况", "协议履行"),
    "follow_up": ("回访情况", "回访", "回访记录"),
    "file_no": ("卷宗号", "案卷号", "档案号", "卷号"),
    "village": ("村社区", "村", "所属村", "村居", "社区", "村名", "所在村"),
    "township": ("乡镇街道", "乡镇", "街道", "所属乡镇"),
    "address": ("地点", "发生地点", "纠纷地点", "地址", "纠纷发生地"),
    "grid_code": ("网格编码", "网格代码"),
    "lat": ("纬度",),
    "lng": ("经度",),
}
FIELDS = tuple(SYNONYMS)
REQUIRED = ("accepted_on", "party", "category", "summary")
LABELS = {field: names[0] for field, names in SYNONYMS.items()}
_NOISE = re.compile(r"[\s\u3000*＊:：()（）\[\]【】/、]+")


def normalise(name: str) -> str:
    return _NOISE.sub("", name)


def field_of(name: str, extra: Mapping[str, str]) -> str | None:
    """The field a header names: the mapping file first, then the synonyms (exact, then
    the longest synonym the name ends with, e.g. 申请人联系电话 → phone)."""
    key = normalise(name)
    if not key:
        return None
    if key in extra:
        return extra[key]
    for field, names in SYNONYMS.items():
        if key in names:
            return field
    found = [(len(n), f) for f, names in SYNONYMS.items() for n in names if key.endswith(n)]
    return max(found)[1] if found else None


@dataclass(frozen=True)
class Header:
    index: int  # the header's (first) row, an index into the sheet's rows
    first_data_row: int  # index into the sheet's rows
    columns: dict[int, str]  # column index → field
    names: dict[int, str]  # column index → the header text as read


def _labels(rows: Sequence[Sequence[object]], index: int) -> list[str]:
    return [text(v) for v in rows[index]] if index < len(rows) else []


def _joined(top: list[str], below: list[str]) -> list[str]:
    """Two header rows as one: a merged top cell's text carried right over the columns it
    covered, joined with the text under it (当事人 + 身份证号)."""
    out, carried = [], ""
    for i in range(max(len(top), len(below))):
        upper = top[i] if i < len(top) else ""
        lower = below[i] if i < len(below) else ""
        carried = upper or (carried if lower else "")
        out.append(carried + lower if lower and carried != lower else (upper or lower))
    return out


def _mapped(labels: list[str], extra: Mapping[str, str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for i, label in enumerate(labels):
        field = field_of(label, extra)
        if field and field not in columns.values():
            columns[i] = field
    return columns


def find_header(
    rows: Sequence[Sequence[object]], extra: Mapping[str, str], at: int | None = None
) -> Header | None:
    """The header (given at row `at`, else the best-scoring row), one or two rows deep."""
    candidates = [at] if at is not None else range(min(HEADER_SEARCH, len(rows)))
    best: tuple[int, int] | None = None
    for i in candidates:
        score = len(_mapped(_labels(rows, i), extra))
        if score >= 2 and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return None
    index = best[1]
    one = _labels(rows, index)
    two = _joined(one, _labels(rows, index + 1))
    single, double = _mapped(one, extra), _mapped(two, extra)
    below = _mapped(_labels(rows, index + 1), extra)
    if below and len(double) > len(single):
        return Header(index, index + 2, double, {i: two[i] for i in double})
    return Header(index, index + 1, single, {i: one[i] for i in single})
