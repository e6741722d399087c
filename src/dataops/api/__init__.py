"""The HTTP application: ``create_app(settings)``."""

from dataops.api.app import create_app

__all__ = ["create_app"]
