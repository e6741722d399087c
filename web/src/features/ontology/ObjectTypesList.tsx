import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { Boxes, Plus } from "lucide-react";
import { useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { DataTable, NameCell } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { FilterToolbar } from "@/components/ui/ListPage";
import { formatRows } from "@/features/datasets/format";
import { RelativeTime } from "@/features/datasets/visuals";
import { objectTypesQuery, useCanWriteOntology } from "./queries";
import type { ObjectType } from "./types";
import { ClassificationBadge } from "./visuals";

const col = createColumnHelper<ObjectType>();

export function NewObjectTypeButton() {
  const navigate = useNavigate();
  return (
    <Button
      variant="primary"
      onClick={() => navigate("/ontology/types/new")}
      icon={<Plus className="size-4" aria-hidden="true" />}
    >
      New object type
    </Button>
  );
}

function useColumns() {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<ObjectType, any>[]>(
    () => [
      col.accessor((t) => `${t.display_name} ${t.name}`, {
        id: "name",
        header: "Name",
        cell: ({ row }) => (
          <NameCell
            to={`/ontology/types/${row.original.id}`}
            name={row.original.display_name || row.original.name}
            description={row.original.description}
          />
        ),
      }),
      col.accessor("name", {
        id: "api_name",
        header: "API name",
        cell: (c) => <code className="font-mono text-xs text-zinc-600">{c.getValue()}</code>,
      }),
      col.accessor("key_property", {
        header: "Key",
        cell: (c) => <code className="font-mono text-xs text-zinc-800">{c.getValue()}</code>,
      }),
      col.accessor((t) => t.properties.length, {
        id: "properties",
        header: "Properties",
        enableGlobalFilter: false,
        meta: { className: "text-right" },
        cell: (c) => <span className="tabular-nums">{c.getValue()}</span>,
      }),
      col.accessor("version", {
        header: "Version",
        enableGlobalFilter: false,
        cell: (c) => <span className="font-mono text-xs">v{c.getValue()}</span>,
      }),
      col.accessor("classification", {
        header: "Classification",
        cell: (c) => <ClassificationBadge value={c.getValue()} />,
      }),
      col.accessor((t) => t.object_count ?? -1, {
        id: "objects",
        header: "Objects",
        sortDescFirst: true,
        enableGlobalFilter: false,
        meta: { className: "text-right" },
        cell: ({ row }) =>
          row.original.object_count === null ? (
            <span className="text-zinc-400" title="Not synced yet">
              —
            </span>
          ) : (
            <span className="tabular-nums">{formatRows(row.original.object_count)}</span>
          ),
      }),
      col.accessor("updated_at", {
        header: "Updated",
        sortDescFirst: true,
        enableGlobalFilter: false,
        cell: (c) => <RelativeTime iso={c.getValue()} className="text-zinc-600" />,
      }),
    ],
    [],
  );
}

/** The Object types tab of /ontology. */
export function ObjectTypesList() {
  const canWrite = useCanWriteOntology();
  const types = useQuery(objectTypesQuery);
  const columns = useColumns();
  const [filter, setFilter] = useState("");
  const count = types.data?.items.length ?? 0;
  return (
    <Card>
      {types.isError ? (
        <QueryErrorPanel error={types.error} area="object types" onRetry={() => types.refetch()} />
      ) : (
        <>
          {(count > 0 || types.isPending) && (
            <FilterToolbar
              noun="object type"
              value={filter}
              onChange={setFilter}
              count={types.data ? count : undefined}
            >
              {canWrite && count > 0 && (
                <div className="ml-auto">
                  <NewObjectTypeButton />
                </div>
              )}
            </FilterToolbar>
          )}
          <DataTable
            label="Object types"
            columns={columns}
            data={types.data?.items}
            isLoading={types.isPending}
            getRowId={(t) => t.id}
            globalFilter={filter}
            initialSorting={[{ id: "name", desc: false }]}
            empty={
              <EmptyState
                icon={Boxes}
                title={canWrite ? "Define your first object type" : "No object types yet"}
                description={
                  canWrite
                    ? "An object type is a kind of thing — Aircraft, Unit, Contract — with a key and typed properties. Define one, then map a dataset onto it."
                    : "Object types appear here once an engineer or steward defines them (and their classification is within your clearance)."
                }
                action={canWrite ? <NewObjectTypeButton /> : undefined}
              />
            }
            noMatches={<EmptyState icon={Boxes} title="No object types match the filter" />}
          />
        </>
      )}
    </Card>
  );
}
