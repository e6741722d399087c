/** The ontology as people read it: kinds, sync modes, conflicts, links and values. */
import type {
  Cardinality,
  Classification,
  OnConflict,
  PropertyKind,
  PropertySpec,
  SyncMode,
} from "./types";

export const KINDS: Record<PropertyKind, { label: string; description: string }> = {
  string: { label: "String", description: "Text." },
  integer: { label: "Integer", description: "A whole number (64-bit)." },
  float: { label: "Float", description: "A floating-point number (64-bit)." },
  decimal: { label: "Decimal", description: "An exact number with a fixed scale." },
  boolean: { label: "Boolean", description: "true or false." },
  date: { label: "Date", description: "A calendar day." },
  timestamp: { label: "Timestamp", description: "An instant, with its time zone (UTC)." },
  enum: { label: "Enum", description: "One of a fixed list of values." },
  array: { label: "Array", description: "A list of values of one kind." },
  object: { label: "Object", description: "A nested record with named fields." },
};

export const CLASSIFICATIONS: Record<Classification, string> = {
  U: "Unclassified",
  C: "Confidential",
  S: "Secret",
  TS: "Top Secret",
};

export const SYNC_MODES: Record<SyncMode, { label: string; description: string }> = {
  upsert: {
    label: "Upsert",
    description: "New keys become objects; an existing key is resolved by On conflict.",
  },
  replace: {
    label: "Replace",
    description: "The objects become exactly the dataset's rows: keys no longer there are removed.",
  },
  append: {
    label: "Append",
    description: "Every row becomes a new object, without matching keys.",
  },
};

export const ON_CONFLICT: Record<OnConflict, { label: string; description: string }> = {
  overwrite: { label: "Overwrite", description: "The new row replaces the stored object." },
  merge: {
    label: "Merge",
    description: "Non-empty values of the new row win; the object keeps the rest.",
  },
  skip: { label: "Skip", description: "The stored object is kept as it is." },
};

export const CARDINALITIES: Record<Cardinality, { label: string; description: string }> = {
  one_to_many: {
    label: "One to many",
    description: "Each source object holds one target key (many sources may share a target).",
  },
  many_to_many: {
    label: "Many to many",
    description: "Each source object holds a list of target keys.",
  },
};

export const SYNC_TRIGGERS: Record<string, string> = {
  manual: "Manual",
  schedule: "Schedule",
};

/** "string", "array<integer>", "decimal(10,2)", "enum (3)", "object (4 fields)". */
export function kindLabel(
  spec: Pick<PropertySpec, "kind" | "items" | "precision" | "scale">,
): string {
  switch (spec.kind) {
    case "array":
      return spec.items ? `array<${kindLabel(spec.items)}>` : "array";
    case "decimal":
      return `decimal(${spec.precision},${spec.scale})`;
    default:
      return spec.kind;
  }
}

/** A value as one line of text: null as "—", lists and records as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** "1 object", "12 objects". */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? noun : many}`;
}
