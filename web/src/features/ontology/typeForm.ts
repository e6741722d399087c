/**
 * The object type editor as plain values: built from a saved type, turned into a create body or
 * an update, checked before sending, and the server's field errors placed on the right property.
 */
import { ApiError } from "@/api/errors";
import type {
  Classification,
  ObjectType,
  ObjectTypeCreate,
  ObjectTypeUpdate,
  PropertyKind,
  PropertySpec,
  PropertySpecIn,
} from "./types";
import { KEY_KINDS } from "./types";

/** One property (or a nested field, or an array's element) as the editor holds it. */
export interface PropertyDraft {
  /** A stable React key: names change while typing. */
  uid: number;
  name: string;
  kind: PropertyKind;
  required: boolean;
  description: string;
  enumValues: string[];
  /** The element of an array (its name is ignored). */
  items: PropertyDraft | null;
  /** The fields of an object. */
  fields: PropertyDraft[];
  precision: string;
  scale: string;
}

export interface TypeFormValues {
  name: string;
  displayName: string;
  description: string;
  classification: Classification;
  keyProperty: string;
  properties: PropertyDraft[];
}

/** Errors by place: "name", "keyProperty", or a property path like "properties.2.fields.0.name". */
export type TypeFormErrors = Record<string, string>;

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

let nextUid = 1;

export function newProperty(patch: Partial<PropertyDraft> = {}): PropertyDraft {
  return {
    uid: nextUid++,
    name: "",
    kind: "string",
    required: false,
    description: "",
    enumValues: [],
    items: null,
    fields: [],
    precision: "38",
    scale: "9",
    ...patch,
  };
}

export function emptyTypeValues(): TypeFormValues {
  return {
    name: "",
    displayName: "",
    description: "",
    classification: "U",
    keyProperty: "id",
    properties: [newProperty({ name: "id", required: true })],
  };
}

export function draftFromSpec(spec: PropertySpec): PropertyDraft {
  return newProperty({
    name: spec.name,
    kind: spec.kind,
    required: spec.required,
    description: spec.description,
    enumValues: [...(spec.enum_values ?? [])],
    items: spec.items ? draftFromSpec(spec.items) : null,
    fields: (spec.fields ?? []).map(draftFromSpec),
    precision: String(spec.precision),
    scale: String(spec.scale),
  });
}

export function valuesFromType(ot: ObjectType): TypeFormValues {
  return {
    name: ot.name,
    displayName: ot.display_name === ot.name ? "" : ot.display_name,
    description: ot.description,
    classification: ot.classification,
    keyProperty: ot.key_property,
    properties: ot.properties.map(draftFromSpec),
  };
}

/** A kind change keeps what still applies and starts what the new kind needs. */
export function withKind(p: PropertyDraft, kind: PropertyKind): PropertyDraft {
  return {
    ...p,
    kind,
    items: kind === "array" ? (p.items ?? newProperty({ name: "item" })) : p.items,
    fields: kind === "object" && p.fields.length === 0 ? [newProperty()] : p.fields,
  };
}

/** Only what the kind uses is sent; the rest keeps the server's defaults. */
export function specFromDraft(p: PropertyDraft): PropertySpecIn {
  const spec: PropertySpecIn = {
    name: p.name.trim() || "item",
    kind: p.kind,
    required: p.required,
    description: p.description.trim(),
    // The server's defaults, unless the kind is decimal.
    precision: p.kind === "decimal" ? Number(p.precision) : 38,
    scale: p.kind === "decimal" ? Number(p.scale) : 9,
  };
  if (p.kind === "enum") spec.enum_values = p.enumValues;
  if (p.kind === "array" && p.items) spec.items = specFromDraft(p.items);
  if (p.kind === "object") spec.fields = p.fields.map(specFromDraft);
  return spec;
}

