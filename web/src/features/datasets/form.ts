/**
 * The dataset form as plain values: built from a saved dataset, turned into a create body or a
 * patch of what changed, checked before sending, and the server's field errors placed on it.
 */
import { ApiError } from "@/api/errors";
import { localTimeZone } from "./format";
import type {
  Dataset,
  DatasetCreate,
  DatasetUpdate,
  ExtractKind,
  ExtractMode,
  MisfirePolicy,
  ReadSpec,
  SchemaPolicy,
} from "./types";

export interface ParamRow {
  id: number;
  key: string;
  value: string;
}

export interface DatasetFormValues {
  sourceId: string;
  kind: ExtractKind | null;
  table: string;
  sql: string;
  /** A file path or glob (file), or the path below the base URL (endpoint). */
  path: string;
  sheet: string;
  delimiter: string;
  hasHeader: boolean;
  params: ParamRow[];
  recordsPath: string;
  /** Spec fields the form doesn't edit (a table's column list, file column types): kept as is. */
  specExtras: Record<string, unknown>;
  name: string;
  description: string;
  mode: ExtractMode;
  primaryKey: string[];
  watermarkColumn: string;
  initialValue: string;
  lookback: string;
  schemaPolicy: SchemaPolicy;
  maxBadRecords: string;
  maxBadPercent: string;
  scheduleOn: boolean;
  cron: string;
  timezone: string;
  misfire: MisfirePolicy;
}

/** Form fields an error can be shown beside. */
export type FieldKey =
  | "source"
  | "table"
  | "sql"
  | "path"
  | "sheet"
  | "delimiter"
  | "params"
  | "recordsPath"
  | "name"
  | "description"
  | "mode"
  | "primaryKey"
  | "watermarkColumn"
  | "initialValue"
  | "lookback"
  | "schemaPolicy"
  | "maxBadRecords"
  | "maxBadPercent"
  | "cron"
  | "timezone"
  | "misfire";

export type FormErrors = Partial<Record<FieldKey, string>>;

export const DEFAULT_CRON = "0 2 * * *";
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;

let nextParamId = 1;
export function paramRow(key = "", value = ""): ParamRow {
  return { id: nextParamId++, key, value };
}

export function emptyValues(sourceId = "", kind: ExtractKind | null = null): DatasetFormValues {
  return {
    sourceId,
    kind,
    table: "",
    sql: "",
    path: "",
    sheet: "",
    delimiter: "",
    hasHeader: true,
    params: [],
    recordsPath: "",
    specExtras: {},
    name: "",
    description: "",
    mode: "full",
    primaryKey: [],
    watermarkColumn: "",
    initialValue: "",
    lookback: "",
    schemaPolicy: "add_columns",
    maxBadRecords: "",
    maxBadPercent: "",
    scheduleOn: false,
    cron: DEFAULT_CRON,
    timezone: localTimeZone(),
    misfire: "run_once",
  };
}

function specValues(spec: ReadSpec): Partial<DatasetFormValues> {
  switch (spec.kind) {
    case "table": {
      const { kind: _k, table, ...extras } = spec;
      return { table, specExtras: extras };
    }
    case "query":
      return { sql: spec.sql };
    case "file": {
      const { kind: _k, path, sheet, delimiter, has_header, ...extras } = spec;
      return {
        path,
        sheet: sheet ?? "",
        delimiter: delimiter ?? "",
        hasHeader: has_header ?? true,
        specExtras: extras,
      };
    }
    case "endpoint":
      return {
        path: spec.path,
        params: Object.entries(spec.params ?? {}).map(([k, v]) => paramRow(k, v)),
        recordsPath: spec.records_path ?? "",
      };
    default:
      return {};
  }
}

export function valuesFromDataset(d: Dataset): DatasetFormValues {
  const base = emptyValues(d.source.id, d.spec.kind);
  return {
    ...base,
    ...specValues(d.spec),
    name: d.name,
    description: d.description,
    mode: d.mode,
    primaryKey: [...d.primary_key],
    watermarkColumn: d.incremental?.column ?? "",
    initialValue: d.incremental?.initial_value ?? "",
    lookback:
      d.incremental?.lookback === null || d.incremental?.lookback === undefined
        ? ""
        : String(d.incremental.lookback),
    schemaPolicy: d.schema_policy,
    maxBadRecords: d.max_bad_records === null ? "" : String(d.max_bad_records),
    maxBadPercent: d.max_bad_percent === null ? "" : String(d.max_bad_percent),
    scheduleOn: d.schedule?.enabled ?? false,
    cron: d.schedule?.cron ?? DEFAULT_CRON,
    timezone: d.schedule?.timezone ?? base.timezone,
    misfire: d.schedule?.misfire_policy ?? "run_once",
  };
}

