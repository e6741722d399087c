/** Test data for the datasets pages. */
import { json, makeMe, route } from "@/test/render";
import type { ConnectorType, Source } from "../sources/types";
import type { Dataset, Run } from "./types";

export const ENGINEER = makeMe({
  role: "engineer",
  permissions: ["authenticated", "secrets:read", "sources:write", "datasets:write"],
});

export const ANALYST = makeMe({ role: "analyst", permissions: ["authenticated"] });

export const CONNECTORS: ConnectorType[] = [
  {
    type: "postgres",
    title: "PostgreSQL",
    category: "database",
    spec_kinds: ["table", "query"],
    settings_schema: {},
  },
  { type: "csv", title: "CSV files", category: "file", spec_kinds: ["file"], settings_schema: {} },
];

export function makeSource(overrides: Partial<Source> = {}): Source {
  return {
    id: "s1",
    name: "exports",
    type: "csv",
    description: "",
    config: { root: "." },
    secrets_set: [],
    owner: { id: "u1", username: "ada", display_name: "Ada Lovelace" },
    status: "active",
    last_tested_at: null,
    last_latency_ms: null,
    last_error: null,
    server_version: null,
    created_at: "2026-05-01T11:00:00Z",
    updated_at: "2026-05-01T11:00:00Z",
    can_edit: true,
    ...overrides,
  };
}

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: "r1",
    dataset_id: "d1",
    seq: 1,
    trigger: "manual",
    status: "succeeded",
    triggered_by: "ada",
    scheduled_for: null,
    created_at: "2026-05-02T10:00:00Z",
    started_at: "2026-05-02T10:00:01Z",
    finished_at: "2026-05-02T10:00:03Z",
    attempts: 1,
    rows: 50,
    bytes: 2048,
    duration_ms: 2150,
    watermark_before: null,
    watermark_after: null,
    lake_version: 0,
    quarantined: 0,
    schema_changes: [],
    error: null,
    error_code: null,
    worker: null,
    ...overrides,
  };
}

export function makeDataset(overrides: Partial<Dataset> = {}): Dataset {
  return {
    id: "d1",
    name: "orders",
    description: "Orders exported nightly",
    source: { id: "s1", name: "exports", type: "csv" },
    spec: { kind: "file", path: "orders.csv", has_header: true },
    mode: "full",
    primary_key: [],
    incremental: null,
    schema_policy: "add_columns",
    max_bad_records: null,
    max_bad_percent: null,
    schedule: null,
    next_run_at: null,
    owner: { id: "u1", username: "ada", display_name: "Ada Lovelace" },
    can_edit: true,
    lake_uri: "/var/dataops/lake/d1",
    lake_version: 0,
    row_count: 50,
    watermark: null,
    columns: [
      { name: "id", data_type: "int64", nullable: true, source_type: null },
      { name: "customer", data_type: "string", nullable: true, source_type: null },
      { name: "updated_at", data_type: "timestamp[us]", nullable: true, source_type: null },
    ],
    last_run: makeRun(),
    created_at: "2026-05-01T12:00:00Z",
    updated_at: "2026-05-01T12:00:00Z",
    ...overrides,
  };
}

export const PREVIEW = {
  columns: [
    { name: "id", data_type: "int64", nullable: true, source_type: null },
    { name: "customer", data_type: "string", nullable: true, source_type: null },
    { name: "updated_at", data_type: "timestamp[us]", nullable: true, source_type: null },
  ],
  rows: [
    [1, "acme", "2026-05-01T00:00:00"],
    [2, null, "2026-05-01T01:00:00"],
  ],
  row_count: 2,
  limit: 100,
};

export function baseRoutes(me = ENGINEER) {
  return [
    route("GET", "/api/v1/meta", () => json({ version: "0.1.0", roles: [], clearances: [] })),
    route("GET", "/api/v1/auth/me", () => json(me)),
    route("GET", "/api/v1/connectors", () => json({ items: CONNECTORS })),
  ];
}
