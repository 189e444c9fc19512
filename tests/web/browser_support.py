"""Helpers of the browser tests: accessibility check (axe-core) and screenshots."""

from __future__ import annotations

import fcntl
import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.web.conftest import ARTIFACTS, DESKTOP, PHONE, SERVER_DATABASES, origin_of

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"

# The basic check of issue 5: labels, alt text, lang, heading order, contrast, names of
# buttons/links, page title, valid ARIA. (Run by axe-core, vendored from npm for the tests.)
AXE_RULES = [
    "label",
    "select-name",
    "image-alt",
    "input-image-alt",
    "html-has-lang",
    "html-lang-valid",
    "valid-lang",
    "heading-order",
    "page-has-heading-one",
    "empty-heading",
    "color-contrast",
    "document-title",
    "button-name",
    "link-name",
    "aria-allowed-attr",
    "aria-required-attr",
    "aria-valid-attr",
    "aria-valid-attr-value",
    "duplicate-id-aria",
    "form-field-multiple-labels",
    "list",
    "listitem",
]


def accessibility_violations(page: Any) -> list[str]:
    """axe-core's findings on the current page for AXE_RULES, one line each."""
    page.wait_for_load_state("load")  # stylesheets applied: contrast is computed from them
    # Evaluated, not added as a <script> element: the page's Content-Security-Policy allows
    # no inline script, and Playwright's evaluation is not subject to it.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (rules) => {
            const r = await axe.run(document, {runOnly: {type: 'rule', values: rules},
                                               resultTypes: ['violations']});
            return r.violations.map(v => v.id + ': ' + v.help + ' — ' +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""",
        AXE_RULES,
    )
    return list(result)


SERIOUS = ("serious", "critical")


def serious_violations(page: Any, skip: tuple[str, ...] = ()) -> list[str]:
    """axe-core's findings on the current page over ALL its rules (WCAG 2 A/AA and best
    practice) but `skip`, that it rates serious or critical, one line each (issue 16 item 8)."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async ([impacts, skip]) => {
            const rules = Object.fromEntries(skip.map(id => [id, {enabled: false}]));
            const r = await axe.run(document, {resultTypes: ['violations'], rules});
            return r.violations.filter(v => impacts.includes(v.impact)).map(v =>
                v.impact + ' ' + v.id + ': ' + v.help + ' — ' +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""",
        [list(SERIOUS), list(skip)],
    )
    return list(result)


def assert_accessible(page: Any) -> None:
    violations = accessibility_violations(page)
    assert not violations, f"{page.url}: " + "\n".join(violations)


SIZES = (("desktop", DESKTOP), ("phone", PHONE))
MANIFEST = ARTIFACTS / "manifest.json"


def screenshot(page: Any, name: str) -> None:
    """Write artifacts/screenshots/<db>/<name>-desktop.png and <name>-phone.png (db: the live
    server's database) and list them in artifacts/screenshots/index.html."""
    db = SERVER_DATABASES[origin_of(page.url)]
    folder = ARTIFACTS / db
    folder.mkdir(parents=True, exist_ok=True)
    parts = urlsplit(page.url)
    shown = parts.path + (f"?{parts.query}" if parts.query else "")
    shots = {}
    for label, size in SIZES:
        page.set_viewport_size(size)
        page.wait_for_timeout(150)  # let Leaflet/ECharts re-layout after the resize
        file = f"{db}/{name}-{label}.png"
        png = page.screenshot(path=str(ARTIFACTS / file), full_page=True)
        shots[file] = {
            "db": db, "name": name, "size": label,
            "viewport": f"{size['width']}×{size['height']}", "image": _png_size(png),
            "page": shown,
            "title": page.title(),
            "test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
            "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        }  # fmt: skip
    page.set_viewport_size(DESKTOP)
    _update_index(shots)


def _png_size(png: bytes) -> str:
    """Width×height from the PNG header (the full page: taller than the viewport)."""
    return f"{int.from_bytes(png[16:20], 'big')}×{int.from_bytes(png[20:24], 'big')}"


def _update_index(shots: dict[str, dict[str, str]]) -> None:
    """Merge the new shots into manifest.json (earlier runs' shots stay listed while their
    files exist) and rewrite index.html from it; one test process at a time (xdist workers
    share the folder)."""
    with (ARTIFACTS / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _merge_index(shots)


def _merge_index(shots: dict[str, dict[str, str]]) -> None:
    known: dict[str, dict[str, str]] = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
    known.update(shots)
    known = {f: v for f, v in sorted(known.items()) if (ARTIFACTS / f).exists()}
    MANIFEST.write_text(json.dumps(known, ensure_ascii=False, indent=1))
    (ARTIFACTS / "index.html").write_text(_index_html(known), encoding="utf-8")


def _index_row(file: str, s: dict[str, str]) -> str:
    e = html.escape
    cells = [
        e(s["name"]),
        e(s["db"]),
        f"{e(s['size'])} {e(s['viewport'])}<br>image {e(s.get('image', ''))}",
        f"<code>{e(s['page'])}</code><br>{e(s['title'])}",
        f"{e(s['test'])}<br>{e(s['at'])}",
        f'<a href="{e(file)}"><img src="{e(file)}" alt="{e(file)}" loading="lazy" '
        'style="max-width:240px;max-height:180px"></a>',
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _index_html(shots: dict[str, dict[str, str]]) -> str:
    order = sorted(shots.items(), key=lambda i: (i[1]["name"], i[1]["db"], i[1]["size"]))
    rows = "\n".join(_index_row(file, s) for file, s in order)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>grassroots screenshots</title>
<style>body{{font-family:sans-serif}} td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}}
table{{border-collapse:collapse}}</style></head><body>
<h1>Browser test screenshots ({len(shots)})</h1>
<p>Written by tests/web/*_browser.py as
artifacts/screenshots/&lt;db&gt;/&lt;name&gt;-&lt;size&gt;.png.</p>
<table><thead><tr><th>name</th><th>db</th><th>size</th><th>page</th><th>test / taken</th>
<th>shot</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""


def open_register_map(page: Any) -> None:
    """The registration form with its map shown (under 手动定位, collapsed at first)."""
    page.goto("/cases/new")
    page.locator("#manual-place summary").click()
    page.wait_for_selector("#register-map path.leaflet-interactive")


# The elements that reach past the right edge of the viewport (or start left of it), widest
# reach first: what to look at when a page scrolls sideways. Elements inside a clipping map
# (Leaflet's tiles and panes) are left out: they never widen the page.
OVERFLOW_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".leaflet-container") && !el.classList.contains("leaflet-container")) continue;
    const r = el.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || (r.right <= vw + 0.5 && r.left >= -0.5)) continue;
    const cls = typeof el.className === "string" ? el.className : "";
    found.push({tag: el.tagName.toLowerCase(), id: el.id, cls: cls, width: Math.round(r.width),
                right: Math.round(r.right), text: (el.innerText || "").slice(0, 40)});
  }
  found.sort((a, b) => b.right - a.right || b.width - a.width);
  const sheets = [...document.styleSheets].map((s) => (s.href || "inline").split("/").pop());
  return {scroll: document.documentElement.scrollWidth, viewport: vw, widest: found.slice(0, 6),
          state: document.readyState, sheets: sheets};
}
"""


def assert_fits_width(page: Any, width: int, where: str = "") -> None:
    """The page does not scroll sideways at `width`; if it does, the failure names the widest
    elements (tag, id, class, width, right edge, text start), the document's ready state and
    the style sheets it had, so a recurrence is diagnosable. Measured once the page has
    loaded: on a busy machine a layout read before the style sheets arrive sees the unstyled
    page (the browser's 8 px body margin and no wrapping rules)."""
    page.wait_for_load_state("load")
    measured = page.evaluate(OVERFLOW_JS)
    if measured["scroll"] <= width:
        return
    rows = "\n".join(
        f"  <{e['tag']} id={e['id']!r} class={e['cls']!r}> width {e['width']} px, right edge "
        f"{e['right']} px, text {e['text']!r}"
        for e in measured["widest"]
    )
    raise AssertionError(
        f"{where or page.url}: the page is {measured['scroll']} px wide on a {width} px screen "
        f"(viewport {measured['viewport']} px, document {measured['state']}, style sheets "
        f"{measured['sheets']}); the widest elements:\n{rows or '  (none found)'}"
    )
