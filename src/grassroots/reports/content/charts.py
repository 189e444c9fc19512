"""Charts for the report (matplotlib, PNG), drawn with a CJK font the project installs.

The font comes from the Debian package fonts-wqy-zenhei (system-packages.txt) or any Noto
CJK / Source Han font found on the machine. Without one, charts are left out and the report
says so in plain words (a chart with boxes for every character would be worse).
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache

log = logging.getLogger(__name__)

CJK_FAMILIES = (
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
)
NO_FONT_NOTE = (
    "（图表未生成：服务器未安装中文字体，请安装 fonts-wqy-zenhei 或 fonts-noto-cjk 后重新生成。）"
)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first CJK font family matplotlib can use, or None."""
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in available:
            return family
    log.warning("reports: no CJK font found; charts are left out (%s)", NO_FONT_NOTE)
    return None


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=150)


def _png(fig) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def bar_chart(title: str, labels: list[str], counts: list[int]) -> bytes | None:
    """Horizontal bars (e.g. cases by category), largest on top; None without a CJK font."""
    font = cjk_font()
    if font is None:
        return None
    fig = _figure(6.0, 0.35 * max(len(labels), 3) + 1.0)
    ax = fig.add_subplot()
    ax.barh(labels[::-1], counts[::-1], color="#3b6ea5")
    for i, n in enumerate(counts[::-1]):
        ax.text(n, i, f" {n}", va="center", fontfamily=font, fontsize=9)
    ax.set_title(title, fontfamily=font, fontsize=12)
    for label in ax.get_yticklabels():
        label.set_fontfamily(font)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def pie_chart(title: str, labels: list[str], counts: list[int]) -> bytes | None:
    """Shares (e.g. resolved by level); None without a CJK font or with nothing to show."""
    font = cjk_font()
    if font is None or sum(counts) == 0:
        return None
    pairs = [(label, n) for label, n in zip(labels, counts, strict=True) if n > 0]
    fig = _figure(5.0, 3.6)
    ax = fig.add_subplot()
    _, texts, autotexts = ax.pie(
        [n for _, n in pairs],
        labels=[label for label, _ in pairs],
        autopct="%1.1f%%",
        startangle=90,
        counterclock=False,
    )
    for t in (*texts, *autotexts):
        t.set_fontfamily(font)
    ax.set_title(title, fontfamily=font, fontsize=12)
    return _png(fig)
