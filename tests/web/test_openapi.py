"""The served OpenAPI document tells clients the truth about inputs and errors:
every integer input has an upper bound (what its column holds), required text is declared
non-blank, and every operation declares the problem+json answers it can give."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from grassroots.bounds import MAX_ID, NON_BLANK
from grassroots.errors import PROBLEM_MEDIA_TYPE

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture
def document(client_as) -> dict[str, Any]:
    r = client_as("qian").get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def integers(
    document: dict[str, Any], schema: dict[str, Any], where: str, seen: set[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every integer schema reachable from `schema`, with where it is."""
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return
        seen = seen | {schema["$ref"]}
    schema = resolve(document, schema)
    if schema.get("type") == "integer":
        yield where, schema
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for i, sub in enumerate(schema.get(key, [])):
            yield from integers(document, sub, f"{where}[{i}]", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from integers(document, schema[key], f"{where}.{key}", seen)
    for name, sub in schema.get("properties", {}).items():
        yield from integers(document, sub, f"{where}.{name}", seen)


def inputs(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, integer schema) of every parameter and request body of every operation."""
    for label, operation in operations(document):
        for p in operation.get("parameters", []):
            yield from integers(document, p["schema"], f"{label} {p['in']} {p['name']}", set())
        for media, content in operation.get("requestBody", {}).get("content", {}).items():
            yield from integers(document, content["schema"], f"{label} body ({media})", set())


def test_every_integer_input_has_an_upper_bound_the_column_holds(document):
    found = list(inputs(document))
    assert any("{party_id}" in where for where, _ in found)  # path ids are seen
    unbounded = [where for where, s in found if s.get("maximum", MAX_ID + 1) > MAX_ID]
    assert not unbounded, "integer inputs without an upper bound:\n" + "\n".join(unbounded)


def test_ids_in_paths_are_bounded_by_the_id_column(document):
    ids = [(where, s) for where, s in inputs(document) if where.split()[-1].endswith("_id")]
    assert ids
    assert all(s.get("minimum") == 1 and s.get("maximum") == MAX_ID for _, s in ids), ids


def test_required_text_is_declared_non_blank(document):
    new_case = resolve(document, {"$ref": "#/components/schemas/NewCase"})
    for name in ("title", "description", "category_code", "source_code"):
        assert new_case["properties"][name].get("pattern") == NON_BLANK, name


def test_every_operation_declares_its_problem_answers(document):
    assert document["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "code",
    ]
    wrong = []
    for label, operation in operations(document):
        responses = operation["responses"]
        errors = {int(s): r for s, r in responses.items() if int(s) >= 400}
        path = label.split()[1]
        public = path in {"/api/v1/auth/login", "/healthz"} or path.startswith("/api/v1/public/")
        expected = {500} | (set() if public else {401, 403})
        if operation.get("parameters") or "requestBody" in operation:
            expected |= {404, 422}
        if label.split()[0] != "GET":
            expected |= {409, 413}
        if missing := expected - errors.keys():
            wrong.append(f"{label}: no {sorted(missing)}")
        for status, response in errors.items():
            content = response.get("content", {})
            schema = content.get(PROBLEM_MEDIA_TYPE, {}).get("schema")
            if set(content) != {PROBLEM_MEDIA_TYPE} or schema != {
                "$ref": "#/components/schemas/Problem"
            }:
                wrong.append(f"{label} {status}: {content}")
    assert not wrong, "\n".join(wrong)


def test_login_declares_its_refusals(document):
    responses = document["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert {"401", "422", "429"} <= responses.keys()


def test_file_downloads_declare_their_file_types(document):
    download = document["paths"]["/api/v1/reports/{report_id}/download"]["get"]
    types = set(download["responses"]["200"]["content"])
    assert "application/json" not in types and len(types) >= 2, types


def test_the_document_holds_the_api_only(document):
    """Pages (HTML forms such as /reports/generate) are not API operations."""
    outside = [p for p in document["paths"] if not p.startswith("/api/v1/") and p != "/healthz"]
    assert not outside, outside
