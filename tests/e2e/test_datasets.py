"""In a real browser: a CSV source, a dataset made from it with a preview first, a manual run
followed live to success, then its rows (Data tab) and column statistics (Profile tab); malformed
lines fixed in the Quarantine tab and re-processed into the table."""

from __future__ import annotations

import re
import time

import httpx
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_shell import _set_password, _sign_in
from tests.fixtures.server import RunningServer, admin_token

ROWS = 50
REGIONS = ["north", "south", "east", "west", "central"]


def _write_orders(server: RunningServer) -> None:
    """orders.csv in the server's default file root: 50 rows; every 10th amount is empty."""
    files = server.home / "files"
    files.mkdir(parents=True, exist_ok=True)
    lines = ["id,customer,region,amount"]
    for i in range(1, ROWS + 1):
        amount = "" if i % 10 == 0 else f"{i * 2.5:.2f}"
        lines.append(f"{i},customer-{i},{REGIONS[i % len(REGIONS)]},{amount}")
    (files / "orders.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


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
    page.screenshot(path=str(ARTIFACTS / f"datasets-{name}.png"), full_page=True)
    page.set_viewport_size(size)


def _tab(page: Page, name: str) -> None:
    sections = page.get_by_role("navigation", name="Dataset sections")
    sections.get_by_role("tab", name=name, exact=True).or_(
        sections.get_by_role("link", name=name, exact=True)
    ).first.click()


def test_create_dataset_from_csv_run_it_and_read_it(page: Page, server: RunningServer) -> None:
    password = server.first_password
    assert password, "".join(server.output)
    _write_orders(server)

    page.goto(f"{server.url}/login")
    _sign_in(page, "admin", password)
    _set_password(page, password, "admin-chosen-passphrase-1")
    expect(page.get_by_role("heading", level=1, name="Catalog")).to_be_visible()

    # A CSV source over the server's files folder (the default root, ".").
    page.goto(f"{server.url}/sources/new")
    page.get_by_role("button", name=re.compile("^CSV", re.I)).first.click()
    page.get_by_label("Source name").fill("landing")
    page.get_by_role("button", name="Save source").click()
    expect(page.get_by_role("heading", level=1, name="landing")).to_be_visible()

    # Datasets: none yet, so the page offers the first one.
    page.get_by_role("link", name="Datasets", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Datasets")).to_be_visible()
    page.get_by_role("button", name="New dataset").first.click()
    expect(page.get_by_role("heading", level=1, name="New dataset")).to_be_visible()

    page.get_by_label("Source", exact=True).select_option(label="landing (CSV files)")
    page.get_by_label("Path", exact=True).fill("orders.csv")
    page.get_by_role("button", name="Preview", exact=True).click()
    grid = page.get_by_role("table", name="Preview rows")
    expect(grid).to_contain_text("customer-1")
    expect(grid).to_contain_text("north")
    expect(page.get_by_text(f"{ROWS} rows", exact=True).first).to_be_visible()
    _shot(page, "new-preview")

    page.get_by_label("Name", exact=True).fill("orders")
    page.get_by_role("button", name="Add id to the primary key").click()
    expect(
        page.get_by_role("group", name="Mode").get_by_role("button", name="Full refresh")
    ).to_have_attribute("aria-pressed", "true")
    _shot(page, "new-form")
    page.get_by_role("button", name="Create dataset").click()
    expect(page.get_by_role("heading", level=1, name="orders")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/datasets/[^/]+/overview$"))

    # Run now: the Runs tab follows it until it succeeds with every row.
    page.get_by_role("button", name="Run now").click()
    expect(page).to_have_url(re.compile(r"/datasets/[^/]+/runs$"))
    runs = page.get_by_role("table", name="Runs")
    first = runs.get_by_role("row").nth(1)
    expect(first).to_contain_text(re.compile("succeeded", re.I), timeout=60_000)
    expect(first).to_contain_text(str(ROWS))
    expect(page.get_by_role("region", name=re.compile("in progress"))).to_have_count(0)
    expect(page.get_by_role("button", name="Run now")).to_be_enabled()
    first.get_by_role("button", name=re.compile(r"^Details of run")).click()
    expect(page.get_by_text("Triggered by")).to_be_visible()
    _shot(page, "runs")

    # Overview: the lake table now has a version, the rows and the columns.
    _tab(page, "Overview")
    expect(page.get_by_role("table", name="Columns of the lake table")).to_contain_text("amount")
    _shot(page, "overview")

    # Data: the lake table's rows, latest version.
    _tab(page, "Data")
    data = page.get_by_role("table", name="Preview rows")
    expect(data).to_contain_text("customer-1")
    expect(data).to_contain_text("central")
    expect(page.get_by_text(f"{ROWS} rows", exact=True).first).to_be_visible()
    expect(page.get_by_label("Version")).to_contain_text("v0")
    _shot(page, "data")

    # Profile: per-column statistics; amount is empty in one row of ten.
    _tab(page, "Profile")
    profile = page.get_by_role("table", name="Column profile")
    amount = profile.get_by_role("row").filter(has_text="amount")
    expect(amount).to_contain_text("10%")
    region = profile.get_by_role("row").filter(has_text="region")
    expect(region.get_by_role("list", name="Top values of region")).to_contain_text("north")
    expect(region).to_contain_text("10")
    _shot(page, "profile")

    _tab(page, "Quarantine")
    expect(page.get_by_text("Nothing in quarantine")).to_be_visible()
    _tab(page, "Settings")
    expect(page.get_by_label("Path", exact=True)).to_have_value("orders.csv")
    _shot(page, "settings")

    # The list: the dataset with its source, its mode and its last run.
    page.get_by_role("link", name="Datasets", exact=True).first.click()
    row = page.get_by_role("table", name="Datasets").get_by_role("row").filter(has_text="orders")
    expect(row).to_contain_text("landing")
    expect(row).to_contain_text("Full")
    expect(row).to_contain_text(re.compile("succeeded", re.I))
    expect(row).to_contain_text(f"{ROWS} rows")
    _shot(page, "list")


def _people_with_bad_lines(server: RunningServer) -> None:
    """people.csv: three good rows; line 3 has a field too many, line 5 one too few."""
    files = server.home / "files"
    files.mkdir(parents=True, exist_ok=True)
    lines = ["id,name,amount", "1,ann,10", "2,bob,20,oops", "3,cy,30", "4,dan", "5,eve,50"]
    (files / "people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _dataset_with_quarantine(server: RunningServer, password: str) -> str:
    """Through the API: a CSV source, the people dataset and its first run (2 quarantined)."""
    token = admin_token(server, password)
    with httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    ) as http:
        source = http.post("/sources", json={"name": "landing", "type": "csv", "config": {}})
        assert source.status_code == 201, source.text
        dataset = http.post(
            "/datasets",
            json={
                "name": "people",
                "source_id": source.json()["id"],
                "spec": {"kind": "file", "path": "people.csv"},
            },
        )
        assert dataset.status_code == 201, dataset.text
        dataset_id = str(dataset.json()["id"])
        run = http.post(f"/datasets/{dataset_id}/runs").json()
        deadline = time.monotonic() + 60
        while run["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            run = http.get(f"/datasets/{dataset_id}/runs/{run['id']}").json()
        assert (run["status"], run["rows"], run["quarantined"]) == ("succeeded", 3, 2), run
    return dataset_id


def test_fix_quarantined_records_and_reprocess_them(page: Page, server: RunningServer) -> None:
    _people_with_bad_lines(server)
    password = "admin-chosen-passphrase-1"
    dataset_id = _dataset_with_quarantine(server, password)

    page.goto(f"{server.url}/login")
    _sign_in(page, "admin", password)
    expect(page.get_by_role("heading", level=1, name="Catalog")).to_be_visible()
    page.goto(f"{server.url}/datasets/{dataset_id}/quarantine")
    table = page.get_by_role("table", name="Quarantined records")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text("people.csv")

    # Line 5: fixed and kept for later; the row shows the pending fix.
    table.get_by_role("button", name="Fix record on line 5").click()
    dialog = page.get_by_role("dialog", name="Fix line 5 of people.csv")
    expect(dialog).to_contain_text("found 2")
    dialog.get_by_role("textbox", name="Raw record").fill("4,dan,40")
    dialog.get_by_role("button", name="Save fix").click()
    expect(dialog).to_have_count(0)
    expect(table.get_by_role("row").filter(has_text="4,dan,40")).to_contain_text("Fix pending")
    expect(page.get_by_text("1 fix pending")).to_be_visible()
    _shot(page, "quarantine-pending")

    # Line 3: fixed and re-processed at once, alone.
    table.get_by_role("button", name="Fix record on line 3").click()
    dialog = page.get_by_role("dialog", name="Fix line 3 of people.csv")
    dialog.get_by_role("textbox", name="Raw record").fill("2,bob,20")
    _shot(page, "quarantine-fix")
    dialog.get_by_role("button", name="Re-process with fix").click()
    expect(page).to_have_url(re.compile(r"/datasets/[^/]+/runs$"))
    newest = page.get_by_role("table", name="Runs").get_by_role("row").nth(1)
    expect(newest).to_contain_text(re.compile("succeeded", re.I), timeout=60_000)
    expect(newest).to_contain_text("Re-process")

    _tab(page, "Data")
    data = page.get_by_role("table", name="Preview rows")
    expect(data).to_contain_text("bob")
    expect(data).not_to_contain_text("dan")
    expect(page.get_by_text("4 rows", exact=True).first).to_be_visible()

    # Line 5's fix waited in the Quarantine tab; Re-process all open sends it.
    _tab(page, "Quarantine")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("Fix pending")
    page.get_by_role("button", name="Re-process all open").click()
    expect(page).to_have_url(re.compile(r"/datasets/[^/]+/runs$"))
    newest = page.get_by_role("table", name="Runs").get_by_role("row").nth(1)
    expect(newest).to_contain_text(re.compile("succeeded", re.I), timeout=60_000)
    _tab(page, "Data")
    expect(data).to_contain_text("dan")
    expect(page.get_by_text("5 rows", exact=True).first).to_be_visible()

    _tab(page, "Quarantine")
    expect(page.get_by_text("Nothing in quarantine")).to_be_visible()
    page.get_by_role("group", name="Status").get_by_role("button", name="Resolved").click()
    expect(table.get_by_role("row")).to_have_count(3)
