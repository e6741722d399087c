/**
 * The mapping editor as plain values: one row per property of the target type, built from a
 * saved mapping, turned into a create body, an update or a preview request, and the server's
 * complaints placed on the right row.
 */
import { ApiError } from "@/api/errors";
import { DEFAULT_CRON } from "@/features/datasets/form";
import { localTimeZone } from "@/features/datasets/format";
import type {
  FieldIssue,
  Mapping,
  MappingCheck,
  MappingCreate,
  MappingUpdate,
  OnConflict,
  PropertyMapping,
  Suggestion,
  SyncMode,
} from "./types";

/** Where one property's value comes from, as the editor holds it (text inputs). */
export interface RowDraft {
  column: string;
  path: string;
  transform: string;
  /** The default as typed; empty: none. */
  default: string;
}

export interface MappingFormValues {
  name: string;
  description: string;
  datasetId: string;
  objectTypeId: string;
  /** By property name. */
  rows: Record<string, RowDraft>;
  syncMode: SyncMode;
  onConflict: OnConflict;
  scheduleOn: boolean;
  cron: string;
  timezone: string;
}

export const EMPTY_ROW: RowDraft = { column: "", path: "", transform: "", default: "" };

export function emptyMappingValues(datasetId = "", objectTypeId = ""): MappingFormValues {
  return {
    name: "",
    description: "",
    datasetId,
    objectTypeId,
    rows: {},
    syncMode: "upsert",
    onConflict: "overwrite",
    scheduleOn: false,
    cron: DEFAULT_CRON,
    timezone: localTimeZone(),
  };
}

function defaultText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function valuesFromMapping(m: Mapping): MappingFormValues {
  const rows: Record<string, RowDraft> = {};
  for (const [name, pm] of Object.entries(m.properties)) {
    rows[name] = {
      column: pm.column ?? "",
      path: pm.path ?? "",
      transform: pm.transform ?? "",
      default: defaultText(pm.default),
    };
  }
  return {
    ...emptyMappingValues(m.dataset_id, m.object_type_id),
    name: m.name,
    description: m.description,
    rows,
    syncMode: m.sync_mode,
    onConflict: m.on_conflict,
    scheduleOn: !!m.schedule?.enabled,
    cron: m.schedule?.cron ?? DEFAULT_CRON,
    timezone: m.schedule?.timezone ?? localTimeZone(),
  };
}

export function isBlank(row: RowDraft | undefined): boolean {
  return !row || (!row.column && !row.transform.trim() && !row.default.trim());
}

/** The rows that say something, as the API's property mappings. */
export function propertyMappings(
  rows: Record<string, RowDraft>,
  known?: readonly string[],
): Record<string, PropertyMapping> {
  const out: Record<string, PropertyMapping> = {};
  for (const [name, row] of Object.entries(rows)) {
    if (isBlank(row) || (known && !known.includes(name))) continue;
    out[name] = {
      column: row.column || null,
      path: row.column && row.path.trim() ? row.path.trim() : null,
      transform: row.transform.trim(),
      default: row.default === "" ? null : row.default,
    };
  }
  return out;
}

function schedule(v: MappingFormValues) {
  return {
    cron: v.cron.trim(),
    timezone: v.timezone.trim(),
    enabled: true,
    // Mappings catch up with one sync after downtime (the server keeps no other choice).
    misfire_policy: "run_once" as const,
  };
}

export function buildCreate(v: MappingFormValues, known: readonly string[]): MappingCreate {
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    dataset_id: v.datasetId,
    object_type_id: v.objectTypeId,
    properties: propertyMappings(v.rows, known),
    sync_mode: v.syncMode,
    on_conflict: v.onConflict,
    schedule: v.scheduleOn ? schedule(v) : null,
  };
}

/** Everything the editor shows; a schedule turned off is cleared. */
export function buildUpdate(v: MappingFormValues, known: readonly string[]): MappingUpdate {
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    properties: propertyMappings(v.rows, known),
    sync_mode: v.syncMode,
    on_conflict: v.onConflict,
    ...(v.scheduleOn ? { schedule: schedule(v), clear_schedule: false } : { clear_schedule: true }),
  };
}

export function buildCheck(v: MappingFormValues, known: readonly string[]): MappingCheck | null {
  if (!v.datasetId || !v.objectTypeId) return null;
  return {
    dataset_id: v.datasetId,
    object_type_id: v.objectTypeId,
    properties: propertyMappings(v.rows, known),
    limit: 20,
  };
}

/** Suggestions fill the rows nothing was chosen for; chosen rows are left alone. */
export function applySuggestions(
  rows: Record<string, RowDraft>,
  suggestions: Suggestion[],
): { rows: Record<string, RowDraft>; filled: string[] } {
  const next = { ...rows };
  const filled: string[] = [];
  for (const s of suggestions) {
    if (!isBlank(next[s.property]) || (!s.column && !s.transform)) continue;
    next[s.property] = {
      ...EMPTY_ROW,
      column: s.column ?? "",
      path: s.path ?? "",
      transform: s.transform,
    };
    filled.push(s.property);
  }
  return { rows: next, filled };
}

/** Issues by property (several messages joined). */
export function issuesByProperty(issues: FieldIssue[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues ?? []) out[i.property] = [...(out[i.property] ?? []), i.message];
  return out;
}

export type MappingFieldKey = "name" | "datasetId" | "objectTypeId" | "cron" | "timezone";

/**
 * A failed save's messages: per property (`body.properties.<name>`, or the issues list the
 * server adds), per form field, and the rest for an alert.
 */
export function mappingServerErrors(error: unknown): {
  properties: Record<string, string[]>;
  fields: Partial<Record<MappingFieldKey, string>>;
  unplaced: string[];
} {
  const out = {
    properties: {} as Record<string, string[]>,
    fields: {} as Partial<Record<MappingFieldKey, string>>,
    unplaced: [] as string[],
  };
  if (!(error instanceof ApiError)) return out;
  const issues = error.details.issues;
  if (Array.isArray(issues)) out.properties = issuesByProperty(issues as FieldIssue[]);
  const fields = Array.isArray(error.details.fields) ? error.details.fields : [];
  const where: Record<string, MappingFieldKey> = {
    "body.name": "name",
    "body.dataset_id": "datasetId",
    "body.object_type_id": "objectTypeId",
    "body.schedule.cron": "cron",
    "body.schedule.timezone": "timezone",
  };
  for (const f of fields as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof f.message !== "string") continue;
    const field = typeof f.field === "string" ? f.field : "";
    const property = /^body\.properties\.([^.]+)/.exec(field)?.[1];
    if (property) {
      if (!out.properties[property]) out.properties[property] = [f.message];
    } else if (where[field]) out.fields[where[field]] ??= f.message;
    else out.unplaced.push(f.message);
  }
  if (fields.length === 0 && !Array.isArray(issues)) out.unplaced.push(error.message);
  return out;
}
