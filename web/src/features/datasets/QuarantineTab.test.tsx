import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, mockApi, renderApp, route } from "@/test/render";
import { ANALYST, baseRoutes, makeDataset, makeRun } from "./fixtures";
import type { QuarantinedRecord } from "./types";

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

function record(overrides: Partial<QuarantinedRecord>): QuarantinedRecord {
  return {
    id: "q1",
    run_id: "r1",
    reason: "expected 3 columns (as in the header), found 4",
    raw: "7,acme,2026-05-01,extra",
    line: 8,
    row: 7,
    file: "exports/2026/orders.csv",
    status: "open",
    quarantined_at: "2026-05-02T10:00:02Z",
    ...overrides,
  };
}

const OPEN = [
  record({}),
  record({ id: "q2", reason: "'abc' is not int64", raw: "abc,globex,2026-05-01", line: 12 }),
  record({ id: "q3", reason: "'x' is not int64", raw: '{"id": "x"}', line: null, row: 3 }),
];

const DISCARDED = [
  record({ id: "q9", run_id: "r2", status: "discarded", reason: "too many bad records" }),
];

function quarantineRoutes(me = baseRoutes()) {
  const reprocess = makeRun({ id: "r5", seq: 5, trigger: "reprocess", status: "queued" });
  return mockApi(
    ...me,
    route("GET", "/api/v1/datasets/d1", () => json(makeDataset())),
    route("GET", "/api/v1/datasets/d1/runs", () =>
      json({ items: [makeRun({ quarantined: 3 })], total: 1 }),
    ),
    route("GET", "/api/v1/datasets/d1/quarantine", (req) => {
      const status = new URL(req.url).searchParams.get("status");
      const items = status === "discarded" ? DISCARDED : status === "open" ? OPEN : [];
      return json({ items, total: items.length });
    }),
    route("POST", "/api/v1/datasets/d1/quarantine/reprocess", () => json(reprocess, 202)),
  );
}

async function reprocessBody(calls: Request[]) {
  await waitFor(() =>
    expect(calls.some((c) => c.url.endsWith("/quarantine/reprocess"))).toBe(true),
  );
  return calls.find((c) => c.url.endsWith("/quarantine/reprocess"))?.json();
}

