import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { Code2, FolderOpen, Play, Rows3, Table2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useSearchParams } from "react-router";
import { ApiError, errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { Field } from "@/components/ui/Field";
import { Input, Textarea } from "@/components/ui/Input";
import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { Select } from "@/components/ui/Select";
import { specForObject } from "./objects";
import { PreviewGrid, PreviewGridSkeleton } from "./PreviewGrid";
import { previewQuery, sourceObjectsQuery } from "./queries";
import { useSourcePage } from "./SourcePage";
import type { PreviewResult, PreviewSpec } from "./types";

type Mode = "object" | "sql" | "path";

const LIMITS = [10, 100, 500, 1000];
const DEFAULT_LIMIT = 100;

interface Active {
  spec: PreviewSpec;
  limit: number;
}

/** The message the server gave for one part of the request (`body.spec.sql`), if any. */
function fieldError(error: unknown, ...paths: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const fields = Array.isArray(error.details.fields) ? error.details.fields : [];
  const hit = (fields as Array<{ field?: string; message?: string }>).find(
    (f) => typeof f.field === "string" && paths.includes(f.field),
  );
  return hit?.message;
}

/**
 * Preview: pick an object (or write SQL for a database, or type a path for files and APIs),
 * run it, read the first rows. `?object=` opens with that object and runs it.
 */
export function PreviewTab() {
  const { source, type } = useSourcePage();
  const kinds = type?.spec_kinds ?? [];
  const objects = useQuery(sourceObjectsQuery(source.id));
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get("object");

  const modes: Array<{ value: Mode; label: string; icon: typeof Table2 }> = [
    { value: "object", label: kinds.includes("table") ? "Table" : "Object", icon: Table2 },
  ];
  if (kinds.includes("query")) modes.push({ value: "sql", label: "SQL query", icon: Code2 });
  if (kinds.includes("file") || kinds.includes("endpoint")) {
    modes.push({ value: "path", label: "Path", icon: FolderOpen });
  }

  const [mode, setMode] = useState<Mode>(fromUrl || !kinds.includes("query") ? "object" : "sql");
  const [objectName, setObjectName] = useState(fromUrl ?? "");
  const [sql, setSql] = useState("");
  const [path, setPath] = useState("");
  const [limit, setLimit] = useState(DEFAULT_LIMIT);
  const items = objects.data?.items ?? [];
  const chosen = items.find((o) => o.name === (objectName || items[0]?.name));

  // Arriving with ?object= runs that object (once its description is known).
  const [active, setActive] = useState<Active | null>(null);
  const urlObject = fromUrl ? items.find((o) => o.name === fromUrl) : undefined;
  const urlSpec = urlObject ? specForObject(urlObject, kinds) : null;
  const current = active ?? (urlSpec ? { spec: urlSpec, limit: DEFAULT_LIMIT } : null);
  const preview = useQuery(previewQuery(source.id, current?.spec ?? null, current?.limit ?? limit));

  function build(): PreviewSpec | null {
    if (mode === "sql") return sql.trim() ? { kind: "query", sql: sql.trim() } : null;
    if (mode === "path") {
      if (!path.trim()) return null;
      return kinds.includes("file")
        ? { kind: "file", path: path.trim(), has_header: true }
        : { kind: "endpoint", path: path.trim(), params: {} };
    }
    return chosen ? specForObject(chosen, kinds) : null;
  }

  const draftSpec = build();

  function run(e?: FormEvent) {
    e?.preventDefault();
    if (!draftSpec) return;
    const next = { spec: draftSpec, limit };
    if (current && JSON.stringify(current) === JSON.stringify(next)) {
      void preview.refetch();
    } else {
      setActive(next);
    }
    if (mode === "object" && chosen) setParams({ object: chosen.name }, { replace: true });
  }

  const sqlError = fieldError(preview.error, "body.spec.sql");
  const pathKind = kinds.includes("file") ? "file path or glob" : "endpoint path";

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <form onSubmit={run} className="flex flex-col gap-4 p-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            {modes.length > 1 ? (
              <SegmentedControl
                label="Preview what"
                value={mode}
                onChange={setMode}
                options={modes}
              />
            ) : (
              <span />
            )}
            <div className="flex items-center gap-2">
              <label htmlFor="preview-limit" className="text-xs text-zinc-500">
                Row limit
              </label>
              <Select
                id="preview-limit"
                selectSize="sm"
                value={String(limit)}
                onChange={(e) => setLimit(Number(e.target.value))}
                className="w-24"
              >
                {LIMITS.map((n) => (
                  <option key={n} value={n}>
                    {n.toLocaleString("en")}
                  </option>
                ))}
              </Select>
              <Button
                type="submit"
                variant="primary"
                disabled={!draftSpec}
                loading={preview.isFetching}
                icon={<Play className="size-3.5" aria-hidden="true" />}
              >
                Run preview
              </Button>
            </div>
          </div>
          {mode === "sql" && (
            <Field
              label="SQL query"
              error={sqlError}
              hint="One read-only statement; the row limit is applied for you. Ctrl+Enter runs it."
            >
              {(p) => (
                <Textarea
                  {...p}
                  rows={5}
                  spellCheck={false}
                  placeholder={`SELECT *\nFROM ${items.find((o) => o.kind === "table")?.name ?? "my_table"}\nWHERE …`}
                  value={sql}
                  onChange={(e) => setSql(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(e);
                  }}
                  className="font-mono text-[13px] leading-relaxed"
                />
              )}
            </Field>
          )}
          {mode === "object" && (
            <Field
              label={kinds.includes("table") ? "Table" : "Object"}
              hint={
                objects.isError
                  ? `Couldn't list the source's objects: ${errorMessage(objects.error)}`
                  : undefined
              }
            >
              {(p) => (
                <Select
                  {...p}
                  value={chosen?.name ?? ""}
                  disabled={items.length === 0}
                  onChange={(e) => setObjectName(e.target.value)}
                  className="max-w-xl"
                >
                  {objects.isPending && <option value="">Loading…</option>}
                  {!objects.isPending && items.length === 0 && (
                    <option value="">Nothing to preview</option>
                  )}
                  {items.map((o) => (
                    <option key={o.name} value={o.name}>
                      {o.name}
                      {o.kind !== "table" ? ` (${o.kind})` : ""}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          )}
          {mode === "path" && (
            <Field label="Path" hint={`A ${pathKind}, relative to the source.`}>
              {(p) => (
                <Input
                  {...p}
                  value={path}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder={kinds.includes("file") ? "exports/2024/*.csv" : "/v1/items"}
                  onChange={(e) => setPath(e.target.value)}
                  className="max-w-xl font-mono text-[13px]"
                />
              )}
            </Field>
          )}
        </form>
      </Card>
      <PreviewResultArea
        preview={preview}
        started={!!current}
        waiting={!current && !!fromUrl && objects.isPending}
        hasSqlError={!!sqlError}
      />
    </div>
  );
}

function PreviewResultArea({
  preview,
  started,
  waiting,
  hasSqlError,
}: {
  preview: UseQueryResult<PreviewResult>;
  started: boolean;
  /** Opened with `?object=`: the preview starts once the object list has answered. */
  waiting: boolean;
  hasSqlError: boolean;
}) {
  if (waiting) return <PreviewGridSkeleton label="Reading from the source…" />;
  if (!started) {
    return (
      <Card>
        <EmptyState
          icon={Rows3}
          title="Nothing previewed yet"
          description="Choose a table or write a query, then Run preview to see its first rows. Previews are read live from the source and recorded in the audit log."
        />
      </Card>
    );
  }
  if (preview.isFetching) return <PreviewGridSkeleton label="Reading from the source…" />;
  if (preview.isError) {
    return (
      <Alert tone="error" title="Preview failed">
        <span className="break-words">
          {hasSqlError ? "The query needs attention (see above)." : errorMessage(preview.error)}
        </span>
      </Alert>
    );
  }
  return preview.data ? <PreviewGrid result={preview.data} /> : null;
}
