"""Files for the attachment tests, made here (no binary fixtures in the repository)."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from openpyxl import Workbook
from PIL import Image

GPS = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 5.0, 0.0)}
TAKEN = "2026:03:02 10:00:00"


def photo_with_gps(size: tuple[int, int] = (800, 600), fmt: str = "JPEG") -> bytes:
    """A photo whose EXIF holds a GPS position, its time and an orientation."""
    exif = Image.Exif()
    exif[0x0132] = TAKEN
    exif[0x0112] = 1
    exif.get_ifd(0x8825).update(GPS)
    exif.get_ifd(0x8769).update({0x9003: TAKEN})
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def exif_of(content: bytes) -> tuple[dict[int, object], dict[int, object], dict[int, object]]:
    exif = Image.open(io.BytesIO(content)).getexif()
    return dict(exif), dict(exif.get_ifd(0x8825)), dict(exif.get_ifd(0x8769))


def docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "not an office file")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
