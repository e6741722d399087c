"""A CSV dataset: full loads, malformed lines quarantined (exactly those), re-processing."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.datasets.conftest import (
    create_dataset,
    create_source,
    lake_rows,
    run_dataset,
    wait_profile,
    wait_run,
)


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
    profile = wait_profile(eng, ds["id"], 1)
    assert profile["row_count"] == 3
    assert {c["name"] for c in profile["columns"]} == {"id", "name"}


def _people(files_root: Path) -> list[str]:
    """1,000 good rows and three bad lines; returns the bad lines."""
    lines = ["id,name,amount"]
    bad = {250: "2250,too,many,fields", 500: "2500,too-few", 750: "2750,abc-row,abc"}
    for i in range(1, 1001):
        lines.append(f"{i},name {i},{i * 10}")
    for after, text in sorted(bad.items(), reverse=True):
        lines.insert(after + 1, text)  # after the row with id == after
    (files_root / "people.csv").write_text("\n".join(lines) + "\n")
    return [bad[k] for k in sorted(bad)]


def test_malformed_lines_are_quarantined_exactly_and_can_be_fixed(
    eng: TestClient, files_root: Path
) -> None:
    bad_lines = _people(files_root)
    source = create_source(eng, "files", "csv", {})
    spec = {"kind": "file", "path": "people.csv", "column_types": {"amount": "int64"}}
    ds = create_dataset(
        eng,
        name="people",
        source_id=source,
        spec=spec,
        mode="append",
        incremental={"column": "id"},
        max_bad_records=2,
    )
    refused = run_dataset(eng, ds["id"], expect="failed")
    assert refused["error_code"] == "too_many_bad_records" and refused["quarantined"] == 3
    assert eng.get(f"/api/v1/datasets/{ds['id']}/data").status_code == 404, "nothing committed"

    eng.patch(f"/api/v1/datasets/{ds['id']}", json={"max_bad_records": 10})
    run = run_dataset(eng, ds["id"])
    assert (run["rows"], run["quarantined"]) == (1000, 3)
    listed = eng.get(f"/api/v1/datasets/{ds['id']}/quarantine", params={"run_id": run["id"]}).json()
    assert listed["total"] == 3
    records = sorted(listed["items"], key=lambda r: r["line"])
    assert [r["raw"] for r in records] == bad_lines
    assert [r["line"] for r in records] == [252, 503, 754]
    assert [(r["file"], r["status"]) for r in records] == [("people.csv", "open")] * 3
    assert "expected 3 columns" in records[0]["reason"]
    assert "'abc'" in records[2]["reason"]

    fixes = {records[0]["id"]: "2250,too many fields,1", records[2]["id"]: "2750,abc-row,7500"}
    started = eng.post(
        f"/api/v1/datasets/{ds['id']}/quarantine/reprocess",
        json={"ids": None, "corrections": fixes},
    )
    assert started.status_code == 202, started.text
    fixed = wait_run(eng, ds["id"], started.json()["id"])
    assert fixed["status"] == "succeeded", fixed["error"]
    assert (fixed["rows"], fixed["quarantined"]) == (2, 1)
    rows = {r[0]: r for r in lake_rows(eng, ds["id"], 2000)}
    assert len(rows) == 1002 and rows[2750] == [2750, "abc-row", 7500]
    still_open = eng.get(
        f"/api/v1/datasets/{ds['id']}/quarantine", params={"status": "open"}
    ).json()
    assert [r["raw"] for r in still_open["items"]] == ["2500,too-few"]
    discarded = eng.get(
        f"/api/v1/datasets/{ds['id']}/quarantine", params={"run_id": refused["id"]}
    ).json()
    assert {r["status"] for r in discarded["items"]} == {"discarded"}
