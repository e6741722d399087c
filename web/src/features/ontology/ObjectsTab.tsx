import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { ChevronLeft, ChevronRight, Rows3, SearchX } from "lucide-react";
import { type MouseEvent, useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card, Toolbar } from "@/components/ui/Card";
import { DataTable } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { SearchInput } from "@/components/ui/SearchInput";
import { Spinner } from "@/components/ui/Spinner";
import { RelativeTime } from "@/features/datasets/visuals";
import { NewMappingButton } from "./MappingsList";
import { ObjectFilters } from "./ObjectFilters";
import { useObjectTypePage } from "./ObjectTypePage";
import { OBJECTS_PAGE, objectsQuery } from "./queries";
import type { ObjectType } from "./types";
import { useDebounced } from "./useDebounced";
import { CellValue } from "./visuals";

type Row = Record<string, unknown>;
const col = createColumnHelper<Row>();
const FILTER_PREFIX = "f.";

export function objectPath(typeId: string, key: unknown): string {
  return `/ontology/types/${typeId}/objects/${encodeURIComponent(String(key))}`;
}

function useColumns(ot: ObjectType, names: string[]) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<Row, any>[]>(() => {
    const shown = [ot.key_property, ...names.filter((n) => n !== ot.key_property)];
    return [
      ...shown
        .filter((n) => !n.startsWith("_"))
        .map((name) =>
          col.accessor((r) => r[name], {
            id: name,
            header: () => <span className="font-mono">{name}</span>,
            enableSorting: false,
            cell: (c) =>
              name === ot.key_property ? (
                <Link
                  to={objectPath(ot.id, c.getValue())}
                  className="font-medium whitespace-nowrap text-zinc-900 hover:text-accent-700 hover:underline"
                >
                  {String(c.getValue())}
                </Link>
              ) : (
                <CellValue value={c.getValue()} />
              ),
          }),
        ),
      col.accessor((r) => r._synced_at, {
        id: "_synced_at",
        header: "Synced",
        enableSorting: false,
        cell: (c) =>
          typeof c.getValue() === "string" ? (
            <RelativeTime iso={c.getValue() as string} className="text-xs text-zinc-500" />
          ) : (
            <span className="text-zinc-400">—</span>
          ),
      }),
    ];
  }, [ot, names]);
}

/** Objects: search, property filters and pages (kept in the URL); a row opens its object. */
export function ObjectsTab() {
  const { objectType: ot, canWriteRole } = useObjectTypePage();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [text, setText] = useState(params.get("q") ?? "");
  const q = useDebounced(text.trim(), 300);
  const offset = Number(params.get("offset") ?? 0) || 0;
  const filters = Object.fromEntries(
    [...params.entries()]
      .filter(([k]) => k.startsWith(FILTER_PREFIX))
      .map(([k, v]) => [k.slice(FILTER_PREFIX.length), v]),
  );
  const page = useQuery(objectsQuery(ot.id, { q, filters, offset }));
  const names = useMemo(
    () => page.data?.columns ?? ot.properties.map((p) => p.name),
    [page.data?.columns, ot.properties],
  );
  const columns = useColumns(ot, names);

  function go(next: { q?: string; filters?: Record<string, string>; offset?: number }) {
    const out = new URLSearchParams();
    const query = next.q ?? q;
    if (query) out.set("q", query);
    for (const [k, v] of Object.entries(next.filters ?? filters)) out.set(FILTER_PREFIX + k, v);
    if (next.offset) out.set("offset", String(next.offset));
    setParams(out, { replace: true });
  }

  // A new search starts at the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the settled search changes
  useEffect(() => {
    if (q !== (params.get("q") ?? "")) go({ q, offset: 0 });
  }, [q]);

  /** A click anywhere on a row opens it (its key cell is the keyboard's way in). */
  function openRow(e: MouseEvent) {
    const target = e.target as HTMLElement;
    if (target.closest("a, button, input, select")) return;
    const link = target.closest("tr")?.querySelector<HTMLAnchorElement>("a[href]");
    if (link) navigate(link.getAttribute("href") ?? "");
  }

  const total = page.data?.total ?? 0;
  const filtered = !!q || Object.keys(filters).length > 0;
  return (
    <Card>
      <Toolbar>
        <SearchInput value={text} onChange={setText} label="Search objects" className="w-72" />
        <ObjectFilters
          properties={ot.properties}
          filters={filters}
          onChange={(f) => go({ filters: f, offset: 0 })}
        />
        <div className="ml-auto flex items-center gap-2 text-xs text-zinc-500 tabular-nums">
          {page.isFetching && <Spinner className="size-3.5" />}
          {page.data && total > 0 && (
            <span>
              {offset + 1}–{Math.min(offset + OBJECTS_PAGE, total)} of {total.toLocaleString("en")}
            </span>
          )}
          <Button
            size="icon-sm"
            variant="ghost"
            aria-label="Previous page"
            disabled={offset === 0}
            onClick={() => go({ offset: Math.max(0, offset - OBJECTS_PAGE) })}
          >
            <ChevronLeft className="size-4" aria-hidden="true" />
          </Button>
          <Button
            size="icon-sm"
            variant="ghost"
            aria-label="Next page"
            disabled={offset + OBJECTS_PAGE >= total}
            onClick={() => go({ offset: offset + OBJECTS_PAGE })}
          >
            <ChevronRight className="size-4" aria-hidden="true" />
          </Button>
        </div>
      </Toolbar>
      {page.isError ? (
        <div className="p-4">
          <Alert tone="error" title="Couldn't read the objects">
            {errorMessage(page.error)}
          </Alert>
        </div>
      ) : (
        // biome-ignore lint/a11y/noStaticElementInteractions: a mouse shortcut; each row's key is a link
        // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard users open a row through its key link
        <div onClick={openRow} className="[&_tbody_tr]:cursor-pointer">
          <DataTable
            label={`${ot.name} objects`}
            columns={columns}
            data={page.data?.rows}
            isLoading={page.isPending}
            getRowId={(r) => String(r[ot.key_property])}
            empty={
              filtered ? (
                <EmptyState
                  icon={SearchX}
                  title="No objects match"
                  description="Change the search or remove a filter."
                />
              ) : (
                <EmptyState
                  icon={Rows3}
                  title="No objects yet"
                  description={`Objects are written by syncing a mapping onto ${ot.name}. Create one, or sync an existing one from the Mappings tab.`}
                  action={canWriteRole ? <NewMappingButton typeId={ot.id} /> : undefined}
                />
              )
            }
          />
        </div>
      )}
    </Card>
  );
}
