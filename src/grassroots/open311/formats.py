"""The two wire formats of GeoReport v2: XML (required) and JSON (the Spark convention).

A response is plain data: lists and dicts of str/int/float/bool/None. XML writes a list
under its plural tag with one singular child per item (services › service, attributes ›
attribute); JSON writes the same data as the spec's examples do (a top-level array for
services, requests and errors; an object for discovery and a service definition).
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from fastapi.responses import Response

FORMATS = ("xml", "json")
MEDIA_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# Plural tag → the tag of each item (the spec's XML examples).
SINGULAR = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311Error(Exception):
    """One or more errors in the spec's format ([{code, description}]) with an HTTP status:
    404 for what does not exist, 403 for a missing or wrong api_key, 400 for the rest."""

    def __init__(
        self, status: int, description: str, code: int | str | None = None,
        more: list[str] | None = None, headers: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(description)
        self.status = status
        self.headers = headers or {}
        self.errors = [
            {"code": code if code is not None else status, "description": text}
            for text in [description, *(more or [])]
        ]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        child_tag = SINGULAR[element.tag]
        for item in value:
            _fill(ET.SubElement(element, child_tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    """The document with its XML declaration (UTF-8, as the spec requires)."""
    element = ET.Element(root)
    _fill(element, data)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def render(fmt: str, root: str, data: Any, status: int = 200) -> Response:
    """`data` under `root` in the format asked for (fmt already checked)."""
    body = json.dumps(data, ensure_ascii=False).encode() if fmt == "json" else to_xml(root, data)
    return Response(body, status, media_type=MEDIA_TYPES[fmt])


def error_response(fmt: str, error: Open311Error) -> Response:
    response = render(fmt if fmt in FORMATS else "xml", "errors", error.errors, error.status)
    response.headers.update(error.headers)
    return response


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(400, f"unsupported format '{fmt[:20]}': use .xml or .json")
    return fmt
