import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { ChevronLeft, ChevronRight, RefreshCcw, ShieldCheck } from "lucide-react";
import { createContext, useContext, useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Button } from "@/components/ui/Button";
import { Card, Toolbar } from "@/components/ui/Card";
import { DataTable } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { Select } from "@/components/ui/Select";
import { useToast } from "@/components/ui/Toast";
import { useDatasetPage } from "./DatasetPage";
import { baseName, formatRows } from "./format";
import { QUARANTINE_PAGE, quarantineQuery, useReprocess } from "./queries";
import type { QuarantinedRecord, QuarantineStatus } from "./types";
import { RelativeTime } from "./visuals";

const col = createColumnHelper<QuarantinedRecord>();

function recordName(r: QuarantinedRecord): string {
  const of = r.file ? ` of ${baseName(r.file)}` : "";
  if (r.line !== null) return `line ${r.line}${of}`;
  if (r.row !== null) return `row ${r.row}${of}`;
  return `record ${r.id}`;
}

interface Selection {
  selected: ReadonlySet<string>;
  toggle: (id: string) => void;
  toggleAll: () => void;
  allSelected: boolean;
  someSelected: boolean;
  /** Run numbers by run id. */
  seqOf: ReadonlyMap<string, number>;
}

/** Selection (and run numbers) reach the checkboxes by context, so the columns (and cells) stay the same. */
const SelectionContext = createContext<Selection>({
  selected: new Set(),
  toggle: () => {},
  toggleAll: () => {},
  allSelected: false,
  someSelected: false,
  seqOf: new Map(),
});

function RunSeq({ runId }: { runId: string }) {
  const seq = useContext(SelectionContext).seqOf.get(runId);
  return (
    <span className="font-mono text-xs text-zinc-500" title={runId}>
      {seq === undefined ? runId.slice(-6) : `#${seq}`}
    </span>
  );
}

function SelectAllBox() {
  const { allSelected, someSelected, toggleAll } = useContext(SelectionContext);
  return (
    <input
      type="checkbox"
      aria-label="Select every record on this page"
      checked={allSelected}
      ref={(el) => {
        if (el) el.indeterminate = someSelected && !allSelected;
      }}
      onChange={toggleAll}
      className="size-4 accent-accent-600"
    />
  );
}

function SelectBox({ record }: { record: QuarantinedRecord }) {
  const { selected, toggle } = useContext(SelectionContext);
  return (
    <input
      type="checkbox"
      aria-label={`Select ${recordName(record)}`}
      checked={selected.has(record.id)}
      onChange={() => toggle(record.id)}
      className="size-4 accent-accent-600"
    />
  );
}