export function buildCreate(v: TypeFormValues): ObjectTypeCreate {
  return {
    name: v.name.trim(),
    display_name: v.displayName.trim(),
    description: v.description.trim(),
    classification: v.classification,
    key_property: v.keyProperty,
    properties: v.properties.map(specFromDraft),
  };
}

/** The whole editable state (the name is fixed once created). */
export function buildUpdate(v: TypeFormValues): ObjectTypeUpdate {
  const { name: _name, ...rest } = buildCreate(v);
  return rest;
}

function checkList(list: PropertyDraft[], at: string, errors: TypeFormErrors, top: boolean) {
  const seen = new Set<string>();
  list.forEach((p, i) => {
    const here = `${at}.${i}`;
    const name = p.name.trim();
    if (!name) errors[`${here}.name`] = "Name it.";
    else if (!IDENTIFIER.test(name)) {
      errors[`${here}.name`] = "Letters, digits and _, not starting with a digit.";
    } else if (top && name.startsWith("_")) {
      errors[`${here}.name`] = "Names starting with _ are reserved for provenance.";
    } else if (seen.has(name.toLowerCase())) errors[`${here}.name`] = "Appears twice.";
    seen.add(name.toLowerCase());
    checkKind(p, here, errors);
  });
}

function checkKind(p: PropertyDraft, here: string, errors: TypeFormErrors) {
  if (p.kind === "enum" && p.enumValues.length === 0) {
    errors[`${here}.enum_values`] = "Add at least one value.";
  }
  if (p.kind === "object") {
    if (p.fields.length === 0) errors[`${here}.fields`] = "Add at least one field.";
    checkList(p.fields, `${here}.fields`, errors, false);
  }
  if (p.kind === "array" && p.items) checkKind(p.items, `${here}.items`, errors);
  if (p.kind === "decimal") {
    const precision = Number(p.precision);
    const scale = Number(p.scale);
    if (!Number.isInteger(precision) || precision < 1 || precision > 38) {
      errors[`${here}.precision`] = "1 to 38.";
    } else if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
      errors[`${here}.scale`] = `0 to ${precision}.`;
    }
  }
}

export function validateType(v: TypeFormValues, creating: boolean): TypeFormErrors {
  const errors: TypeFormErrors = {};
  if (creating) {
    if (!v.name.trim()) errors.name = "Name the object type.";
    else if (!IDENTIFIER.test(v.name.trim())) {
      errors.name = "Letters, digits and _, not starting with a digit — e.g. Aircraft.";
    }
  }
  if (v.properties.length === 0) errors.properties = "Add at least one property.";
  checkList(v.properties, "properties", errors, true);
  const key = v.properties.find((p) => p.name.trim() === v.keyProperty);
  if (!key) errors.keyProperty = "Pick the property that identifies each object.";
  else if (!KEY_KINDS.includes(key.kind)) {
    errors.keyProperty = `A key must be a string, integer, date or enum (${key.name} is ${key.kind}).`;
  }
  return errors;
}

/** `body.properties[2].fields[0].name` → `properties.2.fields.0.name`. */
export function errorKey(field: string): string {
  const path = field
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean);
  if (path[0] === "body") path.shift();
  if (path[0] === "key_property") return "keyProperty";
  if (path[0] === "display_name") return "displayName";
  return path.join(".");
}

/** The server's complaints, by place; those the form can't place go in `unplaced`. */
export function typeServerErrors(error: unknown): { fields: TypeFormErrors; unplaced: string[] } {
  const fields: TypeFormErrors = {};
  const unplaced: string[] = [];
  if (!(error instanceof ApiError)) return { fields, unplaced };
  const list = Array.isArray(error.details.fields) ? error.details.fields : [];
  for (const f of list as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof f.message !== "string") continue;
    if (typeof f.field !== "string" || f.field === "body" || f.field === "body.migration") {
      unplaced.push(f.message);
      continue;
    }
    fields[errorKey(f.field)] ??= f.message.replace(/^Value error, /, "");
  }
  return { fields, unplaced };
}
