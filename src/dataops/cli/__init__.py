"""The `dataops` command line (typer + rich)."""
