"""Object types, link types, mappings and syncs through the HTTP API, end to end on real data."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from dataops.http.context import AppContext
from dataops.ontology.models import Mapping
from dataops.store.base import utcnow
from dataops.store.engine import transaction
from tests.ontology.conftest import AIRCRAFT_MAPPING, AIRCRAFT_TYPE, create_type, sync


def test_object_type_is_created_versioned_and_validated(eng: TestClient) -> None:
    created = create_type(eng, AIRCRAFT_TYPE)
    assert created["version"] == 1
    key = next(p for p in created["properties"] if p["name"] == "tailNumber")
    assert key["required"] is True, "the key is always required"

    bad = dict(AIRCRAFT_TYPE, name="Broken", key_property="nope")
    response = eng.post("/api/v1/object-types", json=bad)
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"] == "body.key_property"

    enum_without_values = dict(
        AIRCRAFT_TYPE,
        name="Broken2",
        properties=[*AIRCRAFT_TYPE["properties"][:1], {"name": "s", "kind": "enum"}],
    )
    response = eng.post("/api/v1/object-types", json=enum_without_values)
    assert response.status_code == 422
    assert "enum_values" in response.json()["error"]["message"]

    again = eng.post("/api/v1/object-types", json=AIRCRAFT_TYPE)
    assert again.status_code == 409


def test_additive_change_applies_and_breaking_change_needs_a_migration(eng: TestClient) -> None:
    ot = create_type(eng, AIRCRAFT_TYPE)
    url = f"/api/v1/object-types/{ot['id']}"
    added = [*AIRCRAFT_TYPE["properties"], {"name": "seats", "kind": "integer"}]
    check = eng.post(f"{url}/check", json={"properties": added}).json()
    assert check == {"changes": ["added property seats (integer)"], "breaking": []}
    response = eng.patch(url, json={"properties": added})
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2

    removed = [p for p in added if p["name"] != "model"]
    refused = eng.patch(url, json={"properties": removed})
    assert refused.status_code == 409
    assert "removed property model" in refused.json()["error"]["message"]
    assert eng.get(url).json()["version"] == 2, "nothing changed"

    accepted = eng.patch(url, json={"properties": removed, "migration": "rewrite"})
    assert accepted.status_code == 200, accepted.text
    versions = eng.get(f"{url}/versions").json()
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert versions[0]["migration"] == "rewrite"
    assert versions[0]["changes"] == ["removed property model"]


def test_link_types_check_the_key_types(eng: TestClient) -> None:
    operator = create_type(
        eng,
        {
            "name": "Operator",
            "key_property": "code",
            "properties": [{"name": "code", "kind": "string"}, {"name": "name", "kind": "string"}],
        },
    )
    aircraft = create_type(eng, AIRCRAFT_TYPE)
    body = {
        "name": "operatedBy",
        "source_type_id": aircraft["id"],
        "target_type_id": operator["id"],
        "cardinality": "one_to_many",
        "source_property": "operator",
    }
    created = eng.post("/api/v1/link-types", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["target_type"] == "Operator"

    wrong = dict(body, name="bad", source_property="yearBuilt")
    response = eng.post("/api/v1/link-types", json=wrong)
    assert response.status_code == 422
    assert "needs string" in response.json()["error"]["message"]
    many = dict(body, name="bad2", cardinality="many_to_many")
    assert eng.post("/api/v1/link-types", json=many).status_code == 422


def test_clearance_hides_object_types(eng: TestClient, analyst: TestClient) -> None:
    secret = create_type(eng, dict(AIRCRAFT_TYPE, name="Drone", classification="S"))
    assert analyst.get(f"/api/v1/object-types/{secret['id']}").status_code == 404
    assert all(t["name"] != "Drone" for t in analyst.get("/api/v1/object-types").json()["items"])
    assert eng.get(f"/api/v1/object-types/{secret['id']}").status_code == 200


def test_mapping_is_validated_previewed_and_suggested(
    eng: TestClient, aircraft_dataset: dict[str, Any]
) -> None:
    ot = create_type(eng, AIRCRAFT_TYPE)
    refs = {"dataset_id": aircraft_dataset["id"], "object_type_id": ot["id"]}

    suggestions = eng.post("/api/v1/mappings/suggest", json=refs).json()
    by_property = {s["property"]: s for s in suggestions}
    assert by_property["tailNumber"]["column"] == "tail_number"
    assert by_property["model"]["column"] == "model_name"
    assert 0 < by_property["tailNumber"]["confidence"] <= 1

    preview = eng.post("/api/v1/mappings/check", json={**refs, "properties": AIRCRAFT_MAPPING})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["issues"] == []
    rows = {r["tailNumber"]: r for r in body["rows"]}
    assert rows["N12345"]["yearBuilt"] == 2015
    assert rows["N12345"]["status"] == "active"
    assert rows["N11111"]["status"] == "inactive"
    assert rows["N22222"]["operator"] == "unknown", "the default fills a null"

    broken = dict(AIRCRAFT_MAPPING, yearBuilt={"column": "build_yr", "transform": "read_csv('x')"})
    partial = eng.post("/api/v1/mappings/check", json={**refs, "properties": broken}).json()
    assert [i["property"] for i in partial["issues"]] == ["yearBuilt"]
    assert all(r["yearBuilt"] is None for r in partial["rows"]), "the flawed one is left out"
    assert {r["tailNumber"]: r["status"] for r in partial["rows"]}["N11111"] == "inactive"
    refused = eng.post("/api/v1/mappings", json={"name": "m", **refs, "properties": broken})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert "read_csv" in error["message"] and "yearBuilt" in error["message"]
    assert error["details"]["fields"][0]["field"] == "body.properties.yearBuilt"

    missing = {k: v for k, v in AIRCRAFT_MAPPING.items() if k != "manufacturer"}
    refused = eng.post("/api/v1/mappings", json={"name": "m", **refs, "properties": missing})
    assert refused.status_code == 422
    assert "manufacturer" in refused.json()["error"]["message"]


def test_sync_writes_objects_with_provenance_and_rejects_bad_rows(
    eng: TestClient, analyst: TestClient, aircraft_dataset: dict[str, Any]
) -> None:
    ot = create_type(eng, AIRCRAFT_TYPE)
    strict = dict(AIRCRAFT_MAPPING, yearBuilt={"column": "build_yr"})  # '19x5' cannot be cast
    created = eng.post(
        "/api/v1/mappings",
        json={
            "name": "aircraft to Aircraft",
            "dataset_id": aircraft_dataset["id"],
            "object_type_id": ot["id"],
            "properties": strict,
        },
    )
    assert created.status_code == 201, created.text
    mapping = created.json()

    first = sync(eng, mapping["id"])
    assert (first["processed"], first["succeeded"], first["failed"]) == (4, 3, 1)
    rejected = eng.get(f"/api/v1/mappings/{mapping['id']}/rejected").json()
    assert rejected["total"] == 1
    [record] = rejected["items"]
    assert "yearBuilt" in record["reason"] and "19x5" in record["reason"]
    assert record["source"]["tail_number"] == "N11111"

    page = eng.get(f"/api/v1/object-types/{ot['id']}/objects").json()
    assert page["total"] == 3
    assert [r["tailNumber"] for r in page["rows"]] == ["N12345", "N22222", "N67890"]
    found = eng.get(f"/api/v1/object-types/{ot['id']}/objects", params={"q": "airbus"}).json()
    assert [r["tailNumber"] for r in found["rows"]] == ["N67890"]
    filtered = eng.get(
        f"/api/v1/object-types/{ot['id']}/objects", params={"manufacturer": "Boeing"}
    ).json()
    assert filtered["total"] == 2

    one = eng.get(f"/api/v1/object-types/{ot['id']}/objects/N12345").json()
    assert one["properties"]["yearBuilt"] == 2015
    assert one["provenance"]["dataset_id"] == aircraft_dataset["id"]
    assert one["provenance"]["dataset_version"] == 0
    assert one["provenance"]["sync_id"] == first["id"]

    again = sync(eng, mapping["id"])
    assert again["processed"] == 0, "nothing changed in the dataset since the last sync"
    assert eng.get(f"/api/v1/object-types/{ot['id']}").json()["object_count"] == 3
    assert analyst.get(f"/api/v1/mappings/{mapping['id']}/syncs").status_code in {200, 404}


def test_objects_show_their_links(eng: TestClient, aircraft_dataset: dict[str, Any]) -> None:
    operator = create_type(
        eng,
        {
            "name": "Operator",
            "key_property": "code",
            "properties": [{"name": "code", "kind": "string"}],
        },
    )
    aircraft = create_type(eng, AIRCRAFT_TYPE)
    link = {
        "name": "operatedBy",
        "source_type_id": aircraft["id"],
        "target_type_id": operator["id"],
        "cardinality": "one_to_many",
        "source_property": "operator",
    }
    assert eng.post("/api/v1/link-types", json=link).status_code == 201
    refs = {"dataset_id": aircraft_dataset["id"]}
    for name, type_id, properties in (
        ("to Aircraft", aircraft["id"], AIRCRAFT_MAPPING),
        ("to Operator", operator["id"], {"code": {"column": "operator_code"}}),
    ):
        response = eng.post(
            "/api/v1/mappings",
            json={"name": name, **refs, "object_type_id": type_id, "properties": properties},
        )
        assert response.status_code == 201, response.text
        sync(eng, response.json()["id"])

    plane = eng.get(f"/api/v1/object-types/{aircraft['id']}/objects/N12345").json()
    [outgoing] = plane["links"]
    assert outgoing["link_type"] == "operatedBy" and outgoing["direction"] == "outgoing"
    assert [o["code"] for o in outgoing["objects"]] == ["UA"]

    united = eng.get(f"/api/v1/object-types/{operator['id']}/objects/UA").json()
    [incoming] = united["links"]
    assert incoming["direction"] == "incoming"
    assert sorted(incoming["keys"]) == ["N11111", "N12345"]


def test_ontology_needs_authentication(client: TestClient) -> None:
    for path in ("/api/v1/object-types", "/api/v1/mappings", "/api/v1/link-types"):
        assert client.get(path).status_code == 401


def test_yaml_export_imports_into_a_fresh_deployment_unchanged(
    eng: TestClient, aircraft_dataset: dict[str, Any]
) -> None:
    operator = create_type(
        eng,
        {
            "name": "Operator",
            "key_property": "code",
            "properties": [{"name": "code", "kind": "string"}],
        },
    )
    aircraft = create_type(eng, AIRCRAFT_TYPE)
    link = {
        "name": "operatedBy",
        "source_type_id": aircraft["id"],
        "target_type_id": operator["id"],
        "cardinality": "one_to_many",
        "source_property": "operator",
    }
    assert eng.post("/api/v1/link-types", json=link).status_code == 201
    mapping = {
        "name": "aircraft to Aircraft",
        "dataset_id": aircraft_dataset["id"],
        "object_type_id": aircraft["id"],
        "properties": AIRCRAFT_MAPPING,
    }
    assert eng.post("/api/v1/mappings", json=mapping).status_code == 201
    exported = eng.get("/api/v1/ontology/export")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/yaml")
    text = exported.text
    assert "operatedBy" in text and "parseInt(value)" in text

    # Re-applying the same document changes nothing but reports updates, and is lossless.
    applied = eng.post("/api/v1/ontology/import", json={"yaml": text})
    assert applied.status_code == 200, applied.text
    assert applied.json()["created"] == []
    assert eng.get("/api/v1/ontology/export").text == text
    assert eng.get(f"/api/v1/object-types/{aircraft['id']}").json()["version"] == 1

    # A new property in the document is an additive change.
    changed = text.replace(
        "  - name: operator\n    kind: string\n",
        "  - name: operator\n    kind: string\n  - name: seats\n    kind: integer\n",
    )
    assert changed != text
    assert eng.post("/api/v1/ontology/import", json={"yaml": changed}).status_code == 200
    assert eng.get(f"/api/v1/object-types/{aircraft['id']}").json()["version"] == 2

    broken = eng.post("/api/v1/ontology/import", json={"yaml": "object_types: [\n  - name: x"})
    assert broken.status_code == 422
    assert "line" in broken.json()["error"]["message"]


def test_a_scheduled_mapping_syncs_on_its_tick(
    eng: TestClient, ctx: AppContext, aircraft_dataset: dict[str, Any]
) -> None:
    ot = create_type(eng, AIRCRAFT_TYPE)
    created = eng.post(
        "/api/v1/mappings",
        json={
            "name": "scheduled",
            "dataset_id": aircraft_dataset["id"],
            "object_type_id": ot["id"],
            "properties": AIRCRAFT_MAPPING,
            "schedule": {"cron": "0 3 * * *", "timezone": "Europe/Paris"},
        },
    )
    assert created.status_code == 201, created.text
    mapping = created.json()
    assert mapping["next_run_at"] is not None
    assert eng.get(f"/api/v1/mappings/{mapping['id']}/syncs").json()["total"] == 0
    # Make the tick due now instead of waiting for 3 am.
    with transaction(ctx.sessions) as session:
        session.execute(
            sa.update(Mapping)
            .where(Mapping.id == mapping["id"])
            .values(next_run_at=utcnow() - timedelta(seconds=1))
        )
    deadline = time.monotonic() + 30
    while True:
        syncs = eng.get(f"/api/v1/mappings/{mapping['id']}/syncs").json()["items"]
        if syncs and syncs[0]["status"] == "succeeded":
            break
        assert time.monotonic() < deadline, syncs
        time.sleep(0.1)
    assert len(syncs) == 1 and syncs[0]["trigger"] == "schedule"
    assert eng.get(f"/api/v1/object-types/{ot['id']}").json()["object_count"] == 4
    after = eng.get(f"/api/v1/mappings/{mapping['id']}").json()
    assert after["next_run_at"] == mapping["next_run_at"], "moved on to the next 3 am tick"
