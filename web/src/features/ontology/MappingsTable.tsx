import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { ArrowRight, RefreshCw } from "lucide-react";
import { type ReactNode, useMemo } from "react";
import { Link } from "react-router";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/Button";
import { DataTable, NameCell } from "@/components/ui/DataTable";
import { useToast } from "@/components/ui/Toast";
import { RelativeTime, RunStatusBadge, ScheduleLabel } from "@/features/datasets/visuals";
import { ON_CONFLICT, plural, SYNC_MODES } from "./format";
import { useCanWriteOntology, useStartSync } from "./queries";
import { isActive, type Mapping, type SyncRun } from "./types";

const col = createColumnHelper<Mapping>();

/** "Aircraft inventory → Aircraft", each a link. */
export function MappingRoute({ mapping }: { mapping: Mapping }) {
  return (
    <span className="inline-flex min-w-0 items-center gap-1.5 whitespace-nowrap">
      <Link
        to={`/datasets/${mapping.dataset_id}`}
        className="text-zinc-800 hover:text-accent-700 hover:underline"
      >
        {mapping.dataset_name}
      </Link>
      <ArrowRight className="size-3.5 shrink-0 text-zinc-400" aria-hidden="true" />
      <span className="sr-only">to</span>
      <Link
        to={`/ontology/types/${mapping.object_type_id}`}
        className="font-medium text-zinc-800 hover:text-accent-700 hover:underline"
      >
        {mapping.object_type_name}
      </Link>
    </span>
  );
}

/** Status, when, and what it wrote: "12 written · 1 rejected". */
export function LastSync({ run }: { run: SyncRun | null }) {
  if (!run) return <span className="text-zinc-400">Never synced</span>;
  const at = run.finished_at ?? run.started_at ?? run.created_at;
  return (
    <div className="flex flex-col items-start gap-0.5">
      <RunStatusBadge status={run.status} error={run.error} />
      <span className="text-xs whitespace-nowrap text-zinc-500">
        <RelativeTime iso={at} />
        {run.status === "succeeded" && (
          <span className="tabular-nums">
            {" · "}
            {plural(run.succeeded, "written", "written")}
            {run.failed > 0 && <span className="text-amber-700"> · {run.failed} rejected</span>}
          </span>
        )}
      </span>
    </div>
  );
}

export function SyncButton({
  mapping,
  size = "sm",
  onStarted,
}: {
  mapping: Mapping;
  size?: "sm" | "md";
  onStarted?: (run: SyncRun) => void;
}) {
  const start = useStartSync();
  const toast = useToast();
  const running = isActive(mapping.last_sync);
  return (
    <Button
      size={size}
      variant={size === "md" ? "primary" : "secondary"}
      loading={start.isPending}
      disabled={running}
      title={running ? "A sync is in progress" : `Sync ${mapping.name} now`}
      aria-label={size === "sm" ? `Sync ${mapping.name} now` : undefined}
      icon={<RefreshCw className="size-3.5" aria-hidden="true" />}
      onClick={() =>
        start.mutate(mapping.id, {
          onSuccess: (run) => {
            toast.success(`Sync #${run.seq} of ${mapping.name} queued`);
            onStarted?.(run);
          },
          onError: (e) => toast.error("Couldn't start a sync", errorMessage(e)),
        })
      }
    >
      {size === "md" ? "Sync now" : "Sync"}
    </Button>
  );
}

function useColumns(canWrite: boolean) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<Mapping, any>[]>(
    () => [
      col.accessor("name", {
        header: "Name",
        cell: ({ row }) => (
          <NameCell
            to={`/ontology/mappings/${row.original.id}`}
            name={row.original.name}
            description={row.original.description}
          />
        ),
      }),
      col.accessor((m) => `${m.dataset_name} ${m.object_type_name}`, {
        id: "route",
        header: "Dataset → object type",
        cell: ({ row }) => <MappingRoute mapping={row.original} />,
      }),
      col.accessor((m) => SYNC_MODES[m.sync_mode].label, {
        id: "mode",
        header: "Mode",
        cell: ({ row }) => (
          <span className="text-[13px] whitespace-nowrap text-zinc-700">
            {SYNC_MODES[row.original.sync_mode].label}
            {row.original.sync_mode === "upsert" && (
              <span className="text-zinc-400">
                {" · "}
                {ON_CONFLICT[row.original.on_conflict].label.toLowerCase()}
              </span>
            )}
          </span>
        ),
      }),
      col.accessor((m) => m.schedule?.cron ?? "Manual", {
        id: "schedule",
        header: "Schedule",
        cell: ({ row }) => (
          <ScheduleLabel schedule={row.original.schedule} className="text-[13px]" />
        ),
      }),
      col.accessor((m) => m.last_sync?.created_at ?? "", {
        id: "last_sync",
        header: "Last sync",
        sortDescFirst: true,
        enableGlobalFilter: false,
        cell: ({ row }) => <LastSync run={row.original.last_sync} />,
      }),
      ...(canWrite
        ? [
            col.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              meta: { className: "w-20 text-right" },
              cell: ({ row }) =>
                row.original.editable ? <SyncButton mapping={row.original} /> : null,
            }),
          ]
        : []),
    ],
    [canWrite],
  );
}

/** Mappings with their route, mode, schedule, last sync and a Sync button. */
export function MappingsTable({
  mappings,
  isLoading,
  filter,
  empty,
  noMatches,
}: {
  mappings: Mapping[] | undefined;
  isLoading: boolean;
  filter?: string;
  empty: ReactNode;
  noMatches?: ReactNode;
}) {
  const canWrite = useCanWriteOntology();
  const columns = useColumns(canWrite);
  return (
    <DataTable
      label="Mappings"
      columns={columns}
      data={mappings}
      isLoading={isLoading}
      getRowId={(m) => m.id}
      globalFilter={filter}
      initialSorting={[{ id: "name", desc: false }]}
      empty={empty}
      noMatches={noMatches}
    />
  );
}
