"""A newcomer's first session, in a real browser: first-start credentials, the shell, creating
a user, signing out, signing in as that user, and being refused the Admin page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.fixtures.server import RunningServer

NAV = [
    "Catalog",
    "Sources",
    "Datasets",
    "Ontology",
    "Pipelines",
    "Runs",
    "Quality",
    "Products",
    "Governance",
]


def _sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _set_password(page: Page, current: str, new: str) -> None:
    page.get_by_label("Current password").fill(current)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("Confirm new password").fill(new)
    page.get_by_role("button", name="Set password").click()


def test_admin_creates_user_who_is_refused_admin(page: Page, server: RunningServer) -> None:
    password = server.first_password
    assert password, "".join(server.output)

    page.goto(server.url)
    expect(page).to_have_url(re.compile(r"/login"))
    _sign_in(page, "admin", "wrong-password-here")
    expect(page.get_by_role("alert")).to_contain_text(re.compile("username or password", re.I))

    _sign_in(page, "admin", password)
    _set_password(page, password, "admin-chosen-passphrase-1")

    expect(page.get_by_role("heading", level=1, name="Catalog")).to_be_visible()
    for name in [*NAV, "Admin"]:
        expect(page.get_by_role("link", name=name, exact=True).first).to_be_visible()

    page.get_by_role("link", name="Admin", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Admin")).to_be_visible()
    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Username").fill("ana")
    dialog.get_by_label("Display name").fill("Ana Analyst")
    dialog.get_by_label("Email").fill("ana@example.org")
    dialog.get_by_label("Role").select_option("analyst")
    dialog.get_by_label("Clearance").select_option("C")
    dialog.get_by_label("Initial password").fill("ana-initial-pass-1")
    dialog.get_by_role("button", name="Create user").click()
    new_row = page.get_by_role("row").filter(has_text="ana@example.org")
    expect(new_row).to_contain_text("Ana Analyst")
    expect(new_row).to_contain_text("Pending password")

    page.get_by_role("button", name="User menu").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login"))

    _sign_in(page, "ana", "ana-initial-pass-1")
    _set_password(page, "ana-initial-pass-1", "ana-chosen-passphrase-2")
    expect(page.get_by_role("heading", level=1, name="Catalog")).to_be_visible()
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)

    page.goto(f"{server.url}/admin")
    expect(page.get_by_text("You don't have access")).to_be_visible()
