"""media_url (the spec's "a URL to media associated with the request"): accepted as an
http(s) link, stored exactly, answered escaped in XML and as a plain string in JSON, never
fetched by the server; anything that is no plain http(s) URL is a 400 that registers
nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lxml import html
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grassroots.cases.models import Case
from grassroots.open311.models import Open311Request
from tests.open311.test_georeport import V2, errors_of, post, xml


@contextmanager
def media_host() -> Iterator[list[str]]:
    """A local web server that records every request made to it, of any method."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            seen.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.end_headers()

        do_GET = do_HEAD = do_POST = _any  # noqa: N815

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        seen.insert(0, f"http://127.0.0.1:{server.server_port}")
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def test_media_url_is_stored_escaped_in_xml_and_never_fetched(client, session: Session,
                                                              spec_example):  # fmt: skip
    with media_host() as seen:
        url = f"{seen.pop(0)}/photo.jpg?a=1&b=%3Cscript%3E"
        created = post(client, spec_example | {"media_url": url}, "json")
        assert created.status_code == 200, created.text
        code = created.json()[0]["service_request_id"]
        stored = session.scalars(select(Open311Request.media_url)).all()
        assert stored == [url]
        raw = client.get(f"{V2}/requests/{code}.xml")
        assert "a=1&amp;b=%3Cscript%3E" in raw.text and "<script" not in raw.text
        assert xml(raw).findtext("request/media_url") == url
        assert client.get(f"{V2}/requests/{code}.json").json()[0]["media_url"] == url
        assert seen == []  # the server never asked the media host for anything


def test_anything_but_a_plain_http_link_is_refused(client, session: Session, spec_example):
    before = session.scalar(select(func.count()).select_from(Open311Request))
    for bad in ("javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://host/x",
                'https://host/x"onmouseover="alert(1)', "https://host/<script>",
                "https://host/a b", "//host/x", "https://" + "x" * 1000):  # fmt: skip
        refused = post(client, spec_example | {"media_url": bad})
        assert refused.status_code == 400, bad
        assert any("media_url" in description for _, description in errors_of(refused)), bad
    assert session.scalar(select(func.count()).select_from(Open311Request)) == before


def test_staff_see_the_media_url_as_a_link_never_fetched(client, client_as, session: Session,
                                                          spec_example):  # fmt: skip
    """The case's Open311 page (as visible as the case) shows media_url escaped, as a link
    that sends no referrer and opens no window handle; the server still asks nothing."""
    with media_host() as seen:
        url = f"{seen.pop(0)}/photo.jpg?a=1&b=%3Cscript%3E"
        created = post(client, spec_example | {"media_url": url}, "json")
        assert created.status_code == 200, created.text
        case_id = session.scalars(select(Open311Request.case_id)).one()
        code = session.scalars(select(Case.code).where(Case.id == case_id)).one()
        wang = client_as("wang")
        assert f'href="/cases/{code}/open311"' in wang.get(f"/cases/{code}").text
        page = wang.get(f"/cases/{code}/open311")
        assert page.status_code == 200
        link = html.fromstring(page.text).get_element_by_id("open311-media").find("a")
        assert link.get("href") == url and link.text == url
        assert set(link.get("rel").split()) == {"noopener", "noreferrer"}
        shown = page.text.split('id="open311-media"')[1]
        assert "a=1&amp;b=%3Cscript%3E" in shown and "<script" not in shown
        assert seen == []
    other = session.scalars(select(Case.code).where(Case.id != case_id)).first()
    assert other is None or wang.get(f"/cases/{other}/open311").status_code == 404
    assert client_as("zhou").get(f"/cases/{code}/open311").status_code == 404  # another township
