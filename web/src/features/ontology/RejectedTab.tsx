import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { ChevronLeft, ChevronRight, ShieldCheck } from "lucide-react";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Button } from "@/components/ui/Button";
import { Card, Toolbar } from "@/components/ui/Card";
import { DataTable, expandColumn } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { Select } from "@/components/ui/Select";
import { Spinner } from "@/components/ui/Spinner";
import { useMappingPage } from "./MappingPage";
import { REJECTED_PAGE, rejectedQuery } from "./queries";
import type { RejectedRecord } from "./types";

const col = createColumnHelper<RejectedRecord>();

function useColumns(seqOf: Map<string, number>) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<RejectedRecord, any>[]>(
    () => [
      expandColumn<RejectedRecord>((r) => `Source of row ${r.row ?? "?"}`, "w-8 !pr-0"),
      col.accessor((r) => seqOf.get(r.sync_id) ?? 0, {
        id: "sync",
        header: "Sync",
        cell: ({ row }) => (
          <span className="font-mono text-xs text-zinc-500">
            {seqOf.has(row.original.sync_id) ? `#${seqOf.get(row.original.sync_id)}` : "—"}
          </span>
        ),
      }),
      col.accessor((r) => r.row ?? -1, {
        id: "row",
        header: "Row",
        meta: { className: "w-20 text-right" },
        cell: ({ row }) => <span className="tabular-nums">{row.original.row ?? "—"}</span>,
      }),
      col.accessor("reason", {
        header: "Reason",
        cell: (c) => <span className="text-red-700">{c.getValue()}</span>,
      }),
      col.accessor((r) => JSON.stringify(r.source), {
        id: "source",
        header: "Source row",
        cell: (c) => (
          <code className="block max-w-md truncate font-mono text-xs text-zinc-500">
            {c.getValue()}
          </code>
        ),
      }),
    ],
    [seqOf],
  );
}

/** Rejected records: why each row didn't become an object, with the source row; by sync. */
export function RejectedTab() {
  const { mapping, syncs } = useMappingPage();
  const [params, setParams] = useSearchParams();
  const syncId = params.get("sync");
  const offset = Number(params.get("offset") ?? 0) || 0;
  const rejected = useQuery(rejectedQuery(mapping.id, syncId, offset));
  const seqOf = useMemo(() => new Map(syncs.data?.items.map((s) => [s.id, s.seq])), [syncs.data]);
  const columns = useColumns(seqOf);
  const total = rejected.data?.total ?? 0;
  const withRejects = syncs.data?.items.filter((s) => s.failed > 0) ?? [];

  function go(next: { sync?: string | null; offset?: number }) {
    const out = new URLSearchParams();
    const s = next.sync === undefined ? syncId : next.sync;
    if (s) out.set("sync", s);
    if (next.offset) out.set("offset", String(next.offset));
    setParams(out, { replace: true });
  }

  return (
    <Card>
      <Toolbar>
        <label htmlFor="rejected-sync" className="text-[13px] font-medium text-zinc-800">
          Sync
        </label>
        <Select
          id="rejected-sync"
          selectSize="sm"
          value={syncId ?? ""}
          onChange={(e) => go({ sync: e.target.value || null, offset: 0 })}
          className="w-64"
        >
          <option value="">Every sync</option>
          {syncId && !withRejects.some((s) => s.id === syncId) && (
            <option value={syncId}>{seqOf.has(syncId) ? `#${seqOf.get(syncId)}` : syncId}</option>
          )}
          {withRejects.map((s) => (
            <option key={s.id} value={s.id}>
              #{s.seq} · {s.failed} rejected
            </option>
          ))}
        </Select>
        <div className="ml-auto flex items-center gap-2 text-xs text-zinc-500 tabular-nums">
          {rejected.isFetching && <Spinner className="size-3.5" />}
          {total > 0 && (
            <span>
              {offset + 1}–{Math.min(offset + REJECTED_PAGE, total)} of {total.toLocaleString("en")}{" "}
              rejected
            </span>
          )}
          <Button
            size="icon-sm"
            variant="ghost"
            aria-label="Previous page"
            disabled={offset === 0}
            onClick={() => go({ offset: Math.max(0, offset - REJECTED_PAGE) })}
          >
            <ChevronLeft className="size-4" aria-hidden="true" />
          </Button>
          <Button
            size="icon-sm"
            variant="ghost"
            aria-label="Next page"
            disabled={offset + REJECTED_PAGE >= total}
            onClick={() => go({ offset: offset + REJECTED_PAGE })}
          >
            <ChevronRight className="size-4" aria-hidden="true" />
          </Button>
        </div>
      </Toolbar>
      {rejected.isError ? (
        <QueryErrorPanel
          error={rejected.error}
          area="rejected records"
          onRetry={() => rejected.refetch()}
        />
      ) : (
        <DataTable
          label="Rejected records"
          columns={columns}
          data={rejected.data?.items}
          isLoading={rejected.isPending}
          getRowId={(r) => `${r.sync_id}:${r.row}:${r.reason}`}
          renderExpanded={(r) => (
            <pre className="max-h-72 overflow-auto rounded-md bg-white p-3 font-mono text-xs text-zinc-800 ring-1 ring-zinc-200 ring-inset">
              {JSON.stringify(r.source, null, 2)}
            </pre>
          )}
          empty={
            <EmptyState
              icon={ShieldCheck}
              title={syncId ? "This sync rejected nothing" : "Nothing rejected"}
              description="Rows a sync can't turn into objects — a required value missing, a value that doesn't fit its kind — are kept here with the reason."
            />
          }
        />
      )}
    </Card>
  );
}
