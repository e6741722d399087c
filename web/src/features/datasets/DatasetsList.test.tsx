import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, mockApi, renderApp, route } from "@/test/render";
import { ANALYST, baseRoutes, makeDataset, makeRun, makeSource } from "./fixtures";

afterEach(() => vi.unstubAllGlobals());

describe("Datasets list", () => {
  it("lists datasets with source, mode, schedule, last run and rows", async () => {
    mockApi(
      ...baseRoutes(),
      route("GET", "/api/v1/datasets", () =>
        json({
          items: [
            makeDataset(),
            makeDataset({
              id: "d2",
              name: "shipments",
              description: "",
              source: { id: "s2", name: "warehouse", type: "postgres" },
              spec: { kind: "table", table: "public.shipments" },
              mode: "merge",
              primary_key: ["id"],
              incremental: { column: "updated_at", initial_value: null, lookback: null },
              schedule: {
                cron: "0 2 * * *",
                timezone: "Europe/Paris",
                enabled: true,
                misfire_policy: "run_once",
              },
              next_run_at: "2099-01-01T01:00:00Z",
              row_count: 12345,
              last_run: makeRun({
                id: "r9",
                seq: 9,
                status: "failed",
                rows: 0,
                error: "connection refused",
              }),
            }),
          ],
        }),
      ),
    );
    renderApp("/datasets");

    expect(await screen.findByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
    const table = await screen.findByRole("table", { name: "Datasets" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    const [, orders, shipments] = rows as [HTMLElement, HTMLElement, HTMLElement];

    expect(within(orders).getByRole("link", { name: "orders" })).toHaveAttribute(
      "href",
      "/datasets/d1",
    );
    expect(orders).toHaveTextContent("exports");
    expect(orders).toHaveTextContent("CSV files");
    expect(orders).toHaveTextContent("Full");
    expect(orders).toHaveTextContent("Manual");
    expect(orders).toHaveTextContent("Succeeded");
    expect(orders).toHaveTextContent("50 rows");

    expect(shipments).toHaveTextContent("warehouse");
    expect(shipments).toHaveTextContent("PostgreSQL");
    expect(shipments).toHaveTextContent("Merge");
    expect(shipments).toHaveTextContent("Every day at 02:00");
    expect(shipments).toHaveTextContent("Europe/Paris");
    expect(within(shipments).getByText("Failed")).toBeVisible();
    expect(shipments).toHaveTextContent("12,345");
    expect(shipments).toHaveTextContent(/in \d+ years?/);

    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Filter datasets"), "warehouse");
    expect(within(table).queryByRole("link", { name: "orders" })).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "New dataset" }));
    expect(await screen.findByRole("heading", { level: 1, name: "New dataset" })).toBeVisible();
  });

  it("points to Sources when there is nothing to extract from yet", async () => {
    mockApi(
      ...baseRoutes(),
      route("GET", "/api/v1/datasets", () => json({ items: [] })),
      route("GET", "/api/v1/sources", () => json({ items: [] })),
    );
    renderApp("/datasets");
    expect(await screen.findByText("Connect a source first")).toBeVisible();
    expect(screen.getByRole("link", { name: "New source" })).toHaveAttribute(
      "href",
      "/sources/new",
    );
    expect(screen.queryByRole("button", { name: "New dataset" })).not.toBeInTheDocument();
  });

  it("offers a first dataset when sources exist, and nothing to create to an analyst", async () => {
    mockApi(
      ...baseRoutes(),
      route("GET", "/api/v1/datasets", () => json({ items: [] })),
      route("GET", "/api/v1/sources", () => json({ items: [makeSource()] })),
    );
    const first = renderApp("/datasets");
    expect(await screen.findByText("Create your first dataset")).toBeVisible();
    expect(screen.getByRole("button", { name: "New dataset" })).toBeVisible();
    first.unmount();

    mockApi(
      ...baseRoutes(ANALYST),
      route("GET", "/api/v1/datasets", () => json({ items: [] })),
    );
    renderApp("/datasets");
    expect(await screen.findByText("No datasets shared with you yet")).toBeVisible();
    expect(screen.queryByRole("button", { name: "New dataset" })).not.toBeInTheDocument();
  });
});
