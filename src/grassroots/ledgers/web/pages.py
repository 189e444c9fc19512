"""/ledgers/import: upload a ledger (XLSX, XLS, CSV), pick its sheet and column mapping (or
a saved one), read the preview — the header found, the first rows as they will import,
every error with the annotated copy to download —, then 导入 in one transaction while the
page polls its progress. Views are thin: access_*, do_*, render (docs/ledgers.md)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.ledgers.actions import do_import_ledger
from grassroots.ledgers.models import LedgerMapping, LedgerUpload
from grassroots.ledgers.queries import access_ledger_import
from grassroots.ledgers.schemas import LedgerRefused
from grassroots.ledgers.sheets.mapping import Mapping, parse_mapping
from grassroots.ledgers.sheets.reading import UnreadableFile
from grassroots.ledgers.web import progress
from grassroots.ledgers.web.actions import (
    do_choose,
    do_import_upload,
    do_keep_preview,
    do_save_mapping,
    do_upload_ledger,
)
from grassroots.ledgers.web.kept import Preview
from grassroots.ledgers.web.queries import (
    access_upload,
    preview_key,
    preview_upload,
    saved_mappings,
    sealed_preview,
    stored_preview,
    upload_bytes,
)
from grassroots.web.forms import form_fields
from grassroots.web.limits import MIB, body_limit
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Importer = Annotated[User, requires("ledger.import")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
MAX_UPLOAD = 20 * MIB  # a county's years of ledgers fit; calamine reads 100k rows in seconds
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _see(upload_id: int, query: str = "") -> RedirectResponse:
    return RedirectResponse(f"/ledgers/import/{upload_id}{query}", status_code=303)


def _saved(session: DbSession, user: User, mapping_id: str) -> LedgerMapping | None:
    return next((m for m in saved_mappings(session, user) if str(m.id) == mapping_id), None)


def _form(request: Request, session: DbSession, user: User, problem: Problem | None = None,
          status: int = 200) -> HTMLResponse:  # fmt: skip
    context = {"mappings": saved_mappings(session, user), "problem": problem}
    return render(request, "ledgers/upload.html", context, user=user, status_code=status)


@router.get("/ledgers/import", response_class=HTMLResponse)
def upload_form(request: Request, session: DbSession, user: Importer) -> HTMLResponse:
    access_ledger_import(user)
    return _form(request, session, user)


@router.post("/ledgers/import", response_class=HTMLResponse, openapi_extra=body_limit(MAX_UPLOAD))
def upload(
    request: Request, session: DbSession, user: Importer, file: Annotated[UploadFile, File()],
    mapping_id: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Keep the file (encrypted) and show its preview."""
    raw = file.file.read(MAX_UPLOAD + 1)
    chosen = _saved(session, user, mapping_id)
    try:
        if len(raw) > MAX_UPLOAD:
            raise Problem(413, "too_large", "文件超过 20 MB / file larger than 20 MB")
        kept = do_upload_ledger(session, raw, file.filename or "", actor=user,
                                mapping_toml=chosen.toml if chosen else "")  # fmt: skip
    except Problem as problem:
        return _form(request, session, user, problem, problem.status)
    return _see(kept.id)


