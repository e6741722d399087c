import type { UseQueryResult } from "@tanstack/react-query";
import { Code2, FileText, Globe, Play, Plus, Table2, X } from "lucide-react";
import type { KeyboardEvent } from "react";
import { Link } from "react-router";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { Input, Textarea } from "@/components/ui/Input";
import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { Select } from "@/components/ui/Select";
import { Skeleton } from "@/components/ui/Skeleton";
import { shortName, specForObject } from "@/features/sources/objects";
import { PreviewGrid, PreviewGridSkeleton } from "@/features/sources/PreviewGrid";
import type { ConnectorType, PreviewResult, Source, SourceObject } from "@/features/sources/types";
import { typeTitle } from "@/features/sources/visuals";
import { type DatasetFormValues, type FormErrors, paramRow } from "./form";
import { SPEC_KIND_LABELS } from "./format";
import type { ExtractKind } from "./types";

const KIND_ICONS = { table: Table2, query: Code2, file: FileText, endpoint: Globe };
const KIND_ORDER: ExtractKind[] = ["table", "query", "file", "endpoint"];

/** The kinds a source type reads, in the order they are offered. */
export function kindsOf(type: ConnectorType | undefined): ExtractKind[] {
  const kinds = type?.spec_kinds ?? [];
  return KIND_ORDER.filter((k) => kinds.includes(k));
}

type FileFormat = "csv" | "excel" | "json" | "parquet" | null;

/** A listed source, or (editing, when it isn't listed) the dataset's reference to it. */
export type SourceLike = Pick<Source, "id" | "name" | "type"> & { config?: Source["config"] };

/** The file format a source reads, from its type or (object stores) its `format` setting. */
function fileFormat(source: SourceLike | undefined, path: string): FileFormat {
  const fromType = source?.type.toLowerCase();
  const format = source?.config?.format;
  const fromConfig = typeof format === "string" ? format.toLowerCase() : undefined;
  for (const f of [fromType, fromConfig]) {
    if (f === "csv" || f === "tsv") return "csv";
    if (f === "excel" || f === "xlsx") return "excel";
    if (f === "json" || f === "jsonl" || f === "ndjson") return "json";
    if (f === "parquet") return "parquet";
  }
  if (/\.(csv|tsv|txt)$/i.test(path)) return "csv";
  if (/\.xlsx?$/i.test(path)) return "excel";
  return null;
}

interface ExtractFieldsProps {
  values: DatasetFormValues;
  kind: ExtractKind | null;
  onChange: (patch: Partial<DatasetFormValues>) => void;
  errors: FormErrors;
  sources: UseQueryResult<{ items: Source[] }>;
  source: SourceLike | undefined;
  type: ConnectorType | undefined;
  types: ConnectorType[] | undefined;
  objects: UseQueryResult<{ items: SourceObject[] }>;
  /** Editing: the source can't change. */
  sourceLocked: boolean;
  canPreview: boolean;
  onPreview: () => void;
  previewing: boolean;
}

