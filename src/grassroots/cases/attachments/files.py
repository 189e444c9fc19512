"""What an uploaded file is, judged from its bytes (never from its name or the browser's
word), and the form it is kept in: images lose their EXIF location and time unless the
worker keeps them, and get a thumbnail. No database, no disk."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from grassroots.errors import Problem

MEDIA_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; more is refused (decompression bombs)
THUMB_SIZE = (320, 320)
GPS_IFD = 0x8825
TIME_TAGS = (0x0132,)  # DateTime in IFD0
EXIF_IFD = 0x8769
EXIF_TIME_TAGS = (0x9003, 0x9004, 0x9010, 0x9011, 0x9012, 0x9290, 0x9291, 0x9292)
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
REFUSED = "不支持的文件类型：只能上传照片（JPEG、PNG、WebP）、PDF 或 Word/Excel（docx、xlsx）文件"


@dataclass(frozen=True)
class Prepared:
    """The bytes to keep, what they are, and the thumbnail of an image."""

    content: bytes
    kind: str  # a key of MEDIA_TYPES
    thumbnail: bytes | None
    kept_location: bool

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


def refuse_type() -> Problem:
    return Problem(415, "unsupported_file_type", f"{REFUSED} / unsupported file type")


def sniff(content: bytes) -> str:
    """The kind of file the bytes are, or 415."""
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        return _office_kind(content)
    raise refuse_type()


def _office_kind(content: bytes) -> str:
    """docx or xlsx: a zip with the part that makes it one (only the names are read)."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except zipfile.BadZipFile:
        raise refuse_type() from None
    if "[Content_Types].xml" in names:
        for kind, part in OFFICE_PARTS.items():
            if part in names:
                return kind
    raise refuse_type()


def prepare(content: bytes, keep_location: bool) -> Prepared:
    """The file as it will be kept: an image cleaned (unless kept) and with a thumbnail."""
    kind = sniff(content)
    if kind not in IMAGE_FORMATS:
        return Prepared(content, kind, None, False)
    image = _open_image(content)
    kept = content if keep_location else _without_place_and_time(image, kind)
    return Prepared(kept, kind, _thumbnail(image), keep_location)


def _open_image(content: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(content))
        if image.width * image.height > MAX_PIXELS:
            raise Problem(
                422, "image_too_large", "照片像素过多（上限 5000 万像素）/ image too large"
            )
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise Problem(
            422, "damaged_file", "照片已损坏，无法读取 / the image cannot be read"
        ) from None
    return image


def _without_place_and_time(image: Image.Image, kind: str) -> bytes:
    """The image saved again with its EXIF minus the GPS block and every date and time
    (orientation and the rest stay)."""
    exif = image.getexif()
    exif.pop(GPS_IFD, None)
    for tag in TIME_TAGS:
        exif.pop(tag, None)
    inner = exif.get_ifd(EXIF_IFD)
    for tag in EXIF_TIME_TAGS:
        inner.pop(tag, None)
    out = io.BytesIO()
    options: dict[str, object] = {"exif": exif.tobytes()} if len(exif) else {}
    if kind == "jpeg":
        options |= {"quality": 90}
    image.save(out, format=IMAGE_FORMATS[kind], **options)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = ImageOps.exif_transpose(image).convert("RGB")
    small.thumbnail(THUMB_SIZE)
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80)
    return out.getvalue()
