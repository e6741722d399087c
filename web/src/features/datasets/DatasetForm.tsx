import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Card } from "@/components/ui/Card";
import { Field } from "@/components/ui/Field";
import { CancelSaveButtons } from "@/components/ui/FormButtons";
import { Input, Textarea } from "@/components/ui/Input";
import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { Select } from "@/components/ui/Select";
import { TagInput } from "@/components/ui/TagInput";
import {
  connectorsQuery,
  previewQuery,
  sourceObjectsQuery,
  sourcesQuery,
} from "@/features/sources/queries";
import type { PreviewSpec } from "@/features/sources/types";
import { cn } from "@/lib/cn";
import { ExtractFields, FormPreview, kindsOf, type SourceLike } from "./ExtractFields";
import {
  buildSpec,
  type DatasetFormValues,
  emptyValues,
  type FieldKey,
  type FormErrors,
  serverErrors,
  suggestName,
  validate,
  valuesFromDataset,
} from "./form";
import { MODES, SCHEMA_POLICIES } from "./format";
import { ScheduleFields } from "./ScheduleFields";
import type { Dataset, ExtractMode, SchemaPolicy } from "./types";

const PREVIEW_LIMIT = 100;
const SPEC_FIELDS: Array<keyof DatasetFormValues> = [
  "kind",
  "table",
  "sql",
  "path",
  "sheet",
  "delimiter",
  "hasHeader",
  "params",
  "recordsPath",
];

interface DatasetFormProps {
  /** Editing: the saved dataset prefills the form and its source is fixed. */
  dataset?: Dataset;
  /** Creating: the source to start with (`?source=`). */
  initialSourceId?: string;
  onSourceChange?: (sourceId: string) => void;
  submitLabel: string;
  saving: boolean;
  saveError: unknown;
  onSubmit: (values: DatasetFormValues, initial: DatasetFormValues) => void;
  onCancel?: () => void;
  /** Editing without the right to: every field is shown but nothing can be saved. */
  readOnly?: boolean;
}

