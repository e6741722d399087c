/**
 * What a settings form holds while someone types (a *draft*), and the conversions to and from
 * the connector's config.
 *
 * Drafts keep what inputs hold: numbers as the text typed (so "54a" can be flagged rather than
 * lost), maps as ordered `[name, value]` pairs (so a row can be half-typed), secrets always start
 * empty (the API never returns them). A disabled optional section is `null`.
 */
import type { FieldSpec, ObjectSpec, PropSpec, Variant } from "./compile";

export type Draft =
  | string
  | boolean
  | string[]
  | Array<[string, string]>
  | DraftObject
  | DraftObject[]
  | null;
export interface DraftObject {
  [key: string]: Draft;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value to start from: what the config says, else the schema's default. */
function pick(value: unknown, field: FieldSpec): unknown {
  return value === undefined || value === null ? field.default : value;
}

export function variantFor(
  field: Extract<FieldSpec, { kind: "union" }>,
  draft: unknown,
): Variant | undefined {
  const tag = isRecord(draft) ? draft[field.discriminator] : undefined;
  return field.variants.find((v) => v.tag === tag) ?? field.variants[0];
}

/** A draft for one field, from its current config value (or its default). */
export function toDraft(field: FieldSpec, value: unknown): Draft {
  switch (field.kind) {
    case "secret":
      return "";
    case "string":
    case "integer":
    case "number":
    case "enum": {
      const v = pick(value, field);
      return v === undefined || v === null ? "" : String(v);
    }
    case "boolean":
      return pick(value, field) === true;
    case "list": {
      const v = pick(value, field);
      return Array.isArray(v) ? v.map(String) : [];
    }
    case "map": {
      const v = pick(value, field);
      return isRecord(v)
        ? Object.entries(v).map(([k, x]): [string, string] => [k, String(x ?? "")])
        : [];
    }
    case "objectList": {
      const v = pick(value, field);
      const item = field.item;
      return Array.isArray(v) ? v.map((x) => objectDraft(item, isRecord(x) ? x : {})) : [];
    }
    case "const":
      return null;
    case "object": {
      const v = pick(value, field);
      if (!isRecord(v) && field.nullable) return null;
      return objectDraft(field, isRecord(v) ? v : {});
    }
    case "union": {
      const v = pick(value, field);
      if (!isRecord(v) && field.nullable) return null;
      const tag = isRecord(v) ? String(v[field.discriminator] ?? "") : "";
      const variant = field.variants.find((x) => x.tag === tag) ?? field.variants[0];
      return variant ? unionDraft(field.discriminator, variant, isRecord(v) ? v : {}) : null;
    }
    case "json": {
      const v = pick(value, field);
      return v === undefined || v === null ? "" : JSON.stringify(v, null, 2);
    }
  }
}

export function unionDraft(
  discriminator: string,
  variant: Variant,
  value: Record<string, unknown>,
): DraftObject {
  const same = value[discriminator] === variant.tag;
  return { [discriminator]: variant.tag, ...objectDraft(variant, same ? value : {}) };
}

/** The draft of an object's properties (the whole form, or a nested section). */
export function objectDraft(spec: ObjectSpec, value: Record<string, unknown>): DraftObject {
  const out: DraftObject = {};
  for (const p of spec.props) out[p.key] = toDraft(p.field, value[p.key]);
  return out;
}

const OMIT = Symbol("omit");

function fieldConfig(p: PropSpec, draft: Draft | undefined): unknown {
  const { field } = p;
  switch (field.kind) {
    case "string":
    case "secret":
    case "json":
      if (typeof draft !== "string" || draft === "") return OMIT;
      if (field.kind === "json") return JSON.parse(draft);
      return field.kind === "string" ? draft.trim() : draft;
    case "integer":
    case "number":
      return typeof draft === "string" && draft.trim() !== "" ? Number(draft) : OMIT;
    case "enum": {
      if (typeof draft !== "string" || draft === "") return OMIT;
      return field.options.find((o) => String(o) === draft) ?? draft;
    }
    case "boolean":
      return draft === true;
    case "list": {
      const items = Array.isArray(draft)
        ? (draft as string[]).map((x) => x.trim()).filter(Boolean)
        : [];
      return items.length === 0 && field.nullable ? OMIT : items;
    }
    case "map": {
      const pairs = Array.isArray(draft) ? (draft as Array<[string, string]>) : [];
      const entries = pairs.filter(([k]) => k.trim() !== "").map(([k, v]) => [k.trim(), v]);
      return entries.length === 0 && field.nullable ? OMIT : Object.fromEntries(entries);
    }
    case "objectList": {
      const items = Array.isArray(draft) ? (draft as DraftObject[]) : [];
      if (items.length === 0 && field.nullable) return OMIT;
      return items.map((d) => objectConfig(field.item, d));
    }
    case "const":
      return field.value;
    case "object":
      return isRecord(draft) ? objectConfig(field, draft) : field.nullable ? null : {};
    case "union": {
      if (!isRecord(draft)) return field.nullable ? null : OMIT;
      const variant = variantFor(field, draft);
      if (!variant) return OMIT;
      return { [field.discriminator]: variant.tag, ...objectConfig(variant, draft) };
    }
  }
}

/**
 * The config to send. Empty optional values are left out so the connector's defaults apply, and
 * empty secrets are left out so a saved source keeps its stored value.
 */
export function objectConfig(spec: ObjectSpec, draft: DraftObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of spec.props) {
    const v = fieldConfig(p, draft[p.key]);
    if (v !== OMIT) out[p.key] = v;
  }
  return out;
}
