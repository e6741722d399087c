import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { LockKeyhole, Pencil, Plus, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { errorMessage } from "@/api/errors";
import type { Secret } from "@/api/types";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { DataTable } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { FilterToolbar } from "@/components/ui/ListPage";
import { useToast } from "@/components/ui/Toast";
import { useCan } from "@/features/auth/queries";
import { formatDateTime, formatRelative } from "@/lib/time";
import { secretsQuery, useDeleteSecret } from "./queries";
import { EditSecretDialog, NewSecretDialog } from "./SecretDialogs";

const col = createColumnHelper<Secret>();

type Dialogs = { kind: "new" } | { kind: "edit" | "delete"; secret: Secret } | null;

export function SecretsTab() {
  const can = useCan("secrets:read");
  if (!can) return <ForbiddenPanel area="the secrets vault" />;
  return <SecretsTable />;
}

function SecretsTable() {
  const canWrite = useCan("secrets:write");
  const secrets = useQuery(secretsQuery);
  const remove = useDeleteSecret();
  const toast = useToast();
  const [filter, setFilter] = useState("");
  const [dialog, setDialog] = useState<Dialogs>(null);

  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  const columns = useMemo<ColumnDef<Secret, any>[]>(
    () => [
      col.accessor("name", {
        header: "Name",
        cell: ({ row }) => (
          <div className="flex items-center gap-2.5">
            <span className="flex size-7 items-center justify-center rounded-md bg-zinc-100 text-zinc-500">
              <LockKeyhole className="size-3.5" aria-hidden="true" />
            </span>
            <span className="font-mono text-[13px] font-medium text-zinc-900">
              {row.original.name}
            </span>
          </div>
        ),
      }),
      col.accessor("description", {
        header: "Description",
        enableSorting: false,
        meta: { className: "max-w-sm" },
        cell: (c) =>
          c.getValue() ? (
            <span className="line-clamp-2 text-zinc-600">{c.getValue()}</span>
          ) : (
            <span className="text-zinc-400">—</span>
          ),
      }),
      col.accessor("has_value", {
        header: "Value",
        enableSorting: false,
        cell: (c) =>
          c.getValue() ? (
            <span className="inline-flex items-center gap-2">
              <span aria-hidden="true" className="font-mono tracking-widest text-zinc-400">
                ••••••••
              </span>
              <Badge tone="green">Set</Badge>
            </span>
          ) : (
            <Badge tone="amber">Not set</Badge>
          ),
      }),
      col.accessor("updated_at", {
        header: "Updated",
        sortDescFirst: true,
        cell: ({ row }) => (
          <span className="whitespace-nowrap">
            <time
              dateTime={row.original.updated_at}
              title={formatDateTime(row.original.updated_at)}
            >
              {formatRelative(row.original.updated_at)}
            </time>
            {row.original.updated_by && (
              <span className="text-zinc-400"> by {row.original.updated_by}</span>
            )}
          </span>
        ),
      }),
      ...(canWrite
        ? [
            col.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              meta: { className: "w-24 text-right" },
              cell: ({ row }) => (
                <div className="flex justify-end gap-0.5">
                  <Button
                    size="icon-sm"
                    variant="ghost"
                    aria-label={`Edit ${row.original.name}`}
                    title="Edit"
                    onClick={() => setDialog({ kind: "edit", secret: row.original })}
                  >
                    <Pencil className="size-3.5" aria-hidden="true" />
                  </Button>
                  <Button
                    size="icon-sm"
                    variant="ghost"
                    className="hover:bg-red-50 hover:text-red-600"
                    aria-label={`Delete ${row.original.name}`}
                    title="Delete"
                    onClick={() => setDialog({ kind: "delete", secret: row.original })}
                  >
                    <Trash2 className="size-3.5" aria-hidden="true" />
                  </Button>
                </div>
              ),
            }),
          ]
        : []),
    ],
    [canWrite],
  );

  if (secrets.isError) {
    return (
      <Card>
        <QueryErrorPanel error={secrets.error} area="secrets" onRetry={() => secrets.refetch()} />
      </Card>
    );
  }

  const newButton = canWrite ? (
    <Button
      variant="primary"
      onClick={() => setDialog({ kind: "new" })}
      icon={<Plus className="size-4" aria-hidden="true" />}
    >
      New secret
    </Button>
  ) : null;

  return (
    <>
      <Card>
        <FilterToolbar
          noun="secret"
          value={filter}
          onChange={setFilter}
          count={secrets.data?.items.length}
        >
          <div className="ml-auto">{newButton}</div>
        </FilterToolbar>
        <DataTable
          label="Secrets"
          columns={columns}
          data={secrets.data?.items}
          isLoading={secrets.isPending}
          getRowId={(s) => s.id}
          globalFilter={filter}
          initialSorting={[{ id: "name", desc: false }]}
          empty={
            <EmptyState
              icon={LockKeyhole}
              title="The vault is empty"
              description="Store database passwords, API keys and access keys here. Source connectors will reference them by name; values are write-only."
            />
          }
          noMatches={<EmptyState icon={LockKeyhole} title="No secrets match the filter" />}
        />
      </Card>
      <NewSecretDialog open={dialog?.kind === "new"} onClose={() => setDialog(null)} />
      <EditSecretDialog
        secret={dialog?.kind === "edit" ? dialog.secret : null}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog?.kind === "delete"}
        onClose={() => setDialog(null)}
        title={dialog?.kind === "delete" ? `Delete ${dialog.secret.name}?` : "Delete secret"}
        confirmLabel="Delete secret"
        pending={remove.isPending}
        onConfirm={() => {
          if (dialog?.kind !== "delete") return;
          const { secret } = dialog;
          remove.mutate(secret.id, {
            onSuccess: () => {
              toast.success(`Deleted ${secret.name}`);
              setDialog(null);
            },
            onError: (e) => toast.error("Couldn't delete the secret", errorMessage(e)),
          });
        }}
      >
        Anything that uses this secret — such as a source connection — will stop working until it is
        given another one. The value can't be recovered.
      </ConfirmDialog>
    </>
  );
}
