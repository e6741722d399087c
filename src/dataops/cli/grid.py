"""Rows of a preview as a terminal table."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from dataops.cli.context import console


def print_preview(result: dict[str, Any]) -> None:
    """Print a preview answer (``columns``, ``rows``, ``row_count``) as a table."""
    grid = Table(*[f"{c['name']}\n[dim]{c['data_type']}[/]" for c in result["columns"]])
    for row in result["rows"]:
        grid.add_row(*["[dim]NULL[/]" if v is None else str(v) for v in row])
    console.print(grid)
    console.print(f"{result['row_count']} row(s)")
