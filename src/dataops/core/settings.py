"""Typed settings, read from the environment (prefix ``DATAOPS_``) and nothing else.

Nested sections use a double underscore: ``DATAOPS_AUTH__SESSION_TTL_MINUTES=60``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path.home() / ".dataops"


class AuthSettings(BaseModel):
    """Sessions, tokens and the login rate limit."""

    session_ttl_minutes: int = Field(
        default=12 * 60, ge=5, description="Idle lifetime of a browser session."
    )
    session_absolute_ttl_minutes: int = Field(
        default=7 * 24 * 60, ge=5, description="Maximum lifetime of a session, however active."
    )
    cookie_secure: bool = Field(
        default=False,
        description="Send cookies only over HTTPS. Turn on behind TLS (always in production).",
    )
    max_failed_logins: int = Field(
        default=5, ge=1, description="Failed logins allowed per username per window."
    )
    max_failed_logins_per_address: int = Field(
        default=50,
        ge=1,
        description="Failed logins allowed per client address per window (higher than per user: "
        "many people may share one address behind a proxy).",
    )
    failed_login_window_seconds: int = Field(
        default=15 * 60, ge=1, description="Window over which failed logins are counted."
    )
    password_min_length: int = Field(default=12, ge=8, description="Minimum password length.")


class ApiSettings(BaseModel):
    """HTTP limits."""

    max_request_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest request body accepted (413 above)."
    )


class SourcesSettings(BaseModel):
    """Connectors: timeouts and what they may reach."""

    file_roots: list[Path] = Field(
        default_factory=list,
        description="Folders file sources may read (comma-free JSON list in the environment, e.g. "
        "'[\"/data/landing\"]'). Default: `files/` under the home.",
    )
    allow_private_endpoints: bool = Field(
        default=False,
        description="Let REST and S3 sources reach private, loopback and link-local addresses. "
        "The instance-metadata address 169.254.169.254 is always refused.",
    )
    timeout_seconds: float = Field(
        default=10.0, gt=0, le=600, description="Connect/read timeout of every source call."
    )
    preview_max_rows: int = Field(default=1000, ge=1, le=100_000, description="Largest preview.")


class LakeSettings(BaseModel):
    """Where Delta tables live: a local folder (default) or S3-compatible object storage."""

    uri: str | None = Field(
        default=None,
        description="Root of the lake: a local folder or `s3://bucket/prefix`. "
        "Default: `lake/` under the home.",
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint (MinIO, moto...); default: AWS."
    )
    s3_region: str = Field(default="us-east-1", description="S3 region.")
    s3_access_key_id: str | None = Field(default=None, description="S3 access key id.")
    s3_secret_access_key: SecretStr | None = Field(default=None, description="S3 secret key.")
    s3_allow_http: bool = Field(
        default=False, description="Allow a plain-HTTP endpoint (local emulators only)."
    )


class DatasetsSettings(BaseModel):
    """Extraction runs and the scheduler."""

    workers: int = Field(
        default=2, ge=1, le=64, description="Extractions that may run at once per server."
    )
    isolation: Literal["process", "thread"] = Field(
        default="process",
        description="Run each extraction in a worker process of its own (memory returned when it "
        "ends, hard cancel) or in a thread of the server.",
    )
    retry_attempts: int = Field(
        default=3, ge=1, le=20, description="Attempts of a run on transient errors."
    )
    retry_base_seconds: float = Field(
        default=1.0, ge=0, le=600, description="First retry delay; doubles each attempt."
    )
    scheduler: bool = Field(
        default=True, description="Run the in-process scheduler in `dataops up`."
    )
    scheduler_interval_seconds: float = Field(
        default=5.0, gt=0, le=300, description="How often the scheduler looks for due ticks."
    )
    heartbeat_seconds: float = Field(
        default=5.0, gt=0, le=300, description="How often a running extraction records progress."
    )
    stale_after_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A running run with no heartbeat for this long is marked interrupted.",
    )
    batch_rows: int = Field(
        default=131_072, ge=1024, le=4_000_000, description="Rows per Arrow batch read."
    )


class Settings(BaseSettings):
    """Every setting of a dataops deployment, documented field by field."""

    model_config = SettingsConfigDict(
        env_prefix="DATAOPS_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    home: Path = Field(
        default_factory=_default_home,
        description="Folder holding everything of the embedded default: "
        "metadata DB, lake, key file.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the metadata store; default: SQLite file in `home`. "
        "Use postgresql+psycopg://user:pass@host/db for PostgreSQL.",
    )
    master_key: SecretStr | None = Field(
        default=None,
        description="Master key(s) for secrets at rest, comma separated, primary first "
        "(`dataops keys generate` makes one). Default: a generated key file in `home`.",
    )
    host: str = Field(default="127.0.0.1", description="Address `dataops up` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `dataops up` listens on.")
    log_level: str = Field(default="INFO", description="Python logging level.")
    url: str = Field(
        default="http://127.0.0.1:8000",
        description="Server the CLI's API commands (`dataops sources ...`) talk to.",
    )
    token: SecretStr | None = Field(
        default=None, description="API token the CLI's API commands send (create one in the UI)."
    )
    auth: AuthSettings = Field(default_factory=AuthSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    sources: SourcesSettings = Field(default_factory=SourcesSettings)
    lake: LakeSettings = Field(default_factory=LakeSettings)
    datasets: DatasetsSettings = Field(default_factory=DatasetsSettings)

    @property
    def resolved_database_url(self) -> str:
        """The metadata store URL, defaulting to the SQLite file under ``home``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'metadata.db'}"

    @property
    def key_file(self) -> Path:
        """Where the generated master key lives when no key comes from the environment."""
        return self.home / "master.key"

    @property
    def lake_dir(self) -> Path:
        """Root folder of the local Delta lake."""
        return self.home / "lake"

    @property
    def file_roots(self) -> tuple[Path, ...]:
        """Folders file sources may read: the configured ones, else ``files/`` in the home."""
        return tuple(self.sources.file_roots) or (self.home / "files",)

    def ensure_home(self) -> None:
        """Create the home folder (private to the owner) and the lake folder."""
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.lake_dir.mkdir(parents=True, exist_ok=True)
        (self.home / "files").mkdir(exist_ok=True)
