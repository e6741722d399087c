import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, type Handler, json, mockApi, renderApp, route } from "@/test/render";
import { baseRoutes, makeDataset, makeSource, PREVIEW } from "./fixtures";
import { buildPatch, fieldForPath, valuesFromDataset } from "./form";
import { baseName, describeCron, firstLine, rowCount } from "./format";

afterEach(() => vi.unstubAllGlobals());

const SOURCES = [
  makeSource(),
  makeSource({ id: "s2", name: "warehouse", type: "postgres", config: { host: "db" } }),
];
const OBJECTS = {
  items: [
    {
      name: "orders.csv",
      kind: "file",
      namespace: null,
      columns: null,
      row_count: null,
      size_bytes: 1234,
    },
    {
      name: "customers.csv",
      kind: "file",
      namespace: null,
      columns: null,
      row_count: null,
      size_bytes: 99,
    },
  ],
};

function formRoutes(extra: Handler[] = []) {
  return mockApi(
    ...extra,
    ...baseRoutes(),
    route("GET", "/api/v1/sources", () => json({ items: SOURCES })),
    route("GET", "/api/v1/sources/s1/objects", () => json(OBJECTS)),
    route("POST", "/api/v1/sources/s1/preview", () => json(PREVIEW)),
    route("GET", "/api/v1/datasets/cron-preview", () =>
      json({ next_runs: ["2099-01-01T02:00:00Z", "2099-01-02T02:00:00Z"] }),
    ),
  );
}

