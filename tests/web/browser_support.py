"""Helpers of the browser tests: accessibility check (axe-core) and screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.web.conftest import ARTIFACTS, DESKTOP, PHONE

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
    page.add_script_tag(path=str(AXE))
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


def assert_accessible(page: Any) -> None:
    violations = accessibility_violations(page)
    assert not violations, f"{page.url}: " + "\n".join(violations)


def screenshot(page: Any, name: str) -> None:
    """Write <name>-desktop.png and <name>-phone.png into artifacts/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)  # let Leaflet/ECharts re-layout after the resize
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
