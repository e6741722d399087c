"""A throw-away PostgreSQL server on a free loopback port, for the benchmark only.

Same recipe as ``tests/fixtures/postgres.py`` (initdb with trust auth, ``fsync=off``, listening on
127.0.0.1 only), without pytest, and with a data folder that survives the run so a generated
10M-row table is made once and reused. ``initdb``/``postgres`` refuse to run as root: as root the
commands run as the ``postgres`` user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

DATABASE = "bench"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bin_dir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin); "
            "install them with `apt-get install -y postgresql`"
        )
    return candidates[-1].parent


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class PostgresServer:
    folder: Path  # holds data/, the socket and the log
    host: str = "127.0.0.1"
    port: int = 0
    user: str = "postgres"
    database: str = DATABASE

    @property
    def data(self) -> Path:
        return self.folder / "data"

    # --- the URLs each client wants ---------------------------------------------------------

    def conninfo(self) -> str:
        return f"host={self.host} port={self.port} dbname={self.database} user={self.user}"

    def url(self) -> str:
        """Plain URL (connectorx)."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}"

    def sqlalchemy_url(self) -> str:
        """SQLAlchemy URL (dlt's sql_database; psycopg 3 is the driver installed)."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{self.database}"

    def settings(self) -> dict[str, object]:
        """Settings of a dataops ``postgres`` source."""
        return {
            "host": self.host,
            "port": self.port,
            "database": self.database,
            "user": self.user,
        }

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        bindir = _bin_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        if not (self.data / "PG_VERSION").exists():
            subprocess.run(
                _as_postgres(
                    [str(bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user,
                     "-E", "UTF8", "--no-sync"]
                ),
                check=True,
                capture_output=True,
            )  # fmt: skip
        # A server left running by an interrupted run of ours on this data folder: stop it.
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "fast")
        self.port = free_port()
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB "
            "-c shared_buffers=256MB"
        )
        self._pg_ctl("start", "-w", "-l", str(self.folder / "log"), "-o", options, check=True)
        if not self._has_database():
            self._psql("postgres", f'CREATE DATABASE "{self.database}"')
        return self

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def version(self) -> str:
        return self._psql(self.database, "SHOW server_version").strip()

    # --- helpers ----------------------------------------------------------------------------

    def _pg_ctl(self, *args: str, check: bool = False) -> None:
        subprocess.run(
            _as_postgres([str(_bin_dir() / "pg_ctl"), "-D", str(self.data), *args]),
            check=check,
            capture_output=True,
        )

    def _psql(self, database: str, sql: str) -> str:
        return subprocess.run(
            [str(_bin_dir() / "psql"), "-h", self.host, "-p", str(self.port), "-U", self.user,
             "-d", database, "-Atc", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout  # fmt: skip

    def _has_database(self) -> bool:
        found = self._psql(
            "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{self.database}'"
        )
        return found.strip() == "1"
