import { useQuery } from "@tanstack/react-query";
import { Eye, FileText, Globe, type LucideIcon, Play, RotateCw, Sheet, Table2 } from "lucide-react";
import { useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { SearchInput } from "@/components/ui/SearchInput";
import { Skeleton } from "@/components/ui/Skeleton";
import { cn } from "@/lib/cn";
import { formatBytes, formatCount, shortName, specForObject } from "./objects";
import { sourceObjectsQuery } from "./queries";
import { useSourcePage } from "./SourcePage";
import type { SourceObject } from "./types";

export const KIND_ICONS: Record<string, LucideIcon> = {
  table: Table2,
  view: Eye,
  file: FileText,
  sheet: Sheet,
  endpoint: Globe,
};

/** Objects: what the source offers, grouped by schema/folder; pick one to see its columns. */
export function ObjectsTab() {
  const { source } = useSourcePage();
  const objects = useQuery(sourceObjectsQuery(source.id));
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState("");
  const items = objects.data?.items ?? [];
  const selected = items.find((o) => o.name === params.get("object")) ?? items[0];

  const groups = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const map = new Map<string, SourceObject[]>();
    for (const o of items) {
      if (f && !o.name.toLowerCase().includes(f)) continue;
      const key = o.namespace ?? "";
      map.set(key, [...(map.get(key) ?? []), o]);
    }
    return [...map.entries()];
  }, [items, filter]);

  if (objects.isError) {
    return (
      <Alert
        tone="error"
        title={`Couldn't list what ${source.name} holds`}
        action={
          <Button
            size="sm"
            onClick={() => objects.refetch()}
            loading={objects.isFetching}
            icon={<RotateCw className="size-3.5" aria-hidden="true" />}
          >
            Try again
          </Button>
        }
      >
        <span className="break-words">{errorMessage(objects.error)}</span>
      </Alert>
    );
  }

  if (objects.isPending) return <ObjectsSkeleton />;

  if (items.length === 0) {
    return (
      <Card>
        <EmptyState
          icon={Table2}
          title="Nothing to read here yet"
          description="The source answered but offers no tables, files or endpoints. Check what the configured user may see, or the paths in the settings."
        />
      </Card>
    );
  }

  return (
    <Card className="grid min-h-[28rem] grid-cols-1 overflow-hidden md:grid-cols-[18rem_1fr]">
      <div className="flex min-h-0 flex-col border-b border-zinc-200/80 md:border-r md:border-b-0">
        <div className="flex items-center gap-2 border-b border-zinc-200/80 p-2.5">
          <SearchInput
            value={filter}
            onChange={setFilter}
            label="Filter objects"
            className="w-full"
          />
        </div>
        <nav aria-label="Objects" className="max-h-[36rem] flex-1 overflow-y-auto p-1.5">
          {groups.length === 0 && (
            <p className="px-2.5 py-6 text-center text-xs text-zinc-500">Nothing matches.</p>
          )}
          {groups.map(([namespace, list]) => (
            <div key={namespace} className="mb-2">
              {namespace && (
                <p className="truncate px-2.5 pt-1.5 pb-1 font-mono text-[11px] font-medium text-zinc-400">
                  {namespace}
                </p>
              )}
              <ul>
                {list.map((o) => (
                  <li key={o.name}>
                    <ObjectButton
                      object={o}
                      active={o.name === selected?.name}
                      onSelect={() => setParams({ object: o.name }, { replace: true })}
                    />
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <p className="border-t border-zinc-200/80 px-3 py-2 text-[11px] text-zinc-500 tabular-nums">
          {items.length.toLocaleString("en")} object{items.length === 1 ? "" : "s"}
        </p>
      </div>
      <div className="min-w-0">{selected && <ObjectDetail object={selected} />}</div>
    </Card>
  );
}

function ObjectButton({
  object,
  active,
  onSelect,
}: {
  object: SourceObject;
  active: boolean;
  onSelect: () => void;
}) {
  const Icon = KIND_ICONS[object.kind] ?? Table2;
  return (
    <button
      type="button"
      aria-label={object.name}
      aria-current={active ? "true" : undefined}
      onClick={onSelect}
      className={cn(
        "flex w-full items-center gap-2 rounded-md px-2.5 py-1.5 text-left text-[13px] transition-colors",
        active ? "bg-accent-50 text-accent-900" : "text-zinc-700 hover:bg-zinc-100",
      )}
    >
      <Icon
        className={cn("size-3.5 shrink-0", active ? "text-accent-600" : "text-zinc-400")}
        aria-hidden="true"
      />
      <span className="min-w-0 flex-1 truncate font-mono text-[12.5px]">{shortName(object)}</span>
      {object.row_count !== null && (
        <span className="shrink-0 text-[11px] text-zinc-400 tabular-nums">
          {formatCount(object.row_count)}
        </span>
      )}
    </button>
  );
}

function ObjectDetail({ object }: { object: SourceObject }) {
  const navigate = useNavigate();
  const { type } = useSourcePage();
  // Until the type is known, offer the preview; the Preview tab explains if it can't run.
  const previewable = !type || specForObject(object, type.spec_kinds) !== null;
  const Icon = KIND_ICONS[object.kind] ?? Table2;
  return (
    <section aria-label={`${object.name} details`} className="flex h-full flex-col">
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200/80 px-5 py-4">
        <div className="flex min-w-0 items-start gap-3">
          <span className="mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-lg bg-zinc-100 text-zinc-500">
            <Icon className="size-4" aria-hidden="true" />
          </span>
          <div className="min-w-0">
            <h2 className="truncate font-mono text-sm font-semibold text-zinc-900">
              {object.name}
            </h2>
            <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500">
              <Badge className="capitalize">{object.kind}</Badge>
              {object.row_count !== null && (
                <span title="As the source reports it; may be an estimate">
                  {object.row_count.toLocaleString("en")} rows
                </span>
              )}
              {object.size_bytes !== null && <span>{formatBytes(object.size_bytes)}</span>}
              {object.columns && (
                <span>
                  {object.columns.length} column{object.columns.length === 1 ? "" : "s"}
                </span>
              )}
            </p>
          </div>
        </div>
        <Button
          variant="primary"
          disabled={!previewable}
          title={previewable ? undefined : `This source type can't preview a ${object.kind}`}
          onClick={() => navigate(`../preview?object=${encodeURIComponent(object.name)}`)}
          icon={<Play className="size-3.5" aria-hidden="true" />}
        >
          Preview
        </Button>
      </header>
      {object.columns ? (
        <div className="overflow-x-auto">
          <table aria-label={`Columns of ${object.name}`} className="w-full text-sm">
            <thead>
              <tr className="border-b border-zinc-200/80 bg-zinc-50/60 text-left text-xs font-medium text-zinc-500">
                <th scope="col" className="h-9 w-10 pl-5 font-medium">
                  #
                </th>
                <th scope="col" className="px-3 font-medium">
                  Column
                </th>
                <th scope="col" className="px-3 font-medium">
                  Type
                </th>
                <th scope="col" className="px-3 font-medium">
                  In the source
                </th>
                <th scope="col" className="pr-5 pl-3 font-medium">
                  Nullable
                </th>
              </tr>
            </thead>
            <tbody>
              {object.columns.map((c, i) => (
                <tr key={c.name} className="border-b border-zinc-100 last:border-b-0">
                  <td className="h-10 pl-5 text-xs text-zinc-400 tabular-nums">{i + 1}</td>
                  <td className="px-3 font-mono text-[13px] font-medium text-zinc-900">{c.name}</td>
                  <td className="px-3">
                    <code className="rounded bg-accent-50 px-1.5 py-0.5 font-mono text-xs text-accent-700">
                      {c.data_type}
                    </code>
                  </td>
                  <td className="px-3 font-mono text-xs text-zinc-500">{c.source_type ?? "—"}</td>
                  <td className="pr-5 pl-3 text-xs text-zinc-500">{c.nullable ? "Yes" : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState
          icon={Icon}
          title="Columns are read on preview"
          description={`The source doesn't describe this ${object.kind} up front. Preview it to see its columns and their types.`}
        />
      )}
    </section>
  );
}

function ObjectsSkeleton() {
  return (
    <div
      aria-busy="true"
      className="grid min-h-[28rem] grid-cols-1 rounded-xl bg-white shadow-card md:grid-cols-[18rem_1fr]"
    >
      <span className="sr-only" role="status">
        Asking the source what it holds…
      </span>
      <div className="space-y-2.5 border-r border-zinc-200/80 p-4">
        {Array.from({ length: 8 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
          <Skeleton key={i} className={cn("h-4", i % 3 ? "w-40" : "w-28")} />
        ))}
      </div>
      <div className="space-y-3 p-5">
        <Skeleton className="h-5 w-48" />
        <Skeleton className="h-3 w-32" />
        <Skeleton className="mt-6 h-4 w-full" />
        <Skeleton className="h-4 w-full" />
        <Skeleton className="h-4 w-3/4" />
      </div>
    </div>
  );
}
