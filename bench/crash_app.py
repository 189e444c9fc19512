"""The app the crash benchmark serves (uvicorn --factory bench.crash_app:create).

While the interim header authentication is in place (create_app's trust_user_header), the
benchmark's clients name their user in a header; once bearer tokens exist it uses a token
and this factory is the plain app.
"""

from __future__ import annotations

import inspect
from typing import Any

from grassroots.app import create_app
from grassroots.config import get_settings


def create() -> Any:
    kwargs: dict[str, Any] = {}
    if "trust_user_header" in inspect.signature(create_app).parameters:
        kwargs["trust_user_header"] = True
    return create_app(get_settings(), **kwargs)
