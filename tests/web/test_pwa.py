"""The field kit's manifest and service worker (web/pwa.py): public, and the worker lists
every file the registration page loads, under a version that follows their contents."""

from __future__ import annotations

import json
import re

from grassroots.web.pwa import SHELL_FILES


def test_the_manifest_starts_on_the_registration_page(client):
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/manifest+json"
    )
    assert r.json()["start_url"] == "/cases/new" and r.json()["display"] == "standalone"


def test_the_service_worker_caches_every_script_of_the_registration_page(client, client_as):
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw.headers["content-type"].startswith("text/javascript")
    shell = json.loads(re.search(r"const SHELL = (\[.*\]);", sw.text).group(1))
    assert "/cases/new" in shell and "/map/boundaries.geojson?level=grid" in shell
    page = client_as("wang").get("/cases/new").text
    loaded = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page))
    assert loaded <= set(shell), loaded - set(shell)
    assert len(SHELL_FILES) == len(set(SHELL_FILES))


def test_only_those_who_register_get_the_service_worker(client_as):
    assert "/manifest.webmanifest" in client_as("wang").get("/").text
    assert "app/pwa.js" in client_as("wang").get("/cases/new").text
    assert "/manifest.webmanifest" not in client_as("audit").get("/audit").text
