/**
 * A connector's settings schema (pydantic's JSON Schema) compiled into the fields a form draws.
 *
 * Pydantic's output has a handful of shapes, all handled here: `$ref` into `$defs` (with sibling
 * `default`/`description`), `anyOf: [X, {type: "null"}]` for optional values, `oneOf` plus a
 * `discriminator` for tagged unions (each variant has a `const` tag), `format: "password"` with
 * `writeOnly` for `SecretStr`, `enum` for `Literal`/`StrEnum`, `items` for lists and
 * `additionalProperties` for `dict[str, str]`. Anything else falls back to a JSON text box, so a
 * new connector never breaks the form.
 */

export type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  format?: string;
  writeOnly?: boolean;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  examples?: unknown[];
};

interface Common {
  /** Shown as the field's label: the property's own title, else its name made readable. */
  label: string;
  description?: string;
  default?: unknown;
  /** `X | None`: null is an accepted value. */
  nullable: boolean;
  placeholder?: string;
}

export type FieldSpec = Common &
  (
    | {
        kind: "string";
        format?: string;
        minLength?: number;
        maxLength?: number;
        pattern?: string;
      }
    | { kind: "secret" }
    | {
        kind: "integer" | "number";
        minimum?: number;
        maximum?: number;
        exclusiveMinimum?: number;
        exclusiveMaximum?: number;
      }
    | { kind: "boolean" }
    | { kind: "enum"; options: Array<string | number> }
    | { kind: "list" }
    | { kind: "objectList"; item: ObjectSpec; itemLabel: string }
    | { kind: "map" }
    | { kind: "const"; value: unknown }
    | ({ kind: "object" } & ObjectSpec)
    | { kind: "union"; discriminator: string; variants: Variant[] }
    | { kind: "json" }
  );

export interface PropSpec {
  key: string;
  required: boolean;
  field: FieldSpec;
}

export interface ObjectSpec {
  props: PropSpec[];
}

export interface Variant extends ObjectSpec {
  tag: string;
  label: string;
  description?: string;
  /** Other names pydantic may use for this variant in an error location (its model title). */
  aliases: string[];
}

/** `base_url` → "Base Url", as pydantic titles a field, so derived labels match given ones. */
export function humanize(name: string): string {
  return name
    .replace(/[_-]+/g, " ")
    .trim()
    .replace(/\b\w/g, (c) => c.toUpperCase());
}

/** "Endpoints" → "Endpoint": what one entry of a list is called. */
export function singular(label: string): string {
  return /[^s]s$/i.test(label) ? label.slice(0, -1) : label;
}

/** A model class name as pydantic writes it ("BearerAuth"): not something to show a person. */
function isClassName(title: string): boolean {
  return /^[A-Z][A-Za-z0-9]*$/.test(title) && /[a-z][A-Z]/.test(title);
}

class Compiler {
  constructor(private readonly root: JsonSchema) {}

  resolve(s: JsonSchema): JsonSchema {
    let out = s;
    for (let depth = 0; out.$ref && depth < 32; depth++) {
      const { $ref, ...siblings } = out;
      const target = this.lookup($ref);
      // Siblings of a $ref (default, description, title) describe this use of it: they win,
      // except the target's title, which is a class name rather than a label.
      out = { ...target, title: undefined, ...siblings };
    }
    if (out.allOf?.length === 1 && out.allOf[0]) {
      const { allOf, ...rest } = out;
      out = { ...this.resolve(allOf[0] as JsonSchema), title: undefined, ...rest };
    }
    return out;
  }

  private lookup(ref: string): JsonSchema {
    const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const defs = m?.[1] === "definitions" ? this.root.definitions : this.root.$defs;
    const found = m?.[2] ? defs?.[decodeURIComponent(m[2])] : undefined;
    return found ?? {};
  }

  object(schema: JsonSchema): ObjectSpec {
    const s = this.resolve(schema);
    const required = new Set(s.required ?? []);
    return {
      props: Object.entries(s.properties ?? {}).map(([key, prop]) => ({
        key,
        required: required.has(key),
        field: this.field(prop, key),
      })),
    };
  }

