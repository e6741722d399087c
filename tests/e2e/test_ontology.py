"""In a real browser: an aircraft CSV extracted into a dataset (through the API), then an object
type defined in the editor, a mapping built with Auto-suggest and its live preview, a sync
followed to success, the objects explored and one object's provenance read, a link type added;
then a breaking schema change confirmed in its dialog, the mapping fixed after it, and the
ontology exported as YAML and imported back."""

from __future__ import annotations

import re
import time

import httpx
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_shell import _sign_in
from tests.fixtures.server import RunningServer, admin_token

PASSWORD = "admin-chosen-passphrase-1"
AIRCRAFT_CSV = """tail_number,mfr,model_name,build_yr,active,operator_code,seats
N12345,Boeing,737-800,2015,true,UA,160
N67890,Airbus,A320-200,2018,true,DL,150
N11111,Embraer,E175,2009,false,UA,76
N22222,Boeing,787-9,2019,true,,290
N33333,Airbus,A321neo,,true,AA,196
"""
ROWS = 5


def _shot(page: Page, name: str) -> None:
    """The whole page: notifications dismissed, the viewport as tall as the scrolled content."""
    toasts = page.get_by_role("button", name="Dismiss notification")
    for _ in range(10):
        if toasts.count() == 0:
            break
        try:
            toasts.first.click(timeout=2000)
        except PlaywrightError:  # it went away by itself meanwhile
            break
    size = page.viewport_size or {"width": 1400, "height": 900}
    height = page.evaluate("() => document.querySelector('main')?.scrollHeight ?? 0") + 56
    page.set_viewport_size(
        {"width": size["width"], "height": max(size["height"], min(height, 6000))}
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ontology-{name}.png"), full_page=True)
    page.set_viewport_size(size)


def _aircraft_dataset(server: RunningServer) -> str:
    """Through the API: a CSV source over the server's files, the aircraft dataset, one run."""
    files = server.home / "files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "aircraft.csv").write_text(AIRCRAFT_CSV, encoding="utf-8")
    token = admin_token(server, PASSWORD)
    with httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    ) as http:
        source = http.post("/sources", json={"name": "landing", "type": "csv", "config": {}})
        assert source.status_code == 201, source.text
        dataset = http.post(
            "/datasets",
            json={
                "name": "aircraft_inventory",
                "source_id": source.json()["id"],
                "spec": {"kind": "file", "path": "aircraft.csv"},
            },
        )
        assert dataset.status_code == 201, dataset.text
        dataset_id = str(dataset.json()["id"])
        run = http.post(f"/datasets/{dataset_id}/runs").json()
        deadline = time.monotonic() + 60
        while run["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            run = http.get(f"/datasets/{dataset_id}/runs/{run['id']}").json()
        assert (run["status"], run["rows"]) == ("succeeded", ROWS), run
        operator = http.post(
            "/object-types",
            json={
                "name": "Operator",
                "key_property": "code",
                "properties": [
                    {"name": "code", "kind": "string"},
                    {"name": "name", "kind": "string"},
                ],
            },
        )
        assert operator.status_code == 201, operator.text
    return dataset_id


def _property(page: Page, n: int, name: str, kind: str, *, required: bool = False) -> None:
    """Fill property row n (1-based) of the object type editor."""
    page.get_by_label(f"Property {n} name").fill(name)
    page.get_by_label(f"Property {n} kind").select_option(kind)
    if required:
        page.get_by_label(f"Property {n} required").check()


def _mapping_row(page: Page, prop: str) -> Locator:
    return page.get_by_role("table", name="Property mappings").get_by_role("rowgroup", name=prop)


def _tab(page: Page, section: str, name: str) -> None:
    page.get_by_role("navigation", name=section).get_by_role("link", name=name).click()


def test_model_map_sync_and_explore_aircraft(page: Page, server: RunningServer) -> None:
    _aircraft_dataset(server)
    page.goto(f"{server.url}/login")
    _sign_in(page, "admin", PASSWORD)
    expect(page.get_by_role("heading", level=1, name="Catalog")).to_be_visible()

    # Ontology: nothing defined yet, so the page offers the first object type.
    page.get_by_role("link", name="Ontology", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Ontology")).to_be_visible()
    expect(page.get_by_role("table", name="Object types")).to_contain_text("Operator")
    page.get_by_role("button", name="New object type").click()
    expect(page.get_by_role("heading", level=1, name="New object type")).to_be_visible()

    # The editor: the first six properties; renaming the default key (id) keeps it the key.
    page.get_by_label("Name", exact=True).fill("Aircraft")
    page.get_by_placeholder("What one object of this type is.").fill("A registered airframe.")
    _property(page, 1, "tailNumber", "string")
    for n, (name, kind) in enumerate(
        [
            ("manufacturer", "string"),
            ("model", "string"),
            ("yearBuilt", "integer"),
            ("status", "enum"),
            ("operator", "string"),
        ],
        start=2,
    ):
        page.get_by_role("button", name="Add property").click()
        _property(page, n, name, kind, required=name == "manufacturer")
    # Kinds with settings of their own: a list, a nested record, an exact number.
    page.get_by_role("button", name="Add property").click()
    _property(page, 7, "tags", "array")
    page.get_by_label("Property 7 item kind").select_option("string")
    page.get_by_role("button", name="Add property").click()
    _property(page, 8, "location", "object")
    page.get_by_label("Property 8 field 1 name").fill("lat")
    page.get_by_label("Property 8 field 1 kind").select_option("float")
    page.get_by_role("button", name="Add field").click()
    page.get_by_label("Property 8 field 2 name").fill("lon")
    page.get_by_label("Property 8 field 2 kind").select_option("float")
    page.get_by_role("button", name="Add property").click()
    _property(page, 9, "listPrice", "decimal")
    page.get_by_label("Property 9 precision").fill("12")
    page.get_by_label("Property 9 scale").fill("2")
    values = page.get_by_label("Property 5 enum values")
    values.fill("active")
    values.press("Enter")
    values.fill("inactive")
    values.press("Enter")
    expect(page.get_by_label("Key property")).to_have_value("tailNumber")
    _shot(page, "type-editor")
    page.get_by_role("button", name="Create object type").click()
    expect(page.get_by_role("heading", level=1, name="Aircraft")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/ontology/types/[^/]+/objects$"))
    expect(page.get_by_text("No objects yet")).to_be_visible()

    # A mapping from the dataset, proposed by Auto-suggest and previewed live.
    page.get_by_role("button", name="New mapping").first.click()
    expect(page.get_by_role("heading", level=1, name="New mapping")).to_be_visible()
    expect(page.get_by_label("Object type", exact=True)).to_have_value(re.compile(".+"))
    page.get_by_label("Dataset", exact=True).select_option(label="aircraft_inventory")
    expect(page.get_by_label("Mapping name")).to_have_value("aircraft_inventory to Aircraft")
    expect(page.get_by_role("table", name="Preview rows")).to_contain_text("N12345")
    page.get_by_role("button", name="Auto-suggest").click()
    expect(page.get_by_label("Source column for tailNumber")).to_have_value("tail_number")
    expect(page.get_by_label("Source column for model")).to_have_value("model_name")
    expect(page.get_by_label("Source column for operator")).to_have_value("operator_code")
    expect(page.get_by_label("Source column for manufacturer")).to_have_value("mfr")
    expect(page.get_by_label("Source column for yearBuilt")).to_have_value("build_yr")
    expect(_mapping_row(page, "tailNumber")).to_contain_text("100%")  # its confidence
    _shot(page, "mapping-suggested")

    # What the suggestion missed is chosen by hand, transforms previewed as they are typed.
    year = _mapping_row(page, "yearBuilt")
    page.get_by_label("Transform for yearBuilt").fill("parseInt(value) + 1")
    expect(year.get_by_role("list", name="Preview of yearBuilt")).to_contain_text("2016")
    page.get_by_label("Source column for status").select_option("active")
    page.get_by_label("Transform for status").fill('value ? "active" : "inactive"')
    page.get_by_label("Default for operator").fill("unknown")
    status = _mapping_row(page, "status")
    expect(status.get_by_role("list", name="Preview of status")).to_contain_text("active")
    result = page.get_by_role("table", name="Mapped objects preview")
    expect(result).to_contain_text("inactive")
    expect(result).to_contain_text("unknown")
    _shot(page, "mapping-editor")

    # An inline issue lands on its own row, and goes away once fixed.
    page.get_by_label("Transform for yearBuilt").fill("read_csv(value)")
    expect(year).to_contain_text("not allowed")
    expect(status).not_to_contain_text("not allowed")
    _shot(page, "mapping-issue")
    page.get_by_label("Transform for yearBuilt").fill("")
    page.get_by_role("button", name="Transform functions for yearBuilt").click()
    help_panel = page.get_by_role("dialog", name="Transform functions")
    expect(help_panel).to_contain_text("regexExtract(x, pattern, group?)")
    _shot(page, "transform-help")
    help_panel.get_by_role("button", name=re.compile(r"^parseInt\(x, radix\?\)")).click()
    expect(page.get_by_label("Transform for yearBuilt")).to_have_value("parseInt(value)")
    expect(year.get_by_role("list", name="Preview of yearBuilt")).to_contain_text("2015")

    page.get_by_role("button", name="Save mapping").click()
    expect(
        page.get_by_role("heading", level=1, name="aircraft_inventory to Aircraft")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/ontology/mappings/[^/]+/edit$"))
    expect(page.get_by_label("Transform for yearBuilt")).to_have_value("parseInt(value)")
    expect(page.get_by_role("table", name="Mapped objects preview")).to_contain_text("2015")
    _shot(page, "mapping-page")

    # Sync now: the Syncs tab follows it to success with its counts.
    page.get_by_role("button", name="Sync now").click()
    expect(page).to_have_url(re.compile(r"/ontology/mappings/[^/]+/syncs$"))
    first = page.get_by_role("table", name="Syncs").get_by_role("row").nth(1)
    expect(first).to_contain_text(re.compile("succeeded", re.I), timeout=60_000)
    expect(first).to_contain_text(str(ROWS))
    expect(first.get_by_role("cell", name="start to v0")).to_be_visible()
    first.get_by_role("button", name=re.compile("^Details of sync")).click()
    expect(page.get_by_text("Triggered by")).to_be_visible()
    _shot(page, "syncs")
    _tab(page, "Mapping sections", "Rejected records")
    expect(page.get_by_text("Nothing rejected")).to_be_visible()

    # The objects: searchable, filterable; a row opens the object with its provenance.
    page.get_by_role("link", name="Aircraft", exact=True).first.click()
    objects = page.get_by_role("table", name="Aircraft objects")
    expect(objects.get_by_role("row")).to_have_count(ROWS + 1)
    expect(objects).to_contain_text("A320-200")
    page.get_by_role("button", name="Filter by property").click()
    page.get_by_label("Filter property").select_option("manufacturer")
    page.get_by_label("Filter value").fill("Boeing")
    page.get_by_role("button", name="Apply").click()
    expect(objects.get_by_role("row")).to_have_count(3)
    page.get_by_role("button", name="Remove filter manufacturer = Boeing").click()
    page.get_by_label("Search objects").fill("embraer")
    expect(objects.get_by_role("row")).to_have_count(2)
    page.get_by_label("Search objects").fill("")
    expect(objects.get_by_role("row")).to_have_count(ROWS + 1)
    _shot(page, "objects")
    objects.get_by_role("row").filter(has_text="N11111").get_by_text("E175").click()
    expect(page.get_by_role("heading", level=1, name="N11111")).to_be_visible()
    provenance = page.get_by_role("definition").filter(has_text="aircraft_inventory")
    expect(provenance.first).to_be_visible()
    facts = page.get_by_label("Provenance")
    expect(facts).to_contain_text("version 0")
    expect(facts).to_contain_text("aircraft_inventory to Aircraft")
    expect(page.get_by_text("inactive")).to_be_visible()
    _shot(page, "object")

    # A link type to Operator, through the operator code; the object lists where it points.
    page.get_by_role("link", name="Aircraft", exact=True).first.click()
    _tab(page, "Object type sections", "Links")
    expect(page.get_by_text("No links yet")).to_be_visible()
    page.get_by_label("Link name").fill("operatedBy")
    page.get_by_label("Target type").select_option(label="Operator")
    page.get_by_label("Source property").select_option("operator")
    page.get_by_role("button", name="Add link").click()
    links = page.get_by_role("table", name="Link types")
    expect(links).to_contain_text("operatedBy")
    expect(links).to_contain_text("One to many")
    _shot(page, "links")
    _tab(page, "Object type sections", "Objects")
    objects.get_by_role("link", name="N11111").click()
    linked = page.get_by_role("region", name="operatedBy to Operator")
    expect(linked.get_by_role("link", name="UA")).to_be_visible()
    expect(linked).to_contain_text("not synced yet")
    _shot(page, "object-linked")

    # A breaking change: removing a property asks before the objects are rewritten.
    page.get_by_role("link", name="Aircraft", exact=True).first.click()
    _tab(page, "Object type sections", "Schema")
    page.get_by_role("button", name="Remove Property 3").click()
    page.get_by_role("button", name="Save schema").click()
    dialog = page.get_by_role("dialog", name="Rewrite the objects of Aircraft?")
    expect(dialog.get_by_role("list", name="Breaking changes")).to_contain_text(
        "removed property model"
    )
    _shot(page, "breaking-change")
    dialog.get_by_role("button", name="Rewrite objects and save").click()
    expect(dialog).to_have_count(0)
    _tab(page, "Object type sections", "Versions")
    versions = page.get_by_role("list", name="Versions")
    expect(versions).to_contain_text("v2")
    expect(versions).to_contain_text("Objects rewritten")
    expect(versions).to_contain_text("removed property model")
    _shot(page, "versions")

    # The lists: the type with its objects, the mapping with its last sync.
    page.get_by_role("link", name="Ontology", exact=True).first.click()
    row = (
        page.get_by_role("table", name="Object types")
        .get_by_role("row")
        .filter(has_text="Aircraft")
    )
    expect(row).to_contain_text("tailNumber")
    expect(row).to_contain_text(str(ROWS))
    _shot(page, "types")
    _tab(page, "Ontology sections", "Mappings")
    row = page.get_by_role("table", name="Mappings").get_by_role("row").filter(has_text="aircraft")
    expect(row).to_contain_text(re.compile("succeeded", re.I))
    expect(row).to_contain_text(f"{ROWS} written")
    _shot(page, "mappings")

    # The breaking change dropped the removed property from the mapping: no stale entry left.
    page.goto(page.url.replace("/ontology/types", "/ontology/mappings"))
    page.get_by_role("link", name="aircraft_inventory to Aircraft").click()
    expect(page.get_by_label("Source column for tailNumber")).to_have_value("tail_number")
    expect(page.get_by_text("Aircraft no longer has model")).to_have_count(0)
    expect(page.get_by_label("Source column for model")).to_have_count(0)
    _shot(page, "mapping-after-breaking-change")
    page.get_by_role("link", name="Ontology", exact=True).first.click()

    # Export YAML downloads the whole ontology; importing it back changes nothing new.
    with page.expect_download() as download:
        page.get_by_role("button", name="Export YAML").click()
    document = download.value.path().read_text(encoding="utf-8")
    assert "name: Aircraft" in document and "operatedBy" in document, document
    page.get_by_role("button", name="Import YAML").click()
    dialog = page.get_by_role("dialog", name="Import ontology YAML")
    dialog.get_by_label("YAML document").fill(document)
    dialog.get_by_role("button", name="Import").click()
    expect(
        dialog.get_by_role("status").filter(has_text=re.compile("Imported|up to date"))
    ).to_be_visible()
    _shot(page, "import")
