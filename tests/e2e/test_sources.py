"""In a real browser: add a PostgreSQL source through the wizard, test it, list its tables and
preview rows."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.e2e.test_shell import _set_password, _sign_in
from tests.fixtures.postgres import PostgresServer
from tests.fixtures.server import RunningServer


@pytest.fixture
def warehouse(postgres_server: PostgresServer) -> tuple[PostgresServer, str]:
    url = postgres_server.create_database()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("CREATE TABLE shipments (id int primary key, port text, weight numeric(10,2))")
        )
        connection.execute(
            sa.text(
                "INSERT INTO shipments SELECT g, 'port-' || (g % 7), g * 1.25 "
                "FROM generate_series(1, 500) g"
            )
        )
    engine.dispose()
    return postgres_server, sa.make_url(url).database or ""


def test_add_postgres_source_test_it_and_preview(
    page: Page, server: RunningServer, warehouse: tuple[PostgresServer, str]
) -> None:
    pg, database = warehouse
    password = server.first_password
    assert password
    page.goto(f"{server.url}/login")
    _sign_in(page, "admin", password)
    _set_password(page, password, "admin-chosen-passphrase-1")
    expect(page.get_by_role("heading", level=1, name="Catalog")).to_be_visible()

    page.get_by_role("link", name="Sources", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Sources")).to_be_visible()
    page.get_by_role("link", name=re.compile("New source")).or_(
        page.get_by_role("button", name=re.compile("New source"))
    ).first.click()
    page.get_by_role("button", name="PostgreSQL").click()
    page.get_by_label("Source name").fill("warehouse")
    page.get_by_label("Host", exact=True).fill(pg.host)
    page.get_by_label("Port", exact=True).fill(str(pg.port))
    page.get_by_label("Database", exact=True).fill(database)
    page.get_by_label("User", exact=True).fill(pg.user)
    page.get_by_label("Password", exact=True).fill("any-password-trust-auth")
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_text(re.compile(r"PostgreSQL 1\d", re.I)).first).to_be_visible()
    page.get_by_role("button", name="Save source").click()

    expect(page.get_by_role("heading", level=1, name="warehouse")).to_be_visible()
    shipments = page.get_by_role("button", name=re.compile(r"shipments"))
    expect(shipments.first).to_be_visible()
    shipments.first.click()
    page.get_by_role("tab", name="Preview").or_(
        page.get_by_role("link", name="Preview")
    ).first.click()
    page.get_by_label("SQL query").fill("SELECT id, port, weight FROM shipments ORDER BY id")
    page.get_by_role("button", name="Run preview").click()
    grid = page.get_by_role("table", name="Preview rows")
    expect(grid).to_contain_text("port-1")
    expect(grid).to_contain_text("1.25")
