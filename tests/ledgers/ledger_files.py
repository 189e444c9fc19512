"""Ledgers built like real ones, in the tests (no binary fixtures): a merged title row, a
two-row header, dates written five ways, and whatever a test adds (mangled ID numbers,
repeated rows, unknown villages)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.geo.models import Jurisdiction, Level
from grassroots.parties.idcard import check_digit

TOP = [
    "序号",
    "受理日期",
    "当事人",
    None,
    None,
    "村（社区）",
    "纠纷类型",
    "纠纷简要情况",
    "调解员",
    "调解结果",
    "结案日期",
    "协议履行情况",
    "回访情况",
    "卷宗号",
]
BELOW = [
    None,
    None,
    "姓名",
    "身份证号",
    "联系电话",
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
]


def id_number(born: str, seq: int) -> str:
    body = f"990101{born}{seq:03d}"
    return body + check_digit(body)


def villages(engine: Engine) -> list[str]:
    """The names of the villages in zhao's township (the importing centre's)."""
    with Session(engine) as s:
        zhao = s.scalars(select(User).where(User.username == "zhao")).one()
        assert zhao.jurisdiction is not None
        rows = s.scalars(
            select(Jurisdiction.name)
            .where(
                Jurisdiction.parent_id == zhao.jurisdiction_id,
                Jurisdiction.level == Level.village,
                Jurisdiction.valid_to.is_(None),
            )
            .order_by(Jurisdiction.code)
        )
        return list(rows)


def good_rows(village: str, other: str) -> list[list[Any]]:
    """Five valid rows, one date format each, two outcomes and one still open."""
    return [
        [
            1,
            "2025.3.5",
            "张三、李四",
            id_number("19800101", 1),
            "138 0013 8000",
            village,
            "邻里纠纷",
            "张三与李四因排水沟堵塞发生争执",
            "刘调解",
            "调解成功",
            "2025-3-10",
            "已履行",
            "已回访，双方满意",
            "（2025）青调字第1号",
        ],
        [
            2,
            "2025-4-7",
            "王五",
            None,
            None,
            other,
            "婚姻家庭",
            "夫妻因抚养费发生纠纷",
            "刘调解",
            "调解不成功",
            "2025年4月20日",
            "",
            "",
            "（2025）青调字第2号",
        ],
        [
            3,
            "2025年5月6日",
            "赵六",
            None,
            "13900139000",
            village,
            "房屋宅基地纠纷",
            "宅基地界址争议",
            "陈调解",
            "调解成功",
            20250512,
            "部分履行",
            "基本满意",
            "（2025）青调字第3号",
        ],
        [
            4,
            20250602,
            "孙七",
            None,
            None,
            f"{village} ",
            "合同",
            "买卖合同货款纠纷",
            "陈调解",
            "调解中",
            None,
            None,
            None,
            "（2025）青调字第4号",
        ],
        [
            5,
            date(2025, 7, 1),
            "周八",
            None,
            None,
            other,
            "劳动争议",
            "拖欠工资纠纷",
            "刘调解",
            "达成协议",
            " 2025 . 7 . 9 ",
            "已履行",
            "",
            "（2025）青调字第5号",
        ],
    ]


def rejected_row(village: str, closed: Any = "2025-8-4") -> list[Any]:
    """A dispute the committee did not take on (不予受理), pointed to the court."""
    return [
        6,
        "2025-8-1",
        "吴九",
        None,
        None,
        village,
        "合同",
        "借款纠纷已起诉至法院",
        "陈调解",
        "不予受理",
        closed,
        None,
        None,
        "（2025）青调字第6号",
    ]


def workbook(rows: list[list[Any]], title: str = "青石镇人民调解委员会2025年度台账") -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "2025年"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TOP))
    ws.append(TOP)
    ws.merge_cells(start_row=2, start_column=3, end_row=2, end_column=5)
    ws.append(BELOW)
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append(["填表人：刘调解", None, None, None, None, None, None, "审核人："])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
