"""Imported by the extraction fork server only (see :mod:`dataops.datasets.worker`): loads what
every run needs — the connector types and their drivers — once, so a forked run starts reading at
once instead of importing them (~0.8 s). DuckDB is left out on purpose: only the profile process
needs it, and every page the fork server holds counts in each run's resident memory."""

from __future__ import annotations

from dataops.connectors.registry import connector_types

connector_types()