def _page(
    request: Request, session: DbSession, user: User, upload: LedgerUpload,
    more: dict[str, Any] | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    context: dict[str, Any] = {"upload": upload, "saved": "", "problem": None, "refused": []}
    context |= more or {}
    if upload.result is None:
        context["preview"] = _preview(session, user, upload)
        context["mappings"] = saved_mappings(session, user)
    context["position"] = progress.position(upload)
    return render(request, "ledgers/preview.html", context, user=user, status_code=status)


def _preview(session: DbSession, user: User, upload: LedgerUpload) -> Preview:
    """The preview kept for the upload's file, sheet and mapping, or made (a dry run of
    every row) and kept."""
    kept = stored_preview(upload)
    if kept is not None:
        return kept
    made = preview_upload(session, upload, user)
    do_keep_preview(session, upload, preview_key(upload), sealed_preview(made))
    return made


@router.get("/ledgers/import/{upload_id}", response_class=HTMLResponse)
def preview(
    request: Request, session: DbSession, user: Importer, upload_id: DbId, saved: str = ""
) -> HTMLResponse:
    upload = access_upload(session, user, upload_id)
    return _page(request, session, user, upload, {"saved": saved[:60]})


@router.post("/ledgers/import/{upload_id}/choose", response_class=HTMLResponse)
def choose(
    request: Request, session: DbSession, user: Importer, upload_id: DbId, form: FormFields
) -> Response:
    """The sheet and the mapping: a saved one, or the text as edited."""
    upload = access_upload(session, user, upload_id)
    text = str(form.get("mapping_toml", ""))
    chosen = next(
        (m for m in saved_mappings(session, user) if str(m.id) == form.get("saved")), None
    )
    try:
        do_choose(session, upload, actor=user, sheet=str(form.get("sheet", "")),
                  mapping_toml=chosen.toml if chosen else text)  # fmt: skip
    except Problem as problem:
        return _page(request, session, user, upload, {"problem": problem}, problem.status)
    return _see(upload_id)


@router.post("/ledgers/import/{upload_id}/mapping", response_class=HTMLResponse)
def save_mapping(
    request: Request, session: DbSession, user: Importer, upload_id: DbId, form: FormFields
) -> Response:
    """Save the mapping in use under a name (the centre's, for the page and the CLI)."""
    upload = access_upload(session, user, upload_id)
    name = str(form.get("name", "")).strip()
    text = upload.mapping_toml or str(form.get("mapping_toml", ""))
    try:
        do_save_mapping(session, actor=user, name=name, mapping_toml=text)
    except Problem as problem:
        return _page(request, session, user, upload, {"problem": problem}, problem.status)
    return _see(upload_id, "?saved=" + quote(name))


@router.get("/ledgers/import/{upload_id}/annotated")
def annotated(session: DbSession, user: Importer, upload_id: DbId) -> Response:
    """The sheet with every error marked (nothing to download when there is none)."""
    upload = access_upload(session, user, upload_id)
    if upload.result is not None:
        raise Problem(404, "no_errors", "该文件已导入 / already imported")
    try:
        mapping = parse_mapping(upload.mapping_toml) if upload.mapping_toml else Mapping()
        do_import_ledger(session, upload_bytes(upload), upload.filename, actor=user,
                         sheet=upload.sheet or None, mapping=mapping, dry_run=True)  # fmt: skip
    except LedgerRefused as refused:
        if refused.annotated:
            name = quote(upload.filename.rsplit(".", 1)[0] + ".错误标注.xlsx")
            headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{name}",
                       "Cache-Control": "no-store"}  # fmt: skip
            return Response(refused.annotated, media_type=XLSX, headers=headers)
    except UnreadableFile:
        pass
    raise Problem(404, "no_errors", "没有错误，无标注副本 / no errors to annotate")


@router.post("/ledgers/import/{upload_id}/run", response_class=HTMLResponse)
def run(request: Request, session: DbSession, user: Importer, upload_id: DbId) -> Response:
    """导入: all or nothing; refused, the preview shows why (nothing written). Sent by htmx
    (the page polls the progress meanwhile), the answer sends the browser to the outcome."""
    upload = access_upload(session, user, upload_id)
    htmx = request.headers.get("HX-Request") == "true"
    if upload.result is not None:
        return _see(upload_id)
    try:
        do_import_upload(session, upload, actor=user)
    except LedgerRefused as refused:
        if htmx:  # the preview, read again, shows what refused it
            return Response(status_code=200, headers={"HX-Refresh": "true"})
        return _page(request, session, user, upload, {"refused": refused.errors}, 422)
    except Problem as problem:
        return _page(request, session, user, upload, {"problem": problem}, problem.status)
    if htmx:
        return Response(status_code=200, headers={"HX-Redirect": f"/ledgers/import/{upload_id}"})
    return _see(upload_id)


@router.get("/ledgers/import/{upload_id}/progress", response_class=HTMLResponse)
def progress_fragment(
    request: Request, session: DbSession, user: Importer, upload_id: DbId
) -> HTMLResponse:
    """The progress bar's fragment (htmx polls it while 导入 runs)."""
    upload = access_upload(session, user, upload_id)
    context = {"upload": upload, "position": progress.position(upload)}
    return render(request, "ledgers/_progress.html", context, user=user)
