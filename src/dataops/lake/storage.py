"""Where lake tables live, and the options delta-rs needs to reach them.

Table locations are built here and nowhere else: ``<root>/<zone>/<name>``. Zones in use:
``datasets`` (one table per extracted dataset), ``quarantine`` (bad records per dataset),
``objects`` (one table per object type) and ``rejected`` (records syncs rejected, per mapping).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum

from dataops.core.settings import Settings

log = logging.getLogger(__name__)


class Zone(StrEnum):
    DATASETS = "datasets"
    QUARANTINE = "quarantine"
    OBJECTS = "objects"  # one table per object type
    REJECTED = "rejected"  # records a mapping's syncs rejected, one table per mapping


@dataclass(frozen=True)
class Lake:
    """The lake root (a local folder or ``s3://bucket/prefix``) and its storage options.

    >>> Lake("/srv/lake").table_uri(Zone.DATASETS, "01H")
    '/srv/lake/datasets/01H'
    >>> Lake("s3://b/p/").table_uri(Zone.QUARANTINE, "01H")
    's3://b/p/quarantine/01H'
    """

    root: str
    storage_options: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def is_remote(self) -> bool:
        return "://" in self.root

    def table_uri(self, zone: Zone, name: str) -> str:
        if "/" in name or name in {"", ".", ".."}:
            raise ValueError(f"invalid lake table name {name!r}")
        return f"{self.root.rstrip('/')}/{zone.value}/{name}"

    def describe(self) -> str:
        """The root, safe to show (storage options carry credentials)."""
        return self.root


def lake_from_settings(settings: Settings) -> Lake:
    """The lake of a deployment: ``settings.lake.uri`` or ``lake/`` under the home."""
    config = settings.lake
    if not config.uri:
        return Lake(str(settings.lake_dir))
    if not config.uri.startswith("s3://"):
        return Lake(config.uri)
    options = {"AWS_REGION": config.s3_region}
    if config.s3_endpoint_url:
        options["AWS_ENDPOINT_URL"] = config.s3_endpoint_url
    if config.s3_access_key_id:
        options["AWS_ACCESS_KEY_ID"] = config.s3_access_key_id
    if config.s3_secret_access_key is not None:
        options["AWS_SECRET_ACCESS_KEY"] = config.s3_secret_access_key.get_secret_value()
    if config.s3_allow_http:
        options["AWS_ALLOW_HTTP"] = "true"
    return Lake(config.uri, options)
