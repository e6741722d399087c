import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { History, Square } from "lucide-react";
import { type ReactNode, useEffect, useMemo, useRef } from "react";
import { Link } from "react-router";
import { errorMessage } from "@/api/errors";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card, Toolbar } from "@/components/ui/Card";
import { DataTable, expandColumn } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { Stat } from "@/components/ui/Fact";
import { useToast } from "@/components/ui/Toast";
import { formatBytes } from "@/features/sources/objects";
import { cn } from "@/lib/cn";
import { formatDateTime } from "@/lib/time";
import { useDatasetPage } from "./DatasetPage";
import {
  elapsedMs,
  formatDuration,
  formatRate,
  formatRows,
  rowsPerSecond,
  TRIGGERS,
} from "./format";
import { useCancelRun } from "./queries";
import { isActive, type Run } from "./types";
import { RelativeTime, RunStatusBadge, useNow } from "./visuals";

const col = createColumnHelper<Run>();

function Watermarks({ run }: { run: Run }) {
  if (run.watermark_before === null && run.watermark_after === null) {
    return <span className="text-zinc-400">—</span>;
  }
  return (
    <span
      className="inline-flex max-w-56 items-center gap-1 font-mono text-xs text-zinc-600"
      title={`${run.watermark_before ?? "start"} → ${run.watermark_after ?? "—"}`}
    >
      <span className="truncate">{run.watermark_before ?? "start"}</span>
      <span aria-hidden="true" className="text-zinc-400">
        →
      </span>
      <span className="sr-only">to</span>
      <span className="truncate text-zinc-800">{run.watermark_after ?? "—"}</span>
    </span>
  );
}

function useColumns() {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<Run, any>[]>(
    () => [
      expandColumn<Run>((r) => `Details of run #${r.seq}`, "w-8 !pr-0"),
      col.accessor("seq", {
        header: "Run",
        sortDescFirst: true,
        cell: ({ row }) => (
          <button
            type="button"
            tabIndex={-1}
            onClick={row.getToggleExpandedHandler()}
            className="font-mono text-xs text-zinc-500 hover:text-zinc-900"
          >
            #{row.original.seq}
          </button>
        ),
      }),
      col.accessor("status", {
        header: "Status",
        cell: ({ row }) => (
          <RunStatusBadge status={row.original.status} error={row.original.error} />
        ),
      }),
      col.accessor((r) => TRIGGERS[r.trigger], {
        id: "trigger",
        header: "Trigger",
        cell: (c) => <span className="whitespace-nowrap text-zinc-600">{c.getValue()}</span>,
      }),
      col.accessor((r) => r.started_at ?? r.created_at, {
        id: "started",
        header: "Started",
        sortDescFirst: true,
        cell: ({ row }) =>
          row.original.started_at ? (
            <RelativeTime iso={row.original.started_at} className="text-zinc-600" />
          ) : (
            <span className="text-zinc-400">Not yet</span>
          ),
      }),
      col.accessor((r) => r.duration_ms ?? -1, {
        id: "duration",
        header: "Duration",
        meta: { className: "text-right" },
        cell: ({ row }) => (
          <span className="whitespace-nowrap tabular-nums">
            {isActive(row.original) ? (
              <LiveElapsed run={row.original} />
            ) : (
              formatDuration(row.original.duration_ms)
            )}
          </span>
        ),
      }),
      col.accessor("rows", {
        header: "Rows",
        meta: { className: "text-right" },
        cell: (c) => <span className="tabular-nums">{formatRows(c.getValue())}</span>,
      }),
      col.accessor("bytes", {
        header: "Bytes",
        meta: { className: "text-right" },
        cell: (c) => (
          <span className="whitespace-nowrap text-zinc-600 tabular-nums">
            {formatBytes(c.getValue())}
          </span>
        ),
      }),
      col.display({
        id: "watermark",
        header: "Watermark",
        cell: ({ row }) => <Watermarks run={row.original} />,
      }),
      col.accessor((r) => r.lake_version ?? -1, {
        id: "version",
        header: "Version",
        cell: ({ row }) =>
          row.original.lake_version === null ? (
            <span className="text-zinc-400">—</span>
          ) : (
            <span className="font-mono text-xs">v{row.original.lake_version}</span>
          ),
      }),
      col.accessor("quarantined", {
        header: "Bad",
        meta: { className: "text-right" },
        cell: (c) => (
          <span
            className={cn("tabular-nums", c.getValue() > 0 ? "text-amber-700" : "text-zinc-400")}
            title="Records quarantined"
          >
            {formatRows(c.getValue())}
          </span>
        ),
      }),
      col.accessor((r) => r.schema_changes.length, {
        id: "drift",
        header: "Drift",
        meta: { className: "text-right" },
        cell: (c) => (
          <span
            className={cn("tabular-nums", c.getValue() > 0 ? "text-violet-700" : "text-zinc-400")}
            title="Schema changes seen"
          >
            {c.getValue()}
          </span>
        ),
      }),
    ],
    [],
  );
}