function useColumns(selectable: boolean) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<QuarantinedRecord, any>[]>(() => {
    // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
    const columns: ColumnDef<QuarantinedRecord, any>[] = [];
    if (selectable) {
      columns.push(
        col.display({
          id: "select",
          meta: { className: "w-8 !pr-0" },
          header: () => <SelectAllBox />,
          cell: ({ row }) => <SelectBox record={row.original} />,
        }),
      );
    }
    columns.push(
      col.accessor("reason", {
        header: "Reason",
        cell: (c) => (
          <span className="line-clamp-2 max-w-xs text-[13px] text-zinc-800" title={c.getValue()}>
            {c.getValue()}
          </span>
        ),
      }),
      col.accessor((r) => r.file ?? "", {
        id: "file",
        header: "File",
        cell: ({ row }) =>
          row.original.file ? (
            <span
              className="block max-w-40 truncate font-mono text-xs text-zinc-600"
              title={row.original.file}
            >
              {baseName(row.original.file)}
            </span>
          ) : (
            <span className="text-zinc-300">—</span>
          ),
      }),
      col.accessor((r) => r.line ?? -1, {
        id: "line",
        header: "Line",
        meta: { className: "text-right" },
        cell: ({ row }) => <span className="tabular-nums">{row.original.line ?? "—"}</span>,
      }),
      col.accessor((r) => r.row ?? -1, {
        id: "row",
        header: "Row",
        meta: { className: "text-right" },
        cell: ({ row }) => <span className="tabular-nums">{row.original.row ?? "—"}</span>,
      }),
      col.accessor("raw", {
        header: "Raw record",
        enableSorting: false,
        cell: ({ row }) => (
          <div className="flex max-w-md items-center gap-2">
            <code className="min-w-0 flex-1 truncate rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11.5px] text-zinc-700">
              {row.original.raw}
            </code>
            <button
              type="button"
              aria-expanded={row.getIsExpanded()}
              aria-label={`${row.getIsExpanded() ? "Hide" : "Show"} the whole ${recordName(row.original)}`}
              onClick={row.getToggleExpandedHandler()}
              className="shrink-0 text-xs font-medium text-accent-600 hover:text-accent-700"
            >
              {row.getIsExpanded() ? "Less" : "More"}
            </button>
          </div>
        ),
      }),
      col.accessor("run_id", {
        header: "Run",
        enableGlobalFilter: false,
        enableSorting: false,
        cell: ({ row }) => <RunSeq runId={row.original.run_id} />,
      }),
      col.accessor("quarantined_at", {
        header: "When",
        sortDescFirst: true,
        cell: (c) => <RelativeTime iso={c.getValue()} className="text-zinc-600" />,
      }),
    );
    return columns;
  }, [selectable]);
}

/**
 * Quarantine: records runs couldn't read, with the reason and the raw text. Selected (or all
 * open) records can be parsed again with the current settings: that is a new run.
 */
