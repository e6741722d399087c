import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, type Handler, json, makeMe, mockApi, renderApp, route } from "@/test/render";
import { postgresSchema } from "./schema/fixtures";
import type { ConnectorType, Source } from "./types";

afterEach(() => vi.unstubAllGlobals());

const ENGINEER = makeMe({
  role: "engineer",
  permissions: ["authenticated", "secrets:read", "secrets:write", "sources:write"],
});

const CONNECTORS: ConnectorType[] = [
  {
    type: "postgres",
    title: "PostgreSQL",
    category: "database",
    spec_kinds: ["table", "query"],
    settings_schema: postgresSchema as Record<string, unknown>,
  },
  {
    type: "csv",
    title: "CSV",
    category: "file",
    spec_kinds: ["file"],
    settings_schema: { properties: { root: { title: "Root", type: "string" } }, type: "object" },
  },
];

function makeSource(overrides: Partial<Source> = {}): Source {
  return {
    id: "s1",
    name: "warehouse",
    type: "postgres",
    description: "Logistics warehouse (read-only)",
    config: {
      host: "db.internal",
      port: 5432,
      database: "logistics",
      user: "reader",
      password: null,
      sslmode: "prefer",
      schemas: [],
      tunnel: null,
    },
    secrets_set: ["password"],
    owner: { id: "u1", username: "ada", display_name: "Ada Lovelace" },
    status: "active",
    last_tested_at: "2026-05-01T12:00:00Z",
    last_latency_ms: 4.2,
    last_error: null,
    server_version: "PostgreSQL 15.6",
    created_at: "2026-05-01T11:00:00Z",
    updated_at: "2026-05-01T11:00:00Z",
    can_edit: true,
    ...overrides,
  };
}

function baseRoutes(me = ENGINEER): Handler[] {
  return [
    route("GET", "/api/v1/meta", () => json({ version: "0.1.0", roles: [], clearances: [] })),
    route("GET", "/api/v1/auth/me", () => json(me)),
    route("GET", "/api/v1/connectors", () => json({ items: CONNECTORS })),
  ];
}

