"""Extraction benchmark: a 13-column PostgreSQL table (and the same rows as CSV) into the lake,
dataops end to end next to dlt, connectorx, DuckDB and ``COPY ... TO STDOUT (FORMAT binary)``.

Entry point: ``python -m benchmarks.extract.run --rows 1000000`` (see ``benchmarks/README.md``).
"""
