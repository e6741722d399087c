import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { Database, Plug, Plus } from "lucide-react";
import { useMemo } from "react";
import { Link, useNavigate } from "react-router";
import { Button, buttonClasses } from "@/components/ui/Button";
import { NameCell } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { ListPage } from "@/components/ui/ListPage";
import { useCan } from "@/features/auth/queries";
import { sourcesQuery, useRowsWithTypes } from "@/features/sources/queries";
import type { ConnectorType } from "@/features/sources/types";
import { typeTitle } from "@/features/sources/visuals";
import { describeCron, formatRows, MODES, rowCount } from "./format";
import { datasetsQuery, useCanWriteDatasets } from "./queries";
import type { Dataset } from "./types";
import { ModeBadge, RelativeTime, RunStatusBadge, ScheduleLabel, SourceLink } from "./visuals";

const col = createColumnHelper<Dataset>();

function NewDatasetButton() {
  const navigate = useNavigate();
  return (
    <Button
      variant="primary"
      onClick={() => navigate("/datasets/new")}
      icon={<Plus className="size-4" aria-hidden="true" />}
    >
      New dataset
    </Button>
  );
}

function useColumns(types: ConnectorType[] | undefined) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<Dataset, any>[]>(
    () => [
      col.accessor("name", {
        header: "Name",
        cell: ({ row }) => (
          <NameCell
            to={`/datasets/${row.original.id}`}
            name={row.original.name}
            description={row.original.description}
          />
        ),
      }),
      col.accessor((d) => `${d.source.name} ${typeTitle(d.source.type, types)}`, {
        id: "source",
        header: "Source",
        cell: ({ row }) => <SourceLink dataset={row.original} types={types} />,
      }),
      col.accessor((d) => MODES[d.mode].short, {
        id: "mode",
        header: "Mode",
        cell: ({ row }) => <ModeBadge mode={row.original.mode} />,
      }),
      col.accessor(
        (d) =>
          d.schedule ? `${describeCron(d.schedule.cron) ?? ""} ${d.schedule.cron}` : "Manual",
        {
          id: "schedule",
          header: "Schedule",
          cell: ({ row }) => (
            <ScheduleLabel schedule={row.original.schedule} className="text-[13px]" />
          ),
        },
      ),
      col.accessor((d) => d.last_run?.created_at ?? "", {
        id: "last_run",
        header: "Last run",
        sortDescFirst: true,
        enableGlobalFilter: false,
        cell: ({ row }) => {
          const run = row.original.last_run;
          if (!run) return <span className="text-zinc-400">Never</span>;
          const at = run.finished_at ?? run.started_at ?? run.created_at;
          return (
            <div className="flex flex-col items-start gap-0.5">
              <RunStatusBadge status={run.status} error={run.error} />
              <span className="text-xs whitespace-nowrap text-zinc-500">
                <RelativeTime iso={at} />
                {run.rows > 0 || run.status === "succeeded" ? (
                  <span className="tabular-nums"> · {rowCount(run.rows)}</span>
                ) : null}
              </span>
            </div>
          );
        },
      }),
      col.accessor((d) => d.row_count ?? -1, {
        id: "rows",
        header: "Rows in lake",
        enableGlobalFilter: false,
        sortDescFirst: true,
        meta: { className: "text-right" },
        cell: ({ row }) => (
          <span className="whitespace-nowrap text-zinc-700 tabular-nums">
            {row.original.row_count === null ? (
              <span className="text-zinc-400">—</span>
            ) : (
              formatRows(row.original.row_count)
            )}
          </span>
        ),
      }),
      col.accessor((d) => d.next_run_at ?? "", {
        id: "next_run",
        header: "Next run",
        enableGlobalFilter: false,
        cell: ({ row }) =>
          row.original.next_run_at && row.original.schedule?.enabled ? (
            <RelativeTime iso={row.original.next_run_at} className="text-zinc-600" />
          ) : (
            <span className="text-zinc-400">—</span>
          ),
      }),
    ],
    [types],
  );
}

/** /datasets: everything extracted from the sources this user may use. */
export function DatasetsListPage() {
  const canCreate = useCanWriteDatasets();
  const datasets = useQuery(datasetsQuery);
  const { types, rows } = useRowsWithTypes(datasets.data?.items);
  const columns = useColumns(types);
  return (
    <ListPage
      title="Datasets"
      description="Tables extracted from your sources into the versioned lake: full or incremental, on a schedule or on demand, with every version kept for time travel."
      newButton={canCreate ? <NewDatasetButton /> : undefined}
      noun="dataset"
      query={datasets}
      rows={rows}
      columns={columns}
      getRowId={(d) => d.id}
      initialSorting={[{ id: "name", desc: false }]}
      empty={<NoDatasets canCreate={canCreate} />}
      noMatches={<EmptyState icon={Database} title="No datasets match the filter" />}
    />
  );
}

function NoDatasets({ canCreate }: { canCreate: boolean }) {
  const sources = useQuery({ ...sourcesQuery, enabled: canCreate });
  const canAddSources = useCan("sources:write");
  if (!canCreate) {
    return (
      <EmptyState
        icon={Database}
        title="No datasets shared with you yet"
        description="Datasets appear here when you may use the source they are extracted from. Ask the owner of the data you need."
      />
    );
  }
  if (sources.data && sources.data.items.length === 0) {
    return (
      <EmptyState
        icon={Plug}
        title="Connect a source first"
        description="A dataset is extracted from a source: a database, a folder of files, a bucket or an API. Add one, then come back to extract from it."
        action={
          <Link
            to={canAddSources ? "/sources/new" : "/sources"}
            className={buttonClasses("primary")}
          >
            {canAddSources ? "New source" : "Go to Sources"}
          </Link>
        }
      />
    );
  }
  return (
    <EmptyState
      icon={Database}
      title="Create your first dataset"
      description="Pick a source and what to read from it, preview the rows, then choose a full refresh or incremental loads, on a schedule or on demand."
      action={<NewDatasetButton />}
    />
  );
}
