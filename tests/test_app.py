"""The HTTP app's shell: health, problem+json errors, OpenAPI."""

from __future__ import annotations


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_unknown_route_is_problem_json(client):
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "not_found" and body["status"] == 404


def test_openapi_served_to_logged_in_users_only(client, client_as):
    assert client.get("/api/v1/openapi.json").status_code == 401
    r = client_as("wang").get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert r.json()["info"]["title"] == "grassroots"
