import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { KeyRound } from "lucide-react";
import { type ReactNode, useMemo, useState } from "react";
import { errorMessage } from "@/api/errors";
import type { Token } from "@/api/types";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { DataTable } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { useToast } from "@/components/ui/Toast";
import { formatDate, formatDateTime, formatRelative } from "@/lib/time";
import { type TokenStatus, tokenStatus, useRevokeToken } from "./queries";

const col = createColumnHelper<Token>();
const STATUS_RANK: Record<TokenStatus, number> = { active: 0, expired: 1, revoked: 2 };

function When({ iso, empty = "—" }: { iso: string | null | undefined; empty?: string }) {
  if (!iso) return <span className="text-zinc-400">{empty}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="whitespace-nowrap">
      {formatRelative(iso)}
    </time>
  );
}

function StatusBadge({ token }: { token: Token }) {
  const s = tokenStatus(token);
  if (s === "revoked")
    return (
      <Badge tone="neutral" title={token.revoked_at ? formatDateTime(token.revoked_at) : undefined}>
        Revoked
      </Badge>
    );
  if (s === "expired") return <Badge tone="amber">Expired</Badge>;
  return (
    <Badge tone="green" dot>
      Active
    </Badge>
  );
}

interface TokensTableProps {
  tokens: Token[] | undefined;
  isLoading: boolean;
  /** Show whose token it is (admin view). */
  showOwner?: boolean;
  globalFilter?: string;
  empty: ReactNode;
}

/** Tokens with their status and a Revoke action (confirmed first). */
export function TokensTable({
  tokens,
  isLoading,
  showOwner,
  globalFilter,
  empty,
}: TokensTableProps) {
  const [revoking, setRevoking] = useState<Token | null>(null);
  const revoke = useRevokeToken();
  const toast = useToast();

  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  const columns = useMemo<ColumnDef<Token, any>[]>(
    () => [
      col.accessor("name", {
        header: "Name",
        cell: ({ row }) => (
          <div className="flex items-center gap-2.5">
            <span className="flex size-7 items-center justify-center rounded-md bg-zinc-100 text-zinc-500">
              <KeyRound className="size-3.5" aria-hidden="true" />
            </span>
            <span className="font-medium text-zinc-900">{row.original.name}</span>
          </div>
        ),
      }),
      ...(showOwner ? [col.accessor("username", { header: "Owner" })] : []),
      col.accessor("prefix", {
        header: "Token",
        enableSorting: false,
        cell: (c) => (
          <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-600">
            {c.getValue()}…
          </code>
        ),
      }),
      col.accessor("created_at", {
        header: "Created",
        cell: (c) => (
          <span title={formatDateTime(c.getValue())} className="whitespace-nowrap">
            {formatDate(c.getValue())}
          </span>
        ),
      }),
      col.accessor((t) => t.expires_at ?? "9999", {
        id: "expires",
        header: "Expires",
        cell: ({ row }) => <When iso={row.original.expires_at} empty="Never" />,
      }),
      col.accessor((t) => t.last_used_at ?? "", {
        id: "last_used",
        header: "Last used",
        sortDescFirst: true,
        cell: ({ row }) => <When iso={row.original.last_used_at} empty="Never" />,
      }),
      col.accessor((t) => STATUS_RANK[tokenStatus(t)], {
        id: "status",
        header: "Status",
        // Active first; newest first within a status.
        sortingFn: (a, b) =>
          STATUS_RANK[tokenStatus(a.original)] - STATUS_RANK[tokenStatus(b.original)] ||
          b.original.created_at.localeCompare(a.original.created_at),
        cell: ({ row }) => <StatusBadge token={row.original} />,
      }),
      col.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        meta: { className: "w-24 text-right" },
        cell: ({ row }) =>
          tokenStatus(row.original) === "revoked" ? null : (
            <Button
              size="sm"
              variant="danger-ghost"
              aria-label={`Revoke ${row.original.name}`}
              onClick={() => setRevoking(row.original)}
            >
              Revoke
            </Button>
          ),
      }),
    ],
    [showOwner],
  );

  return (
    <>
      <DataTable
        label="API tokens"
        columns={columns}
        data={tokens}
        isLoading={isLoading}
        getRowId={(t) => t.id}
        globalFilter={globalFilter}
        initialSorting={[{ id: "status", desc: false }]}
        rowClassName={(t) => (tokenStatus(t) === "active" ? undefined : "opacity-60")}
        empty={empty}
        noMatches={<EmptyState icon={KeyRound} title="No tokens match the filter" />}
      />
      <ConfirmDialog
        open={!!revoking}
        onClose={() => setRevoking(null)}
        title={revoking ? `Revoke “${revoking.name}”?` : "Revoke token"}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              toast.success(`Revoked “${revoking.name}”`);
              setRevoking(null);
            },
            onError: (e) => toast.error("Couldn't revoke the token", errorMessage(e)),
          })
        }
      >
        Scripts and services using this token
        {showOwner && revoking ? ` (owned by ${revoking.username})` : ""} will get “401
        Unauthorized” from now on. This can't be undone.
      </ConfirmDialog>
    </>
  );
}
