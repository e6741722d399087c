"""The CLI's HTTP client: API commands act as the user behind ``DATAOPS_TOKEN``, so they are
authorised and audited exactly like the web UI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import typer

from dataops.cli.context import err_console, fail
from dataops.core.settings import Settings


class ApiClient:
    def __init__(self, settings: Settings) -> None:
        if settings.token is None:
            raise fail(
                "set DATAOPS_TOKEN to an API token (web UI: user menu → API tokens) "
                f"and DATAOPS_URL to the server (now {settings.url})"
            )
        self._http = httpx.Client(
            base_url=settings.url.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {settings.token.get_secret_value()}"},
            timeout=httpx.Timeout(120.0, connect=10.0),
        )

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        return response.json() if response.content else None

    def text(self, method: str, path: str, **kwargs: Any) -> str:
        """The response body as text (YAML exports)."""
        return self._send(method, path, **kwargs).text

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise fail(f"cannot reach the dataops server: {exc}") from exc
        if response.status_code >= 400:
            _explain(response)
            raise typer.Exit(1)
        return response

    def close(self) -> None:
        self._http.close()


@contextmanager
def api_client() -> Iterator[ApiClient]:
    """A client for the server in DATAOPS_URL as the user of DATAOPS_TOKEN (closed on exit)."""
    client = ApiClient(Settings())
    try:
        yield client
    finally:
        client.close()


def _explain(response: httpx.Response) -> None:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        err_console.print(f"[bold red]error:[/] HTTP {response.status_code}: {response.text[:300]}")
        return
    err_console.print(f"[bold red]error:[/] {error['message']} (HTTP {response.status_code})")
    for field in error.get("details", {}).get("fields", [])[1:]:
        err_console.print(f"  {field['field']}: {field['message']}")