/** What the form asks to read, or null while it is incomplete. */
export function buildSpec(v: DatasetFormValues): ReadSpec | null {
  switch (v.kind) {
    case "table":
      return v.table.trim() ? { ...v.specExtras, kind: "table", table: v.table.trim() } : null;
    case "query":
      return v.sql.trim() ? { kind: "query", sql: v.sql.trim() } : null;
    case "file": {
      if (!v.path.trim()) return null;
      const spec: ReadSpec = {
        ...v.specExtras,
        kind: "file",
        path: v.path.trim(),
        has_header: v.hasHeader,
      };
      if (v.sheet.trim()) spec.sheet = v.sheet.trim();
      if (v.delimiter) spec.delimiter = v.delimiter === "\\t" ? "\t" : v.delimiter;
      return spec;
    }
    case "endpoint": {
      if (!v.path.trim()) return null;
      const params: Record<string, string> = {};
      for (const p of v.params) if (p.key.trim()) params[p.key.trim()] = p.value;
      const spec: ReadSpec = { kind: "endpoint", path: v.path.trim(), params };
      if (v.recordsPath.trim()) spec.records_path = v.recordsPath.trim();
      return spec;
    }
    default:
      return null;
  }
}

function optionalNumber(text: string): number | null {
  const t = text.trim();
  return t === "" ? null : Number(t);
}

/** The create body. Only call once {@link validate} finds nothing (the spec is then complete). */
export function buildCreate(v: DatasetFormValues): DatasetCreate {
  const incremental =
    v.mode === "full"
      ? null
      : {
          column: v.watermarkColumn.trim(),
          initial_value: v.initialValue.trim() || null,
          lookback: v.mode === "merge" ? optionalNumber(v.lookback) : null,
        };
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    source_id: v.sourceId,
    spec: buildSpec(v) as ReadSpec,
    mode: v.mode,
    primary_key: v.primaryKey,
    incremental,
    schema_policy: v.schemaPolicy,
    max_bad_records: optionalNumber(v.maxBadRecords),
    max_bad_percent: optionalNumber(v.maxBadPercent),
    schedule: v.scheduleOn
      ? {
          cron: v.cron.trim(),
          timezone: v.timezone.trim() || "UTC",
          enabled: true,
          misfire_policy: v.misfire,
        }
      : null,
  };
}

/**
 * Only what changed between two states of the form (`incremental: null`, `schedule: null`
 * remove them). A schedule that was paused elsewhere and left alone here is not touched.
 */
export function buildPatch(initial: DatasetFormValues, current: DatasetFormValues): DatasetUpdate {
  const before = buildCreate(initial);
  const after = buildCreate(current);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof DatasetCreate>) {
    if (key === "source_id") continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) patch[key] = after[key];
  }
  return patch as DatasetUpdate;
}

function validateNumber(text: string, opts: { integer?: boolean; max?: number }): string | null {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0) return "Enter a number of 0 or more.";
  if (opts.integer && !Number.isInteger(n)) return "Enter a whole number.";
  if (opts.max !== undefined && n > opts.max) return `At most ${opts.max}.`;
  return null;
}

/** Checks made before asking the server (it checks everything again). */
export function validate(v: DatasetFormValues): FormErrors {
  const e: FormErrors = {};
  const name = v.name.trim();
  if (!name) e.name = "Required.";
  else if (name.length > 128) e.name = "At most 128 characters.";
  else if (!NAME_PATTERN.test(name)) {
    e.name = "Start with a letter or digit; then letters, digits, spaces and _ . - only.";
  }
  if (!v.sourceId) e.source = "Choose the source to extract from.";
  else if (v.kind === "table" && !v.table.trim()) e.table = "Choose a table.";
  else if (v.kind === "query" && !v.sql.trim()) e.sql = "Write the query to run.";
  else if ((v.kind === "file" || v.kind === "endpoint") && !v.path.trim()) {
    e.path = v.kind === "file" ? "Enter a file path or glob." : "Enter the endpoint's path.";
  }
  if (v.kind === "file" && v.delimiter && v.delimiter !== "\\t" && v.delimiter.length !== 1) {
    e.delimiter = "One character (\\t for tab).";
  }
  if (v.mode === "merge" && v.primaryKey.length === 0) {
    e.primaryKey = "Merge needs a primary key: the column(s) that identify a row.";
  }
  if (v.mode !== "full" && !v.watermarkColumn.trim()) {
    e.watermarkColumn = "Incremental runs need a watermark column.";
  }
  if (v.mode === "merge") {
    const lb = validateNumber(v.lookback, {});
    if (lb) e.lookback = lb;
  }
  const count = validateNumber(v.maxBadRecords, { integer: true });
  if (count) e.maxBadRecords = count;
  const pct = validateNumber(v.maxBadPercent, { max: 100 });
  if (pct) e.maxBadPercent = pct;
  if (v.scheduleOn) {
    if (!v.cron.trim()) e.cron = "Required when the schedule is on.";
    if (!v.timezone.trim()) e.timezone = "Required when the schedule is on.";
  }
  return e;
}

