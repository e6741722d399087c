/**
 * Checks a settings draft against its schema before it is sent, and places the server's own
 * field errors (`body.config.auth.bearer.token`) on the field a person sees (`auth.token`).
 *
 * Error maps are keyed by dotted path below the config, the same paths the API uses in
 * `secrets_set` (a union's fields sit directly under the union: `auth.token`).
 */
import type { FieldSpec, ObjectSpec, PropSpec, Variant } from "./compile";
import { type Draft, type DraftObject, isRecord, variantFor } from "./draft";

export type FieldErrors = Record<string, string>;

export interface SecretContext {
  /** Dotted paths of the secrets the saved source holds (editing). */
  stored: ReadonlySet<string>;
  /** The saved config: a stored secret only carries over while its union keeps the same kind. */
  initial: unknown;
}

export const NO_SECRETS: SecretContext = { stored: new Set(), initial: undefined };

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

function child(value: unknown, key: string): unknown {
  if (Array.isArray(value) && /^\d+$/.test(key)) return value[Number(key)];
  return isRecord(value) ? value[key] : undefined;
}

function checkNumber(field: Extract<FieldSpec, { kind: "integer" | "number" }>, text: string) {
  const n = Number(text);
  if (field.kind === "integer" ? !/^[-+]?\d+$/.test(text) : !Number.isFinite(n)) {
    return field.kind === "integer" ? "Enter a whole number." : "Enter a number.";
  }
  if (field.minimum !== undefined && n < field.minimum) return `Must be at least ${field.minimum}.`;
  if (field.maximum !== undefined && n > field.maximum) return `Must be at most ${field.maximum}.`;
  if (field.exclusiveMinimum !== undefined && n <= field.exclusiveMinimum) {
    return `Must be greater than ${field.exclusiveMinimum}.`;
  }
  if (field.exclusiveMaximum !== undefined && n >= field.exclusiveMaximum) {
    return `Must be less than ${field.exclusiveMaximum}.`;
  }
  return null;
}

function checkString(field: Extract<FieldSpec, { kind: "string" }>, text: string) {
  if (field.maxLength !== undefined && text.length > field.maxLength) {
    return `At most ${field.maxLength} characters.`;
  }
  if (field.minLength !== undefined && text.length < field.minLength) {
    return `At least ${field.minLength} characters.`;
  }
  if (field.format === "uri" || field.format === "url") {
    try {
      const url = new URL(text);
      if (!/^https?:$/.test(url.protocol)) throw new Error("scheme");
    } catch {
      return "Enter a full URL, such as https://api.example.com.";
    }
  }
  if (field.pattern) {
    try {
      if (!new RegExp(field.pattern, "u").test(text)) return "Doesn't have the expected form.";
    } catch {
      // A Python-only regex feature: leave the check to the server.
    }
  }
  return null;
}

interface Walk {
  errors: FieldErrors;
  secrets: SecretContext;
}

function validateField(
  field: FieldSpec,
  required: boolean,
  draft: Draft | undefined,
  path: string,
  initial: unknown,
  keepsSecrets: boolean,
  w: Walk,
) {
  const set = (message: string) => {
    w.errors[path] = message;
  };
  switch (field.kind) {
    case "string":
    case "integer":
    case "number":
    case "enum": {
      const text = typeof draft === "string" ? draft.trim() : "";
      if (!text) {
        if (required && field.default === undefined) set("Required.");
        return;
      }
      const problem =
        field.kind === "string"
          ? checkString(field, text)
          : field.kind === "enum"
            ? null
            : checkNumber(field, text);
      if (problem) set(problem);
      return;
    }
    case "secret": {
      const kept = keepsSecrets && w.secrets.stored.has(path);
      if (required && !draft && !kept) set("Required.");
      return;
    }
    case "map": {
      const pairs = Array.isArray(draft) ? (draft as Array<[string, string]>) : [];
      const names = pairs.map(([k]) => k.trim());
      if (pairs.some(([k, v]) => !k.trim() && v)) set("Every entry needs a name.");
      else if (new Set(names.filter(Boolean)).size < names.filter(Boolean).length) {
        set("Each name may appear only once.");
      }
      return;
    }
    case "json": {
      if (typeof draft !== "string" || !draft.trim()) {
        if (required && field.default === undefined) set("Required.");
        return;
      }
      try {
        JSON.parse(draft);
      } catch {
        set("Not valid JSON.");
      }
      return;
    }
    case "object":
      if (isRecord(draft)) validateObject(field, draft, path, initial, keepsSecrets, w);
      return;
    case "objectList": {
      const items = Array.isArray(draft) ? (draft as DraftObject[]) : [];
      items.forEach((item, i) => {
        const key = String(i);
        validateObject(field.item, item, join(path, key), child(initial, key), keepsSecrets, w);
      });
      return;
    }
    case "union": {
      if (!isRecord(draft)) return;
      const variant = variantFor(field, draft);
      if (!variant) return;
      // Switching kinds (say from basic auth to a token) never reuses a stored credential.
      const sameKind = child(initial, field.discriminator) === variant.tag;
      validateObject(variant, draft, path, initial, keepsSecrets && sameKind, w);
      return;
    }
    default:
      return;
  }
}

