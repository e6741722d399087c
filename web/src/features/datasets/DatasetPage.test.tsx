import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, type Handler, json, mockApi, renderApp, route } from "@/test/render";
import { baseRoutes, makeDataset, makeRun, makeSource, PREVIEW } from "./fixtures";
import type { Run } from "./types";

afterEach(() => vi.unstubAllGlobals());

function pageRoutes(runs: () => Run[], extra: Handler[] = []) {
  return mockApi(
    ...extra,
    ...baseRoutes(),
    route("GET", "/api/v1/datasets/d1", () => json(makeDataset())),
    route("GET", "/api/v1/datasets/d1/runs", () => {
      const items = runs();
      return json({ items, total: items.length });
    }),
    route("GET", "/api/v1/sources", () => json({ items: [makeSource()] })),
    route("GET", "/api/v1/sources/s1/objects", () => json({ items: [] })),
  );
}

describe("Dataset page", () => {
  it("shows the header, the overview and the tabs", async () => {
    pageRoutes(() => [makeRun()]);
    const { router } = renderApp("/datasets/d1");

    expect(await screen.findByRole("heading", { level: 1, name: "orders" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/datasets/d1/overview");
    const tabs = screen.getByRole("navigation", { name: "Dataset sections" });
    for (const name of ["Overview", "Runs", "Data", "Profile", "Quarantine", "Settings"]) {
      expect(within(tabs).getByRole("link", { name })).toBeVisible();
    }
    expect(screen.getByRole("link", { name: "exports" })).toHaveAttribute("href", "/sources/s1");
    expect(screen.getByRole("button", { name: "Run now" })).toBeEnabled();
    expect(await screen.findByText("/var/dataops/lake/d1")).toBeVisible();
    expect(screen.getByRole("table", { name: "Columns of the lake table" })).toHaveTextContent(
      "timestamp[us]",
    );
    expect(screen.getByText("Run #1")).toBeVisible();
  });

  it("shows a running run live: rows so far, rate, elapsed; it can be cancelled", async () => {
    const started = new Date(Date.now() - 10_000).toISOString();
    const running = makeRun({
      id: "r2",
      seq: 2,
      status: "running",
      started_at: started,
      finished_at: null,
      duration_ms: null,
      rows: 12345,
      bytes: 3 * 1024 * 1024,
      lake_version: null,
    });
    const { calls } = pageRoutes(
      () => [running, makeRun()],
      [
        route("POST", "/api/v1/datasets/d1/runs/r2/cancel", () =>
          json({ ...running, status: "running" }),
        ),
      ],
    );
    renderApp("/datasets/d1/runs");

    const live = await screen.findByRole("region", { name: "Run #2 in progress" });
    expect(within(live).getByText("Rows so far").nextSibling).toHaveTextContent("12,345");
    expect(within(live).getByText("Rows/s").nextSibling?.textContent).toMatch(/^1[.,]?\d*/);
    expect(within(live).getByText("Elapsed").nextSibling?.textContent).toMatch(/^1\d(\.\d)? s$/);
    expect(within(live).getByText("Read").nextSibling).toHaveTextContent("3.0 MB");
    expect(within(live).getByRole("progressbar", { name: "Run #2 progress" })).toHaveAttribute(
      "aria-valuetext",
      "12,345 rows read",
    );
    // A run is in flight: Run now waits for it.
    expect(screen.getByRole("button", { name: "Run now" })).toBeDisabled();

    await userEvent.click(within(live).getByRole("button", { name: "Cancel run" }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === "POST" && c.url.endsWith("/runs/r2/cancel"))).toBe(
        true,
      ),
    );
    expect(await within(live).findByText(/Cancel requested/)).toBeVisible();
  });

  it("polls while a run is active and refreshes everything when it finishes", async () => {
    let polls = 0;
    const { calls } = pageRoutes(() => {
      polls += 1;
      return polls < 2
        ? [makeRun({ id: "r2", seq: 2, status: "running", finished_at: null, duration_ms: null })]
        : [makeRun({ id: "r2", seq: 2, rows: 77 }), makeRun()];
    });
    renderApp("/datasets/d1/runs");

    expect(await screen.findByRole("region", { name: "Run #2 in progress" })).toBeVisible();
    expect(await screen.findByText("Run #2 succeeded", {}, { timeout: 3000 })).toBeVisible();
    expect(screen.queryByRole("region", { name: "Run #2 in progress" })).not.toBeInTheDocument();
    const table = screen.getByRole("table", { name: "Runs" });
    expect(within(table).getAllByText("Succeeded")).toHaveLength(2);
    // The dataset is read again (new version, row count).
    await waitFor(() =>
      expect(calls.filter((c) => c.url.endsWith("/api/v1/datasets/d1")).length).toBeGreaterThan(1),
    );
  });

  it("runs now, shows the queued run and expands a failed run's details", async () => {
    let started = false;
    const queued = makeRun({
      id: "r3",
      seq: 3,
      status: "queued",
      started_at: null,
      finished_at: null,
      duration_ms: null,
      rows: 0,
    });
    const failed = makeRun({
      id: "r2",
      seq: 2,
      status: "failed",
      error: "orders.csv line 7: expected 3 columns, got 4",
      error_code: "source_data",
      schema_changes: ["column 'note' added (string)"],
    });
    pageRoutes(
      () => (started ? [queued, failed] : [failed]),
      [
        route("POST", "/api/v1/datasets/d1/runs", () => {
          started = true;
          return json(queued, 202);
        }),
      ],
    );
    const { router } = renderApp("/datasets/d1/overview");
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Run now" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/datasets/d1/runs"));
    const live = await screen.findByRole("region", { name: "Run #3 in progress" });
    expect(within(live).getByText("Queued")).toBeVisible();

    await user.click(screen.getByRole("button", { name: "Details of run #2" }));
    expect(screen.getByText("orders.csv line 7: expected 3 columns, got 4")).toBeVisible();
    expect(screen.getByText("column 'note' added (string)")).toBeVisible();
  });

  it("previews a version of the data, or the live source", async () => {
    const { calls } = pageRoutes(
      () => [makeRun()],
      [
        route("GET", "/api/v1/datasets/d1/versions", () =>
          json({
            items: [
              {
                version: 1,
                timestamp: "2026-05-03T10:00:00Z",
                operation: "WRITE",
                run_id: "r1",
                rows_added: 50,
                watermark: null,
              },
              {
                version: 0,
                timestamp: "2026-05-02T10:00:00Z",
                operation: "CREATE TABLE",
                run_id: null,
                rows_added: null,
                watermark: null,
              },
            ],
          }),
        ),
        route("GET", "/api/v1/datasets/d1/data", (req) =>
          json({
            ...PREVIEW,
            rows: [[new URL(req.url).searchParams.get("version") ?? "latest", "x", null]],
            lake_version: 1,
          }),
        ),
        route("GET", "/api/v1/datasets/d1/preview", () =>
          json({ ...PREVIEW, rows: [[99, "live-row", null]], lake_version: null }),
        ),
      ],
    );
    renderApp("/datasets/d1/data");
    const user = userEvent.setup();

    expect(await screen.findByRole("table", { name: "Preview rows" })).toHaveTextContent("latest");
    const picker = screen.getByLabelText("Version");
    await screen.findByRole("option", { name: /v1 · .* · run #1 · \+50 rows/ });
    await user.selectOptions(picker, "0");
    await waitFor(() =>
      expect(screen.getByRole("table", { name: "Preview rows" })).toHaveTextContent("0"),
    );
    expect(calls.some((c) => c.url.includes("/data?version=0&limit=100"))).toBe(true);

    await user.selectOptions(picker, "live");
    expect(await screen.findByText("live-row")).toBeVisible();
  });

  it("profiles columns, with a friendly note before the first run", async () => {
    pageRoutes(
      () => [],
      [route("GET", "/api/v1/datasets/d1/profile", () => apiError(404, "not_found", "no profile"))],
    );
    const first = renderApp("/datasets/d1/profile");
    expect(await screen.findByText("No profile yet")).toBeVisible();
    first.unmount();

    pageRoutes(
      () => [makeRun()],
      [
        route("GET", "/api/v1/datasets/d1/profile", () =>
          json({
            row_count: 50,
            sampled: false,
            sample_rows: null,
            lake_version: 0,
            columns: [
              {
                name: "customer",
                data_type: "string",
                null_count: 5,
                null_percent: 10,
                distinct_estimate: 7,
                min: "acme",
                max: "zeta",
                mean: null,
                top_values: [
                  { value: "acme", count: 20 },
                  { value: "globex", count: 12 },
                  { value: "initech", count: 6 },
                  { value: "umbrella", count: 4 },
                ],
              },
            ],
          }),
        ),
      ],
    );
    renderApp("/datasets/d1/profile");
    const table = await screen.findByRole("table", { name: "Column profile" });
    const row = within(table).getAllByRole("row")[1] as HTMLElement;
    expect(row).toHaveTextContent("customer");
    expect(row).toHaveTextContent("10%");
    expect(row).toHaveTextContent("≈ 7");
    expect(row).toHaveTextContent("zeta");
    const top = within(row).getByRole("list", { name: "Top values of customer" });
    expect(top).toHaveTextContent("acme");
    expect(top).toHaveTextContent("20");
    expect(within(row).getByText("1 more")).toBeVisible();
  });

  it("re-processes selected quarantined records as a new run", async () => {
    const reprocess = makeRun({ id: "r5", seq: 5, trigger: "reprocess", status: "queued" });
    const { calls } = pageRoutes(
      () => [makeRun({ quarantined: 2 })],
      [
        route("GET", "/api/v1/datasets/d1/quarantine", () =>
          json({
            items: [
              {
                id: "q1",
                run_id: "r1",
                reason: "expected 3 columns, got 4",
                raw: "7,acme,2026-05-01,extra",
                line: 8,
                row: 7,
                file: "orders.csv",
                status: "open",
                quarantined_at: "2026-05-02T10:00:02Z",
              },
              {
                id: "q2",
                run_id: "r1",
                reason: "'abc' is not int64",
                raw: "abc,globex,2026-05-01",
                line: 12,
                row: 11,
                file: "orders.csv",
                status: "open",
                quarantined_at: "2026-05-02T10:00:02Z",
              },
            ],
            total: 2,
          }),
        ),
        route("POST", "/api/v1/datasets/d1/quarantine/reprocess", () => json(reprocess, 202)),
      ],
    );
    const { router } = renderApp("/datasets/d1/quarantine");
    const user = userEvent.setup();

    const table = await screen.findByRole("table", { name: "Quarantined records" });
    expect(await within(table).findByText("expected 3 columns, got 4")).toBeVisible();
    expect(table).toHaveTextContent("#1");
    expect(screen.getByRole("button", { name: "Re-process all open" })).toBeEnabled();
    const selected = screen.getByRole("button", { name: "Re-process selected" });
    expect(selected).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: "Select line 12 of orders.csv" }));
    await user.click(selected);

    await waitFor(() => expect(router.state.location.pathname).toBe("/datasets/d1/runs"));
    const post = calls.find((c) => c.url.endsWith("/quarantine/reprocess"));
    expect(await post?.json()).toEqual({ ids: ["q2"], corrections: {} });
  });

  it("saves only the changed settings", async () => {
    const { calls } = pageRoutes(
      () => [makeRun()],
      [route("PATCH", "/api/v1/datasets/d1", () => json(makeDataset({ description: "new" })))],
    );
    renderApp("/datasets/d1/settings");
    const user = userEvent.setup();

    const description = await screen.findByLabelText(/^Description/);
    expect(screen.getByLabelText("Source")).toBeDisabled();
    expect(screen.getByLabelText("Path")).toHaveValue("orders.csv");
    await user.clear(description);
    await user.type(description, "new");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    const patch = calls.find((c) => c.method === "PATCH");
    expect(await patch?.json()).toEqual({ description: "new" });
    expect(await screen.findByText("Saved orders")).toBeVisible();
  });

  it("deletes after confirming", async () => {
    pageRoutes(
      () => [makeRun()],
      [
        route("DELETE", "/api/v1/datasets/d1", () => new Response(null, { status: 204 })),
        route("GET", "/api/v1/datasets", () => json({ items: [] })),
      ],
    );
    const { router } = renderApp("/datasets/d1/overview");
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Delete" }));
    const dialog = screen.getByRole("dialog", { name: "Delete orders?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete dataset" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/datasets"));
  });
});