const TOP_LEVEL: Record<string, FieldKey> = {
  source_id: "source",
  name: "name",
  description: "description",
  mode: "mode",
  primary_key: "primaryKey",
  schema_policy: "schemaPolicy",
  max_bad_records: "maxBadRecords",
  max_bad_percent: "maxBadPercent",
  incremental: "watermarkColumn",
  schedule: "cron",
  // The cron preview's query parameters.
  cron: "cron",
  timezone: "timezone",
};

const NESTED: Record<string, Record<string, FieldKey>> = {
  incremental: { column: "watermarkColumn", initial_value: "initialValue", lookback: "lookback" },
  schedule: {
    cron: "cron",
    timezone: "timezone",
    misfire_policy: "misfire",
    enabled: "cron",
  },
  spec: {
    table: "table",
    columns: "table",
    sql: "sql",
    path: "path",
    sheet: "sheet",
    delimiter: "delimiter",
    has_header: "path",
    column_types: "path",
    params: "params",
    records_path: "recordsPath",
  },
};

const SPEC_MAIN: Record<ExtractKind, FieldKey> = {
  table: "table",
  query: "sql",
  file: "path",
  endpoint: "path",
};

function readable(message: string): string {
  if (/should match pattern/i.test(message)) return "Contains characters that aren't allowed here.";
  const text = message.replace(/^Value error, /, "");
  const out = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(out) ? out : `${out}.`;
}

/** Which form field a server error path (`body.spec.file.path`, `schedule.cron`) belongs to. */
export function fieldForPath(path: string, kind: ExtractKind | null): FieldKey | null {
  const parts = path.split(".").filter((p) => p && !/^\d+$/.test(p));
  if (parts[0] === "body" || parts[0] === "query") parts.shift();
  const [head, ...rest] = parts;
  if (!head) return null;
  if (head === "spec") {
    // Pydantic names the union member: spec.file.path.
    if (rest[0] && ["table", "query", "file", "endpoint"].includes(rest[0]) && rest.length > 1) {
      rest.shift();
    }
    const hit = rest[0] ? NESTED.spec?.[rest[0]] : undefined;
    if (hit) return hit;
    return kind ? SPEC_MAIN[kind] : "source";
  }
  const nested = rest[0] ? NESTED[head]?.[rest[0]] : undefined;
  return nested ?? TOP_LEVEL[head] ?? null;
}

/**
 * A failed save's messages: those naming a field the form shows go beside it, the rest (and a
 * message with no field at all) go in an alert.
 */
export function serverErrors(
  error: unknown,
  kind: ExtractKind | null,
): { fields: FormErrors; unplaced: string[] } {
  const fields: FormErrors = {};
  const unplaced: string[] = [];
  if (!(error instanceof ApiError)) return { fields, unplaced };
  const list = Array.isArray(error.details.fields) ? error.details.fields : [];
  for (const f of list as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof f.message !== "string") continue;
    const key = typeof f.field === "string" ? fieldForPath(f.field, kind) : null;
    if (key) fields[key] ??= readable(f.message);
    else unplaced.push(typeof f.field === "string" ? `${f.field}: ${f.message}` : f.message);
  }
  return { fields, unplaced };
}

/** A dataset name from what is read: `public.orders` → `orders`, `exports/2024/*.csv` → `2024`. */
export function suggestName(v: DatasetFormValues): string {
  let raw = "";
  if (v.kind === "table") raw = v.table.split(".").at(-1) ?? "";
  else if (v.kind === "file") {
    const segments = v.path.split("/").filter((s) => s && !/[*?[\]]/.test(s));
    const last = v.path.split("/").at(-1) ?? "";
    raw = /[*?[\]]/.test(last) ? (segments.at(-1) ?? "") : last.replace(/\.[^.]+$/, "");
    if (v.sheet) raw = raw ? `${raw}_${v.sheet}` : v.sheet;
  } else if (v.kind === "endpoint") {
    raw = v.path.split("/").filter(Boolean).at(-1) ?? "";
  }
  const cleaned = raw
    .replace(/[^A-Za-z0-9 _.-]+/g, "_")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 128);
  return cleaned;
}
