"""The 12345 import replayed (issue 18 checks): the same orders again in the other format,
mixed with a new one, and two imports of one file at the same moment — no order ever
becomes two cases."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from grassroots.db import make_session_factory, writer_engine
from grassroots.hotline.actions import do_import_orders
from grassroots.hotline.models import HotlineOrder
from grassroots.hotline.schemas import ImportRefused, read_orders
from tests.hotline.test_hotline import _csv, _json, county, orders, run  # noqa: F401 (fixture)


def _counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as s:
        numbers = s.scalar(select(func.count(func.distinct(HotlineOrder.order_no)))) or 0
        return (s.scalar(select(func.count()).select_from(HotlineOrder)) or 0, numbers,
                s.scalar(select(func.count()).select_from(Case)) or 0)  # fmt: skip


def test_replayed_in_the_other_format_with_a_new_order(county: Engine, tmp_path: Path):  # noqa: F811
    rows = orders(county)
    assert run("hotline", "import", str(_json(tmp_path / "a.json", rows))).exit_code == 0
    new = rows[1] | {"工单编号": "GD20261010000001", "诉求内容": "小区门口路灯不亮"}
    again = run("hotline", "import", str(_csv(tmp_path / "b.csv", [*rows, new])))
    assert again.exit_code == 0, again.output
    assert "imported: 1" in again.output and "skipped: 2" in again.output
    assert _counts(county) == (3, 3, 3)
    third = run("hotline", "import", str(_csv(tmp_path / "b.csv", [*rows, new])))
    assert "imported: 0" in third.output and _counts(county) == (3, 3, 3)


def test_two_imports_of_one_file_at_once_make_no_duplicate(county: Engine, tmp_path: Path):  # noqa: F811
    raw = json.dumps(orders(county), ensure_ascii=False).encode()
    parsed, errors = read_orders(raw, "json")
    assert errors == []
    factory = make_session_factory(writer_engine(county))
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def one() -> None:
        start.wait()
        try:
            with factory() as s:
                done = do_import_orders(s, parsed, intake_level="township")
            outcomes.append(f"imported {len(done.cases)}")
        except ImportRefused as refused:  # lost the race on the unique order number
            outcomes.append(refused.errors[0])

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "imported 2" in outcomes  # one import took both orders...
    assert _counts(county) == (2, 2, 2)  # ...and the other added no case at all
    other = next(o for o in outcomes if o != "imported 2")
    assert other == "imported 0" or "run again" in other  # skipped, or refused cleanly