  field(schema: JsonSchema, key: string): FieldSpec {
    const raw = this.resolve(schema);
    const common: Common = {
      label: raw.title && !isClassName(raw.title) ? raw.title : humanize(key),
      description: raw.description,
      default: raw.default,
      nullable: false,
      placeholder: raw.examples?.length ? String(raw.examples[0]) : undefined,
    };
    const options = raw.oneOf ?? raw.anyOf;
    if (options) {
      const nonNull = options.map((o) => this.resolve(o)).filter((o) => !isNull(o));
      common.nullable = nonNull.length < options.length;
      if (nonNull.length === 1 && nonNull[0]) {
        const inner = nonNull[0];
        return this.plain({ ...inner, title: undefined, description: undefined }, common);
      }
      const union = this.union(nonNull, raw.discriminator?.propertyName, raw.discriminator);
      if (union) return { ...common, ...union };
      // `int | str` and the like: edit as text, the server parses it.
      if (nonNull.every((o) => isScalar(o))) return { ...common, kind: "string" };
      return { ...common, kind: "json" };
    }
    return this.plain(raw, common);
  }

  private plain(s: JsonSchema, common: Common): FieldSpec {
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
    if (Array.isArray(s.type) && s.type.includes("null")) common.nullable = true;
    if (s.const !== undefined) return { ...common, kind: "const", value: s.const };
    if (s.enum) {
      const opts = s.enum.filter(
        (v): v is string | number => typeof v === "string" || typeof v === "number",
      );
      if (s.enum.includes(null)) common.nullable = true;
      return { ...common, kind: "enum", options: opts };
    }
    switch (type) {
      case "string":
        if (s.format === "password" || s.writeOnly) return { ...common, kind: "secret" };
        return {
          ...common,
          kind: "string",
          format: s.format,
          minLength: s.minLength,
          maxLength: s.maxLength,
          pattern: s.pattern,
        };
      case "integer":
      case "number":
        return {
          ...common,
          kind: type,
          minimum: s.minimum,
          maximum: s.maximum,
          exclusiveMinimum: s.exclusiveMinimum,
          exclusiveMaximum: s.exclusiveMaximum,
        };
      case "boolean":
        return { ...common, kind: "boolean" };
      case "array": {
        const item = s.items ? this.resolve(s.items) : {};
        const itemType = Array.isArray(item.type) ? item.type[0] : item.type;
        if (itemType === "string" && !item.enum && item.format !== "password") {
          return { ...common, kind: "list" };
        }
        if (item.properties) {
          return {
            ...common,
            kind: "objectList",
            item: this.object(item),
            itemLabel: singular(common.label),
          };
        }
        return { ...common, kind: "json" };
      }
      case "object":
      case undefined: {
        if (s.properties) return { ...common, kind: "object", ...this.object(s) };
        const extra = s.additionalProperties;
        if (typeof extra === "object" && this.resolve(extra).type === "string") {
          return { ...common, kind: "map" };
        }
        return { ...common, kind: "json" };
      }
      default:
        return { ...common, kind: "json" };
    }
  }

  /** A tagged union: every variant an object with a constant in the same property. */
  private union(
    variants: JsonSchema[],
    declared: string | undefined,
    discriminator: JsonSchema["discriminator"],
  ): { kind: "union"; discriminator: string; variants: Variant[] } | null {
    if (!variants.every((v) => v.properties)) return null;
    const first = variants[0]?.properties ?? {};
    const key =
      declared ?? Object.keys(first).find((k) => variants.every((v) => tagOf(v, k) !== undefined));
    if (!key) return null;
    const mapping = Object.entries(discriminator?.mapping ?? {});
    const out: Variant[] = [];
    for (const v of variants) {
      const tag = tagOf(v, key);
      if (tag === undefined) return null;
      const spec = this.object(v);
      const refName = mapping
        .find(([t]) => t === tag)?.[1]
        ?.split("/")
        .at(-1);
      out.push({
        tag,
        label: v.title && !isClassName(v.title) ? v.title : humanize(tag),
        description: v.description,
        props: spec.props.filter((p) => p.key !== key),
        aliases: [v.title, refName].filter((a): a is string => !!a && a !== tag),
      });
    }
    return { kind: "union", discriminator: key, variants: out };
  }
}

function isNull(s: JsonSchema): boolean {
  return (
    s.type === "null" || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === "null")
  );
}

function isScalar(s: JsonSchema): boolean {
  return ["string", "integer", "number", "boolean"].includes(String(s.type));
}

function tagOf(variant: JsonSchema, key: string): string | undefined {
  const p = variant.properties?.[key];
  if (!p) return undefined;
  if (p.const !== undefined) return String(p.const);
  if (p.enum?.length === 1) return String(p.enum[0]);
  return undefined;
}

/** Compile a settings schema (the root object of `settings_schema`). */
export function compileSchema(schema: JsonSchema): ObjectSpec {
  return new Compiler(schema).object(schema);
}
