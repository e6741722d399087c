import { useInfiniteQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { ScrollText, ShieldCheck } from "lucide-react";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { errorMessage } from "@/api/errors";
import type { AuditEntry, AuditOutcome } from "@/api/types";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Button } from "@/components/ui/Button";
import { Card, Toolbar } from "@/components/ui/Card";
import { DataTable, expandColumn } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { useToast } from "@/components/ui/Toast";
import { useCan } from "@/features/auth/queries";
import { formatDateTime, formatRelative, formatTimestamp } from "@/lib/time";
import { AuditEntryDetails } from "./AuditEntryDetails";
import { AuditFiltersBar } from "./AuditFiltersBar";
import { OutcomeBadge } from "./OutcomeBadge";
import { type AuditFilters, auditQuery, useVerifyChain } from "./queries";
import { VerifyChainResult } from "./VerifyChainResult";

const col = createColumnHelper<AuditEntry>();
const OUTCOMES = new Set(["success", "failure", "denied"]);

/** Filters live in the URL so a filtered view can be shared. */
function useAuditFilters(): [AuditFilters, (f: AuditFilters) => void] {
  const [params, setParams] = useSearchParams();
  const outcome = params.get("outcome") ?? "";
  const filters: AuditFilters = {
    action: params.get("action") ?? "",
    actor: params.get("actor") ?? "",
    outcome: OUTCOMES.has(outcome) ? (outcome as AuditOutcome) : "",
  };
  const set = (f: AuditFilters) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) next.set(k, v);
    setParams(next, { replace: true });
  };
  return [filters, set];
}

export function AuditLogPage() {
  const can = useCan("audit:read");
  const verify = useVerifyChain();
  const toast = useToast();
  return (
    <>
      <PageHeader
        eyebrow="Governance"
        title="Audit log"
        description="Every sign-in, change and denied request, in order. Entries are hash-chained, so any edit to history is detectable."
        actions={
          can ? (
            <Button
              onClick={() =>
                verify.mutate(undefined, {
                  onError: (e) => toast.error("Couldn't verify the chain", errorMessage(e)),
                })
              }
              loading={verify.isPending}
              icon={<ShieldCheck className="size-4" aria-hidden="true" />}
            >
              Verify chain
            </Button>
          ) : undefined
        }
      />
      {can && verify.data && (
        <VerifyChainResult result={verify.data} onDismiss={() => verify.reset()} />
      )}
      {can ? <AuditLog /> : <ForbiddenPanel area="the audit log" />}
    </>
  );
}

function AuditLog() {
  const [filters, setFilters] = useAuditFilters();
  const log = useInfiniteQuery(auditQuery(filters));
  const entries = useMemo(() => log.data?.pages.flatMap((p) => p.items), [log.data]);
  const filtered = !!(filters.action || filters.actor || filters.outcome);

  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  const columns = useMemo<ColumnDef<AuditEntry, any>[]>(
    () => [
      expandColumn<AuditEntry>((e) => `Details of entry ${e.seq}`, "w-10 pr-0"),
      col.accessor("seq", {
        header: "#",
        meta: { className: "w-14" },
        cell: (c) => <span className="font-mono text-xs text-zinc-400">{c.getValue()}</span>,
      }),
      col.accessor("occurred_at", {
        header: "Time",
        cell: (c) => (
          <time
            dateTime={c.getValue()}
            title={`${formatDateTime(c.getValue())} (${formatRelative(c.getValue())})`}
            className="whitespace-nowrap text-zinc-600 tabular-nums"
          >
            {formatTimestamp(c.getValue())}
          </time>
        ),
      }),
      col.accessor("actor_name", {
        header: "Actor",
        cell: (c) => <span className="font-medium text-zinc-900">{c.getValue() || "—"}</span>,
      }),
      col.accessor("action", {
        header: "Action",
        cell: (c) => (
          <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700">
            {c.getValue()}
          </code>
        ),
      }),
      col.accessor((e) => `${e.target_type ?? ""} ${e.target_id ?? ""}`, {
        id: "target",
        header: "Target",
        cell: ({ row }) => {
          const { target_type, target_id, details } = row.original;
          if (!target_type && !target_id) return <span className="text-zinc-400">—</span>;
          const label = targetLabel(details);
          return (
            <span className="inline-flex max-w-44 items-baseline gap-1.5 xl:max-w-56">
              {target_type && <span className="text-zinc-700">{target_type}</span>}
              {label ? (
                <span title={target_id ?? undefined} className="truncate font-medium text-zinc-900">
                  {label}
                </span>
              ) : (
                target_id && (
                  <span title={target_id} className="truncate font-mono text-xs text-zinc-400">
                    {target_id}
                  </span>
                )
              )}
            </span>
          );
        },
      }),
      col.accessor("outcome", {
        header: "Outcome",
        cell: (c) => <OutcomeBadge outcome={c.getValue()} />,
      }),
      col.accessor("ip", {
        header: "IP",
        cell: (c) => <span className="font-mono text-xs text-zinc-500">{c.getValue() ?? "—"}</span>,
      }),
    ],
    [],
  );

  return (
    <Card>
      <Toolbar>
        <AuditFiltersBar value={filters} onChange={setFilters} />
        <span className="ml-auto text-xs text-zinc-500 tabular-nums">
          {entries ? `${entries.length} ${entries.length === 1 ? "entry" : "entries"} shown` : ""}
        </span>
      </Toolbar>
      {log.isError ? (
        <QueryErrorPanel error={log.error} area="the audit log" onRetry={() => log.refetch()} />
      ) : (
        <DataTable
          label="Audit log entries"
          columns={columns.map((c) => ({ ...c, enableSorting: false }))}
          data={entries}
          isLoading={log.isPending}
          getRowId={(e) => String(e.seq)}
          skeletonRows={8}
          renderExpanded={(e) => <AuditEntryDetails entry={e} />}
          rowClassName={(e) =>
            e.outcome === "success"
              ? undefined
              : e.outcome === "denied"
                ? "bg-amber-50/30"
                : "bg-red-50/30"
          }
          empty={
            <EmptyState
              icon={ScrollText}
              title={filtered ? "No entries match these filters" : "No audit entries yet"}
              description={
                filtered
                  ? "Try a broader action (e.g. “user”) or clear the filters."
                  : "Sign-ins and changes will be recorded here as they happen."
              }
            />
          }
        />
      )}
      {log.hasNextPage && (
        <div className="flex justify-center border-t border-zinc-100 px-4 py-3">
          <Button onClick={() => log.fetchNextPage()} loading={log.isFetchingNextPage}>
            Load more
          </Button>
        </div>
      )}
      {entries && entries.length > 0 && !log.hasNextPage && (
        <p className="border-t border-zinc-100 px-4 py-3 text-center text-xs text-zinc-400">
          {filtered ? "End of matching entries" : "Beginning of the log"}
        </p>
      )}
    </Card>
  );
}

/** A readable name for an entry's target, when its details carry one (username, secret name). */
function targetLabel(details: Record<string, unknown>): string | null {
  for (const key of ["username", "name"]) {
    const value = details[key];
    if (typeof value === "string" && value) return value;
  }
  return null;
}