/** Which source, and what of it to read: a table, a query, a file or glob, or an endpoint. */
export function ExtractFields({
  values,
  kind,
  onChange,
  errors,
  sources,
  source,
  type,
  types,
  objects,
  sourceLocked,
  canPreview,
  onPreview,
  previewing,
}: ExtractFieldsProps) {
  const kinds = kindsOf(type);
  const items = objects.data?.items ?? [];
  const format = fileFormat(source, values.path);

  /** Enter in a spec field previews instead of submitting the whole form. */
  function previewOnEnter(e: KeyboardEvent) {
    if (e.key === "Enter" && !e.shiftKey && (e.target as HTMLElement).tagName === "INPUT") {
      e.preventDefault();
      if (canPreview) onPreview();
    } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (canPreview) onPreview();
    }
  }

  const sourceList = sources.data?.items ?? [];
  return (
    <div className="flex flex-col gap-4">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          label="Source"
          required
          error={errors.source}
          hint={
            sourceLocked
              ? "A dataset stays with its source; to read another one, create a new dataset."
              : sources.isError
                ? `Couldn't list sources: ${errorMessage(sources.error)}`
                : sourceList.length === 0 && !sources.isPending
                  ? undefined
                  : "The system to extract from."
          }
        >
          {(p) => (
            <Select
              {...p}
              value={values.sourceId}
              disabled={sourceLocked || sources.isPending}
              onChange={(e) => onChange({ sourceId: e.target.value })}
            >
              {sources.isPending && !source && <option value="">Loading…</option>}
              {!sources.isPending && !values.sourceId && <option value="">Choose a source…</option>}
              {source && !sourceList.some((s) => s.id === source.id) && (
                <option value={source.id}>{source.name}</option>
              )}
              {sourceList.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({typeTitle(s.type, types)})
                </option>
              ))}
            </Select>
          )}
        </Field>
        {kinds.length > 1 && kind && (
          <div className="flex flex-col gap-1.5">
            <span className="text-[13px] font-medium text-zinc-800" aria-hidden="true">
              Extract
            </span>
            <SegmentedControl
              label="Extract"
              value={kind}
              onChange={(k) => onChange({ kind: k })}
              options={kinds.map((k) => ({
                value: k,
                label: SPEC_KIND_LABELS[k],
                icon: KIND_ICONS[k],
              }))}
              className="self-start"
            />
          </div>
        )}
      </div>
      {!sources.isPending && sourceList.length === 0 && !sourceLocked && (
        <Alert tone="info" title="No sources yet">
          Datasets are extracted from sources.{" "}
          <Link to="/sources" className="font-medium underline">
            Go to Sources
          </Link>{" "}
          to connect one, or ask an engineer to share one with you.
        </Alert>
      )}

      {values.sourceId && !type && <Skeleton className="h-9 w-full max-w-xl" />}

      {kind === "table" && (
        <Field
          label="Table"
          required
          error={errors.table}
          hint={
            objects.isError
              ? `Couldn't list the source's tables (${errorMessage(objects.error)}); type the schema-qualified name.`
              : "A table or view of the source."
          }
          className="max-w-xl"
        >
          {(p) =>
            objects.isError ? (
              <Input
                {...p}
                value={values.table}
                spellCheck={false}
                autoComplete="off"
                placeholder="public.orders"
                onKeyDown={previewOnEnter}
                onChange={(e) => onChange({ table: e.target.value })}
                className="font-mono text-[13px]"
              />
            ) : (
              <Select
                {...p}
                value={values.table}
                disabled={objects.isPending}
                onChange={(e) => onChange({ table: e.target.value })}
              >
                {objects.isPending && <option value="">Loading…</option>}
                {!objects.isPending && <option value="">Choose a table…</option>}
                {values.table && !items.some((o) => o.name === values.table) && (
                  <option value={values.table}>{values.table}</option>
                )}
                {items
                  .filter((o) => o.kind === "table" || o.kind === "view")
                  .map((o) => (
                    <option key={o.name} value={o.name}>
                      {o.name}
                      {o.kind === "view" ? " (view)" : ""}
                    </option>
                  ))}
              </Select>
            )
          }
        </Field>
      )}

      {kind === "query" && (
        <Field
          label="SQL query"
          required
          error={errors.sql}
          hint="One read-only statement. Ctrl+Enter previews it."
        >
          {(p) => (
            <Textarea
              {...p}
              rows={6}
              spellCheck={false}
              value={values.sql}
              placeholder={`SELECT *\nFROM ${items.find((o) => o.kind === "table")?.name ?? "my_table"}\nWHERE …`}
              onKeyDown={previewOnEnter}
              onChange={(e) => onChange({ sql: e.target.value })}
              className="font-mono text-[13px] leading-relaxed"
            />
          )}
        </Field>
      )}

      {(kind === "file" || kind === "endpoint") && (
        <PathField
          kind={kind}
          values={values}
          onChange={onChange}
          errors={errors}
          objects={objects}
          onKeyDown={previewOnEnter}
        />
      )}

      {kind === "file" && format !== "json" && format !== "parquet" && (
        <div className="grid grid-cols-1 items-start gap-4 sm:grid-cols-3">
          {(format === "excel" || format === null || values.sheet) && (
            <Field
              label="Sheet"
              optional
              error={errors.sheet}
              hint="Excel workbooks: default the first sheet."
            >
              {(p) => (
                <Input
                  {...p}
                  value={values.sheet}
                  autoComplete="off"
                  onKeyDown={previewOnEnter}
                  onChange={(e) => onChange({ sheet: e.target.value })}
                />
              )}
            </Field>
          )}
          {(format === "csv" || format === null) && (
            <Field
              label="Delimiter"
              optional
              error={errors.delimiter}
              hint="Default: the source's (usually a comma). \t for tab."
            >
              {(p) => (
                <Input
                  {...p}
                  value={values.delimiter}
                  maxLength={2}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder=","
                  onKeyDown={previewOnEnter}
                  onChange={(e) => onChange({ delimiter: e.target.value })}
                  className="w-24 font-mono"
                />
              )}
            </Field>
          )}
          <label className="flex items-center gap-2 pt-7 text-[13px] text-zinc-800">
            <input
              type="checkbox"
              checked={values.hasHeader}
              onChange={(e) => onChange({ hasHeader: e.target.checked })}
              className="size-4 rounded border-zinc-300 accent-accent-600"
            />
            First row holds the column names
          </label>
        </div>
      )}

      {kind === "endpoint" && (
        <EndpointFields values={values} onChange={onChange} errors={errors} />
      )}

      {kind && (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            onClick={onPreview}
            disabled={!canPreview}
            loading={previewing}
            icon={<Play className="size-3.5" aria-hidden="true" />}
          >
            Preview
          </Button>
          <p className="text-xs text-zinc-500">
            Reads the first 100 rows from the source now (recorded in the audit log) and lists the
            columns for the key and watermark below.
          </p>
        </div>
      )}
    </div>
  );
}