function validateObject(
  spec: ObjectSpec,
  draft: DraftObject,
  path: string,
  initial: unknown,
  keepsSecrets: boolean,
  w: Walk,
) {
  for (const p of spec.props) {
    const at = join(path, p.key);
    validateField(p.field, p.required, draft[p.key], at, child(initial, p.key), keepsSecrets, w);
  }
}

/** Problems a person can fix before sending: missing required values, malformed numbers… */
export function validateDraft(
  spec: ObjectSpec,
  draft: DraftObject,
  secrets: SecretContext = NO_SECRETS,
): FieldErrors {
  const w: Walk = { errors: {}, secrets };
  validateObject(spec, draft, "", secrets.initial, true, w);
  return w.errors;
}

/** Pydantic's wording, made fit for a person. */
export function readableMessage(message: string): string {
  const text = message.replace(/^Value error, /, "").trim();
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * The path of a server error location as the form draws it: union tags (and pydantic's variant
 * names) that appear in the location are dropped, list indexes stay with their list.
 */
export function placeErrorPath(spec: ObjectSpec, draft: DraftObject, segments: string[]): string {
  const out: string[] = [];
  let obj: ObjectSpec | undefined = spec;
  let value: Draft | undefined = draft;
  let i = 0;
  while (i < segments.length && obj) {
    const key = segments[i] as string;
    const prop: PropSpec | undefined = obj.props.find((p) => p.key === key);
    out.push(key);
    i++;
    if (!prop) break;
    value = isRecord(value) ? value[key] : undefined;
    const field: FieldSpec = prop.field;
    if (field.kind === "object") {
      obj = field;
    } else if (field.kind === "objectList" && /^\d+$/.test(segments[i] ?? "")) {
      const index = segments[i] as string;
      out.push(index);
      i++;
      value = Array.isArray(value) ? (value as DraftObject[])[Number(index)] : undefined;
      obj = field.item;
    } else if (field.kind === "union") {
      const next = segments[i];
      const named: Variant | undefined = field.variants.find(
        (v: Variant) => v.tag === next || v.aliases.includes(next ?? ""),
      );
      if (named) i++;
      obj = named ?? variantFor(field, value ?? null);
    } else {
      break;
    }
  }
  return out.join(".");
}

/** Every path the form draws for this draft (errors elsewhere go in a summary). */
export function drawnPaths(spec: ObjectSpec, draft: DraftObject, base = ""): Set<string> {
  const out = new Set<string>();
  for (const p of spec.props) {
    const at = join(base, p.key);
    if (p.field.kind === "const") continue;
    out.add(at);
    const value = draft[p.key];
    if (p.field.kind === "object" && isRecord(value)) {
      for (const x of drawnPaths(p.field, value, at)) out.add(x);
    } else if (p.field.kind === "union" && isRecord(value)) {
      const variant = variantFor(p.field, value);
      if (variant) for (const x of drawnPaths(variant, value, at)) out.add(x);
    } else if (p.field.kind === "objectList" && Array.isArray(value)) {
      const item = p.field.item;
      (value as DraftObject[]).forEach((d, i) => {
        for (const x of drawnPaths(item, d, join(at, String(i)))) out.add(x);
      });
    }
  }
  return out;
}
