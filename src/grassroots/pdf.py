"""PDF of a Word document (a work report, a mediation agreement) via LibreOffice headless
(Debian: libreoffice-writer-nogui)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from grassroots.errors import Problem

CANDIDATES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 180


def soffice() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert with a private LibreOffice profile (safe next to a user's running office)."""
    binary = soffice()
    if binary is None:
        raise Problem(
            503,
            "pdf_unavailable",
            "未安装 LibreOffice，无法生成 PDF；请安装 libreoffice-writer-nogui 后重试，"
            "Word 与 Excel 格式不受影响。 / LibreOffice is not installed: PDF unavailable "
            "(install libreoffice-writer-nogui); Word and Excel still work.",
        )
    with tempfile.TemporaryDirectory(prefix="grassroots-pdf-") as tmp:
        folder = Path(tmp)
        (folder / "report.docx").write_bytes(docx)
        cmd = [
            binary,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(folder / "report.docx"),
        ]
        done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
        pdf = folder / "report.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise Problem(
                500,
                "pdf_failed",
                "PDF 转换失败 / PDF conversion failed: "
                + done.stderr.decode("utf-8", "replace")[-300:],
            )
        return pdf.read_bytes()