export function QuarantineTab() {
  const { dataset, runs, canWrite } = useDatasetPage();
  const [params, setParams] = useSearchParams();
  const status: QuarantineStatus = params.get("status") === "resolved" ? "resolved" : "open";
  const runId = params.get("run");
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const records = useQuery(quarantineQuery(dataset.id, { status, runId, offset }));
  const reprocess = useReprocess(dataset.id);
  const toast = useToast();
  const navigate = useNavigate();
  const seqOf = useMemo(() => new Map(runs.data?.items.map((r) => [r.id, r.seq])), [runs.data]);
  const items = records.data?.items ?? [];
  const total = records.data?.total ?? 0;
  const selectable = canWrite && status === "open";
  const pageIds = items.map((r) => r.id);
  const allSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const someSelected = pageIds.some((id) => selected.has(id));

  function setFilter(next: { status?: QuarantineStatus; run?: string | null }) {
    const p = new URLSearchParams(params);
    if (next.status !== undefined) {
      if (next.status === "open") p.delete("status");
      else p.set("status", next.status);
    }
    if (next.run !== undefined) {
      if (next.run) p.set("run", next.run);
      else p.delete("run");
    }
    setParams(p, { replace: true });
    setOffset(0);
    setSelected(new Set());
  }

  const selection: Selection = {
    selected,
    allSelected,
    someSelected,
    seqOf,
    toggle: (id) =>
      setSelected((s) => {
        const n = new Set(s);
        if (n.has(id)) n.delete(id);
        else n.add(id);
        return n;
      }),
    toggleAll: () =>
      setSelected((s) => {
        const n = new Set(s);
        if (allSelected) for (const id of pageIds) n.delete(id);
        else for (const id of pageIds) n.add(id);
        return n;
      }),
  };
  const columns = useColumns(selectable);

  function run(ids: string[] | null) {
    reprocess.mutate(ids, {
      onSuccess: (r) => {
        toast.success(
          `Run #${r.seq} queued`,
          ids
            ? `Re-processing ${formatRows(ids.length)} record${ids.length === 1 ? "" : "s"}.`
            : "Re-processing every open record.",
        );
        setSelected(new Set());
        navigate(`/datasets/${dataset.id}/runs`);
      },
      onError: (e) => toast.error("Couldn't re-process", errorMessage(e)),
    });
  }

  const runsWithBad = runs.data?.items.filter((r) => r.quarantined > 0 || r.id === runId) ?? [];

  return (
    <Card>
      <Toolbar className="gap-3">
        <SegmentedControl<QuarantineStatus>
          label="Status"
          value={status}
          onChange={(s) => setFilter({ status: s })}
          options={[
            { value: "open", label: "Open" },
            { value: "resolved", label: "Resolved" },
          ]}
        />
        <label htmlFor="quarantine-run" className="sr-only">
          Run
        </label>
        <Select
          id="quarantine-run"
          selectSize="sm"
          value={runId ?? ""}
          onChange={(e) => setFilter({ run: e.target.value || null })}
          className="w-48"
        >
          <option value="">All runs</option>
          {runId && !seqOf.has(runId) && <option value={runId}>Run {runId.slice(-6)}</option>}
          {runsWithBad.map((r) => (
            <option key={r.id} value={r.id}>
              Run #{r.seq} · {formatRows(r.quarantined)} bad
            </option>
          ))}
        </Select>
        <span className="text-xs text-zinc-500 tabular-nums">
          {records.data ? `${formatRows(total)} ${status} record${total === 1 ? "" : "s"}` : ""}
        </span>
        {canWrite && (
          <div className="ml-auto flex items-center gap-2">
            <Button
              size="sm"
              disabled={selected.size === 0 || status !== "open"}
              loading={reprocess.isPending && reprocess.variables !== null}
              onClick={() => run([...selected])}
              icon={<RefreshCcw className="size-3.5" aria-hidden="true" />}
            >
              Re-process selected
              {selected.size > 0 && (
                <span aria-hidden="true" className="tabular-nums">
                  ({selected.size})
                </span>
              )}
            </Button>
            <Button
              size="sm"
              variant="primary"
              disabled={status === "open" && records.isSuccess && total === 0}
              loading={reprocess.isPending && reprocess.variables === null}
              onClick={() => run(null)}
              icon={<RefreshCcw className="size-3.5" aria-hidden="true" />}
            >
              Re-process all open
            </Button>
          </div>
        )}
      </Toolbar>
      {records.isError ? (
        <QueryErrorPanel
          error={records.error}
          area="quarantined records"
          onRetry={() => records.refetch()}
        />
      ) : (
        <>
          <SelectionContext.Provider value={selection}>
            <DataTable
              label="Quarantined records"
              columns={columns}
              data={records.data?.items}
              isLoading={records.isPending}
              getRowId={(r) => r.id}
              renderExpanded={(r) => (
                <pre className="max-h-64 overflow-auto rounded-md bg-white p-3 font-mono text-xs whitespace-pre-wrap break-all text-zinc-800 ring-1 ring-zinc-200">
                  {r.raw}
                </pre>
              )}
              empty={
                <EmptyState
                  icon={ShieldCheck}
                  title={status === "open" ? "Nothing in quarantine" : "No resolved records"}
                  description={
                    status === "open"
                      ? "Records a run can't read (a malformed line, a value of the wrong type) are set aside here with the reason, instead of failing the run."
                      : "Records that loaded after being re-processed are listed here."
                  }
                />
              }
            />
          </SelectionContext.Provider>
          {total > QUARANTINE_PAGE && (
            <div className="flex items-center justify-end gap-2 border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500">
              <span className="tabular-nums">
                {formatRows(offset + 1)}–{formatRows(Math.min(offset + QUARANTINE_PAGE, total))} of{" "}
                {formatRows(total)}
              </span>
              <Button
                size="icon-sm"
                variant="ghost"
                aria-label="Previous page"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - QUARANTINE_PAGE))}
                icon={<ChevronLeft className="size-4" aria-hidden="true" />}
              />
              <Button
                size="icon-sm"
                variant="ghost"
                aria-label="Next page"
                disabled={offset + QUARANTINE_PAGE >= total}
                onClick={() => setOffset(offset + QUARANTINE_PAGE)}
                icon={<ChevronRight className="size-4" aria-hidden="true" />}
              />
            </div>
          )}
        </>
      )}
    </Card>
  );
}