/** Runs: live progress of a run in flight, then the history; expand a run for its details. */
export function RunsTab() {
  const { dataset, runs, canWrite } = useDatasetPage();
  const columns = useColumns();
  const active = runs.data?.items.filter(isActive) ?? [];

  return (
    <div className="flex flex-col gap-4">
      {active.map((r) => (
        <RunProgress key={r.id} run={r} canCancel={canWrite} />
      ))}
      <Card>
        {runs.isError ? (
          <QueryErrorPanel error={runs.error} area="runs" onRetry={() => runs.refetch()} />
        ) : (
          <>
            {runs.data && runs.data.items.length > 0 && (
              <Toolbar>
                <span className="text-xs text-zinc-500 tabular-nums">
                  {runs.data.total > runs.data.items.length
                    ? `Latest ${runs.data.items.length} of ${runs.data.total} runs`
                    : `${runs.data.total} run${runs.data.total === 1 ? "" : "s"}`}
                </span>
              </Toolbar>
            )}
            <DataTable
              label="Runs"
              columns={columns}
              data={runs.data?.items}
              isLoading={runs.isPending}
              getRowId={(r) => r.id}
              initialSorting={[{ id: "seq", desc: true }]}
              renderExpanded={(r) => <RunDetails run={r} datasetId={dataset.id} />}
              rowClassName={(r) =>
                r.status === "failed" ? "bg-red-50/30" : isActive(r) ? "bg-sky-50/40" : undefined
              }
              empty={
                <EmptyState
                  icon={History}
                  title="No runs yet"
                  description={
                    canWrite
                      ? "Press Run now to extract the first version, or turn on a schedule in Settings."
                      : "Runs appear here once someone runs the dataset or its schedule fires."
                  }
                />
              }
            />
          </>
        )}
      </Card>
    </div>
  );
}

function LiveElapsed({ run }: { run: Run }) {
  const now = useNow(true);
  return <>{formatDuration(elapsedMs(run, now))}</>;
}

/** An indeterminate bar: a segment sweeping across (Web Animations, so no stylesheet needed). */
function IndeterminateBar({ label, valueText }: { label: string; valueText: string }) {
  const segment = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = segment.current;
    const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    if (!el || typeof el.animate !== "function" || reduce) return;
    const animation = el.animate(
      [{ transform: "translateX(-100%)" }, { transform: "translateX(300%)" }],
      { duration: 1400, iterations: Number.POSITIVE_INFINITY, easing: "ease-in-out" },
    );
    return () => animation.cancel();
  }, []);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuetext={valueText}
      className="relative h-1.5 w-full overflow-hidden rounded-full bg-sky-100"
    >
      <div ref={segment} className="absolute inset-y-0 left-0 w-1/3 rounded-full bg-sky-500" />
    </div>
  );
}