describe("New dataset form", () => {
  it("previews a file, suggests a name and creates the dataset", async () => {
    const created = makeDataset({ last_run: null, lake_version: null, row_count: null });
    const { calls } = formRoutes([
      route("POST", "/api/v1/datasets", () => json(created, 201)),
      route("GET", "/api/v1/datasets/d1", () => json(created)),
      route("GET", "/api/v1/datasets/d1/runs", () => json({ items: [], total: 0 })),
    ]);
    const { router } = renderApp("/datasets/new?source=s1");
    const user = userEvent.setup();

    const path = await screen.findByLabelText("Path");
    expect(screen.getByLabelText("Source")).toHaveValue("s1");
    await user.click(await screen.findByRole("button", { name: "orders.csv" }));
    expect(path).toHaveValue("orders.csv");
    expect(screen.getByLabelText("Name")).toHaveValue("orders");

    await user.click(screen.getByRole("button", { name: "Preview" }));
    const grid = await screen.findByRole("table", { name: "Preview rows" });
    expect(grid).toHaveTextContent("acme");
    const preview = calls.find((c) => c.url.endsWith("/sources/s1/preview"));
    expect(await preview?.json()).toEqual({
      spec: { kind: "file", path: "orders.csv", has_header: true },
      limit: 100,
    });

    // The previewed columns feed the key picker.
    await user.click(screen.getByRole("button", { name: "Add id to the primary key" }));
    await user.click(screen.getByRole("button", { name: "Create dataset" }));

    expect(await screen.findByRole("heading", { level: 1, name: "orders" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/datasets/d1/overview");
    const post = calls.find((c) => c.method === "POST" && c.url.endsWith("/api/v1/datasets"));
    expect(await post?.json()).toEqual({
      name: "orders",
      description: "",
      source_id: "s1",
      spec: { kind: "file", path: "orders.csv", has_header: true },
      mode: "full",
      primary_key: ["id"],
      incremental: null,
      schema_policy: "add_columns",
      max_bad_records: null,
      max_bad_percent: null,
      schedule: null,
    });
  });

  it("says merge needs a primary key and a watermark before calling the server", async () => {
    const { calls } = formRoutes();
    renderApp("/datasets/new?source=s1");
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText("Path"), "orders.csv");
    await user.type(screen.getByLabelText("Name"), "{Control>}a{/Control}orders");
    const mode = screen.getByRole("group", { name: "Mode" });
    await user.click(within(mode).getByRole("button", { name: "Incremental merge" }));
    expect(within(mode).getByRole("button", { name: "Incremental merge" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await user.click(screen.getByRole("button", { name: "Create dataset" }));

    const pk = screen.getByLabelText("Primary key");
    expect(pk).toHaveAttribute("aria-invalid", "true");
    expect(pk).toHaveAccessibleDescription(
      "Merge needs a primary key: the column(s) that identify a row.",
    );
    expect(screen.getByLabelText("Watermark column")).toHaveAccessibleDescription(
      "Incremental runs need a watermark column.",
    );
    expect(calls.filter((c) => c.method === "POST" && c.url.endsWith("/datasets"))).toHaveLength(0);
    await waitFor(() => expect(pk).toHaveFocus());
  });

  it("shows the server's preview error and places save errors beside their fields", async () => {
    formRoutes([
      route("POST", "/api/v1/sources/s2/preview", () =>
        apiError(422, "source_error", 'relation "nope" does not exist'),
      ),
      route("GET", "/api/v1/sources/s2/objects", () =>
        json({
          items: [
            {
              name: "public.orders",
              kind: "table",
              namespace: "public",
              columns: null,
              row_count: 3,
              size_bytes: null,
            },
          ],
        }),
      ),
      route("POST", "/api/v1/datasets", () =>
        apiError(422, "validation_error", "invalid", {
          fields: [
            { field: "body.schedule.cron", message: "Value error, not a valid cron expression" },
            { field: "body.spec.query.sql", message: "only SELECT statements are allowed" },
            { field: "body.frobnicate", message: "Extra inputs are not permitted" },
          ],
        }),
      ),
    ]);
    renderApp("/datasets/new");
    const user = userEvent.setup();

    await screen.findByRole("option", { name: "warehouse (PostgreSQL)" });
    await user.selectOptions(screen.getByLabelText("Source"), "s2");
    const extract = await screen.findByRole("group", { name: "Extract" });
    await user.click(within(extract).getByRole("button", { name: "SQL query" }));
    await user.type(screen.getByLabelText("SQL query"), "SELECT * FROM nope");
    await user.click(screen.getByRole("button", { name: "Preview" }));
    const failed = await screen.findByRole("alert");
    expect(failed).toHaveTextContent("Preview failed");
    expect(failed).toHaveTextContent('relation "nope" does not exist');

    await user.type(screen.getByLabelText("Name"), "orders");
    await user.click(screen.getByRole("switch", { name: "Run on a schedule" }));
    const cron = screen.getByLabelText("Cron");
    expect(cron).toHaveValue("0 2 * * *");
    expect(await screen.findByRole("list", { name: "Next runs" })).toBeVisible();
    await user.click(screen.getByRole("button", { name: "Create dataset" }));

    await waitFor(() => expect(cron).toHaveAttribute("aria-invalid", "true"));
    expect(cron).toHaveAccessibleDescription("Not a valid cron expression.");
    expect(screen.getByLabelText("SQL query")).toHaveAccessibleDescription(
      "Only SELECT statements are allowed.",
    );
    expect(screen.getByText(/body\.frobnicate: Extra inputs are not permitted/)).toBeVisible();
  });

  it("shows a cron the server refuses inline, as it is typed", async () => {
    formRoutes([
      (req) => {
        const url = new URL(req.url);
        if (url.pathname !== "/api/v1/datasets/cron-preview") return undefined;
        return url.searchParams.get("cron") === "0 2 * * *"
          ? json({ next_runs: ["2099-01-01T02:00:00Z"] })
          : apiError(422, "invalid_cron", "invalid cron expression: '61 * * * *'");
      },
    ]);
    renderApp("/datasets/new?source=s1");
    const user = userEvent.setup();

    await user.click(await screen.findByRole("switch", { name: "Run on a schedule" }));
    const cron = screen.getByLabelText("Cron");
    expect(cron).toHaveAccessibleDescription("Every day at 02:00");
    await user.clear(cron);
    await user.type(cron, "61 * * * *");
    await waitFor(() =>
      expect(cron).toHaveAccessibleDescription("invalid cron expression: '61 * * * *'"),
    );
    expect(screen.getByLabelText("Time zone")).toHaveValue(
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
  });
});

describe("Dataset form helpers", () => {
  it("sends only what changed, and null to remove a schedule", () => {
    const saved = makeDataset({
      mode: "append",
      incremental: { column: "updated_at", initial_value: null, lookback: null },
      schedule: { cron: "0 2 * * *", timezone: "UTC", enabled: true, misfire_policy: "skip" },
    });
    const initial = valuesFromDataset(saved);
    expect(buildPatch(initial, { ...initial })).toEqual({});
    expect(buildPatch(initial, { ...initial, scheduleOn: false, description: "new" })).toEqual({
      schedule: null,
      description: "new",
    });
    expect(buildPatch(initial, { ...initial, mode: "full" })).toEqual({
      mode: "full",
      incremental: null,
    });
    // A paused schedule left alone is not removed.
    const paused = valuesFromDataset(
      makeDataset({
        schedule: { cron: "0 2 * * *", timezone: "UTC", enabled: false, misfire_policy: "skip" },
      }),
    );
    expect(buildPatch(paused, { ...paused, name: "orders2" })).toEqual({ name: "orders2" });
  });

  it("maps server error paths to fields", () => {
    expect(fieldForPath("body.spec.file.path", "file")).toBe("path");
    expect(fieldForPath("body.spec", "query")).toBe("sql");
    expect(fieldForPath("body.incremental.column", "table")).toBe("watermarkColumn");
    expect(fieldForPath("body.primary_key.0", "table")).toBe("primaryKey");
    expect(fieldForPath("query.timezone", null)).toBe("timezone");
    expect(fieldForPath("body.nope", null)).toBeNull();
  });

  it("describes common cron expressions", () => {
    expect(describeCron("0 2 * * *")).toBe("Every day at 02:00");
    expect(describeCron("*/15 * * * *")).toBe("Every 15 minutes");
    expect(describeCron("30 6 * * 1-5")).toBe("Weekdays at 06:30");
    expect(describeCron("0 7 * * 1")).toBe("Every Monday at 07:00");
    expect(describeCron("5 * * * *")).toBe("Every hour at :05");
    expect(describeCron("0 0 1,15 * *")).toBeNull();
  });

  it("keeps messages and names short", () => {
    expect(rowCount(1)).toBe("1 row");
    expect(rowCount(12345)).toBe("12,345 rows");
    expect(baseName("/data/landing/orders.csv")).toBe("orders.csv");
    expect(firstLine("\nDeltaError: boom\nTraceback …")).toBe("DeltaError: boom");
    expect(firstLine("x".repeat(300))).toHaveLength(160);
  });
});
