"""PDF of a Word document (a work report, a mediation agreement) via LibreOffice headless
(Debian: libreoffice-writer-nogui).

The documents name the faces GB/T 9704-2012 asks for (仿宋_GB2312, 楷体_GB2312, 黑体, 方正小标宋
简体, 宋体), which are not free and not on a server. LibreOffice's own replacement table
(Tools ▸ Options ▸ Fonts, written into the private profile before it starts) maps each to an
open-licensed face of the same kind, so the PDF embeds serif text and kai headings instead of
whatever sans face fontconfig would pick: Noto Serif/Sans CJK SC (fonts-noto-cjk, SIL OFL)
and AR PL UKai CN (fonts-arphic-ukai, Arphic Public License). The .docx keeps the names.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from grassroots.errors import Problem

CANDIDATES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 180
SERIF, SANS, KAI = "Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"
# Face named in the document → open face in the PDF.
SUBSTITUTES = {
    "仿宋_GB2312": SERIF,
    "仿宋": SERIF,
    "FangSong": SERIF,
    "宋体": SERIF,
    "SimSun": SERIF,
    "方正小标宋简体": SERIF,
    "楷体_GB2312": KAI,
    "楷体": KAI,
    "KaiTi": KAI,
    "黑体": SANS,
    "SimHei": SANS,
}
_PAIR = (
    '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
    '<node oor:name="_{i}" oor:op="replace">'
    '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
    '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
    '<prop oor:name="ReplaceFont" oor:op="fuse"><value>{old}</value></prop>'
    '<prop oor:name="SubstituteFont" oor:op="fuse"><value>{new}</value></prop>'
    "</node></item>"
)


def _font_profile(profile: Path) -> None:
    """Write the replacement table into a new LibreOffice profile (registrymodifications.xcu
    is the file LibreOffice itself keeps user settings in)."""
    items = [
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
    ]
    for i, (old, new) in enumerate(SUBSTITUTES.items()):
        items.append(_PAIR.format(i=i, old=escape(old), new=escape(new)))
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n",
        encoding="utf-8",
    )


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
        _font_profile(folder / "profile")
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
