"""HTTP routes of the datasets domain. Object-level access (the source's owner and grants) is
checked in the service; the route guards check the role-level permission."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.orm import Session

from dataops.auth.guards import allow, current_principal
from dataops.auth.permissions import Permission
from dataops.auth.principal import Principal
from dataops.datasets import data, quarantine, runs, schedule, service
from dataops.datasets.runner import Runner
from dataops.datasets.schemas import (
    CronPreviewOut,
    DataPreviewOut,
    DatasetCreate,
    DatasetList,
    DatasetOut,
    DatasetUpdate,
    ProfileOut,
    QuarantineList,
    QuarantineStatus,
    ReprocessRequest,
    RunList,
    RunOut,
    RunStatus,
    VersionList,
)
from dataops.http.context import AppContext, app_context
from dataops.http.database import db_session

router = APIRouter(tags=["datasets"])
_ANY = Permission.AUTHENTICATED
_WRITE = Permission.DATASETS_WRITE


def runner(request: Request) -> Runner:
    found = request.app.state.runner
    assert isinstance(found, Runner)
    return found


@router.get("/datasets", **allow(_ANY))
def list_datasets(
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> DatasetList:
    """Datasets of the sources you may use."""
    return service.list_datasets(session, principal, ctx.settings)


@router.post("/datasets", status_code=status.HTTP_201_CREATED, **allow(_WRITE))
def create_dataset(
    body: DatasetCreate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> DatasetOut:
    """Define what to extract from a source; nothing is read until the first run."""
    return service.create_dataset(session, principal, ctx.settings, body)


@router.get("/datasets/cron-preview", **allow(_ANY))
def preview_cron(
    cron: Annotated[str, Query(max_length=128)],
    timezone: Annotated[str, Query(max_length=64)] = "UTC",
) -> CronPreviewOut:
    """The next five times a cron expression fires (checks it, for the schedule form)."""
    return CronPreviewOut(next_runs=schedule.next_times(cron, timezone, 5))


@router.get("/datasets/{dataset_id}", **allow(_ANY))
def read_dataset(
    dataset_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> DatasetOut:
    """One dataset with its last run and lake state."""
    return service.get_dataset(session, principal, ctx.settings, dataset_id)


@router.patch("/datasets/{dataset_id}", **allow(_WRITE))
def update_dataset(
    dataset_id: str,
    body: DatasetUpdate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> DatasetOut:
    """Change a dataset; the lake table and its history stay."""
    return service.update_dataset(session, principal, ctx.settings, dataset_id, body)


@router.delete("/datasets/{dataset_id}", status_code=status.HTTP_204_NO_CONTENT, **allow(_WRITE))
def delete_dataset(
    dataset_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> Response:
    """Delete the definition and its run history. The lake table's files are kept (audited)."""
    service.delete_dataset(session, principal, dataset_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/datasets/{dataset_id}/preview", **allow(_ANY))
def preview_dataset_source(
    dataset_id: str,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 100,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> DataPreviewOut:
    """The first rows at the source now (the limit is pushed down to it). Audited."""
    return data.preview_source(session, principal, ctx.settings, dataset_id, limit)


@router.get("/datasets/{dataset_id}/data", **allow(_ANY))
def preview_dataset_data(
    dataset_id: str,
    version: Annotated[int | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 100,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> DataPreviewOut:
    """The first rows of the lake table, at ``version`` (time travel) or the latest. Audited."""
    return data.preview_lake(session, principal, ctx.settings, dataset_id, version, limit)


@router.get("/datasets/{dataset_id}/versions", **allow(_ANY))
def list_dataset_versions(
    dataset_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> VersionList:
    """The lake table's commits, newest first, with the run that made each."""
    return data.list_versions(session, principal, ctx.settings, dataset_id)


@router.get("/datasets/{dataset_id}/profile", **allow(_ANY))
def read_dataset_profile(
    dataset_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> ProfileOut:
    """Column statistics computed after the last successful extraction."""
    return data.read_profile(session, principal, dataset_id)


@router.post("/datasets/{dataset_id}/runs", status_code=status.HTTP_202_ACCEPTED, **allow(_WRITE))
def start_dataset_run(
    dataset_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    queue: Runner = Depends(runner),
) -> RunOut:
    """Queue an extraction now; poll the run for live progress."""
    run = runs.start_manual_run(session, principal, dataset_id)
    queue.submit(run.id)
    return run


@router.get("/datasets/{dataset_id}/runs", **allow(_ANY))
def list_dataset_runs(
    dataset_id: str,
    status_filter: Annotated[RunStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> RunList:
    """Extraction history, newest first."""
    return runs.list_runs(session, principal, dataset_id, status_filter, limit, offset)


@router.get("/datasets/{dataset_id}/runs/{run_id}", **allow(_ANY))
def read_dataset_run(
    dataset_id: str,
    run_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> RunOut:
    """One run; ``rows`` grows while it is running."""
    return runs.get_run(session, principal, dataset_id, run_id)


@router.post("/datasets/{dataset_id}/runs/{run_id}/cancel", **allow(_WRITE))
def cancel_dataset_run(
    dataset_id: str,
    run_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    queue: Runner = Depends(runner),
) -> RunOut:
    """Stop a queued or running extraction; nothing of it is committed."""
    run = runs.request_cancel(session, principal, dataset_id, run_id)
    queue.cancel(run_id)
    return run


@router.get("/datasets/{dataset_id}/quarantine", **allow(_ANY))
def list_quarantined_records(
    dataset_id: str,
    run_id: Annotated[str | None, Query(max_length=26)] = None,
    status_filter: Annotated[QuarantineStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> QuarantineList:
    """Bad records set aside by extractions, with the reason, line/row and raw text. Audited."""
    return quarantine.list_records(
        session, principal, ctx.settings, dataset_id, run_id, status_filter, limit, offset
    )


@router.post(
    "/datasets/{dataset_id}/quarantine/reprocess",
    status_code=status.HTTP_202_ACCEPTED,
    **allow(_WRITE),
)
def reprocess_quarantined_records(
    dataset_id: str,
    body: ReprocessRequest,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    queue: Runner = Depends(runner),
) -> RunOut:
    """Queue a run that parses open quarantined records again with the dataset's current
    settings; records that now fit are loaded and marked resolved."""
    run = runs.start_reprocess_run(session, principal, dataset_id, body.ids, body.corrections)
    queue.submit(run.id)
    return run