/** A queued or running run, live: rows so far, rate, elapsed time; it can be cancelled. */
export function RunProgress({ run, canCancel }: { run: Run; canCancel: boolean }) {
  const now = useNow(true);
  const cancel = useCancelRun(run.dataset_id);
  const toast = useToast();
  const elapsed = elapsedMs(run, now);
  const rate = rowsPerSecond(run, now);
  const queued = run.status === "queued";
  const cancelling = cancel.isPending || cancel.isSuccess;

  return (
    <section
      aria-label={`Run #${run.seq} in progress`}
      className="rounded-xl bg-white p-5 shadow-card ring-1 ring-sky-200"
    >
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <RunStatusBadge status={run.status} />
          <h2 className="font-semibold text-zinc-900">Run #{run.seq}</h2>
          <span className="text-zinc-500">
            {TRIGGERS[run.trigger]} ·{" "}
            {queued ? (
              "waiting for a worker"
            ) : run.started_at ? (
              <>
                started <RelativeTime iso={run.started_at} />
              </>
            ) : null}
            {run.attempts > 1 && ` · attempt ${run.attempts}`}
          </span>
        </div>
        {canCancel && (
          <Button
            size="sm"
            variant="danger-ghost"
            loading={cancel.isPending}
            disabled={cancelling}
            onClick={() =>
              cancel.mutate(run.id, {
                onSuccess: () => toast.show({ title: `Cancelling run #${run.seq}…`, tone: "info" }),
                onError: (e) => toast.error("Couldn't cancel the run", errorMessage(e)),
              })
            }
            icon={<Square className="size-3" aria-hidden="true" />}
          >
            Cancel run
          </Button>
        )}
      </div>
      <IndeterminateBar
        label={`Run #${run.seq} progress`}
        valueText={queued ? "Queued" : `${formatRows(run.rows)} rows read`}
      />
      <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Stat label="Rows so far" size="lg">
          {formatRows(run.rows)}
        </Stat>
        <Stat label="Rows/s" size="lg">
          {queued ? "—" : formatRate(rate).replace(" rows/s", "")}
        </Stat>
        <Stat label="Elapsed" size="lg">
          {formatDuration(elapsed)}
        </Stat>
        <Stat label="Read" size="lg">
          {formatBytes(run.bytes)}
        </Stat>
      </dl>
      {cancelling && (
        <p className="mt-3 text-xs text-zinc-500" role="status">
          Cancel requested: the run stops at its next checkpoint and nothing of it is committed.
        </p>
      )}
    </section>
  );
}

function RunDetails({ run, datasetId }: { run: Run; datasetId: string }) {
  return (
    <div className="flex flex-col gap-4 text-sm">
      {run.error && (
        <Alert tone="error" title={run.error_code ? `Failed: ${run.error_code}` : "Failed"}>
          <span className="font-mono text-xs break-words whitespace-pre-wrap">{run.error}</span>
        </Alert>
      )}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4">
        <Detail label="Triggered by">{run.triggered_by}</Detail>
        <Detail label="Queued">{formatDateTime(run.created_at)}</Detail>
        <Detail label="Started">{run.started_at ? formatDateTime(run.started_at) : "—"}</Detail>
        <Detail label="Finished">{run.finished_at ? formatDateTime(run.finished_at) : "—"}</Detail>
        {run.scheduled_for && (
          <Detail label="Scheduled for">{formatDateTime(run.scheduled_for)}</Detail>
        )}
        <Detail label="Attempts">{run.attempts}</Detail>
        <Detail label="Watermark before">
          <code className="font-mono text-xs break-all">{run.watermark_before ?? "—"}</code>
        </Detail>
        <Detail label="Watermark after">
          <code className="font-mono text-xs break-all">{run.watermark_after ?? "—"}</code>
        </Detail>
      </dl>
      <div>
        <p className="mb-1 text-xs font-medium text-zinc-500">Schema changes</p>
        {run.schema_changes.length === 0 ? (
          <p className="text-[13px] text-zinc-500">None.</p>
        ) : (
          <ul className="list-disc pl-5 text-[13px] text-zinc-800">
            {run.schema_changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        )}
      </div>
      {run.quarantined > 0 && (
        <p className="text-[13px]">
          <Link
            to={`/datasets/${datasetId}/quarantine?run=${run.id}`}
            className="font-medium text-accent-600 hover:text-accent-700"
          >
            {formatRows(run.quarantined)} quarantined record{run.quarantined === 1 ? "" : "s"} →
          </Link>
        </p>
      )}
    </div>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-zinc-800">{children}</dd>
    </div>
  );
}
