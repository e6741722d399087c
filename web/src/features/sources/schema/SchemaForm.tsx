import { Plus, X } from "lucide-react";
import { createContext, type ReactNode, useContext, useId } from "react";
import { Button } from "@/components/ui/Button";
import { Field, type FieldControlProps } from "@/components/ui/Field";
import { Input, Textarea } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { TagInput } from "@/components/ui/TagInput";
import { cn } from "@/lib/cn";
import type { FieldSpec, ObjectSpec, PropSpec } from "./compile";
import { KeyValueEditor, richText, SecretInput } from "./controls";
import {
  type Draft,
  type DraftObject,
  isRecord,
  objectDraft,
  unionDraft,
  variantFor,
} from "./draft";
import { type FieldErrors, NO_SECRETS, type SecretContext } from "./validate";

interface FormContext {
  errors: FieldErrors;
  secrets: SecretContext;
  disabled: boolean;
}

const Ctx = createContext<FormContext>({ errors: {}, secrets: NO_SECRETS, disabled: false });

export interface SchemaFormProps {
  spec: ObjectSpec;
  value: DraftObject;
  onChange: (value: DraftObject) => void;
  /** Messages by dotted path (`port`, `auth.token`), from {@link validateDraft} or the server. */
  errors?: FieldErrors;
  /** Editing a saved source: which secrets hold a value (their inputs may stay empty). */
  secrets?: SecretContext;
  disabled?: boolean;
}

/**
 * A form generated from a connector's settings schema: one labelled control per property
 * (labels are the schema's titles), nested sections for objects, a kind picker for tagged unions
 * and masked inputs for secrets.
 */
export function SchemaForm({
  spec,
  value,
  onChange,
  errors = {},
  secrets = NO_SECRETS,
  disabled = false,
}: SchemaFormProps) {
  return (
    <Ctx.Provider value={{ errors, secrets, disabled }}>
      <ObjectFields
        spec={spec}
        value={value}
        onChange={onChange}
        path=""
        initial={secrets.initial}
        keepsSecrets
      />
    </Ctx.Provider>
  );
}

interface NodeProps<T> {
  value: T;
  onChange: (value: T) => void;
  path: string;
  /** The saved value at this place (editing), to tell whether a stored secret still applies. */
  initial: unknown;
  keepsSecrets: boolean;
}

const at = (base: string, key: string) => (base ? `${base}.${key}` : key);
function childOf(v: unknown, key: string): unknown {
  if (Array.isArray(v) && /^\d+$/.test(key)) return v[Number(key)];
  return isRecord(v) ? v[key] : undefined;
}

/** Fields that need the full width of the form. */
function isWide(field: FieldSpec): boolean {
  switch (field.kind) {
    case "object":
    case "union":
    case "map":
    case "list":
    case "objectList":
    case "json":
    case "boolean":
      return true;
    case "string":
      return field.format === "uri" || field.format === "url" || (field.maxLength ?? 0) > 512;
    default:
      return false;
  }
}

function ObjectFields({
  spec,
  value,
  onChange,
  path,
  initial,
  keepsSecrets,
}: NodeProps<DraftObject> & { spec: ObjectSpec }) {
  const props = spec.props.filter((p) => p.field.kind !== "const");
  if (props.length === 0) return null;
  return (
    <div className="grid grid-cols-1 items-start gap-x-4 gap-y-4 sm:grid-cols-2">
      {props.map((p) => (
        <div key={p.key} className={cn(isWide(p.field) && "sm:col-span-2")}>
          <PropField
            prop={p}
            value={value[p.key] ?? null}
            onChange={(v) => onChange({ ...value, [p.key]: v })}
            path={at(path, p.key)}
            initial={childOf(initial, p.key)}
            keepsSecrets={keepsSecrets}
          />
        </div>
      ))}
    </div>
  );
}

function PropField({ prop, ...node }: NodeProps<Draft> & { prop: PropSpec }) {
  const { field, required } = prop;
  switch (field.kind) {
    case "object":
      return <ObjectSection field={field} required={required} {...node} />;
    case "union":
      return <UnionField field={field} required={required} {...node} />;
    case "boolean":
      return <BooleanField field={field} {...node} />;
    case "objectList":
      return <ObjectListField field={field} {...node} />;
    default:
      return <ScalarField field={field} required={required} {...node} />;
  }
}

function ScalarField({
  field,
  required,
  value,
  onChange,
  path,
  keepsSecrets,
}: NodeProps<Draft> & { field: FieldSpec; required: boolean }) {
  const { errors, secrets, disabled } = useContext(Ctx);
  const stored = field.kind === "secret" && keepsSecrets && secrets.stored.has(path);
  const keep = stored ? "Leave empty to keep the stored value." : null;
  const hint =
    field.description && keep ? (
      <>
        {richText(field.description)} {keep}
      </>
    ) : field.description ? (
      richText(field.description)
    ) : (
      keep
    );
  return (
    <Field
      label={field.label}
      required={required && field.default === undefined && !stored}
      error={errors[path]}
      hint={hint || listHint(field)}
      action={stored ? <StoredBadge /> : undefined}
    >
      {(p) => (
        <Control
          field={field}
          control={p}
          value={value}
          onChange={onChange}
          stored={stored}
          disabled={disabled}
          required={required}
        />
      )}
    </Field>
  );
}

