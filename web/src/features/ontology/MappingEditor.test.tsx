import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/api/errors";
import { apiError, type Handler, json, mockApi, renderApp, route } from "@/test/render";
import { makeMapping, makePreview, makeSync, ontologyRoutes, SUGGESTIONS } from "./fixtures";
import { applySuggestions, EMPTY_ROW, mappingServerErrors, propertyMappings } from "./mappingForm";
import { previewFor, valueAt } from "./PropertyMappingsTable";
import { applyHelp, FUNCTIONS } from "./transformHelp";

afterEach(() => vi.unstubAllGlobals());

const NEW = "/ontology/mappings/new?type=ot1&dataset=d1";

function editorApi(extra: Handler[] = []) {
  return mockApi(
    ...extra,
    ...ontologyRoutes(),
    route("POST", "/api/v1/mappings/suggest", () => json(SUGGESTIONS)),
  );
}

/** The rows of the "Property mappings" table that belong to one property. */
async function propertyRow(name: string) {
  const table = await screen.findByRole("table", { name: "Property mappings" });
  return within(table).getByRole("rowgroup", { name });
}

describe("Mapping editor", () => {
  it("fills only the empty rows from Auto-suggest, with each confidence and its reasons", async () => {
    editorApi([route("POST", "/api/v1/mappings/check", () => json(makePreview()))]);
    renderApp(NEW);
    const user = userEvent.setup();

    // Chosen by hand first: the suggestion must not replace it.
    const model = await screen.findByLabelText("Source column for model");
    await user.selectOptions(model, "mfr");
    expect(screen.getByLabelText("Mapping name")).toHaveValue("aircraft_inventory to Aircraft");
    await user.click(screen.getByRole("button", { name: "Auto-suggest" }));

    await waitFor(() =>
      expect(screen.getByLabelText("Source column for tailNumber")).toHaveValue("tail_number"),
    );
    expect(screen.getByLabelText("Source column for manufacturer")).toHaveValue("mfr");
    expect(screen.getByLabelText("Source column for model")).toHaveValue("mfr");
    expect(screen.getByLabelText("Source column for yearBuilt")).toHaveValue("build_yr");
    expect(screen.getByLabelText("Transform for yearBuilt")).toHaveValue("parseInt(value)");
    expect(screen.getByLabelText("Source column for status")).toHaveValue("");
    expect(await screen.findByText("Suggested 3 of 5 properties")).toBeVisible();

    const year = await propertyRow("yearBuilt");
    expect(within(year).getByText("62%")).toBeVisible();
    expect(within(year).getByText("62%").closest("[title]")).toHaveAttribute(
      "title",
      "text that parses as integer",
    );
    expect(within(await propertyRow("status")).getByText("No match")).toBeVisible();
    // The live preview shows each property's transformed first values.
    expect(
      await within(year).findByRole("list", { name: "Preview of yearBuilt" }),
    ).toHaveTextContent("2015");
  });

  it("marks the server's issues on the property they are about", async () => {
    const { calls } = editorApi([
      route("POST", "/api/v1/mappings/check", () =>
        json(
          makePreview({
            issues: [{ property: "yearBuilt", message: "function read_csv is not allowed at 0" }],
            columns: [],
            rows: [],
            errors: [],
          }),
        ),
      ),
    ]);
    renderApp(NEW);
    const user = userEvent.setup();
    await user.selectOptions(
      await screen.findByLabelText("Source column for yearBuilt"),
      "build_yr",
    );
    await user.type(screen.getByLabelText("Transform for yearBuilt"), "read_csv(value)");

    const year = await propertyRow("yearBuilt");
    expect(
      await within(year).findByText("function read_csv is not allowed at 0", {}, { timeout: 3000 }),
    ).toBeVisible();
    expect(within(year).getByLabelText("Transform for yearBuilt")).toHaveAttribute(
      "aria-invalid",
      "true",
    );
    expect(within(await propertyRow("model")).queryByText(/not allowed/)).toBeNull();
    // Until it is fixed, the column's own values stand in for the transformed ones.
    expect(within(year).getByRole("list", { name: /source values/ })).toHaveTextContent("19x5");
    expect(screen.getByText("1 issue to fix before the preview")).toBeVisible();

    const checks = calls.filter((c) => c.url.endsWith("/mappings/check"));
    expect(await checks.at(-1)?.json()).toEqual({
      dataset_id: "d1",
      object_type_id: "ot1",
      properties: {
        yearBuilt: { column: "build_yr", path: null, transform: "read_csv(value)", default: null },
      },
      limit: 20,
    });
  });

  it("shows the rows a sync would reject, with the reason", async () => {
    editorApi([
      route("POST", "/api/v1/mappings/check", () =>
        json(makePreview({ errors: [null, "yearBuilt: '19x5' is not an integer"] })),
      ),
    ]);
    renderApp(NEW);
    const result = await screen.findByRole("table", { name: "Mapped objects preview" });
    expect(result).toHaveTextContent("Rejected: yearBuilt: '19x5' is not an integer");
    expect(screen.getByText("1 would be rejected")).toBeVisible();
  });

  it("saves the mapping and puts a refused property's error on its row", async () => {
    const { calls } = editorApi([
      route("POST", "/api/v1/mappings/check", () => json(makePreview())),
      route("POST", "/api/v1/mappings", () =>
        apiError(422, "invalid_mapping", "status: the default 'x' is not one of active, inactive", {
          fields: [
            {
              field: "body.properties.status",
              message: "status: the default 'x' is not one of active, inactive",
            },
          ],
          issues: [
            { property: "status", message: "the default 'x' is not one of active, inactive" },
          ],
        }),
      ),
    ]);
    renderApp(NEW);
    const user = userEvent.setup();
    await user.selectOptions(
      await screen.findByLabelText("Source column for tailNumber"),
      "tail_number",
    );
    await user.type(screen.getByLabelText("Default for status"), "x");
    await user.click(screen.getByRole("button", { name: "Save mapping" }));

    const status = await propertyRow("status");
    expect(
      await within(status).findByText("the default 'x' is not one of active, inactive"),
    ).toBeVisible();
    const sent = calls.find((c) => c.method === "POST" && c.url.endsWith("/api/v1/mappings"));
    expect(await sent?.json()).toMatchObject({
      name: "aircraft_inventory to Aircraft",
      dataset_id: "d1",
      object_type_id: "ot1",
      properties: {
        tailNumber: { column: "tail_number", transform: "", default: null },
        status: { column: null, transform: "", default: "x" },
      },
      sync_mode: "upsert",
      on_conflict: "overwrite",
      schedule: null,
    });
  });
});

