"""The list of domains, in one place: their models (for migrations, key rotation) and routers."""

from __future__ import annotations

import importlib

import sqlalchemy as sa

from dataops.store.base import Base

DOMAINS = ("auth", "audit", "secrets", "sources", "datasets", "ontology")


def load_models() -> sa.MetaData:
    """Import every domain's models and return the complete metadata."""
    for name in DOMAINS:
        importlib.import_module(f"dataops.{name}.models")
    return Base.metadata
