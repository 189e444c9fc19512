"""The multipart form of an upload, read without validation: the route checks the case's
scope first, so a request for a case beyond the user's scope gets its 404 whatever it sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends
from starlette.datastructures import UploadFile
from starlette.requests import Request

from grassroots.config import ATTACHMENT_CEILING
from grassroots.errors import Problem
from grassroots.web.limits import body_limit

MAX_FILES = 10
# The whole request: a few photos resized on the phone, or one large scan.
UPLOAD_LIMIT = body_limit(ATTACHMENT_CEILING)
FILE_FIELDS = ("file", "files", "attachments")
TRUE = ("1", "true", "on", "yes")
# The refusals of a file (the registration form shows them under its file input).
FILE_PROBLEMS = frozenset(
    {"unsupported_file_type", "file_too_large", "damaged_file", "image_too_large",
     "scan_refused", "too_many_files"}
)  # fmt: skip


@dataclass
class Upload:
    files: list[bytes] = field(default_factory=list)
    keep_location: bool = False
    event_id: str = ""
    fields: dict[str, str] = field(default_factory=dict)


async def read_upload(request: Request) -> Upload:
    """Every file under file/files/attachments (empty file inputs skipped), keep_location,
    event_id and the other text fields."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return Upload()
    form = await request.form(max_files=MAX_FILES * 2)
    upload = Upload()
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            content = await value.read() if key in FILE_FIELDS else b""
            if content:
                upload.files.append(content)
        else:
            upload.fields.setdefault(key, value)
    upload.keep_location = upload.fields.get("keep_location", "").lower() in TRUE
    upload.event_id = upload.fields.get("event_id", "")
    return upload


def event_id_of(upload: Upload) -> int | None:
    value = upload.event_id.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise Problem(422, "unknown_event", "该时间线记录不属于本案 / no such timeline entry")
    return int(value)


# The route parameter of a multipart upload (read_upload after the route's access check).
Files = Annotated[Upload, Depends(read_upload)]
