"""Locked-down, in-memory DuckDB connections for querying Arrow data.

:func:`connect` (or the :func:`session` context manager) opens an in-memory DuckDB database that
can only see what the caller registers with ``con.register(name, obj)`` (pyarrow Tables,
Datasets, RecordBatchReaders). Findings with duckdb 2.0 that shaped it:

- ``enable_external_access=false`` is compatible with scanning registered Arrow objects. It
  refuses every file and network access from SQL with a ``duckdb.PermissionException``:
  ``read_csv``/``read_parquet``/``read_text``/``glob``, ``COPY ... TO``, ``EXPORT DATABASE``,
  ``ATTACH 'file'``, ``INSTALL`` and ``LOAD`` (even of known extensions). It also turns off
  Python "replacement scans" (a query naming a Python variable); ``python_enable_replacements``
  is set to false as well so that never depends on the other setting.
- ``autoinstall_known_extensions``/``autoload_known_extensions`` are off so no download is ever
  attempted (the machine is offline). ``core_functions``, ``icu``, ``json`` and ``parquet`` are
  statically linked in the wheel, so timestamps with time zones work without loading anything.
- ``TimeZone`` and ``enable_progress_bar`` cannot be passed to ``duckdb.connect`` (the first is
  unknown at start-up, the second is refused as a global option), so they are ``SET`` after
  connecting: the session time zone is UTC (``TIMESTAMPTZ`` values come back in UTC whatever
  the host's zone) and the progress bar, which otherwise draws on stdout for queries longer
  than two seconds, is off.
- ``SET lock_configuration = true`` comes last: any later ``SET``/``RESET``/``PRAGMA`` that
  changes an option (including ``enable_external_access`` and unlocking itself) fails with
  ``duckdb.InvalidInputException``. Registering Arrow objects still works when locked.
- An in-memory database spills to ``.tmp`` under the process's working directory by default,
  with 0755/0644 permissions; spilling still works with external access disabled. Each
  connection therefore spills into its own directory inside a per-user private (0700)
  ``dataops-duckdb-<uid>`` under the temp directory; DuckDB creates it on the first spill and
  removes it on ``close()`` (a killed process can leave its spill files behind).
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)

__all__ = ["connect", "session"]

_BASE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "enable_external_access": False,
    "python_enable_replacements": False,
}
_AFTER_CONNECT = (
    "SET enable_progress_bar = false",
    "SET TimeZone = 'UTC'",
    "SET lock_configuration = true",  # must stay last
)


def _spill_directory() -> str:
    """A fresh (not yet existing) directory for one connection's spill files.

    It lives in a per-user 0700 directory under the system temp directory, which is refused if
    it is anything else (a symlink, another user's, readable by others).
    """
    root = Path(tempfile.gettempdir()) / f"dataops-duckdb-{os.getuid()}"
    with suppress(FileExistsError):
        root.mkdir(mode=0o700)
    info = root.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise RuntimeError(f"{root} is not a private directory of this user; not spilling there")
    return str(root / secrets.token_hex(8))


def connect(
    *, memory_limit: str | None = None, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """Open a locked-down in-memory DuckDB connection (see the module docstring).

    ``memory_limit`` is a DuckDB size such as ``"2GB"`` (default: DuckDB's, 80% of RAM) and
    ``threads`` the worker count (default: one per core). The caller must ``close()`` it.

    >>> import pyarrow as pa
    >>> con = connect(threads=1)
    >>> _ = con.register("t", pa.table({"x": [1, 2, 3]}))
    >>> con.sql("SELECT sum(x) FROM t").fetchall()
    [(6,)]
    >>> con.close()
    """
    if threads is not None and threads < 1:
        raise ValueError("threads must be at least 1")
    config = dict(_BASE_CONFIG, temp_directory=_spill_directory())
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    if threads is not None:
        config["threads"] = threads
    con = duckdb.connect(":memory:", config=config)
    try:
        for statement in _AFTER_CONNECT:
            con.execute(statement)
    except BaseException:
        con.close()
        raise
    logger.debug("opened DuckDB session (memory_limit=%s, threads=%s)", memory_limit, threads)
    return con


@contextmanager
def session(
    *, memory_limit: str | None = None, threads: int | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """:func:`connect`, closing the connection when the block ends.

    >>> with session(threads=1) as con:
    ...     con.sql("SELECT 42").fetchall()
    [(42,)]
    """
    con = connect(memory_limit=memory_limit, threads=threads)
    try:
        yield con
    finally:
        con.close()


def quote_identifier(name: str) -> str:
    """``name`` as a DuckDB identifier, whatever it holds.

    >>> print(quote_identifier('a "b" c'))
    "a ""b"" c"
    """
    return '"' + name.replace('"', '""') + '"'
