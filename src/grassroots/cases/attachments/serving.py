"""The answer that carries a kept file once opened: the headers starlette's FileResponse gave
when the files were served from disk as they were (Content-Disposition, Content-Length,
Last-Modified and ETag from the file's time and the clear size, Accept-Ranges), and one byte
range. The clear bytes never touch the disk again."""

from __future__ import annotations

import hashlib
import os
import re
from email.utils import formatdate
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def disposition(kind: str, filename: str) -> str:
    """As FileResponse writes it: RFC 5987 for a name that is not plain ASCII."""
    quoted = quote(filename)
    if quoted != filename:
        return f"{kind}; filename*=utf-8''{quoted}"
    return f'{kind}; filename="{filename}"'


def validators(stat: os.stat_result, size: int) -> dict[str, str]:
    """Last-Modified and ETag the way FileResponse derives them (time and size)."""
    base = f"{stat.st_mtime}-{size}"
    etag = f'"{hashlib.md5(base.encode(), usedforsecurity=False).hexdigest()}"'
    return {"last-modified": formatdate(stat.st_mtime, usegmt=True), "etag": etag}


def one_range(request: Request, size: int, current: dict[str, str]) -> tuple[int, int] | None:
    """The [start, end) of a single satisfiable `Range: bytes=…`; None for the whole file (no
    range, several ranges, a stale If-Range, a malformed header: a server may ignore those).
    ValueError: a range that starts past the end (416)."""
    found = RANGE.fullmatch(request.headers.get("range", "").strip())
    if_range = request.headers.get("if-range")
    if found is None or (if_range is not None and if_range not in current.values()):
        return None
    first, last = found.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        if int(last) == 0:
            raise ValueError(last)
        return max(size - int(last), 0), size
    start, end = int(first), min(int(last) + 1, size) if last else size
    if start >= size or start >= end:
        raise ValueError(start)
    return start, end


def file_response(
    request: Request, content: bytes, stat: os.stat_result, *, media_type: str,
    filename: str, inline: bool, headers: dict[str, str],
) -> Response:  # fmt: skip
    """`content` with the headers of a file on disk (its time: `stat`), whole or one range."""
    current = validators(stat, len(content))
    head = {"accept-ranges": "bytes", **headers,
            "content-disposition": disposition("inline" if inline else "attachment", filename),
            **current}  # fmt: skip
    try:
        span = one_range(request, len(content), current)
    except ValueError:
        return Response(status_code=416, headers={"content-range": f"bytes */{len(content)}"})
    if span is None:
        return Response(content, media_type=media_type, headers=head)
    start, end = span
    head["content-range"] = f"bytes {start}-{end - 1}/{len(content)}"
    return Response(content[start:end], 206, media_type=media_type, headers=head)
