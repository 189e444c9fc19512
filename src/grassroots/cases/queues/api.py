"""GET /queues: the user's work queues with their counts (the cases of one: GET /cases?queue=)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from grassroots.accounts.models import User
from grassroots.calendar.today import local_date
from grassroots.cases.queues import queries as q
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires

router = APIRouter(tags=["cases"])
Reader = Annotated[User, requires("case.read")]
# ?queue= of GET /cases: one of the queue names.
QueueName = Annotated[str | None, Query(pattern=f"^({'|'.join(q.LABELS)})$")]


class QueueCount(BaseModel):
    name: str
    label: str
    count: int
    cases_url: str


@router.get("/queues", response_model=list[QueueCount])
def list_queues(session: DbSession, user: Reader) -> list[QueueCount]:
    """工作队列: every queue of the user with the number of cases in it (case scope applied)."""
    counts = q.queue_counts(session, q.viewer(session, user), local_date(utcnow()))
    return [
        QueueCount(name=n, label=label, count=counts[n], cases_url=f"/api/v1/cases?queue={n}")
        for n, label in q.LABELS.items()
    ]
