"""insert_rows (BulkInsert) stores what a Core INSERT of the same rows stores, on both
databases: each column's own type conversion and the Python defaults of missing columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import JSON, Column, Engine, Integer, MetaData, String, Table, insert, select

from grassroots.db import UTCDateTime, insert_rows, utcnow

_META = MetaData()
BULK = Table(
    "bulk_probe",
    _META,
    Column("id", Integer, primary_key=True),
    Column("name", String(20)),
    Column("at", UTCDateTime()),
    Column("details", JSON),
    Column("n", Integer, default=7),
    Column("made", UTCDateTime(), default=utcnow),
)


def _rows(first: int) -> list[dict[str, object]]:
    east = timezone(timedelta(hours=8))
    return [
        {"name": f"行{i}", "at": datetime(2026, 3, 5, 9, i, tzinfo=east), "details": {"i": [i]}}
        for i in range(first, first + 3)
    ] + [{"name": "空", "at": None, "details": {}}]


def test_bulk_rows_read_back_like_core_rows(engine: Engine):
    with engine.connect() as conn:
        BULK.create(conn)
        try:
            before = utcnow()
            conn.execute(insert(BULK), _rows(0))
            insert_rows(conn, BULK, _rows(0))  # n and made left to their defaults
            made = datetime(2026, 1, 2, tzinfo=UTC)
            insert_rows(conn, BULK, [r | {"n": 8, "made": made} for r in _rows(5)])  # all given
            stored = conn.execute(select(BULK).order_by(BULK.c.id)).mappings().all()
        finally:
            conn.rollback()
    core, bulk, given = stored[:4], stored[4:8], stored[8:]
    assert len(bulk) == 4
    for a, b in zip(core, bulk, strict=True):
        assert (a["name"], a["at"], a["details"], a["n"]) == (
            b["name"],
            b["at"],
            b["details"],
            b["n"],
        )
        assert b["made"] >= before.replace(microsecond=0) - timedelta(seconds=1)
    assert bulk[0]["at"] == datetime(2026, 3, 5, 1, 0, tzinfo=UTC)
    assert bulk[0]["n"] == 7 and bulk[1]["details"] == {"i": [1]}
    assert [(g["n"], g["made"]) for g in given] == [(8, datetime(2026, 1, 2, tzinfo=UTC))] * 4
    assert given[0]["details"] == {"i": [5]} and given[3]["at"] is None
