"""POST /cases: registration (登记), with an optional Idempotency-Key."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel

from grassroots.accounts.models import User
from grassroots.calendar.today import local_date
from grassroots.cases.deadlines import clock as clk
from grassroots.cases.intake.actions import do_register, locate
from grassroots.cases.intake.duplicates import Thresholds, find_duplicates
from grassroots.cases.intake.idempotency import Replay, request_hash
from grassroots.cases.intake.keyed import do_register_once
from grassroots.cases.responses import CaseOut, case_out
from grassroots.cases.schemas import NewCase
from grassroots.config import Settings
from grassroots.db import utcnow
from grassroots.deps import DbSession, requires
from grassroots.geo.models import Level
from grassroots.web.limits import CASE_TEXT_LIMIT, body_limit

router = APIRouter(tags=["cases"])
Registrar = Annotated[User, requires("case.register")]


def _today() -> date:
    return local_date(utcnow())


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseOut,
    openapi_extra=body_limit(CASE_TEXT_LIMIT),
)
def create_case(
    data: NewCase, session: DbSession, user: Registrar, response: Response,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Any:  # fmt: skip
    """登记案件. With an Idempotency-Key header a retry replays the first response."""
    if idempotency_key is not None:
        digest = request_hash(data.model_dump(mode="json"))
        outcome = do_register_once(session, data, actor=user, key=idempotency_key, digest=digest)
        if isinstance(outcome, Replay):
            headers = {"Idempotent-Replayed": "true"}
            return Response(outcome.body, outcome.status, headers, "application/json")
        case, body = outcome  # exactly the bytes a retry will replay
        location = {"Location": f"/api/v1/cases/{case.code}"}
        return Response(body, 201, location, "application/json")
    case = do_register(session, data, actor=user)
    response.headers["Location"] = f"/api/v1/cases/{case.code}"
    return case_out(case, clk.load_calendar(session), _today())


class DuplicateOut(BaseModel):
    """A registered case the new one likely repeats: why, and how similar its text is."""

    code: str
    title: str
    state: str
    registered_at: str
    similarity: float  # Jaccard of the meaningful characters, 0–1
    reasons: list[str]  # same_party, same_grid, nearby, similar_text


def thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        settings.duplicate_window_days, settings.duplicate_distance_m,
        settings.duplicate_text_threshold,
    )  # fmt: skip


@router.post(
    "/cases/duplicates",
    response_model=list[DuplicateOut],
    openapi_extra=body_limit(CASE_TEXT_LIMIT),
)
def preview_duplicates(
    data: NewCase, session: DbSession, user: Registrar, request: Request
) -> list[DuplicateOut]:
    """查重: the likely duplicates of a case before it is registered (nothing is written).
    Link the new case to one afterwards with the link action (kind duplicate)."""
    now = utcnow()
    place = locate(session, data, local_date(now))
    village = place.codes.get(Level.village)
    found = find_duplicates(
        session, user, data, place.grid_code, village, now, thresholds(request.app.state.settings)
    )
    return [
        DuplicateOut(
            code=c.code, title=c.title, state=c.state, registered_at=c.registered_at.isoformat(),
            similarity=c.similarity, reasons=c.reasons,
        )
        for c in found
    ]  # fmt: skip
