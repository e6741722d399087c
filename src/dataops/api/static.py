"""Serving the built web UI, with the single-page-app fallback."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

UI_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"


def ui_available(dist: Path = UI_DIST) -> bool:
    return (dist / "index.html").is_file()


def is_spa_path(request: Request) -> bool:
    """A browser navigation the UI should handle (not an API call, not a missing asset)."""
    path = request.url.path
    return (
        request.method in ("GET", "HEAD")
        and not path.startswith(("/api/", "/api", "/health", "/assets/"))
        and "." not in path.rsplit("/", 1)[-1]
    )


def spa_index(dist: Path = UI_DIST) -> Response:
    return FileResponse(dist / "index.html", headers={"cache-control": "no-cache"})


def mount_ui(app: FastAPI, dist: Path = UI_DIST) -> None:
    """Serve ``dist`` at ``/`` (mounted last, so every API route wins)."""
    if ui_available(dist):
        app.mount("/", StaticFiles(directory=dist, html=True), name="ui")
