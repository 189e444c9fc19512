"""Ledger import rate against python-calamine reading the same file alone (issue 21).

    python bench/ledger.py                 # 100,000 rows into a scratch SQLite database
    python bench/ledger.py --rows 20000 --kind postgresql

Writes a ledger like a real one (merged title, two-row header, five date forms, ID numbers
and phones on some rows, 20 villages) to a temporary .xlsx, times python-calamine reading
it alone (the whole sheet into Python values), then `do_import_ledger` on a scratch
database with the demo county (reading, checking, writing, statistics, audit: one
transaction). Prints both rates, their ratio (goal ≥ 0.5), the machine, the versions and
the load average. Scratch files are removed; nothing is committed.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.casegen import machine, scratch_engine  # noqa: E402
from grassroots.accounts.models import User  # noqa: E402
from grassroots.geo.models import Jurisdiction, Level  # noqa: E402
from grassroots.parties.idcard import check_digit  # noqa: E402

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
BELOW = [None, None, "姓名", "身份证号", "联系电话"] + [None] * 9
KINDS = ["邻里纠纷", "婚姻家庭", "房屋宅基地", "合同", "劳动争议", "损害赔偿", "山林土地"]
DATES = [
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: int(f"{d:%Y%m%d}"),
    lambda d: d,
]


def _id(i: int) -> str:
    body = f"990101198{i % 10}0101{i % 1000:03d}"
    return body + check_digit(body)


def _row(i: int, villages: list[str]) -> list[object]:
    day = date(2021, 1, 4) + timedelta(days=i % 1400)
    closed = day + timedelta(days=3 + i % 20)
    write = DATES[i % len(DATES)]
    return [
        i + 1,
        write(day),
        f"申请人{i}、被申请人{i}",
        _id(i) if i % 3 == 0 else None,
        f"1380013{i % 10000:04d}" if i % 4 == 0 else None,
        villages[i % len(villages)],
        KINDS[i % len(KINDS)],
        f"第{i}号纠纷：双方因排水、界址等问题发生争执",
        "刘调解",
        "调解成功" if i % 5 else "调解不成功",
        write(closed),
        "已履行",
        "已回访，满意",
        f"（{day.year}）调字第{i}号",
    ]


def ledger_file(rows: int, villages: list[str]) -> bytes:
    book = Workbook(write_only=True)
    ws = book.create_sheet("台账")
    ws.append(["某某镇人民调解委员会台账"])
    ws.append(TOP)
    ws.append(BELOW)
    for i in range(rows):
        ws.append(_row(i, villages))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _villages(session: Session, actor: User) -> list[str]:
    query = select(Jurisdiction.name).where(
        Jurisdiction.level == Level.village,
        Jurisdiction.valid_to.is_(None),
        Jurisdiction.code.startswith(actor.jurisdiction.prefix),  # type: ignore[union-attr]
    )
    names = list(session.scalars(query))
    return [n for n in names if names.count(n) == 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kind", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gr-ledger-")))
        os.environ["GRASSROOTS_DATA_DIR"] = str(data_dir)
        from grassroots.config import get_settings
        from grassroots.crypto import new_key_file

        new_key_file(data_dir / "keys" / "grassroots.key")
        get_settings.cache_clear()
        engine = stack.enter_context(scratch_engine(args.kind, stack))
        run(engine, args.rows, args.kind)


def run(engine: object, rows: int, kind: str) -> None:
    from grassroots.ledgers.actions import do_import_ledger
    from grassroots.ledgers.sheets.reading import read_sheet

    with Session(engine) as session:  # type: ignore[call-overload]
        zhao = session.scalars(select(User).where(User.username == "zhao")).one()
        started = time.perf_counter()
        data = ledger_file(rows, _villages(session, zhao))
        print(
            f"file: {rows} rows, {len(data) / 1e6:.1f} MB (written in "
            f"{time.perf_counter() - started:.1f} s)"
        )
        started = time.perf_counter()
        sheet = read_sheet(data, "xlsx")
        read_s = time.perf_counter() - started
        assert len(sheet.rows) == rows + 3
        started, cpu = time.perf_counter(), time.process_time()
        report = do_import_ledger(session, data, "bench.xlsx", actor=zhao)
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(report.imported) == rows, (len(report.imported), report.duplicates[:3])
    print(machine())
    print(
        f"python-calamine {version('python-calamine')}, openpyxl {version('openpyxl')}, "
        f"database {kind}, load average {os.getloadavg()}"
    )
    print(f"calamine read alone: {read_s:.2f} s = {rows / read_s:,.0f} rows/s")
    print(
        f"import (read, check, write, statistics, audit): {import_s:.2f} s = "
        f"{rows / import_s:,.0f} rows/s"
    )
    # wall time swings with the machine's load; this process's CPU seconds compare commits
    print(f"process CPU in the import: {import_cpu:.2f} s (SQLite runs in this process)")
    print(f"ratio import / read: {read_s / import_s:.3f} (goal >= 0.5)")


if __name__ == "__main__":
    main()
