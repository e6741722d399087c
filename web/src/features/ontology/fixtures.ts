/** Test data for the ontology pages: the Aircraft type, its dataset, a mapping and a sync. */
import { json, makeMe, route } from "@/test/render";
import { makeDataset } from "../datasets/fixtures";
import type {
  Mapping,
  MappingPreview,
  ObjectType,
  PropertySpec,
  Suggestion,
  SyncRun,
} from "./types";

export const ENGINEER = makeMe({
  role: "engineer",
  permissions: ["authenticated", "sources:write", "datasets:write", "ontology:write"],
});

export const ANALYST = makeMe({ role: "analyst", clearance: "U", permissions: ["authenticated"] });

function prop(name: string, kind: PropertySpec["kind"], extra: Partial<PropertySpec> = {}) {
  return {
    name,
    kind,
    required: false,
    description: "",
    enum_values: [],
    items: null,
    fields: [],
    precision: 38,
    scale: 9,
    ...extra,
  } satisfies PropertySpec;
}

export function makeObjectType(overrides: Partial<ObjectType> = {}): ObjectType {
  return {
    id: "ot1",
    name: "Aircraft",
    display_name: "Aircraft",
    description: "A registered airframe.",
    key_property: "tailNumber",
    classification: "U",
    properties: [
      prop("tailNumber", "string", { required: true }),
      prop("manufacturer", "string", { required: true }),
      prop("model", "string"),
      prop("yearBuilt", "integer"),
      prop("status", "enum", { enum_values: ["active", "inactive"] }),
    ],
    version: 1,
    owner: { id: "u1", username: "ada", display_name: "Ada Lovelace" },
    object_count: 4,
    lake_uri: "/var/dataops/lake/objects/ot1",
    created_at: "2026-05-01T12:00:00Z",
    updated_at: "2026-05-01T12:00:00Z",
    editable: true,
    ...overrides,
  };
}

/** The aircraft dataset: extracted once, with the wireframe's columns. */
export const AIRCRAFT_DATASET = makeDataset({
  id: "d1",
  name: "aircraft_inventory",
  columns: [
    { name: "tail_number", data_type: "string", nullable: true, source_type: null },
    { name: "mfr", data_type: "string", nullable: true, source_type: null },
    { name: "model_name", data_type: "string", nullable: true, source_type: null },
    { name: "build_yr", data_type: "string", nullable: true, source_type: null },
    { name: "active", data_type: "bool", nullable: true, source_type: null },
  ],
});

export const SAMPLE = {
  columns: AIRCRAFT_DATASET.columns,
  rows: [
    ["N12345", "Boeing", "737-800", "2015", true],
    ["N11111", "Embraer", "E175", "19x5", false],
  ],
  row_count: 2,
  limit: 5,
  lake_version: 0,
};

const SOURCE_ROWS = SAMPLE.rows.map((r) =>
  Object.fromEntries(SAMPLE.columns.map((c, i) => [c.name, r[i]])),
);

export function makePreview(overrides: Partial<MappingPreview> = {}): MappingPreview {
  return {
    issues: [],
    columns: ["tailNumber", "manufacturer", "model", "yearBuilt", "status"],
    rows: [
      {
        tailNumber: "N12345",
        manufacturer: "Boeing",
        model: "737-800",
        yearBuilt: 2015,
        status: "active",
      },
      {
        tailNumber: "N11111",
        manufacturer: "Embraer",
        model: "E175",
        yearBuilt: 19,
        status: "inactive",
      },
    ],
    errors: [null, null],
    source_rows: SOURCE_ROWS,
    ...overrides,
  };
}

export const SUGGESTIONS: Suggestion[] = [
  {
    property: "tailNumber",
    column: "tail_number",
    path: null,
    transform: "",
    confidence: 1,
    reasons: ["same name after normalisation"],
  },
  {
    property: "manufacturer",
    column: "mfr",
    path: null,
    transform: "",
    confidence: 0.9,
    reasons: ["mfr abbreviates manufacturer"],
  },
  {
    property: "model",
    column: "model_name",
    path: null,
    transform: "",
    confidence: 0.79,
    reasons: ["name starts with 'model'"],
  },
  {
    property: "yearBuilt",
    column: "build_yr",
    path: null,
    transform: "parseInt(value)",
    confidence: 0.62,
    reasons: ["text that parses as integer"],
  },
  {
    property: "status",
    column: null,
    path: null,
    transform: "",
    confidence: 0,
    reasons: ["no column fits"],
  },
];

export function makeSync(overrides: Partial<SyncRun> = {}): SyncRun {
  return {
    id: "sy1",
    mapping_id: "m1",
    seq: 1,
    trigger: "manual",
    status: "succeeded",
    triggered_by: "ada",
    created_at: "2026-05-02T10:00:00Z",
    started_at: "2026-05-02T10:00:01Z",
    finished_at: "2026-05-02T10:00:02Z",
    dataset_version_from: null,
    dataset_version_to: 0,
    processed: 2,
    succeeded: 2,
    failed: 0,
    lake_version: 0,
    duration_ms: 850,
    error: null,
    error_code: null,
    ...overrides,
  };
}

export function makeMapping(overrides: Partial<Mapping> = {}): Mapping {
  return {
    id: "m1",
    name: "aircraft_inventory to Aircraft",
    description: "",
    dataset_id: "d1",
    dataset_name: "aircraft_inventory",
    object_type_id: "ot1",
    object_type_name: "Aircraft",
    properties: {
      tailNumber: { column: "tail_number", path: null, transform: "", default: null },
      manufacturer: { column: "mfr", path: null, transform: "", default: null },
    },
    sync_mode: "upsert",
    on_conflict: "overwrite",
    schedule: null,
    next_run_at: null,
    synced_dataset_version: 0,
    last_sync: makeSync(),
    owner: { id: "u1", username: "ada", display_name: "Ada Lovelace" },
    created_at: "2026-05-01T12:00:00Z",
    updated_at: "2026-05-01T12:00:00Z",
    editable: true,
    ...overrides,
  };
}

/** Who is signed in, the object type and the aircraft dataset (list, detail, first rows). */
export function ontologyRoutes(me = ENGINEER, ot = makeObjectType()) {
  return [
    route("GET", "/api/v1/meta", () => json({ version: "0.1.0", roles: [], clearances: [] })),
    route("GET", "/api/v1/auth/me", () => json(me)),
    route("GET", "/api/v1/object-types", () => json({ items: [ot], total: 1 })),
    route("GET", `/api/v1/object-types/${ot.id}`, () => json(ot)),
    route("GET", "/api/v1/datasets", () => json({ items: [AIRCRAFT_DATASET] })),
    route("GET", "/api/v1/datasets/d1", () => json(AIRCRAFT_DATASET)),
    route("GET", "/api/v1/datasets/d1/data", () => json(SAMPLE)),
  ];
}
