"""A CSV dataset: full loads, malformed lines quarantined (exactly those), re-processing."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.datasets.conftest import create_dataset, create_source, lake_rows, run_dataset


def test_full_refresh_makes_a_new_version_each_run(eng: TestClient, files_root: Path) -> None:
    (files_root / "people.csv").write_text("id,name\n1,ann\n2,bob\n")
    source = create_source(eng, "files", "csv", {})
    ds = create_dataset(
        eng, name="people", source_id=source, spec={"kind": "file", "path": "people.csv"}
    )
    first = run_dataset(eng, ds["id"])
    assert (first["rows"], first["lake_version"]) == (2, 0)
    (files_root / "people.csv").write_text("id,name\n1,ann\n2,bob\n3,cy\n")
    second = run_dataset(eng, ds["id"])
    assert (second["rows"], second["lake_version"]) == (3, 1)
    assert sorted(r[1] for r in lake_rows(eng, ds["id"])) == ["ann", "bob", "cy"]
    old = eng.get(f"/api/v1/datasets/{ds['id']}/data", params={"version": 0}).json()
    assert old["row_count"] == 2 and old["lake_version"] == 0
    profile = eng.get(f"/api/v1/datasets/{ds['id']}/profile").json()
    assert profile["row_count"] == 3
    assert {c["name"] for c in profile["columns"]} == {"id", "name"}
