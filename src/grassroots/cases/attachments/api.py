"""JSON routes of a case's attachments under /api/v1/cases/{code}/attachments: list, upload
(multipart: file, keep_location, event_id), download and thumbnail. Thin: read, access,
store_file + do_attach, respond. Downloads open the sealed file in memory (store.open_file)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.cases.attachments import queries as q
from grassroots.cases.attachments.actions import do_attach_files, do_record_download
from grassroots.cases.attachments.files import MEDIA_TYPES
from grassroots.cases.attachments.models import Attachment
from grassroots.cases.attachments.serving import file_response
from grassroots.cases.attachments.store import Unreadable, attachments_dir, blob_path, open_file
from grassroots.cases.attachments.uploads import UPLOAD_LIMIT, Files, event_id_of
from grassroots.cases.queries import access_case
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.ratelimit.limits import client_ip

log = logging.getLogger(__name__)
router = APIRouter(tags=["attachments"])
UNREADABLE = (
    "附件文件无法打开（密钥文件不符或文件已损坏），请联系管理员 / "
    "the attachment file does not open (another key file, or a damaged file): tell the admin"
)
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]


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
          thumbnail: bool) -> Response:  # fmt: skip
    found = q.access_attachment(session, user, code, attachment_id)
    path = blob_path(attachments_dir(request.app.state.settings), found.sha256, thumbnail)
    if (thumbnail and not found.has_thumbnail) or not path.is_file():
        raise Problem(404, "not_found", "附件文件不存在 / attachment file not found")
    stat = path.stat()
    try:
        content = open_file(path)
    except Unreadable as exc:
        # Which file and why, never a byte of it: the operator checks the key file.
        log.warning("attachment %s of case %s does not open: %s", found.id, code, exc)
        raise Problem(500, "attachment_unreadable", UNREADABLE) from exc
    do_record_download(session, code, found, actor=user, thumbnail=thumbnail, ip=client_ip(request))
    media = "image/jpeg" if thumbnail else MEDIA_TYPES[found.kind]
    return file_response(
        request, content, stat, media_type=media, filename=q.download_name(code, found),
        inline=thumbnail or found.kind in ("jpeg", "png", "webp"),
        headers={"Cache-Control": "private, max-age=3600"},
    )  # fmt: skip


@router.get("/cases/{code}/attachments/{attachment_id}", response_class=Response)
def download(
    code: str, attachment_id: DbId, request: Request, session: DbSession, user: Reader
) -> Response:
    """The file, as visible as its case (another township's: 404). Audited."""
    return serve(request, session, user, code, attachment_id, thumbnail=False)


@router.get("/cases/{code}/attachments/{attachment_id}/thumbnail", response_class=Response)
def thumbnail(
    code: str, attachment_id: DbId, request: Request, session: DbSession, user: Reader
) -> Response:
    """A 320-pixel JPEG of a photo (404 for documents)."""
    return serve(request, session, user, code, attachment_id, thumbnail=True)