describe("Quarantine tab", () => {
  it("fixes one record and re-processes just that record with the fix", async () => {
    const { calls } = quarantineRoutes();
    const { router } = renderApp("/datasets/d1/quarantine");
    const user = userEvent.setup();

    const table = await screen.findByRole("table", { name: "Quarantined records" });
    // The file is the path relative to the source, in full.
    expect(await within(table).findAllByTitle("exports/2026/orders.csv")).toHaveLength(3);
    expect(within(table).getByRole("button", { name: "Fix record 3" })).toBeVisible();

    await user.click(within(table).getByRole("button", { name: "Fix record on line 8" }));
    const dialog = screen.getByRole("dialog", { name: "Fix line 8 of exports/2026/orders.csv" });
    expect(dialog).toHaveTextContent("expected 3 columns (as in the header), found 4");
    expect(dialog).toHaveTextContent("id, customer, updated_at");
    const text = within(dialog).getByRole("textbox", { name: "Raw record" });
    expect(text).toHaveValue("7,acme,2026-05-01,extra");
    expect(text).toHaveFocus();
    await user.clear(text);
    await user.type(text, "7,acme,2026-05-01");
    expect(dialog).toHaveTextContent("Original");
    await user.click(within(dialog).getByRole("button", { name: "Re-process with fix" }));

    expect(await reprocessBody(calls)).toEqual({
      ids: ["q1"],
      corrections: { q1: "7,acme,2026-05-01" },
    });
    await waitFor(() => expect(router.state.location.pathname).toBe("/datasets/d1/runs"));
    expect(await screen.findByText("Run #5 queued")).toBeVisible();
  });

  it("keeps several fixes, shows them pending and sends them with Re-process selected", async () => {
    const { calls } = quarantineRoutes();
    const { router } = renderApp("/datasets/d1/quarantine");
    const user = userEvent.setup();

    const table = await screen.findByRole("table", { name: "Quarantined records" });
    await user.click(await within(table).findByRole("button", { name: "Fix record on line 8" }));
    let dialog = screen.getByRole("dialog");
    let text = within(dialog).getByRole("textbox", { name: "Raw record" });
    await user.clear(text);
    await user.type(text, "7,acme,2026-05-01");
    await user.click(within(dialog).getByRole("button", { name: "Save fix" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await user.click(within(table).getByRole("button", { name: "Fix record 3" }));
    dialog = screen.getByRole("dialog", { name: "Fix row 3 of exports/2026/orders.csv" });
    expect(dialog).toHaveTextContent("A JSON object");
    text = within(dialog).getByRole("textbox", { name: "Raw record" });
    await user.clear(text);
    // user-event reads { as a key descriptor: {{ types one.
    await user.type(text, '{{"id": 3}');
    await user.click(within(dialog).getByRole("button", { name: "Save fix" }));

    // Both rows show their pending fix, and are selected for Re-process selected.
    const rows = within(table).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("Fix pending");
    expect(rows[1]).toHaveTextContent("7,acme,2026-05-01");
    expect(rows[2]).not.toHaveTextContent("Fix pending");
    expect(rows[3]).toHaveTextContent("Fix pending");
    expect(screen.getByText("2 fixes pending")).toBeVisible();
    expect(
      screen.getByRole("checkbox", { name: "Select line 8 of exports/2026/orders.csv" }),
    ).toBeChecked();
    expect(
      screen.getByRole("checkbox", { name: "Select row 3 of exports/2026/orders.csv" }),
    ).toBeChecked();

    // Opening a fixed record again shows the fix; Cancel keeps it as it was.
    await user.click(within(table).getByRole("button", { name: "Fix record on line 8" }));
    dialog = screen.getByRole("dialog");
    expect(within(dialog).getByRole("textbox", { name: "Raw record" })).toHaveValue(
      "7,acme,2026-05-01",
    );
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));

    // A record selected without a fix goes too, as it is.
    await user.click(
      screen.getByRole("checkbox", { name: "Select line 12 of exports/2026/orders.csv" }),
    );
    await user.click(screen.getByRole("button", { name: "Re-process selected" }));

    const body = await reprocessBody(calls);
    expect([...body.ids].sort()).toEqual(["q1", "q2", "q3"]);
    expect(body.corrections).toEqual({ q1: "7,acme,2026-05-01", q3: '{"id": 3}' });
    await waitFor(() => expect(router.state.location.pathname).toBe("/datasets/d1/runs"));
  });

  it("keeps unsent fixes when the tab is left, and Reset to original drops one", async () => {
    quarantineRoutes();
    const first = renderApp("/datasets/d1/quarantine");
    const user = userEvent.setup();
    let table = await screen.findByRole("table", { name: "Quarantined records" });
    await user.click(await within(table).findByRole("button", { name: "Fix record on line 12" }));
    const text = within(screen.getByRole("dialog")).getByRole("textbox", { name: "Raw record" });
    await user.clear(text);
    await user.type(text, "12,globex,2026-05-01");
    await user.click(screen.getByRole("button", { name: "Save fix" }));
    first.unmount();

    renderApp("/datasets/d1/quarantine");
    table = await screen.findByRole("table", { name: "Quarantined records" });
    expect(await screen.findByText("1 fix pending")).toBeVisible();
    await user.click(within(table).getByRole("button", { name: "Fix record on line 12" }));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByRole("textbox", { name: "Raw record" })).toHaveValue(
      "12,globex,2026-05-01",
    );
    await user.click(within(dialog).getByRole("button", { name: "Reset to original" }));
    expect(within(dialog).getByRole("textbox", { name: "Raw record" })).toHaveValue(
      "abc,globex,2026-05-01",
    );
    await user.click(within(dialog).getByRole("button", { name: "Save fix" }));
    expect(screen.queryByText(/pending/)).not.toBeInTheDocument();
  });

  it("lists discarded records with why they are kept, and offers no fix", async () => {
    const { calls } = quarantineRoutes();
    const { router } = renderApp("/datasets/d1/quarantine");
    const user = userEvent.setup();

    const status = await screen.findByRole("group", { name: "Status" });
    expect(
      screen.queryByText(/kept to explain the failure, never re-processed/),
    ).not.toBeInTheDocument();
    await user.click(within(status).getByRole("button", { name: "Discarded" }));

    expect(within(status).getByRole("button", { name: "Discarded" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(router.state.location.search).toBe("?status=discarded");
    expect(
      screen.getByText(
        "From runs that failed and loaded nothing: kept to explain the failure, never re-processed.",
      ),
    ).toBeVisible();
    const table = screen.getByRole("table", { name: "Quarantined records" });
    expect(await within(table).findByText("too many bad records")).toBeVisible();
    expect(screen.getByText("1 discarded record")).toBeVisible();
    expect(within(table).queryByRole("button", { name: /^Fix record/ })).not.toBeInTheDocument();
    expect(within(table).queryByRole("checkbox")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Re-process selected" })).toBeDisabled();
    expect(calls.some((c) => c.url.includes("status=discarded"))).toBe(true);
  });

  it("shows an empty discarded list, and no fixing to readers", async () => {
    mockApi(
      ...baseRoutes(ANALYST),
      route("GET", "/api/v1/datasets/d1", () => json(makeDataset())),
      route("GET", "/api/v1/datasets/d1/runs", () => json({ items: [makeRun()], total: 1 })),
      route("GET", "/api/v1/datasets/d1/quarantine", (req) =>
        json(
          new URL(req.url).searchParams.get("status") === "open"
            ? { items: OPEN, total: 3 }
            : { items: [], total: 0 },
        ),
      ),
    );
    const first = renderApp("/datasets/d1/quarantine?status=discarded");
    expect(await screen.findByText("No discarded records")).toBeVisible();
    expect(screen.queryByRole("button", { name: /Re-process/ })).not.toBeInTheDocument();
    first.unmount();

    renderApp("/datasets/d1/quarantine");
    const table = await screen.findByRole("table", { name: "Quarantined records" });
    expect(await within(table).findByText("'abc' is not int64")).toBeVisible();
    expect(within(table).queryByRole("button", { name: /^Fix record/ })).not.toBeInTheDocument();
  });
});
