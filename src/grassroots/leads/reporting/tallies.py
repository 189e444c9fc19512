"""Keeps lead_tally exact: mapper events on Lead, on the writer's connection, inside the
flush, so the figures commit or roll back with the lead change (as the case tallies do).

A lead contributes to one tally row (its key) a 0/1 per counter; an INSERT adds its
contribution, an UPDATE subtracts the stored row's and adds the new one. The counters'
definitions are COUNTERS below and docs/metrics.md; tests/leads/reporting/test_figures.py recounts
them from the rows. Bulk SQL on `lead` is not seen: do not write leads that way.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, Table, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper

from grassroots.leads.models import Finding, Lead, LeadState, LeadTally

FIELDS = ("received_on", "jurisdiction_code", "issuing_body", "batch", "source",
          "category_code", "state", "finding", "case_id", "parent_id")  # fmt: skip
DONE = frozenset({LeadState.verified, LeadState.replied, LeadState.closed})
REPLIED = frozenset({LeadState.replied, LeadState.closed})
COUNTERS = ("received", "verified", "replied", "substantiated", "partly", "to_case")
TALLY = cast(Table, LeadTally.__table__)
LEAD = cast(Table, Lead.__table__)
_OLD = "grassroots.leads.stored"


def contribution(row: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, int]] | None:
    """(tally key, counter → 0/1) of one lead as stored; None for a sub-lead."""
    if row["parent_id"] is not None:
        return None
    received = row["received_on"]
    key = (received.year, received.month, row["jurisdiction_code"], row["issuing_body"],
           row["batch"], row["source"], row["category_code"])  # fmt: skip
    done = row["state"] in DONE
    return key, {
        "received": 1,
        "verified": int(done),
        "replied": int(row["state"] in REPLIED),
        "substantiated": int(done and row["finding"] == Finding.substantiated),
        "partly": int(done and row["finding"] == Finding.partly),
        "to_case": int(row["case_id"] is not None),
    }


def _apply(connection: Connection, row: dict[str, Any], sign: int) -> None:
    found = contribution(row)
    if found is None:
        return
    key, counts = found
    values = dict(zip(("year", "month", "jurisdiction_code", "issuing_body", "batch", "source",
                       "category_code"), key, strict=True))  # fmt: skip
    deltas = {c: sign * n for c, n in counts.items()}
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(TALLY).values(**values, **deltas)
    statement = statement.on_conflict_do_update(
        index_elements=list(values),
        set_={c: TALLY.c[c] + statement.excluded[c] for c in COUNTERS},
    )
    connection.execute(statement)


def _snapshot(lead: Lead) -> dict[str, Any]:
    return {f: getattr(lead, f) for f in FIELDS}


def _inserted(_mapper: Mapper[Lead], connection: Connection, lead: Lead) -> None:
    _apply(connection, _snapshot(lead), +1)


def _before(_mapper: Mapper[Lead], connection: Connection, lead: Lead) -> None:
    stored = connection.execute(
        select(*[LEAD.c[f] for f in FIELDS]).where(LEAD.c.id == lead.id)
    ).one()
    connection.info.setdefault(_OLD, {})[lead.id] = dict(zip(FIELDS, stored, strict=True))


def _updated(_mapper: Mapper[Lead], connection: Connection, lead: Lead) -> None:
    old = connection.info.get(_OLD, {}).pop(lead.id, None)
    if old is not None:
        _apply(connection, old, -1)
    _apply(connection, _snapshot(lead), +1)


def install() -> None:
    """Register the listeners once (importing this module does it)."""
    if not event.contains(Lead, "after_insert", _inserted):
        event.listen(Lead, "after_insert", _inserted)
        event.listen(Lead, "before_update", _before)
        event.listen(Lead, "after_update", _updated)


install()
