"""A real `dataops up` for the CLI's API commands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.server import RunningServer, start_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path / "home")
    yield running
    running.stop()
