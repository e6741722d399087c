import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { Plug, Plus } from "lucide-react";
import { useMemo } from "react";
import { Link } from "react-router";
import { buttonClasses } from "@/components/ui/Button";
import { NameCell } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { ListPage } from "@/components/ui/ListPage";
import { Avatar } from "@/features/auth/badges";
import { formatDateTime, formatRelative } from "@/lib/time";
import { sourcesQuery, useCanCreateSources, useRowsWithTypes } from "./queries";
import type { ConnectorType, Source } from "./types";
import { formatLatency, StatusBadge, TypeIcon, typeTitle } from "./visuals";

const col = createColumnHelper<Source>();

function NewSourceLink({ size = "md" }: { size?: "md" | "lg" }) {
  return (
    <Link to="/sources/new" className={buttonClasses("primary", size)}>
      <Plus className="size-4" aria-hidden="true" />
      New source
    </Link>
  );
}

function useColumns(types: ConnectorType[] | undefined) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<Source, any>[]>(
    () => [
      col.accessor("name", {
        header: "Name",
        cell: ({ row }) => (
          <NameCell
            to={`/sources/${row.original.id}`}
            name={row.original.name}
            description={row.original.description}
            wide
          />
        ),
      }),
      col.accessor((s) => typeTitle(s.type, types), {
        id: "type",
        header: "Type",
        cell: ({ row }) => {
          const category = types?.find((t) => t.type === row.original.type)?.category;
          return (
            <span className="inline-flex items-center gap-2 whitespace-nowrap">
              <TypeIcon type={row.original.type} category={category} size="sm" />
              {typeTitle(row.original.type, types)}
            </span>
          );
        },
      }),
      col.accessor("status", {
        header: "Status",
        cell: ({ row }) => (
          <StatusBadge status={row.original.status} error={row.original.last_error} />
        ),
      }),
      col.accessor((s) => s.last_tested_at ?? "", {
        id: "last_tested",
        header: "Last tested",
        sortDescFirst: true,
        enableGlobalFilter: false,
        cell: ({ row }) =>
          row.original.last_tested_at ? (
            <time
              dateTime={row.original.last_tested_at}
              title={formatDateTime(row.original.last_tested_at)}
              className="whitespace-nowrap"
            >
              {formatRelative(row.original.last_tested_at)}
            </time>
          ) : (
            <span className="text-zinc-400">Never</span>
          ),
      }),
      col.accessor((s) => s.last_latency_ms ?? -1, {
        id: "latency",
        header: "Latency",
        enableGlobalFilter: false,
        meta: { className: "text-right" },
        cell: ({ row }) => (
          <span className="whitespace-nowrap text-zinc-600 tabular-nums">
            {formatLatency(row.original.last_latency_ms)}
          </span>
        ),
      }),
      col.accessor((s) => s.owner.display_name, {
        id: "owner",
        header: "Owner",
        cell: ({ row }) => (
          <span className="inline-flex items-center gap-2 whitespace-nowrap">
            <Avatar name={row.original.owner.display_name} className="size-6 text-[10px]" />
            {row.original.owner.display_name}
          </span>
        ),
      }),
    ],
    [types],
  );
}

/** /sources: every source this user may use, and the way to add one. */
export function SourcesListPage() {
  const canCreate = useCanCreateSources();
  const sources = useQuery(sourcesQuery);
  const { types, rows } = useRowsWithTypes(sources.data?.items);
  const columns = useColumns(types);
  return (
    <ListPage
      title="Sources"
      description="The systems your data lives in: databases, files, buckets and APIs. Test a connection, browse what it holds and preview rows before building anything on it."
      newButton={canCreate ? <NewSourceLink /> : undefined}
      noun="source"
      query={sources}
      rows={rows}
      columns={columns}
      getRowId={(s) => s.id}
      initialSorting={[{ id: "name", desc: false }]}
      empty={
        canCreate ? (
          <EmptyState
            icon={Plug}
            title="Connect your first source"
            description="Register a database, a folder of files, a bucket or an API. dataops tests the connection before you save it and keeps credentials encrypted."
            action={<NewSourceLink />}
          />
        ) : (
          <EmptyState
            icon={Plug}
            title="No sources shared with you yet"
            description="Sources appear here when an engineer shares one with you or your role. Ask the owner of the data you need."
          />
        )
      }
      noMatches={<EmptyState icon={Plug} title="No sources match the filter" />}
    />
  );
}
