"""The residents' pages (no login, phone first; docs/public.md): report, receipt, progress
and rating. Forms post to this server only (a request another site sends is refused) and
carry the proof of work the page's script finds (web/static/app/public.js)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, JSONResponse

from grassroots.accounts.login.csrf import from_another_site
from grassroots.calendar.today import china_today
from grassroots.cases.attachments.uploads import (
    FILE_FIELDS,
    FILE_PROBLEMS,
    UPLOAD_LIMIT,
    Files,
)
from grassroots.config import Settings
from grassroots.deps import DbSession
from grassroots.dictionary.queries import active_categories, dictionary_names
from grassroots.errors import Problem
from grassroots.geo.pages import feature
from grassroots.geo.queries import with_boundaries
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.residents import labels as words
from grassroots.residents import queries as q
from grassroots.residents.actions import do_attach_photos, do_rate, do_report, public_photos
from grassroots.residents.consent import CONSENT_TEXT
from grassroots.residents.limits import lookup_limit, report_limit, spend_proof
from grassroots.residents.schemas import RatingIn, ReceiptIn, ReportIn
from grassroots.web.forms import blank_to_none, field_errors, form_fields, problem_errors
from grassroots.web.limits import KIB, LIMIT_KEY
from grassroots.web.templating import register_globals, render

router = APIRouter(prefix="/public", include_in_schema=False)
register_globals(public_rating_words=words.RATING_WORDS, public_consent_text=CONSENT_TEXT)
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
PAGE_BODY = {LIMIT_KEY: 16 * KIB}
NO_STORE = {"Cache-Control": "no-store"}  # a receipt code must not sit in a cache
OTHER_SITE = N_("This form must be sent from this site's own page.")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _same_site(request: Request) -> None:
    if from_another_site(request, _settings(request)):
        t = gettext_for(request_locale(request))
        raise Problem(403, "cross_site", t(OTHER_SITE))


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = render(request, f"residents/{name}", context, status_code=status)
    response.headers.update(NO_STORE)
    return response


def _report_form(request: Request, session: DbSession, values: dict[str, Any],
                 errors: dict[str, str], status: int = 200) -> HTMLResponse:  # fmt: skip
    locale = request_locale(request)
    categories = dictionary_names(active_categories(session), locale)
    return _page(request, "report.html", status, values=values, errors=errors,
                 categories=list(categories.items()),
                 sms_offered=bool(_settings(request).public_sms_channel))  # fmt: skip


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, session: DbSession) -> HTMLResponse:
    return _report_form(request, session, {"kind": "dispute", "category_code": "other"}, {})


def _report_input(data: dict[str, Any]) -> ReportIn:
    typed = {k: v for k, v in data.items() if k not in FILE_FIELDS}  # the photos: files
    fields = blank_to_none(typed, ("lat", "lng", "phone"))
    for flag in ("consent", "sms"):
        fields[flag] = fields.get(flag) == "on"
    return ReportIn.model_validate(fields)


@router.post("/report", response_class=HTMLResponse, openapi_extra=UPLOAD_LIMIT,
             dependencies=[Depends(report_limit)])  # fmt: skip
def report_submit(
    request: Request, session: DbSession, data: FormFields, files: Files
) -> HTMLResponse:
    """The report, with up to PUBLIC_PHOTOS photos (checked and stored first, EXIF place
    and time always removed; a refused photo reports nothing)."""
    _same_site(request)
    t = gettext_for(request_locale(request))
    try:
        new = _report_input(data)
        spend_proof(request, new.proof)
        photos = public_photos(files.files, _settings(request))
        case, saved, code = do_report(session, new, _settings(request))
        do_attach_photos(session, case, photos)
    except ValidationError as exc:
        errors = field_errors(exc, t, lambda loc: str(loc[0]), "place")
        return _report_form(request, session, data | {"proof": ""}, errors, 422)
    except Problem as exc:
        errors = problem_errors(exc, "attachments" if exc.code in FILE_PROBLEMS else "place", {})
        return _report_form(request, session, data | {"proof": ""}, errors, exc.status)
    return _page(request, "receipt.html", 201, code=code, sms=saved.sms_requested,
                 anonymous=saved.anonymous)  # fmt: skip


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request) -> HTMLResponse:
    return _page(request, "lookup.html", code="", error="")


def _progress(request: Request, session: DbSession, code: str, **extra: Any) -> HTMLResponse:
    t = gettext_for(request_locale(request))
    try:
        report, case = q.report_by_receipt(session, code)
    except Problem as exc:
        return _page(request, "lookup.html", 404, code=code, error=exc.message)
    shown = q.progress(session, report, case, _settings(request).public_reopen_days,
                       china_today(), t)  # fmt: skip
    return _page(request, "progress.html", code=code, p=shown, **extra)


@router.post("/progress", response_class=HTMLResponse, openapi_extra=PAGE_BODY,
             dependencies=[Depends(lookup_limit)])  # fmt: skip
def progress_submit(request: Request, session: DbSession, data: FormFields) -> HTMLResponse:
    _same_site(request)
    try:
        code = ReceiptIn.model_validate({"receipt_code": data.get("receipt_code", "")})
    except ValidationError:
        t = gettext_for(request_locale(request))
        error = t(N_("A receipt code has 24 letters and digits, in groups of four."))
        return _page(request, "lookup.html", 422, code=data.get("receipt_code", ""), error=error)
    return _progress(request, session, code.receipt_code)


@router.post("/rating", response_class=HTMLResponse, openapi_extra=PAGE_BODY,
             dependencies=[Depends(lookup_limit)])  # fmt: skip
def rating_submit(request: Request, session: DbSession, data: FormFields) -> HTMLResponse:
    _same_site(request)
    fields = data | {"reopen": data.get("reopen") == "on"}
    try:
        rating = RatingIn.model_validate(fields)
        do_rate(session, rating, _settings(request))
    except ValidationError:
        t = gettext_for(request_locale(request))
        return _progress(request, session, str(data.get("receipt_code", "")),
                         rating_error=t(N_("Choose one of the three ratings.")))  # fmt: skip
    except Problem as exc:
        return _progress(request, session, rating.receipt_code, rating_error=exc.message)
    return _progress(request, session, rating.receipt_code, rated=True)


@router.get("/map/villages.geojson", dependencies=[Depends(lookup_limit)])
def villages_geojson(session: DbSession) -> JSONResponse:
    """The villages' boundaries and names, for picking a place on the report page's map."""
    rows = with_boundaries(session, level="village")
    features = [feature(j, pc, wkb) for j, pc, wkb in rows if wkb is not None]
    return JSONResponse({"type": "FeatureCollection", "features": features},
                        headers={"Cache-Control": "public, max-age=3600"})  # fmt: skip
