"""The route table: every route answers its own path (no route earlier in the table takes
it), whatever order the domains' routers are included in (app.py orders them by how often
they are called), and the hot paths are tried first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import Match

SAMPLE = {"int": "7", "float": "7.5"}  # anything else: a value no literal segment spells


def _scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def _leaves(app: Any) -> Iterator[tuple[int, str, APIRoute]]:
    """(position in the app's table, full path, route) of every API route and page."""
    for position, top in enumerate(app.router.routes):
        router = getattr(top, "original_router", None)  # an included router
        prefix = top.include_context.prefix if router is not None else ""
        for route in router.routes if router is not None else [top]:
            if isinstance(route, APIRoute):
                yield position, prefix + route.path_format, route


def _concrete(path: str, route: APIRoute) -> str:
    def sample(m: re.Match[str]) -> str:
        kind = type(route.param_convertors.get(m.group(1))).__name__.removesuffix("Convertor")
        return SAMPLE.get(kind.lower(), "zq9-sample")

    return re.sub(r"{(\w+)}", sample, path)


def _first_full(app: Any, method: str, path: str) -> int | None:
    for position, top in enumerate(app.router.routes):
        if top.matches(_scope(method, path))[0] == Match.FULL:
            return position
    return None


def test_every_route_answers_its_own_path(app):
    checked = 0
    for position, path, route in _leaves(app):
        for method in sorted(route.methods or ()):
            found = _first_full(app, method, _concrete(path, route))
            assert found == position, f"{method} {path} is taken by entry {found}"
            checked += 1
    assert checked > 200  # the whole table, not an empty walk


def test_the_hot_paths_are_tried_first(app):
    assert _first_full(app, "GET", "/healthz") == 0
    assert _first_full(app, "POST", "/api/v1/cases") is not None
    assert _first_full(app, "POST", "/api/v1/cases") <= 2  # healthz, static, then intake
    assert _first_full(app, "GET", "/api/v1/case-categories") <= 3