function listHint(field: FieldSpec): string | undefined {
  return field.kind === "list" ? "Press Enter after each value." : undefined;
}

function StoredBadge() {
  return (
    <span className="inline-flex items-center gap-1 rounded bg-emerald-50 px-1.5 text-[11px] font-medium text-emerald-700 ring-1 ring-emerald-600/20 ring-inset">
      <span aria-hidden="true" className="tracking-widest">
        ••••
      </span>
      set
    </span>
  );
}

function Control({
  field,
  control,
  value,
  onChange,
  stored,
  disabled,
  required,
}: {
  field: FieldSpec;
  control: FieldControlProps;
  value: Draft;
  onChange: (v: Draft) => void;
  stored: boolean;
  disabled: boolean;
  required: boolean;
}) {
  const text = typeof value === "string" ? value : "";
  const common = { ...control, disabled, autoComplete: "off", spellCheck: false };
  const placeholder = field.placeholder ?? defaultPlaceholder(field);
  switch (field.kind) {
    case "secret":
      return (
        <SecretInput
          {...control}
          disabled={disabled}
          label={field.label}
          value={text}
          onChange={onChange}
          placeholder={stored ? "Leave empty to keep" : undefined}
        />
      );
    case "integer":
    case "number":
      return (
        <Input
          {...common}
          inputMode={field.kind === "integer" ? "numeric" : "decimal"}
          placeholder={placeholder}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          className="tabular-nums"
        />
      );
    case "enum":
      return (
        <Select
          {...control}
          disabled={disabled}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        >
          {(text === "" || field.nullable || !required) && field.default === undefined && (
            <option value="">{required ? "Choose…" : "—"}</option>
          )}
          {field.options.map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </Select>
      );
    case "list":
      return (
        <TagInput
          {...control}
          disabled={disabled}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={onChange}
          placeholder={placeholder ?? "Type a value and press Enter"}
        />
      );
    case "map":
      return (
        <KeyValueEditor
          label={field.label}
          value={Array.isArray(value) ? (value as Array<[string, string]>) : []}
          onChange={onChange}
          invalid={!!control["aria-invalid"]}
          disabled={disabled}
        />
      );
    case "json":
      return (
        <Textarea
          {...common}
          rows={4}
          placeholder={placeholder ?? "JSON"}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          className="font-mono text-[13px]"
        />
      );
    default:
      return (
        <Input
          {...common}
          type={field.kind === "string" && field.format === "uri" ? "url" : "text"}
          placeholder={placeholder}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
}

function defaultPlaceholder(field: FieldSpec): string | undefined {
  if (field.kind === "string" && (field.format === "uri" || field.format === "url")) {
    return "https://";
  }
  if ((field.kind === "integer" || field.kind === "number") && field.default === null) {
    return "Default";
  }
  return undefined;
}

function BooleanField({ field, value, onChange, path }: NodeProps<Draft> & { field: FieldSpec }) {
  const { errors, disabled } = useContext(Ctx);
  const id = useId();
  const error = errors[path];
  return (
    <div className="flex items-start gap-2.5">
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={field.description || error ? `${id}-d` : undefined}
        aria-invalid={error ? true : undefined}
        className="mt-0.5 size-4 rounded border-zinc-300 accent-accent-600"
      />
      <div className="min-w-0">
        <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">
          {field.label}
        </label>
        {(field.description || error) && (
          <p id={`${id}-d`} className={cn("text-xs", error ? "text-red-600" : "text-zinc-500")}>
            {error ?? richText(field.description ?? "")}
          </p>
        )}
      </div>
    </div>
  );
}

function Section({
  title,
  description,
  toggle,
  error,
  children,
}: {
  title: ReactNode;
  description?: string;
  toggle?: ReactNode;
  error?: string;
  children?: ReactNode;
}) {
  return (
    <fieldset className="rounded-lg bg-zinc-50/70 px-4 pt-3 pb-4 ring-1 ring-zinc-200/80">
      <legend className="sr-only">{title}</legend>
      <div className={cn("flex items-start gap-2.5", children ? "mb-3" : undefined)}>
        {toggle}
        <div className="min-w-0">
          <div aria-hidden="true" className="text-[13px] font-semibold text-zinc-800">
            {title}
          </div>
          {description && <p className="text-xs text-zinc-500">{richText(description)}</p>}
          {error && <p className="text-xs text-red-600">{error}</p>}
        </div>
      </div>
      {children}
    </fieldset>
  );
}

function ObjectSection({
  field,
  required,
  value,
  onChange,
  path,
  initial,
  keepsSecrets,
}: NodeProps<Draft> & { field: Extract<FieldSpec, { kind: "object" }>; required: boolean }) {
  const { errors, disabled } = useContext(Ctx);
  const id = useId();
  const optional = field.nullable && !required;
  const on = isRecord(value);
  const toggle = optional ? (
    <input
      type="checkbox"
      aria-label={field.label}
      id={id}
      checked={on}
      disabled={disabled}
      onChange={(e) =>
        onChange(
          e.target.checked
            ? objectDraft(field, isRecord(field.default) ? field.default : {})
            : null,
        )
      }
      className="mt-0.5 size-4 rounded border-zinc-300 accent-accent-600"
    />
  ) : undefined;
  return (
    <Section
      title={field.label}
      description={field.description}
      toggle={toggle}
      error={errors[path]}
    >
      {on && (
        <ObjectFields
          spec={field}
          value={value}
          onChange={onChange}
          path={path}
          initial={initial}
          keepsSecrets={keepsSecrets}
        />
      )}
    </Section>
  );
}

function UnionField({
  field,
  required,
  value,
  onChange,
  path,
  initial,
  keepsSecrets,
}: NodeProps<Draft> & { field: Extract<FieldSpec, { kind: "union" }>; required: boolean }) {
  const { errors, disabled } = useContext(Ctx);
  const variant = isRecord(value) ? variantFor(field, value) : undefined;
  const sameKind = childOf(initial, field.discriminator) === variant?.tag;
  const hasFields = !!variant?.props.some((p) => p.field.kind !== "const");
  return (
    <div className="flex flex-col gap-3">
      <Field
        label={field.label}
        required={required && field.default === undefined}
        error={errors[path]}
        hint={
          variant?.description
            ? richText(variant.description)
            : field.description && richText(field.description)
        }
        className="sm:max-w-[calc(50%-0.5rem)]"
      >
        {(p) => (
          <Select
            {...p}
            disabled={disabled}
            value={variant?.tag ?? ""}
            onChange={(e) => {
              const next = field.variants.find((v) => v.tag === e.target.value);
              // Switching back to the saved kind restores its saved (non-secret) values.
              const saved = isRecord(initial) ? initial : {};
              onChange(next ? unionDraft(field.discriminator, next, saved) : null);
            }}
          >
            {field.nullable && <option value="">None</option>}
            {field.variants.map((v) => (
              <option key={v.tag} value={v.tag}>
                {v.label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {variant && hasFields && isRecord(value) && (
        <div className="border-l-2 border-accent-200 pl-4">
          <ObjectFields
            spec={variant}
            value={value}
            onChange={onChange}
            path={path}
            initial={initial}
            keepsSecrets={keepsSecrets && sameKind}
          />
        </div>
      )}
    </div>
  );
}

/** A list of objects (REST endpoints, say): one section per entry, added and removed in place. */
function ObjectListField({
  field,
  value,
  onChange,
  path,
  initial,
  keepsSecrets,
}: NodeProps<Draft> & { field: Extract<FieldSpec, { kind: "objectList" }> }) {
  const { errors, disabled } = useContext(Ctx);
  const items = Array.isArray(value) ? (value as DraftObject[]) : [];
  const noun = field.itemLabel.toLowerCase();
  return (
    <Section title={field.label} description={field.description} error={errors[path]}>
      <div className="flex flex-col gap-3">
        {items.map((item, i) => (
          <fieldset
            // biome-ignore lint/suspicious/noArrayIndexKey: entries have no identity but their place
            key={i}
            className="rounded-lg bg-white px-4 pt-2.5 pb-4 ring-1 ring-zinc-200"
          >
            <legend className="sr-only">{`${field.itemLabel} ${i + 1}`}</legend>
            <div className="mb-2 flex items-center justify-between">
              <span aria-hidden="true" className="text-xs font-medium text-zinc-500">
                {field.itemLabel} {i + 1}
              </span>
              <Button
                size="sm"
                variant="danger-ghost"
                disabled={disabled}
                aria-label={`Remove ${noun} ${i + 1}`}
                icon={<X className="size-3.5" aria-hidden="true" />}
                onClick={() => onChange(items.filter((_, j) => j !== i))}
              >
                Remove
              </Button>
            </div>
            <ObjectFields
              spec={field.item}
              value={item}
              onChange={(next) => onChange(items.map((x, j) => (j === i ? next : x)))}
              path={at(path, String(i))}
              initial={childOf(initial, String(i))}
              keepsSecrets={keepsSecrets}
            />
          </fieldset>
        ))}
        <div>
          <Button
            size="sm"
            disabled={disabled}
            icon={<Plus className="size-3.5" aria-hidden="true" />}
            onClick={() => onChange([...items, objectDraft(field.item, {})])}
          >
            Add {noun}
          </Button>
        </div>
      </div>
    </Section>
  );
}
