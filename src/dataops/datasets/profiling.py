"""The dataset profile computed after each extraction (stored as JSON on the dataset)."""

from __future__ import annotations

import json
import logging

from dataops.datasets.schemas import ColumnProfileOut, ProfileOut
from dataops.engine.profile import profile_arrow, profile_from_dict, profile_to_dict
from dataops.lake.tables import LakeTable, scan

log = logging.getLogger(__name__)

SAMPLE_ROWS = 200_000
"""Rows kept to rank top values (counts, nulls, min/max and distinct estimates see every row)."""


def profile_table(table: LakeTable, version: int | None) -> str | None:
    """The profile of ``table`` at ``version`` as JSON; None (logged) if it cannot be computed:
    a profile never fails the run that loaded the data."""
    delta = table.open(version)
    if delta is None:
        return None
    try:
        profile = profile_arrow(scan(delta), exact_rows=delta.count(), sample_rows=SAMPLE_ROWS)
    except Exception:
        log.exception("profiling %s at version %s failed", table.uri, version)
        return None
    return json.dumps({"lake_version": version, **profile_to_dict(profile)})


def profile_out(stored: str) -> ProfileOut:
    data = json.loads(stored)
    version = data.pop("lake_version", None)
    profile = profile_from_dict(data)
    columns = [ColumnProfileOut.model_validate(c, from_attributes=True) for c in profile.columns]
    return ProfileOut(
        row_count=profile.row_count,
        sampled=profile.sampled,
        sample_rows=profile.sample_rows,
        lake_version=version,
        columns=columns,
    )
