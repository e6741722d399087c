"""`python -m dataops` runs the CLI."""

from dataops.cli.main import app

app()
