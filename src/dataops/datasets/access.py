"""Who may see or change a dataset: whoever may use its source sees it; its owner, admins and
editors of the source change it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from dataops.auth.permissions import Role
from dataops.auth.principal import Principal
from dataops.core.errors import NotFoundError, PermissionDeniedError
from dataops.datasets.models import Dataset
from dataops.sources.access import can_edit, can_use, visible_sources_filter
from dataops.sources.models import Source


def visible_datasets_filter(principal: Principal) -> sa.ColumnElement[bool]:
    """SQL condition selecting the datasets ``principal`` may see (join Source first)."""
    if principal.role is Role.ADMIN:
        return sa.true()
    return sa.or_(Dataset.owner_id == principal.user_id, visible_sources_filter(principal))


def _source(session: Session, dataset: Dataset) -> Source:
    source = session.get(Source, dataset.source_id)
    assert source is not None  # a foreign key
    return source


def dataset_editable(session: Session, principal: Principal, dataset: Dataset) -> bool:
    if principal.role is Role.ADMIN or dataset.owner_id == principal.user_id:
        return True
    return can_edit(session, principal, _source(session, dataset))


def usable_dataset(session: Session, principal: Principal, dataset_id: str) -> Dataset:
    """The dataset if ``principal`` may see it; one they may not see is "not found"."""
    dataset = session.get(Dataset, dataset_id)
    if dataset is None:
        raise NotFoundError(f"dataset {dataset_id} not found")
    if principal.role is Role.ADMIN or dataset.owner_id == principal.user_id:
        return dataset
    if not can_use(session, principal, _source(session, dataset)):
        raise NotFoundError(f"dataset {dataset_id} not found")
    return dataset


def editable_dataset(session: Session, principal: Principal, dataset_id: str) -> Dataset:
    dataset = usable_dataset(session, principal, dataset_id)
    if not dataset_editable(session, principal, dataset):
        raise PermissionDeniedError(
            f"you may see dataset {dataset.name!r} but not change it; ask its owner"
        )
    return dataset
