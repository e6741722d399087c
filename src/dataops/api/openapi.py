"""The OpenAPI document, built without touching any store (``dataops openapi``)."""

from __future__ import annotations

from typing import Any

from dataops.api.app import assemble_app
from dataops.core.settings import Settings


def openapi_document() -> dict[str, Any]:
    return assemble_app(Settings()).openapi()
