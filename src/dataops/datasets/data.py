"""Reading a dataset's data: a live preview at the source, the lake table at any version (time
travel), its commits and its profile. Every data read is authorized and audited."""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy.orm import Session

from dataops.audit import service as audit
from dataops.auth.principal import Principal
from dataops.core.errors import NotFoundError
from dataops.core.settings import Settings
from dataops.datasets.access import usable_dataset
from dataops.datasets.models import Dataset
from dataops.datasets.profiling import profile_out
from dataops.datasets.schemas import DataPreviewOut, ProfileOut, VersionList, VersionOut
from dataops.datasets.service import read_spec
from dataops.lake.commits import show_value
from dataops.lake.storage import Zone, lake_from_settings
from dataops.lake.tables import LakeTable
from dataops.sources.models import Source
from dataops.sources.rows import table_rows
from dataops.sources.service import audited_preview, check_preview_limit, preview_columns


def _lake_table(settings: Settings, dataset: Dataset) -> LakeTable:
    lake = lake_from_settings(settings)
    return LakeTable.of(lake, Zone.DATASETS, dataset.id)


def _preview_out(table: pa.Table, limit: int, version: int | None) -> DataPreviewOut:
    return DataPreviewOut(
        columns=preview_columns(table),
        rows=table_rows(table),
        row_count=table.num_rows,
        limit=limit,
        lake_version=version,
    )


def preview_source(
    session: Session, principal: Principal, settings: Settings, dataset_id: str, limit: int
) -> DataPreviewOut:
    """The first rows at the source now, the limit pushed down to it."""
    dataset = usable_dataset(session, principal, dataset_id)
    check_preview_limit(settings, limit, "query.limit")
    source = session.get(Source, dataset.source_id)
    assert source is not None
    details: dict[str, object] = {"name": dataset.name, "where": "source"}
    target = ("dataset", dataset.id)
    spec = read_spec(dataset)
    table = audited_preview(session, principal, source, spec, limit, settings, target, details)
    return _preview_out(table, limit, None)


def preview_lake(
    session: Session,
    principal: Principal,
    settings: Settings,
    dataset_id: str,
    version: int | None,
    limit: int,
) -> DataPreviewOut:
    """The first rows of the lake table at ``version`` (default: the latest)."""
    dataset = usable_dataset(session, principal, dataset_id)
    check_preview_limit(settings, limit, "query.limit")
    table = _lake_table(settings, dataset)
    latest = table.open()
    if latest is None:
        raise NotFoundError(f"dataset {dataset.name!r} has no data yet: run an extraction first")
    if version is not None and version > latest.version():
        raise NotFoundError(
            f"dataset {dataset.name!r} has no version {version} (latest: {latest.version()})",
            field="query.version",
        )
    shown = latest.version() if version is None else version
    at = latest if shown == latest.version() else table.open(shown)
    assert at is not None
    rows = at.to_pyarrow_dataset().head(limit)
    audit.record(
        session,
        principal.actor,
        "data.preview",
        target_type="dataset",
        target_id=dataset.id,
        details={"name": dataset.name, "where": "lake", "version": shown, "rows": rows.num_rows},
    )
    return _preview_out(rows, limit, shown)


def list_versions(
    session: Session, principal: Principal, settings: Settings, dataset_id: str
) -> VersionList:
    dataset = usable_dataset(session, principal, dataset_id)
    history = _lake_table(settings, dataset).history(500)
    return VersionList(
        items=[
            VersionOut(
                version=v.version,
                timestamp=v.timestamp,
                operation=v.operation,
                run_id=v.run_id,
                rows_added=v.rows_added,
                watermark=show_value(v.watermark),
            )
            for v in history
        ]
    )


def read_profile(session: Session, principal: Principal, dataset_id: str) -> ProfileOut:
    dataset = usable_dataset(session, principal, dataset_id)
    if not dataset.profile:
        raise NotFoundError(f"dataset {dataset.name!r} has no profile yet: run an extraction")
    return profile_out(dataset.profile)
