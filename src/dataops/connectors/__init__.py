"""Connectors: read sources into Arrow. One ``Protocol``, a registry, one module per source type."""
