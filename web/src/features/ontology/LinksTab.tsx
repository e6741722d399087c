import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { ArrowLeft, ArrowRight, Link2, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "@/api/errors";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, Toolbar } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { DataTable } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { useToast } from "@/components/ui/Toast";
import { CARDINALITIES } from "./format";
import { LinkTypeForm } from "./LinkTypeForm";
import { useObjectTypePage } from "./ObjectTypePage";
import { linkTypesQuery, useDeleteLinkType } from "./queries";
import type { LinkType } from "./types";

const col = createColumnHelper<LinkType>();

function useColumns(typeId: string, canWrite: boolean, onDelete: (l: LinkType) => void) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<LinkType, any>[]>(
    () => [
      col.accessor("name", {
        header: "Link",
        cell: ({ row }) => (
          <div>
            <code className="font-mono text-[13px] font-medium text-zinc-900">
              {row.original.name}
            </code>
            {row.original.description && (
              <p className="line-clamp-1 max-w-xs text-xs text-zinc-500">
                {row.original.description}
              </p>
            )}
          </div>
        ),
      }),
      col.accessor((l) => (l.source_type_id === typeId ? "outgoing" : "incoming"), {
        id: "direction",
        header: "Direction",
        cell: (c) =>
          c.getValue() === "outgoing" ? (
            <Badge tone="accent">
              <ArrowRight className="size-3" aria-hidden="true" />
              Outgoing
            </Badge>
          ) : (
            <Badge tone="violet">
              <ArrowLeft className="size-3" aria-hidden="true" />
              Incoming
            </Badge>
          ),
      }),
      col.accessor((l) => `${l.source_type} ${l.target_type}`, {
        id: "route",
        header: "Source → target",
        cell: ({ row: { original: l } }) => (
          <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
            <TypeLink id={l.source_type_id} name={l.source_type} here={typeId} />
            <span className="font-mono text-xs text-zinc-500">.{l.source_property}</span>
            <ArrowRight className="size-3.5 text-zinc-400" aria-hidden="true" />
            <span className="sr-only">to</span>
            <TypeLink id={l.target_type_id} name={l.target_type} here={typeId} />
          </span>
        ),
      }),
      col.accessor((l) => CARDINALITIES[l.cardinality].label, {
        id: "cardinality",
        header: "Cardinality",
        cell: ({ row }) => (
          <span title={CARDINALITIES[row.original.cardinality].description}>
            {CARDINALITIES[row.original.cardinality].label}
          </span>
        ),
      }),
      ...(canWrite
        ? [
            col.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              meta: { className: "w-12 text-right" },
              cell: ({ row }) =>
                row.original.source_type_id === typeId ? (
                  <Button
                    size="icon-sm"
                    variant="danger-ghost"
                    aria-label={`Delete link ${row.original.name}`}
                    onClick={() => onDelete(row.original)}
                  >
                    <Trash2 className="size-3.5" aria-hidden="true" />
                  </Button>
                ) : null,
            }),
          ]
        : []),
    ],
    [typeId, canWrite, onDelete],
  );
}

function TypeLink({ id, name, here }: { id: string; name: string; here: string }) {
  if (id === here) return <span className="font-medium text-zinc-900">{name}</span>;
  return (
    <Link
      to={`/ontology/types/${id}`}
      className="font-medium text-zinc-800 hover:text-accent-700 hover:underline"
    >
      {name}
    </Link>
  );
}

/** Links: link types from and to this type; its owner adds outgoing ones below. */
export function LinksTab() {
  const { objectType, canWrite } = useObjectTypePage();
  const links = useQuery(linkTypesQuery(objectType.id));
  const [deleting, setDeleting] = useState<LinkType | null>(null);
  const columns = useColumns(objectType.id, canWrite, setDeleting);
  const remove = useDeleteLinkType();
  const toast = useToast();

  return (
    <div className="flex flex-col gap-4">
      <Card>
        {links.isError ? (
          <QueryErrorPanel error={links.error} area="links" onRetry={() => links.refetch()} />
        ) : (
          <>
            {links.data && links.data.length > 0 && (
              <Toolbar>
                <span className="text-xs text-zinc-500 tabular-nums">
                  {links.data.length} link type{links.data.length === 1 ? "" : "s"}
                </span>
              </Toolbar>
            )}
            <DataTable
              label="Link types"
              columns={columns}
              data={links.data}
              isLoading={links.isPending}
              getRowId={(l) => l.id}
              initialSorting={[{ id: "name", desc: false }]}
              empty={
                <EmptyState
                  icon={Link2}
                  title="No links yet"
                  description={`A link type relates ${objectType.name} objects to objects of another type, through a property holding the other's key (e.g. operator → Operator.code).`}
                />
              }
            />
          </>
        )}
      </Card>
      {canWrite && <LinkTypeForm source={objectType} />}
      <ConfirmDialog
        open={!!deleting}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
        title={deleting ? `Delete link ${deleting.name}?` : "Delete link"}
        confirmLabel="Delete link"
        pending={remove.isPending}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => {
              toast.success(`Deleted link ${deleting.name}`);
              setDeleting(null);
            },
          })
        }
      >
        <div className="flex flex-col gap-3">
          <p>
            Objects keep the property that held the other's key; only the link between the types is
            removed.
          </p>
          {remove.error !== null && <Alert tone="error">{errorMessage(remove.error)}</Alert>}
        </div>
      </ConfirmDialog>
    </div>
  );
}