function PathField({
  kind,
  values,
  onChange,
  errors,
  objects,
  onKeyDown,
}: {
  kind: "file" | "endpoint";
  values: DatasetFormValues;
  onChange: (patch: Partial<DatasetFormValues>) => void;
  errors: FormErrors;
  objects: UseQueryResult<{ items: SourceObject[] }>;
  onKeyDown: (e: KeyboardEvent) => void;
}) {
  const items = (objects.data?.items ?? []).filter((o) =>
    kind === "file" ? o.kind === "file" || o.kind === "sheet" : o.kind === "endpoint",
  );
  const listId = `dataset-${kind}-objects`;
  const shown = items.slice(0, 12);

  function pick(o: SourceObject) {
    const spec = specForObject(o, [kind]);
    if (spec?.kind === "file") onChange({ path: spec.path, sheet: spec.sheet ?? "" });
    else if (spec?.kind === "endpoint") onChange({ path: spec.path });
  }

  return (
    <div className="flex flex-col gap-2">
      <Field
        label="Path"
        required
        error={errors.path}
        hint={
          kind === "file"
            ? "A file or a glob, relative to the source: orders.csv, exports/2024/*.csv."
            : "The endpoint's path below the source's base URL: /v1/orders."
        }
        className="max-w-xl"
      >
        {(p) => (
          <Input
            {...p}
            list={listId}
            value={values.path}
            spellCheck={false}
            autoComplete="off"
            placeholder={kind === "file" ? "exports/*.csv" : "/v1/items"}
            onKeyDown={onKeyDown}
            onChange={(e) => onChange({ path: e.target.value })}
            className="font-mono text-[13px]"
          />
        )}
      </Field>
      <datalist id={listId}>
        {items.map((o) => (
          <option
            key={`${o.kind}:${o.name}`}
            value={o.kind === "sheet" ? (o.namespace ?? o.name) : o.name}
          />
        ))}
      </datalist>
      {objects.isError && (
        <p className="text-xs text-amber-700">
          Couldn't list what the source holds: {errorMessage(objects.error)}
        </p>
      )}
      {shown.length > 0 && (
        <div className="flex flex-wrap items-center gap-1.5">
          <span className="text-xs text-zinc-500">In this source:</span>
          {shown.map((o) => {
            const label = o.kind === "sheet" ? `${o.namespace ?? ""} › ${shortName(o)}` : o.name;
            const active =
              o.kind === "sheet"
                ? values.path === o.namespace && values.sheet === shortName(o)
                : values.path === o.name;
            return (
              <button
                key={`${o.kind}:${o.name}`}
                type="button"
                aria-pressed={active}
                onClick={() => pick(o)}
                className="inline-flex h-6 items-center rounded-md bg-zinc-100 px-2 font-mono text-[11.5px] text-zinc-700 ring-1 ring-zinc-200 ring-inset hover:bg-zinc-200/70 aria-pressed:bg-accent-50 aria-pressed:text-accent-800 aria-pressed:ring-accent-300"
              >
                {label}
              </button>
            );
          })}
          {items.length > shown.length && (
            <span className="text-xs text-zinc-400">
              and {items.length - shown.length} more (type to search)
            </span>
          )}
        </div>
      )}
    </div>
  );
}