describe("Mapping page", () => {
  it("starts a sync and follows it in the history until it succeeds", async () => {
    let polls = 0;
    const queued = makeSync({
      id: "sy2",
      seq: 2,
      status: "queued",
      started_at: null,
      finished_at: null,
      duration_ms: null,
      processed: 0,
      succeeded: 0,
    });
    const done = makeSync({ id: "sy2", seq: 2, processed: 7, succeeded: 6, failed: 1 });
    mockApi(
      ...ontologyRoutes(),
      route("GET", "/api/v1/mappings/m1", () => json(makeMapping())),
      route("POST", "/api/v1/mappings/m1/syncs", () => json(queued, 202)),
      route("GET", "/api/v1/mappings/m1/syncs", () => {
        polls += 1;
        const first = makeSync();
        if (polls === 1) return json({ items: [first], total: 1 });
        return json({ items: [polls < 4 ? queued : done, first], total: 2 });
      }),
      route("POST", "/api/v1/mappings/check", () => json(makePreview())),
    );
    const { router } = renderApp("/ontology/mappings/m1");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Sync now" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/ontology/mappings/m1/syncs"));
    const table = await screen.findByRole("table", { name: "Syncs" });
    await waitFor(
      () => expect(within(table).getAllByRole("row")[1]).toHaveTextContent("Succeeded"),
      {
        timeout: 6000,
      },
    );
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent("#2");
    expect(within(table).getByRole("link", { name: "1" })).toHaveAttribute(
      "href",
      "/ontology/mappings/m1/rejected?sync=sy2",
    );
    expect(await screen.findByText("Sync #2 succeeded")).toBeVisible();
  }, 10_000);
});