/** What to extract, how to load it, what to do with bad data, and when: new and edit. */
export function DatasetForm({
  dataset,
  initialSourceId,
  onSourceChange,
  submitLabel,
  saving,
  saveError,
  onSubmit,
  onCancel,
  readOnly = false,
}: DatasetFormProps) {
  const initial = useMemo(
    () => (dataset ? valuesFromDataset(dataset) : emptyValues(initialSourceId ?? "")),
    [dataset, initialSourceId],
  );
  const [values, setValues] = useState<DatasetFormValues>(initial);
  const [nameTouched, setNameTouched] = useState(!!dataset);
  const [attempted, setAttempted] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const [previewSpec, setPreviewSpec] = useState<PreviewSpec | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const sources = useQuery(sourcesQuery);
  const types = useQuery(connectorsQuery);
  const source: SourceLike | undefined =
    sources.data?.items.find((s) => s.id === values.sourceId) ?? dataset?.source;
  const type = types.data?.items.find((t) => t.type === source?.type);
  const kinds = kindsOf(type);
  // Until the source's type is known, keep what was chosen; then the first kind it reads.
  const kind =
    values.kind && (kinds.length === 0 || kinds.includes(values.kind))
      ? values.kind
      : (kinds[0] ?? null);
  const effective = useMemo(() => ({ ...values, kind }), [values, kind]);
  const spec = buildSpec(effective);

  const objects = useQuery({
    ...sourceObjectsQuery(values.sourceId),
    enabled: !!values.sourceId && !!kind && kind !== "query",
  });
  const preview = useQuery(previewQuery(values.sourceId, previewSpec, PREVIEW_LIMIT));

  // Columns for the key and watermark pickers: the preview's, else the discovered table's, else
  // the lake table's.
  const columns = useMemo(() => {
    if (preview.data) return preview.data.columns.map((c) => c.name);
    const chosen =
      kind === "table" ? objects.data?.items.find((o) => o.name === values.table) : undefined;
    if (chosen?.columns?.length) return chosen.columns.map((c) => c.name);
    return dataset?.columns.map((c) => c.name) ?? [];
  }, [preview.data, objects.data, kind, values.table, dataset]);

  const clientErrors: FormErrors = attempted ? validate(effective) : {};
  const fromSave = serverErrors(saveError, kind);
  const fromPreview = serverErrors(preview.error, kind);
  const errors: FormErrors = { ...fromPreview.fields, ...fromSave.fields, ...clientErrors };
  const saveMessage =
    saveError && Object.keys(fromSave.fields).length === 0 && fromSave.unplaced.length === 0
      ? errorMessage(saveError)
      : null;

  useEffect(() => {
    if (focusTick === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);

  function update(patch: Partial<DatasetFormValues>) {
    let next = { ...values, ...patch };
    if ("sourceId" in patch && patch.sourceId !== values.sourceId) {
      // Another source: what was picked from the old one means nothing there.
      next = { ...emptyValues(next.sourceId), ...pickKept(next) };
      setPreviewSpec(null);
      onSourceChange?.(next.sourceId);
    }
    const specTouched = SPEC_FIELDS.some((k) => k in patch);
    if (!dataset && !nameTouched && specTouched) {
      next.name = suggestName({ ...next, kind: next.kind ?? kind });
    }
    setValues(next);
  }

  function runPreview() {
    if (!spec) return;
    if (previewSpec && JSON.stringify(previewSpec) === JSON.stringify(spec)) {
      void preview.refetch();
    } else {
      setPreviewSpec(spec);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (readOnly) return;
    setAttempted(true);
    if (Object.keys(validate(effective)).length > 0) {
      setFocusTick((t) => t + 1);
      return;
    }
    onSubmit(effective, { ...initial, kind: initial.kind ?? kind });
  }

  const previewStale =
    !!previewSpec && !!preview.data && JSON.stringify(previewSpec) !== JSON.stringify(spec);
  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-label={dataset ? "Dataset settings" : "New dataset"}
    >
      <fieldset disabled={readOnly} className="contents">
        <Card>
          <Section
            title="What to extract"
            description="The source, and the table, query, file or endpoint to read from it."
          >
            <ExtractFields
              values={values}
              kind={kind}
              onChange={update}
              errors={errors}
              sources={sources}
              source={source}
              type={type}
              types={types.data?.items}
              objects={objects}
              sourceLocked={!!dataset}
              canPreview={!!spec}
              onPreview={runPreview}
              previewing={preview.isFetching}
            />
            <div className="mt-4 empty:hidden">
              <FormPreview
                preview={preview}
                started={!!previewSpec}
                stale={previewStale}
                fieldError={Object.keys(fromPreview.fields).length > 0}
              />
            </div>
          </Section>

          <Section title="Details" description="How people will find this dataset.">
            <div className="grid grid-cols-1 gap-4">
              <Field
                label="Name"
                required
                error={errors.name}
                hint="Letters, digits, spaces and _ . - — for example “shipments_raw”."
                className="sm:max-w-[calc(50%-0.5rem)]"
              >
                {(p) => (
                  <Input
                    {...p}
                    autoComplete="off"
                    spellCheck={false}
                    value={values.name}
                    onChange={(e) => {
                      setNameTouched(true);
                      update({ name: e.target.value });
                    }}
                  />
                )}
              </Field>
              <Field label="Description" optional error={errors.description}>
                {(p) => (
                  <Textarea
                    {...p}
                    rows={2}
                    className="min-h-16"
                    placeholder="What's in it, where it comes from, anything a colleague should know."
                    value={values.description}
                    onChange={(e) => update({ description: e.target.value })}
                  />
                )}
              </Field>
            </div>
          </Section>

          <Section
            title="Loading"
            description="How each run writes to the dataset's versioned lake table."
          >
            <LoadFields values={values} onChange={update} errors={errors} columns={columns} />
          </Section>

          <Section
            title="Bad data"
            description="What a run does when the source's schema changes or records don't fit."
          >
            <QualityFields values={values} onChange={update} errors={errors} />
          </Section>

          <Section title="Schedule" description="Run it automatically, or only on demand.">
            <ScheduleFields
              values={values}
              onChange={update}
              errors={errors}
              saved={dataset?.schedule}
            />
          </Section>

          <footer className="flex flex-col gap-3 rounded-b-xl border-t border-zinc-100 bg-zinc-50/70 px-6 py-4">
            {fromSave.unplaced.length > 0 && (
              <Alert tone="error" title="The server refused these settings">
                <ul className="list-disc pl-4">
                  {fromSave.unplaced.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </Alert>
            )}
            {saveMessage && (
              <Alert tone="error" title="Couldn't save the dataset">
                <span className="break-words">{saveMessage}</span>
              </Alert>
            )}
            {attempted && Object.keys(clientErrors).length > 0 && (
              <p className="text-xs text-red-600" role="status">
                Some fields need attention.
              </p>
            )}
            <div className="flex flex-wrap items-center justify-end gap-2">
              <CancelSaveButtons
                submitLabel={submitLabel}
                saving={saving}
                onCancel={onCancel}
                canSave={!readOnly}
              />
            </div>
          </footer>
        </Card>
      </fieldset>
    </form>
  );
}

/** Fields kept when the source changes (everything not about what to read). */
function pickKept(v: DatasetFormValues): Partial<DatasetFormValues> {
  const {
    sourceId: _s,
    kind: _k,
    table: _t,
    sql: _q,
    path: _p,
    sheet: _sh,
    delimiter: _d,
    hasHeader: _h,
    params: _pa,
    recordsPath: _r,
    specExtras: _e,
    ...rest
  } = v;
  return rest;
}

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      className="border-t border-zinc-100 px-6 pt-5 pb-6 first:border-t-0"
    >
      <h2 id={id} className="text-sm font-semibold text-zinc-900">
        {title}
      </h2>
      <p className="mt-0.5 mb-4 text-xs text-zinc-500">{description}</p>
      {children}
    </section>
  );
}

interface FieldsProps {
  values: DatasetFormValues;
  onChange: (patch: Partial<DatasetFormValues>) => void;
  errors: Partial<Record<FieldKey, string>>;
}

function LoadFields({ values, onChange, errors, columns }: FieldsProps & { columns: string[] }) {
  const listId = useId();
  const merge = values.mode === "merge";
  const suggestions = columns.filter((c) => !values.primaryKey.includes(c));
  const keyLike = suggestions.filter((c) => /(^id$|_id$|^key$|_key$|^code$|uuid)/i.test(c));
  const chips = [...keyLike, ...suggestions.filter((c) => !keyLike.includes(c))].slice(0, 10);

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1.5">
        <span aria-hidden="true" className="text-[13px] font-medium text-zinc-800">
          Mode
        </span>
        <SegmentedControl<ExtractMode>
          label="Mode"
          value={values.mode}
          onChange={(m) => onChange({ mode: m })}
          options={(["full", "append", "merge"] as const).map((m) => ({
            value: m,
            label: MODES[m].label,
          }))}
          className="self-start"
        />
        <p className="text-xs text-zinc-500">{MODES[values.mode].description}</p>
        {errors.mode && <p className="text-xs text-red-600">{errors.mode}</p>}
      </div>

      <div className="flex flex-col gap-2">
        <Field
          label="Primary key"
          required={merge}
          error={errors.primaryKey}
          hint={
            merge
              ? "The column(s) that identify a row: merge updates rows with the same key."
              : "The column(s) that identify a row. Required for merge; documents the table otherwise."
          }
          className="max-w-xl"
        >
          {(p) => (
            <TagInput
              {...p}
              list={listId}
              value={values.primaryKey}
              onChange={(pk) => onChange({ primaryKey: pk })}
              placeholder={columns.length ? "Type a column, then Enter" : "id"}
            />
          )}
        </Field>
        <datalist id={listId}>
          {suggestions.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        {chips.length > 0 && (
          <div className="flex max-w-xl flex-wrap items-center gap-1.5">
            <span className="text-xs text-zinc-500">Columns:</span>
            {chips.map((c) => (
              <button
                key={c}
                type="button"
                aria-label={`Add ${c} to the primary key`}
                onClick={() => onChange({ primaryKey: [...values.primaryKey, c] })}
                className="inline-flex h-6 items-center rounded-md bg-white px-2 font-mono text-[11.5px] text-zinc-600 ring-1 ring-zinc-200 ring-inset hover:bg-zinc-100"
              >
                + {c}
              </button>
            ))}
          </div>
        )}
      </div>

      {values.mode !== "full" && (
        <div className="grid grid-cols-1 items-start gap-4 rounded-lg bg-zinc-50/80 p-4 ring-1 ring-zinc-200/70 ring-inset sm:grid-cols-3">
          <Field
            label="Watermark column"
            required
            error={errors.watermarkColumn}
            hint={
              columns.length
                ? "Rows past its last value are read (an updated_at or a growing id)."
                : "Preview first to pick from the columns, or type its name."
            }
          >
            {(p) =>
              columns.length ? (
                <Select
                  {...p}
                  value={values.watermarkColumn}
                  onChange={(e) => onChange({ watermarkColumn: e.target.value })}
                >
                  <option value="">Choose a column…</option>
                  {values.watermarkColumn && !columns.includes(values.watermarkColumn) && (
                    <option value={values.watermarkColumn}>{values.watermarkColumn}</option>
                  )}
                  {columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </Select>
              ) : (
                <Input
                  {...p}
                  value={values.watermarkColumn}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="updated_at"
                  onChange={(e) => onChange({ watermarkColumn: e.target.value })}
                  className="font-mono text-[13px]"
                />
              )
            }
          </Field>
          <Field
            label="Initial value"
            optional
            error={errors.initialValue}
            hint="Where the first run starts (ISO date/time or number). Empty: all rows."
          >
            {(p) => (
              <Input
                {...p}
                value={values.initialValue}
                autoComplete="off"
                spellCheck={false}
                placeholder="2024-01-01T00:00:00Z"
                onChange={(e) => onChange({ initialValue: e.target.value })}
                className="font-mono text-[13px]"
              />
            )}
          </Field>
          {merge ? (
            <Field
              label="Lookback"
              optional
              error={errors.lookback}
              hint="Re-read this much before the watermark to catch late rows: seconds for dates and times, units for numbers."
            >
              {(p) => (
                <Input
                  {...p}
                  type="number"
                  min={0}
                  step="any"
                  inputMode="decimal"
                  value={values.lookback}
                  placeholder="3600"
                  onChange={(e) => onChange({ lookback: e.target.value })}
                />
              )}
            </Field>
          ) : (
            <p className="pt-7 text-xs text-zinc-500">
              Lookback (re-reading late rows) needs merge, so re-read rows replace themselves
              instead of being appended twice.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function QualityFields({ values, onChange, errors }: FieldsProps) {
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_18rem]">
      <fieldset>
        <legend className="mb-2 text-[13px] font-medium text-zinc-800">Schema changes</legend>
        <div className="flex flex-col gap-2">
          {(Object.keys(SCHEMA_POLICIES) as SchemaPolicy[]).map((p) => (
            <label
              key={p}
              className={cn(
                "flex cursor-pointer items-start gap-3 rounded-lg px-3 py-2.5 ring-1 ring-inset transition-colors",
                values.schemaPolicy === p
                  ? "bg-accent-50/60 ring-accent-300"
                  : "ring-zinc-200 hover:bg-zinc-50",
              )}
            >
              <input
                type="radio"
                name="schema-policy"
                value={p}
                checked={values.schemaPolicy === p}
                onChange={() => onChange({ schemaPolicy: p })}
                className="mt-0.5 size-4 accent-accent-600"
              />
              <span>
                <span className="block text-[13px] font-medium text-zinc-900">
                  {SCHEMA_POLICIES[p].label}
                </span>
                <span className="block text-xs text-zinc-500">
                  {SCHEMA_POLICIES[p].description}
                </span>
              </span>
            </label>
          ))}
        </div>
        {errors.schemaPolicy && <p className="mt-1 text-xs text-red-600">{errors.schemaPolicy}</p>}
      </fieldset>
      <div className="flex flex-col gap-4">
        <p className="text-xs text-zinc-500">
          Records that can't be read are quarantined and the run goes on. Past either limit, the run
          fails instead. Empty: no limit.
        </p>
        <Field label="Max bad records" optional error={errors.maxBadRecords}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={values.maxBadRecords}
              placeholder="No limit"
              onChange={(e) => onChange({ maxBadRecords: e.target.value })}
            />
          )}
        </Field>
        <Field label="Max bad records (%)" optional error={errors.maxBadPercent}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={0}
              max={100}
              step="any"
              inputMode="decimal"
              value={values.maxBadPercent}
              placeholder="No limit"
              onChange={(e) => onChange({ maxBadPercent: e.target.value })}
            />
          )}
        </Field>
      </div>
    </div>
  );
}