function EndpointFields({
  values,
  onChange,
  errors,
}: {
  values: DatasetFormValues;
  onChange: (patch: Partial<DatasetFormValues>) => void;
  errors: FormErrors;
}) {
  function setParam(id: number, patch: { key?: string; value?: string }) {
    onChange({ params: values.params.map((p) => (p.id === id ? { ...p, ...patch } : p)) });
  }
  return (
    <div className="grid grid-cols-1 items-start gap-4 sm:grid-cols-2">
      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1.5 text-[13px] font-medium text-zinc-800">
          Query parameters <span className="ml-1.5 font-normal text-zinc-400">Optional</span>
        </legend>
        {values.params.map((p, i) => (
          <div key={p.id} className="flex items-center gap-1.5">
            <Input
              aria-label={`Parameter ${i + 1} name`}
              value={p.key}
              placeholder="name"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setParam(p.id, { key: e.target.value })}
              className="font-mono text-[13px]"
            />
            <Input
              aria-label={`Parameter ${i + 1} value`}
              value={p.value}
              placeholder="value"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setParam(p.id, { value: e.target.value })}
              className="font-mono text-[13px]"
            />
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Remove parameter ${i + 1}`}
              onClick={() => onChange({ params: values.params.filter((x) => x.id !== p.id) })}
              icon={<X className="size-4" aria-hidden="true" />}
            />
          </div>
        ))}
        <Button
          size="sm"
          variant="ghost"
          className="self-start"
          onClick={() => onChange({ params: [...values.params, paramRow()] })}
          icon={<Plus className="size-3.5" aria-hidden="true" />}
        >
          Add parameter
        </Button>
        {errors.params && <p className="text-xs text-red-600">{errors.params}</p>}
      </fieldset>
      <Field
        label="Records path"
        optional
        error={errors.recordsPath}
        hint="Dotted path to the list of records in each response, e.g. data.items."
      >
        {(p) => (
          <Input
            {...p}
            value={values.recordsPath}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange({ recordsPath: e.target.value })}
            className="font-mono text-[13px]"
          />
        )}
      </Field>
    </div>
  );
}

/** The preview under the extract fields: nothing yet, loading, the server's error, or rows. */
export function FormPreview({
  preview,
  started,
  stale,
  fieldError,
}: {
  preview: UseQueryResult<PreviewResult>;
  started: boolean;
  /** The fields changed since this preview was read. */
  stale: boolean;
  /** The error was placed beside a field. */
  fieldError: boolean;
}) {
  if (!started) return null;
  if (preview.isFetching) {
    return <PreviewGridSkeleton label="Reading from the source…" rows={4} columns={3} />;
  }
  if (preview.isError) {
    return (
      <Alert tone="error" title="Preview failed">
        <span className="break-words">
          {fieldError ? "See the field marked above. " : ""}
          {errorMessage(preview.error)}
        </span>
      </Alert>
    );
  }
  if (!preview.data) return null;
  return (
    <div className="flex flex-col gap-2">
      {stale && (
        <p className="text-xs text-amber-700">
          The settings changed since this preview: press Preview to read them again.
        </p>
      )}
      {/* At most ~12 rows tall, scrolling inside under its sticky header: the rest of the form
          stays close below. */}
      <PreviewGrid result={preview.data} maxHeight="420px" />
    </div>
  );
}
