"""排查 pages: the record form (usable on a phone), a round, and the lists per grid and per
worker. Thin: the same RoundIn the API validates, do_record_round, access_round."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, Permissions, requires
from grassroots.dictionary.queries import active_categories, dictionary_names, lead_categories
from grassroots.errors import Problem
from grassroots.geo.queries import grid_choices
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.rounds import queries
from grassroots.rounds.actions import do_record_round
from grassroots.rounds.models import Check
from grassroots.rounds.schemas import RoundIn
from grassroots.web.flash import set_flash
from grassroots.web.forms import blank_to_none, field_errors, form_fields, problem_errors
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, requires("case.read")]
Recorder = Annotated[User, requires("case.register")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
CHECK_LABELS = {
    Check.dispute_hotspot.value: N_("Dispute hotspot"),
    Check.boundary_hazard.value: N_("Boundary hazard"),
    Check.follow_up_visit.value: N_("Follow-up visit"),
    Check.other.value: N_("Other (see note)"),
}
OUTCOME_LABELS = {
    "case": N_("Registered as a case"), "noted": N_("Noted"), "lead": N_("Made a lead"),
}  # fmt: skip
MATTER_SLOTS = 3  # matters on the form (the API takes up to 20)
MATTER_FIELDS = ("summary", "details", "category_code", "kind", "lat", "lng", "to_case")
register_globals(round_check_labels=CHECK_LABELS, round_outcome_labels=OUTCOME_LABELS)


def _form(
    request: Request, session: DbSession, user: User, values: dict[str, Any],
    errors: dict[str, str], status: int = 200,
) -> HTMLResponse:  # fmt: skip
    locale = request_locale(request)
    grids = queries.recordable_grids(session, user, china_today())
    context = {
        "values": values, "errors": errors, "slots": range(1, MATTER_SLOTS + 1), "grids": grids,
        "grid_options": [(g.code, f"{g.name} {g.code}") for g in grids],
        "categories": list(dictionary_names(active_categories(session), locale).items()),
        "checked": _as_list(values.get("checks")),
    }  # fmt: skip
    return render(request, "rounds/new.html", context, user=user, status_code=status)


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return list(value) if isinstance(value, list) else [str(value)]


@router.get("/rounds/new", response_class=HTMLResponse)
def new_round_form(
    request: Request, session: DbSession, user: Recorder,
    grid: Annotated[str, Query(max_length=15)] = "",
) -> HTMLResponse:  # fmt: skip
    values = {"grid_code": grid, "held_on": china_today().isoformat()}
    return _form(request, session, user, values, {})


def round_input(form: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """The RoundIn fields and the form slots of the matters kept (slots left empty drop)."""
    matters, slots = [], []
    for i in range(1, MATTER_SLOTS + 1):
        raw = {f: str(form.get(f"m{i}-{f}", "")).strip() for f in MATTER_FIELDS}
        if not any(raw[f] for f in ("summary", "details", "lat", "lng")):
            continue
        raw["to_case"] = bool(raw["to_case"])  # type: ignore[assignment]
        raw["kind"] = raw["kind"] or "dispute"
        matters.append(blank_to_none(raw, ("lat", "lng")))
        slots.append(i)
    data = {
        "grid_code": form.get("grid_code", ""), "held_on": form.get("held_on", ""),
        "checks": _as_list(form.get("checks")), "note": form.get("note", ""), "matters": matters,
    }  # fmt: skip
    return data, slots


def _field_namer(slots: list[int]) -> Any:
    def name(loc: tuple[Any, ...]) -> str:
        if loc[0] == "matters" and len(loc) >= 2 and isinstance(loc[1], int):
            return f"m{slots[loc[1]]}-{loc[2] if len(loc) >= 3 else 'lat'}"  # lat/lng pair
        return str(loc[0])

    return name


def _problem_fields(exc: Problem, slots: list[int]) -> dict[str, str]:
    errors = problem_errors(exc, "grid_code", {})
    out = {}
    for field, message in errors.items():
        parts = field.split(".")
        if parts[0] == "matters" and len(parts) == 3 and parts[1].isdigit():
            field = f"m{slots[int(parts[1])]}-{parts[2]}"
        out[field] = message
    return out


@router.post("/rounds/new", response_class=HTMLResponse)
def record_round(
    request: Request, session: DbSession, user: Recorder, form: FormFields
) -> Response:
    """Validates with the API's RoundIn, records with do_record_round; on an error the form
    comes back with every value kept and each message under its field."""
    data, slots = round_input(form)
    t = gettext_for(request_locale(request))
    try:
        found = do_record_round(session, RoundIn.model_validate(data), actor=user)
    except ValidationError as exc:
        errors = field_errors(exc, t, _field_namer(slots), "note")
    except Problem as exc:
        if exc.status == 404:
            raise
        errors = _problem_fields(exc, slots)
    else:
        response = RedirectResponse(f"/rounds/{found.id}", status_code=303)
        set_flash(response, "saved")
        return response
    return _form(request, session, user, form, errors, 422)


@router.get("/rounds/{round_id}", response_class=HTMLResponse)
def round_page(
    request: Request, session: DbSession, user: Reader, permissions: Permissions, round_id: DbId
) -> HTMLResponse:
    """One round; a coordinator (lead.register) gets a 转为线索 form on each noted matter."""
    found = queries.access_round(session, user, round_id)
    locale = request_locale(request)
    names = dictionary_names(active_categories(session), locale)
    may_lead = "lead.register" in permissions
    kinds = [c for c in lead_categories(session) if c.active] if may_lead else []
    context = {"round": found, "category_names": names,
               "lead_categories": dictionary_names(kinds, locale)}  # fmt: skip
    return render(request, "rounds/round.html", context, user=user)


@router.get("/rounds", response_class=HTMLResponse)
def rounds_page(
    request: Request, session: DbSession, user: Reader,
    grid: Annotated[str, Query(max_length=15)] = "",
    worker: Annotated[str, Query(max_length=64)] = "",
    month: Annotated[str, Query(pattern=f"^$|{queries.MONTH_PATTERN}")] = "",
) -> HTMLResponse:  # fmt: skip
    """Rounds per grid or per worker (default: a 网格员's own), inside the reader's subtree."""
    if not grid and not worker and user.role == "grid_worker":
        worker = user.username
    first, after = queries.month_range(month or None)
    found = queries.rounds(
        session, user, grid_code=grid or None, worker=worker or None, first=first, after=after
    )
    context = {"rounds": found, "grid": grid, "worker": worker, "month": month,
               "grid_options": grid_choices(session, user.jurisdiction)}  # fmt: skip
    return render(request, "rounds/list.html", context, user=user)
