"""UI languages: catalogues complete and compiled, Chinese by default, English on request."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from grassroots.i18n import LOCALE_DIR, LOCALES, normalise

PACKAGE = LOCALE_DIR.parent


def _po(locale: str):  # type: ignore[no-untyped-def]
    with open(LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def _translated(catalog) -> dict[object, object]:  # type: ignore[no-untyped-def]
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_mo_matches_its_po(locale: str) -> None:
    """The committed .mo is what `make messages` would compile from the committed .po."""
    with open(LOCALE_DIR / locale / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = read_mo(f)
    assert _translated(compiled) == _translated(_po(locale))


def _source_msgids() -> set[str]:
    with open(LOCALE_DIR / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map, options_map
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_ui_message_has_a_chinese_translation() -> None:
    """Nothing in the code or templates falls back to English for a Chinese user."""
    zh = {m.id if isinstance(m.id, str) else m.id[0]: m for m in _po("zh_CN") if m.id}
    sources = _source_msgids()
    assert len(sources) > 20
    missing = sorted(s for s in sources if s not in zh or not zh[s].string or zh[s].fuzzy)
    assert not missing, f"run `make messages` and translate: {missing}"


def test_locale_names_are_normalised() -> None:
    assert normalise("zh-CN") == "zh_CN" and normalise("EN") == "en"
    assert normalise("fr") is None and normalise(None) is None


def test_pages_are_chinese_by_default(client_as) -> None:
    r = client_as("zhao").get("/map", headers={"accept": "text/html"})
    assert r.status_code == 200
    assert '<html lang="zh-CN">' in r.text
    assert "网格地图" in r.text and "退出登录" in r.text


def test_lang_parameter_switches_to_english_and_is_remembered(client_as) -> None:
    client = client_as("zhao")
    r = client.get("/map?lang=en", headers={"accept": "text/html"})
    assert '<html lang="en">' in r.text and "Grid map" in r.text
    assert r.cookies.get("lang") == "en"
    again = client.get("/map", headers={"accept": "text/html"})
    assert "Grid map" in again.text and "网格地图" not in again.text
    back = client.get("/map?lang=zh-CN", headers={"accept": "text/html"})
    assert "网格地图" in back.text
