"""JSON routes of a case's attachments under /api/v1/cases/{code}/attachments: list, upload
(multipart: file, keep_location, event_id), download and thumbnail. Thin: read, access,
store_file + do_attach, respond."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from starlette.responses import FileResponse

from grassroots.accounts.authn import client_ip
from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.cases.attachments import queries as q
from grassroots.cases.attachments.actions import do_attach_files, do_record_download
from grassroots.cases.attachments.files import MEDIA_TYPES
from grassroots.cases.attachments.models import Attachment
from grassroots.cases.attachments.store import attachments_dir, blob_path
from grassroots.cases.attachments.uploads import UPLOAD_LIMIT, Upload, event_id_of, read_upload
from grassroots.cases.queries import access_case
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem

router = APIRouter(tags=["attachments"])
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]
Files = Annotated[Upload, Depends(read_upload)]


class AttachmentOut(BaseModel):
    id: int
    event_id: int | None
    sha256: str
    size: int
    kind: str
    media_type: str
    kept_location: bool
    uploaded_at: datetime
    url: str
    thumbnail_url: str | None


def attachment_out(code: str, a: Attachment) -> AttachmentOut:
    url = f"/api/v1/cases/{code}/attachments/{a.id}"
    return AttachmentOut(
        id=a.id, event_id=a.event_id, sha256=a.sha256, size=a.size, kind=a.kind,
        media_type=MEDIA_TYPES[a.kind], kept_location=a.kept_location,
        uploaded_at=a.uploaded_at, url=url,
        thumbnail_url=f"{url}/thumbnail" if a.has_thumbnail else None,
    )  # fmt: skip


@router.get("/cases/{code}/attachments", response_model=list[AttachmentOut])
def list_attachments(code: str, session: DbSession, user: Reader) -> list[AttachmentOut]:
    case = access_case(session, user, code)
    return [attachment_out(code, a) for a in q.case_attachments(session, case)]


@router.post(
    "/cases/{code}/attachments", status_code=201, response_model=list[AttachmentOut],
    openapi_extra=UPLOAD_LIMIT,
)  # fmt: skip
def upload(
    code: str, request: Request, session: DbSession, user: Actor, files: Files
) -> list[AttachmentOut]:
    """Multipart: one or more `file` parts (JPEG, PNG, WebP, PDF, docx, xlsx; each within
    GRASSROOTS_ATTACHMENT_MAX_BYTES), `keep_location` (keep the photo's EXIF place and time)
    and `event_id` (a timeline entry of the case). The same file again is the same row."""
    case = access_case(session, user, code)
    if not files.files:
        raise Problem(422, "no_file", "请选择要上传的文件 / no file sent")
    rows = do_attach_files(
        session, case, files.files, keep_location=files.keep_location,
        event_id=event_id_of(files), settings=request.app.state.settings, actor=user,
        ip=client_ip(request),
    )  # fmt: skip
    return [attachment_out(code, a) for a in rows]


def serve(request: Request, session: DbSession, user: User, code: str, attachment_id: int,
          thumbnail: bool) -> FileResponse:  # fmt: skip
    found = q.access_attachment(session, user, code, attachment_id)
    path = blob_path(attachments_dir(request.app.state.settings), found.sha256, thumbnail)
    if (thumbnail and not found.has_thumbnail) or not Path(path).exists():
        raise Problem(404, "not_found", "附件文件不存在 / attachment file not found")
    do_record_download(session, code, found, actor=user, thumbnail=thumbnail, ip=client_ip(request))
    media = "image/jpeg" if thumbnail else MEDIA_TYPES[found.kind]
    inline = thumbnail or found.kind in ("jpeg", "png", "webp")
    return FileResponse(
        path, media_type=media, filename=q.download_name(code, found),
        content_disposition_type="inline" if inline else "attachment",
        headers={"Cache-Control": "private, max-age=3600"},
    )  # fmt: skip


@router.get("/cases/{code}/attachments/{attachment_id}", response_class=FileResponse)
def download(
    code: str, attachment_id: DbId, request: Request, session: DbSession, user: Reader
) -> FileResponse:
    """The file, as visible as its case (another township's: 404). Audited."""
    return serve(request, session, user, code, attachment_id, thumbnail=False)


@router.get("/cases/{code}/attachments/{attachment_id}/thumbnail", response_class=FileResponse)
def thumbnail(
    code: str, attachment_id: DbId, request: Request, session: DbSession, user: Reader
) -> FileResponse:
    """A 320-pixel JPEG of a photo (404 for documents)."""
    return serve(request, session, user, code, attachment_id, thumbnail=True)