describe("Mapping edit tab", () => {
  it("warns about properties the type no longer has, and saving drops them", async () => {
    const saved = makeMapping({
      properties: {
        ...makeMapping().properties,
        seats: { column: "seats", path: null, transform: "", default: null },
      },
    });
    const { calls } = mockApi(
      ...ontologyRoutes(),
      route("GET", "/api/v1/mappings/m1", () => json(saved)),
      route("GET", "/api/v1/mappings/m1/syncs", () => json({ items: [makeSync()], total: 1 })),
      route("POST", "/api/v1/mappings/check", () => json(makePreview())),
      route("PATCH", "/api/v1/mappings/m1", () => json(makeMapping())),
    );
    renderApp("/ontology/mappings/m1/edit");
    expect(await screen.findByText("Aircraft no longer has seats")).toBeVisible();
    expect(screen.getByLabelText("Dataset")).toBeDisabled();
    await userEvent.setup().click(screen.getByRole("button", { name: "Save mapping" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    const body = await calls.find((c) => c.method === "PATCH")?.json();
    expect(Object.keys(body.properties)).toEqual(["tailNumber", "manufacturer"]);
    expect(body.clear_schedule).toBe(true);
  });
});

describe("mapping form logic", () => {
  it("keeps chosen rows when applying suggestions", () => {
    const rows = { model: { ...EMPTY_ROW, column: "mfr" } };
    const { rows: next, filled } = applySuggestions(rows, SUGGESTIONS);
    expect(filled).toEqual(["tailNumber", "manufacturer", "yearBuilt"]);
    expect(next.model?.column).toBe("mfr");
    expect(next.yearBuilt).toEqual({
      ...EMPTY_ROW,
      column: "build_yr",
      transform: "parseInt(value)",
    });
  });

  it("sends only rows that say something, and drops properties the type no longer has", () => {
    const out = propertyMappings(
      {
        a: { column: "c", path: " x.y ", transform: " trim(value) ", default: "" },
        b: EMPTY_ROW,
        gone: { ...EMPTY_ROW, column: "c" },
        d: { ...EMPTY_ROW, default: "0" },
      },
      ["a", "b", "d"],
    );
    expect(out).toEqual({
      a: { column: "c", path: "x.y", transform: "trim(value)", default: null },
      d: { column: null, path: null, transform: "", default: "0" },
    });
  });

  it("places issues and field errors from a refused save", () => {
    const error = new ApiError({
      status: 422,
      code: "invalid_mapping",
      message: "status: short; name taken",
      details: {
        fields: [
          { field: "body.properties.status", message: "status: short" },
          { field: "body.name", message: "a mapping named 'm' already exists" },
          { field: "body", message: "something else" },
        ],
        issues: [{ property: "status", message: "short" }],
      },
    });
    expect(mappingServerErrors(error)).toEqual({
      properties: { status: ["short"] },
      fields: { name: "a mapping named 'm' already exists" },
      unplaced: ["something else"],
    });
  });

  it("previews raw values (with a path into JSON text) until the mapping is clean", () => {
    const preview = makePreview({
      issues: [{ property: "x", message: "m" }],
      rows: [],
      source_rows: [{ doc: '{"a": {"b": [5, 6]}}' }],
    });
    expect(previewFor("p", { ...EMPTY_ROW, column: "doc", path: "a.b[1]" }, preview)).toEqual({
      values: [6],
      raw: true,
    });
    expect(valueAt({ items: [{ sku: "k" }] }, "items[0].sku")).toBe("k");
  });

  it("wraps the current transform in a chosen function or method", () => {
    const parse = FUNCTIONS.find((f) => f.signature.startsWith("parseInt"));
    expect(parse && applyHelp(parse, "")).toBe("parseInt(value)");
    expect(parse && applyHelp(parse, "trim(value)")).toBe("parseInt(trim(value))");
    expect(applyHelp({ signature: ".trim()", description: "", wrap: "$.trim()" }, "a + b")).toBe(
      "(a + b).trim()",
    );
  });
});