describe("Sources list", () => {
  it("lists sources with type, status and owner, and filters them", async () => {
    mockApi(
      ...baseRoutes(),
      route("GET", "/api/v1/sources", () =>
        json({
          items: [
            makeSource(),
            makeSource({
              id: "s2",
              name: "exports",
              type: "csv",
              status: "error",
              last_error: "folder /data/exports does not exist",
              description: "",
            }),
          ],
        }),
      ),
    );
    renderApp("/sources");

    expect(await screen.findByRole("heading", { level: 1, name: "Sources" })).toBeVisible();
    const table = await screen.findByRole("table", { name: "Sources" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent("exports");
    expect(rows[1]).toHaveTextContent("CSV");
    expect(within(rows[1] as HTMLElement).getByText("Error")).toHaveAttribute(
      "title",
      "folder /data/exports does not exist",
    );
    expect(rows[2]).toHaveTextContent("PostgreSQL");
    expect(rows[2]).toHaveTextContent("Active");
    expect(rows[2]).toHaveTextContent("4.2 ms");
    expect(rows[2]).toHaveTextContent("Ada Lovelace");
    expect(screen.getByRole("link", { name: "New source" })).toHaveAttribute(
      "href",
      "/sources/new",
    );

    await userEvent.type(screen.getByLabelText("Filter sources"), "ware");
    expect(within(table).getByRole("link", { name: "warehouse" })).toBeVisible();
    expect(within(table).queryByRole("link", { name: "exports" })).not.toBeInTheDocument();
  });

  it("shows type titles even when the types answer after the sources", async () => {
    let release: () => void = () => {};
    const typesReady = new Promise<void>((resolve) => {
      release = resolve;
    });
    mockApi(
      route("GET", "/api/v1/meta", () => json({ version: "0.1.0", roles: [], clearances: [] })),
      route("GET", "/api/v1/auth/me", () => json(ENGINEER)),
      route("GET", "/api/v1/sources", () => json({ items: [makeSource()] })),
      (req) =>
        new URL(req.url).pathname === "/api/v1/connectors"
          ? typesReady.then(() => json({ items: CONNECTORS }))
          : undefined,
    );
    renderApp("/sources");

    const table = await screen.findByRole("table", { name: "Sources" });
    await within(table).findByText("warehouse");
    expect(table).toHaveTextContent("postgres");
    // A filter matching nothing, before the titles arrive, makes the table read (and cache)
    // every column's value.
    const filter = screen.getByLabelText("Filter sources");
    await userEvent.type(filter, "zzz");
    release();
    await userEvent.clear(filter);
    await waitFor(() => expect(table).toHaveTextContent("PostgreSQL"));
    await userEvent.type(filter, "PostgreSQL");
    expect(within(table).getByRole("link", { name: "warehouse" })).toBeVisible();
  });

  it("offers a first source to an engineer, and explains sharing to an analyst", async () => {
    mockApi(
      ...baseRoutes(),
      route("GET", "/api/v1/sources", () => json({ items: [] })),
    );
    const first = renderApp("/sources");
    expect(await screen.findByText("Connect your first source")).toBeVisible();
    expect(screen.getAllByRole("link", { name: "New source" })).toHaveLength(1);
    first.unmount();

    mockApi(
      ...baseRoutes(makeMe({ role: "analyst", permissions: ["authenticated"] })),
      route("GET", "/api/v1/sources", () => json({ items: [] })),
    );
    renderApp("/sources");
    expect(await screen.findByText("No sources shared with you yet")).toBeVisible();
    expect(screen.queryByRole("link", { name: "New source" })).not.toBeInTheDocument();
  });
});

describe("New source wizard", () => {
  it("picks a type, tests the connection, saves and opens the source", async () => {
    const created = makeSource({ status: "untested", last_tested_at: null });
    const { calls } = mockApi(
      ...baseRoutes(),
      route("POST", "/api/v1/sources/test", () =>
        json({ ok: true, message: "ok", latency_ms: 3.1, server_version: "PostgreSQL 15.6" }),
      ),
      route("POST", "/api/v1/sources", () => json(created, 201)),
      route("POST", "/api/v1/sources/s1/test", () =>
        json({ ok: true, message: "ok", latency_ms: 2, server_version: "PostgreSQL 15.6" }),
      ),
      route("GET", "/api/v1/sources/s1", () => json(created)),
      route("GET", "/api/v1/sources/s1/objects", () => json({ items: [] })),
    );
    const { router } = renderApp("/sources/new");
    const user = userEvent.setup();

    const databases = await screen.findByRole("region", { name: "Databases" });
    await user.click(within(databases).getByRole("button", { name: "PostgreSQL" }));
    expect(router.state.location.search).toBe("?type=postgres");
    expect(screen.getByRole("heading", { level: 1, name: "New PostgreSQL source" })).toBeVisible();

    await user.type(screen.getByLabelText("Source name"), "warehouse");
    await user.type(screen.getByLabelText("Host"), "db.internal");
    await user.type(screen.getByLabelText("Database"), "logistics");
    await user.type(screen.getByLabelText("User"), "reader");
    await user.type(screen.getByLabelText("Password"), "pw");
    await user.click(screen.getByRole("button", { name: "Test connection" }));

    expect(await screen.findByText("Connection succeeded")).toBeVisible();
    expect(screen.getByText(/PostgreSQL 15\.6 · answered in 3\.1 ms/)).toBeVisible();

    await user.click(screen.getByRole("button", { name: "Save source" }));
    expect(await screen.findByRole("heading", { level: 1, name: "warehouse" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/sources/s1/objects");

    const post = calls.find((c) => c.method === "POST" && c.url.endsWith("/api/v1/sources"));
    expect(await post?.json()).toEqual({
      name: "warehouse",
      type: "postgres",
      description: "",
      config: {
        host: "db.internal",
        port: 5432,
        database: "logistics",
        user: "reader",
        password: "pw",
        sslmode: "prefer",
        schemas: [],
        tunnel: null,
      },
    });
    // It passed a test in the form, so the saved source is tested too.
    await waitFor(() =>
      expect(calls.some((c) => c.url.endsWith("/api/v1/sources/s1/test"))).toBe(true),
    );
  });

  it("shows a failed test prominently and a server's field error beside its field", async () => {
    mockApi(
      ...baseRoutes(),
      route("POST", "/api/v1/sources/test", () =>
        json({
          ok: false,
          message: 'password authentication failed for user "reader"',
          latency_ms: 12,
          server_version: null,
        }),
      ),
      route("POST", "/api/v1/sources", () =>
        apiError(422, "validation_error", "body.config.port: too big", {
          fields: [{ field: "body.config.port", message: "Input should be less than 6000" }],
        }),
      ),
    );
    renderApp("/sources/new?type=postgres");
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText("Source name"), "warehouse");
    await user.type(screen.getByLabelText("Host"), "db");
    await user.type(screen.getByLabelText("Database"), "d");
    await user.type(screen.getByLabelText("User"), "reader");
    await user.click(screen.getByRole("button", { name: "Test connection" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Connection failed");
    expect(alert).toHaveTextContent('password authentication failed for user "reader"');

    await user.click(screen.getByRole("button", { name: "Save source" }));
    const port = screen.getByLabelText("Port");
    await waitFor(() => expect(port).toHaveAttribute("aria-invalid", "true"));
    expect(port).toHaveAccessibleDescription("Input should be less than 6000.");
  });

  it("checks the name and required settings before calling the server", async () => {
    const { calls } = mockApi(...baseRoutes());
    renderApp("/sources/new?type=postgres");
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText("Source name"), "-bad name");
    await user.click(screen.getByRole("button", { name: "Save source" }));

    expect(screen.getByLabelText("Source name")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Host")).toHaveAccessibleDescription("Required.");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });
});

describe("Source page", () => {
  const objects = {
    items: [
      {
        name: "public.shipments",
        kind: "table",
        namespace: "public",
        row_count: 500,
        size_bytes: 65536,
        columns: [
          { name: "id", data_type: "int32", nullable: false, source_type: "integer" },
          { name: "port", data_type: "string", nullable: true, source_type: "text" },
          {
            name: "weight",
            data_type: "decimal128(10, 2)",
            nullable: true,
            source_type: "numeric(10,2)",
          },
        ],
      },
      {
        name: "public.ports",
        kind: "view",
        namespace: "public",
        row_count: null,
        size_bytes: null,
        columns: null,
      },
    ],
  };
  const preview = {
    columns: [
      { name: "id", data_type: "int32", nullable: false, source_type: "integer" },
      { name: "port", data_type: "string", nullable: true, source_type: "text" },
    ],
    rows: [
      [1, "port-1"],
      [2, null],
    ],
    row_count: 2,
    limit: 100,
  };

  function sourceRoutes(extra: Handler[] = []) {
    return mockApi(
      ...baseRoutes(),
      route("GET", "/api/v1/sources/s1", () => json(makeSource())),
      route("GET", "/api/v1/sources/s1/objects", () => json(objects)),
      route("POST", "/api/v1/sources/s1/preview", () => json(preview)),
      ...extra,
    );
  }

  it("lists objects, shows a table's columns and previews its rows", async () => {
    const { calls } = sourceRoutes();
    const { router } = renderApp("/sources/s1");
    const user = userEvent.setup();

    expect(await screen.findByRole("heading", { level: 1, name: "warehouse" })).toBeVisible();
    await user.click(await screen.findByRole("button", { name: "public.shipments" }));
    const columns = screen.getByRole("table", { name: "Columns of public.shipments" });
    expect(columns).toHaveTextContent("decimal128(10, 2)");
    expect(columns).toHaveTextContent("numeric(10,2)");

    await user.click(screen.getByRole("button", { name: "Preview" }));
    const grid = await screen.findByRole("table", { name: "Preview rows" });
    expect(router.state.location.pathname).toBe("/sources/s1/preview");
    expect(grid).toHaveTextContent("port-1");
    expect(within(grid).getByText("NULL")).toBeVisible();
    expect(within(grid).getByText("int32")).toBeVisible();
    expect(screen.getByText("2 rows")).toBeVisible();

    const post = calls.find((c) => c.url.endsWith("/preview"));
    expect(await post?.json()).toEqual({
      spec: { kind: "table", table: "public.shipments" },
      limit: 100,
    });
  });

  it("runs a SQL query from the Preview tab", async () => {
    const { calls } = sourceRoutes();
    renderApp("/sources/s1/preview");
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText("SQL query"), "SELECT id, port FROM shipments");
    await user.click(screen.getByRole("button", { name: "Run preview" }));

    expect(await screen.findByRole("table", { name: "Preview rows" })).toHaveTextContent("port-1");
    const post = calls.find((c) => c.url.endsWith("/preview"));
    expect(await post?.json()).toEqual({
      spec: { kind: "query", sql: "SELECT id, port FROM shipments" },
      limit: 100,
    });
  });

  it("shows a connector failure prominently", async () => {
    mockApi(
      ...baseRoutes(),
      route("GET", "/api/v1/sources/s1", () => json(makeSource())),
      route("GET", "/api/v1/sources/s1/objects", () =>
        apiError(502, "source_unreachable", "connection refused by db.internal:5432"),
      ),
    );
    renderApp("/sources/s1/objects");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Couldn't list what warehouse holds");
    expect(alert).toHaveTextContent("connection refused by db.internal:5432");
  });

  it("tests the source and refreshes its status", async () => {
    let tested = false;
    mockApi(
      ...baseRoutes(),
      route("GET", "/api/v1/sources/s1", () =>
        json(
          tested ? makeSource({ status: "error", last_error: "timeout after 10 s" }) : makeSource(),
        ),
      ),
      route("GET", "/api/v1/sources/s1/objects", () => json(objects)),
      route("POST", "/api/v1/sources/s1/test", () => {
        tested = true;
        return json({
          ok: false,
          message: "timeout after 10 s",
          latency_ms: 10000,
          server_version: null,
        });
      }),
    );
    renderApp("/sources/s1");
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Test" }));
    expect(await screen.findByText("The last connection test failed")).toBeVisible();
    expect(screen.getAllByText("timeout after 10 s").length).toBeGreaterThan(0);
  });

  it("names what still uses a source when deleting is refused", async () => {
    sourceRoutes([
      route("DELETE", "/api/v1/sources/s1", () =>
        apiError(409, "conflict", "source 'warehouse' is used by dataset 'shipments'", {
          dependents: [{ kind: "dataset", id: "d1", name: "shipments_raw" }],
        }),
      ),
    ]);
    renderApp("/sources/s1/objects");
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Delete" }));
    const dialog = screen.getByRole("dialog", { name: "Delete warehouse?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete source" }));
    expect(await within(dialog).findByText("shipments_raw")).toBeVisible();
    expect(within(dialog).getByRole("button", { name: "Got it" })).toBeVisible();
  });

  it("edits settings with the stored password kept", async () => {
    const { calls } = sourceRoutes([
      route("PATCH", "/api/v1/sources/s1", () => json(makeSource({ status: "untested" }))),
    ]);
    renderApp("/sources/s1/edit");
    const user = userEvent.setup();

    const host = await screen.findByLabelText("Host");
    expect(host).toHaveValue("db.internal");
    expect(screen.getByLabelText("Password")).toHaveValue("");
    expect(screen.getByLabelText("Password")).toHaveAttribute("placeholder", "Leave empty to keep");

    await user.clear(host);
    await user.type(host, "db2.internal");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await screen.findByRole("heading", { level: 1, name: "warehouse" });
    const patch = calls.find((c) => c.method === "PATCH");
    const body = await patch?.json();
    expect(body.config.host).toBe("db2.internal");
    expect(body.config).not.toHaveProperty("password");
    expect(body).not.toHaveProperty("name");
  });

  it("shares with a role when the user list is off limits", async () => {
    const { calls } = sourceRoutes([
      route("GET", "/api/v1/sources/s1/grants", () => json({ items: [] })),
      route("GET", "/api/v1/users", () => apiError(403, "forbidden", "missing users:read")),
      route("PUT", "/api/v1/sources/s1/grants", () =>
        json({
          id: "g1",
          principal_type: "role",
          principal: "analyst",
          principal_label: "every analyst",
          level: "use",
          created_at: "2026-05-01T12:00:00Z",
          created_by: "ada",
        }),
      ),
    ]);
    renderApp("/sources/s1/access");
    const user = userEvent.setup();

    expect(await screen.findByText("Not shared yet")).toBeVisible();
    const role = await screen.findByLabelText("Role");
    await user.selectOptions(role, "analyst");
    await user.click(screen.getByRole("button", { name: "Add access" }));
    const put = await waitFor(() => {
      const c = calls.find((x) => x.method === "PUT");
      if (!c) throw new Error("no PUT yet");
      return c;
    });
    expect(await put.json()).toEqual({
      principal_type: "role",
      principal: "analyst",
      level: "use",
    });
  });
});
