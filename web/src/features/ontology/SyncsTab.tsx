import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { Activity } from "lucide-react";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Card, Toolbar } from "@/components/ui/Card";
import { DataTable, expandColumn } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { Fact } from "@/components/ui/Fact";
import { formatDuration, formatRows } from "@/features/datasets/format";
import { RelativeTime, RunStatusBadge, useNow } from "@/features/datasets/visuals";
import { cn } from "@/lib/cn";
import { formatDateTime } from "@/lib/time";
import { SYNC_TRIGGERS } from "./format";
import { useMappingPage } from "./MappingPage";
import { isActive, type SyncRun } from "./types";

const col = createColumnHelper<SyncRun>();

function Elapsed({ run }: { run: SyncRun }) {
  const now = useNow(isActive(run));
  if (run.duration_ms !== null) return <>{formatDuration(run.duration_ms)}</>;
  const from = run.started_at ?? run.created_at;
  const end = run.finished_at ? new Date(run.finished_at).getTime() : now;
  return <>{formatDuration(Math.max(0, end - new Date(from).getTime()))}</>;
}

function Versions({ run }: { run: SyncRun }) {
  if (run.dataset_version_to === null) return <span className="text-zinc-400">—</span>;
  return (
    <span className="font-mono text-xs whitespace-nowrap text-zinc-600">
      {run.dataset_version_from === null ? "start" : `v${run.dataset_version_from}`}
      <span className="text-zinc-400" aria-hidden="true">
        {" → "}
      </span>
      <span className="sr-only"> to </span>
      <span className="text-zinc-900">v{run.dataset_version_to}</span>
    </span>
  );
}

function useColumns(mappingId: string) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<SyncRun, any>[]>(
    () => [
      expandColumn<SyncRun>((r) => `Details of sync #${r.seq}`, "w-8 !pr-0"),
      col.accessor("seq", {
        header: "Sync",
        sortDescFirst: true,
        cell: (c) => <span className="font-mono text-xs text-zinc-500">#{c.getValue()}</span>,
      }),
      col.accessor("status", {
        header: "Status",
        cell: ({ row }) => (
          <RunStatusBadge status={row.original.status} error={row.original.error} />
        ),
      }),
      col.accessor((r) => SYNC_TRIGGERS[r.trigger] ?? r.trigger, {
        id: "trigger",
        header: "Trigger",
        cell: (c) => <span className="text-zinc-600">{c.getValue()}</span>,
      }),
      col.display({
        id: "versions",
        header: "Dataset versions",
        cell: ({ row }) => <Versions run={row.original} />,
      }),
      col.accessor("processed", {
        header: "Processed",
        meta: { className: "text-right" },
        cell: (c) => <span className="tabular-nums">{formatRows(c.getValue())}</span>,
      }),
      col.accessor("succeeded", {
        header: "Written",
        meta: { className: "text-right" },
        cell: (c) => (
          <span className="text-emerald-700 tabular-nums">{formatRows(c.getValue())}</span>
        ),
      }),
      col.accessor("failed", {
        header: "Rejected",
        meta: { className: "text-right" },
        cell: ({ row }) =>
          row.original.failed > 0 ? (
            <Link
              to={`/ontology/mappings/${mappingId}/rejected?sync=${row.original.id}`}
              className="text-amber-700 tabular-nums hover:underline"
              title="See the rejected records"
            >
              {formatRows(row.original.failed)}
            </Link>
          ) : (
            <span className="text-zinc-400 tabular-nums">0</span>
          ),
      }),
      col.accessor((r) => r.duration_ms ?? -1, {
        id: "duration",
        header: "Duration",
        meta: { className: "text-right" },
        cell: ({ row }) => (
          <span className="whitespace-nowrap tabular-nums">
            <Elapsed run={row.original} />
          </span>
        ),
      }),
      col.accessor("created_at", {
        header: "When",
        sortDescFirst: true,
        cell: (c) => <RelativeTime iso={c.getValue()} className="text-zinc-600" />,
      }),
    ],
    [mappingId],
  );
}

function SyncDetails({ run }: { run: SyncRun }) {
  return (
    <div className="flex flex-col gap-3">
      {run.error && (
        <pre className="max-h-48 overflow-auto rounded-md bg-red-50 p-3 font-mono text-xs whitespace-pre-wrap text-red-900 ring-1 ring-red-200 ring-inset">
          {run.error}
        </pre>
      )}
      <dl className="grid grid-cols-2 gap-x-8 gap-y-3 text-sm md:grid-cols-4">
        <Fact label="Triggered by">{run.triggered_by}</Fact>
        <Fact label="Started">{run.started_at ? formatDateTime(run.started_at) : "Not yet"}</Fact>
        <Fact label="Finished">{run.finished_at ? formatDateTime(run.finished_at) : "—"}</Fact>
        <Fact label="Objects table version">
          {run.lake_version === null ? "—" : <span className="font-mono">v{run.lake_version}</span>}
        </Fact>
        <Fact label="Sync id">
          <code className="font-mono text-xs">{run.id}</code>
        </Fact>
      </dl>
    </div>
  );
}

/** Syncs: the history, polled every second while one is queued or running. */
export function SyncsTab() {
  const { mapping, syncs } = useMappingPage();
  const [params] = useSearchParams();
  const picked = params.get("sync");
  const columns = useColumns(mapping.id);
  const total = syncs.data?.total ?? 0;
  return (
    <Card>
      {syncs.isError ? (
        <QueryErrorPanel error={syncs.error} area="syncs" onRetry={() => syncs.refetch()} />
      ) : (
        <>
          {total > 0 && (
            <Toolbar>
              <span className="text-xs text-zinc-500 tabular-nums">
                {total} sync{total === 1 ? "" : "s"}
                {mapping.synced_dataset_version !== null &&
                  ` · objects up to date with dataset version ${mapping.synced_dataset_version}`}
              </span>
            </Toolbar>
          )}
          <DataTable
            label="Syncs"
            columns={columns}
            data={syncs.data?.items}
            isLoading={syncs.isPending}
            getRowId={(r) => r.id}
            initialSorting={[{ id: "seq", desc: true }]}
            renderExpanded={(r) => <SyncDetails run={r} />}
            rowClassName={(r) =>
              cn(
                r.status === "failed" && "bg-red-50/30",
                isActive(r) && "bg-sky-50/40",
                r.id === picked && "bg-accent-50/60",
              ) || undefined
            }
            empty={
              <EmptyState
                icon={Activity}
                title="Not synced yet"
                description="A sync reads the dataset's rows (only what changed since the last one) and writes them as objects. Press Sync now."
              />
            }
          />
        </>
      )}
    </Card>
  );
}
