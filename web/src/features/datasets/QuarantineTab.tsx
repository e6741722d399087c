import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper, type Row } from "@tanstack/react-table";
import { ChevronLeft, ChevronRight, Info, Pencil, RefreshCcw, ShieldCheck } from "lucide-react";
import { createContext, useContext, useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card, Toolbar } from "@/components/ui/Card";
import { DataTable } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { Select } from "@/components/ui/Select";
import { useToast } from "@/components/ui/Toast";
import { useDatasetPage } from "./DatasetPage";
import { formatRows } from "./format";
import { QuarantineFixDialog } from "./QuarantineFixDialog";
import { type Fixes, useQuarantineFixes } from "./quarantineFixes";
import { QUARANTINE_PAGE, quarantineQuery, type ReprocessInput, useReprocess } from "./queries";
import type { QuarantinedRecord, QuarantineStatus } from "./types";
import { MiddleTruncate, RelativeTime } from "./visuals";

const col = createColumnHelper<QuarantinedRecord>();

const STATUSES: QuarantineStatus[] = ["open", "resolved", "discarded"];

function recordName(r: QuarantinedRecord): string {
  const of = r.file ? ` of ${r.file}` : "";
  if (r.line !== null) return `line ${r.line}${of}`;
  if (r.row !== null) return `row ${r.row}${of}`;
  return `record ${r.id}`;
}

/** The Fix button's accessible name: "Fix record on line 8", else "Fix record 7". */
function fixLabel(r: QuarantinedRecord): string {
  return r.line !== null ? `Fix record on line ${r.line}` : `Fix record ${r.row ?? r.id}`;
}

/** "1 record", "2 records"; "1 fix", "2 fixes". */
function plural(n: number, word: string, words = `${word}s`): string {
  return `${formatRows(n)} ${n === 1 ? word : words}`;
}

interface Selection {
  selected: ReadonlySet<string>;
  /** Fixes typed but not sent yet, by record id. */
  fixes: Fixes;
  /** Open the fix dialog of a record. */
  openFix: (record: QuarantinedRecord) => void;
  toggle: (id: string) => void;
  toggleAll: () => void;
  allSelected: boolean;
  someSelected: boolean;
  /** Run numbers by run id. */
  seqOf: ReadonlyMap<string, number>;
}

/**
 * Selection, fixes and run numbers reach the cells by context, so the columns (and cells) stay
 * the same.
 */
const SelectionContext = createContext<Selection>({
  selected: new Set(),
  fixes: {},
  openFix: () => {},
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

/** The raw text (the pending fix instead, when there is one) and a toggle to read all of it. */
function RawCell({ row }: { row: Row<QuarantinedRecord> }) {
  const fix = useContext(SelectionContext).fixes[row.original.id];
  const expanded = row.getIsExpanded();
  return (
    <div className="flex max-w-md items-center gap-2">
      {fix !== undefined && (
        <Badge tone="amber" title="Fixed here, not sent yet: re-process to load it">
          Fix pending
        </Badge>
      )}
      <code
        className={
          fix === undefined
            ? "min-w-0 flex-1 truncate rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11.5px] text-zinc-700"
            : "min-w-0 flex-1 truncate rounded bg-amber-50 px-1.5 py-0.5 font-mono text-[11.5px] text-amber-950 ring-1 ring-amber-200 ring-inset"
        }
      >
        {fix ?? row.original.raw}
      </code>
      <button
        type="button"
        aria-expanded={expanded}
        aria-label={`${expanded ? "Hide" : "Show"} the whole ${recordName(row.original)}`}
        onClick={row.getToggleExpandedHandler()}
        className="shrink-0 text-xs font-medium text-accent-600 hover:text-accent-700"
      >
        {expanded ? "Less" : "More"}
      </button>
    </div>
  );
}

function FixButton({ record }: { record: QuarantinedRecord }) {
  const { openFix } = useContext(SelectionContext);
  return (
    <Button
      size="sm"
      variant="ghost"
      aria-label={fixLabel(record)}
      onClick={() => openFix(record)}
      icon={<Pencil className="size-3.5" aria-hidden="true" />}
    >
      Fix
    </Button>
  );
}

const PRE =
  "max-h-64 overflow-auto rounded-md p-3 font-mono text-xs whitespace-pre-wrap break-all ring-1";

/** The whole record when a row is expanded: its original text and the pending fix. */
function RawDetail({ record, fix }: { record: QuarantinedRecord; fix: string | undefined }) {
  const original = (
    <pre className={`${PRE} bg-white text-zinc-800 ring-zinc-200`}>{record.raw}</pre>
  );
  if (fix === undefined) return original;
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <div className="flex min-w-0 flex-col gap-1">
        <span className="text-xs font-medium text-zinc-500">Original</span>
        {original}
      </div>
      <div className="flex min-w-0 flex-col gap-1">
        <span className="text-xs font-medium text-amber-800">Pending fix</span>
        <pre className={`${PRE} bg-amber-50/60 text-amber-950 ring-amber-200`}>{fix}</pre>
      </div>
    </div>
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
            <MiddleTruncate
              text={row.original.file}
              className="max-w-64 font-mono text-xs text-zinc-600"
            />
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
        cell: ({ row }) => <RawCell row={row} />,
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
    if (selectable) {
      columns.push(
        col.display({
          id: "fix",
          meta: { className: "w-16 text-right" },
          header: () => <span className="sr-only">Fix</span>,
          cell: ({ row }) => <FixButton record={row.original} />,
        }),
      );
    }
    return columns;
  }, [selectable]);
}

const EMPTY: Record<QuarantineStatus, { title: string; description: string }> = {
  open: {
    title: "Nothing in quarantine",
    description:
      "Records a run can't read (a malformed line, a value of the wrong type) are set aside here with the reason, instead of failing the run.",
  },
  resolved: {
    title: "No resolved records",
    description: "Records that loaded after being re-processed are listed here.",
  },
  discarded: {
    title: "No discarded records",
    description:
      "When a run fails and loads nothing, the records it set aside are kept here to explain why.",
  },
};

type Action = "one" | "selected" | "all";

/**
 * Quarantine: records runs couldn't read, with the reason and the raw text. Open records can be
 * fixed (their raw text corrected) and parsed again with the current settings: that is a new run.
 */
export function QuarantineTab() {
  const { dataset, runs, canWrite } = useDatasetPage();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get("status");
  const status: QuarantineStatus = STATUSES.find((s) => s === statusParam) ?? "open";
  const runId = params.get("run");
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const { fixes, setFix, dropFixes } = useQuarantineFixes(dataset.id);
  const [fixing, setFixing] = useState<QuarantinedRecord | null>(null);
  const [action, setAction] = useState<Action | null>(null);
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
  const fixCount = Object.keys(fixes).length;
  const selectedFixes = [...selected].filter((id) => fixes[id] !== undefined).length;

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
    // Only open records can be fixed: other views show what is stored.
    fixes: selectable ? fixes : {},
    openFix: setFixing,
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

  /** Queue the re-process run, then follow it in the Runs tab. */
  function run(kind: Action, input: ReprocessInput, description: string) {
    setAction(kind);
    reprocess.mutate(input, {
      onSuccess: (r) => {
        toast.success(`Run #${r.seq} queued`, description);
        // Sent: the server has the fixes now (a record that still doesn't fit stays open).
        dropFixes(Object.keys(input.corrections ?? {}));
        setSelected(new Set());
        setFixing(null);
        navigate(`/datasets/${dataset.id}/runs`);
      },
      onError: (e) => toast.error("Couldn't re-process", errorMessage(e)),
    });
  }

  function reprocessSelected() {
    const ids = [...selected];
    const corrections = Object.fromEntries(
      ids.flatMap((id) => (fixes[id] === undefined ? [] : [[id, fixes[id]]])),
    );
    const fixed = Object.keys(corrections).length;
    run(
      "selected",
      { ids, corrections },
      `Re-processing ${plural(ids.length, "record")}${fixed ? ` (${formatRows(fixed)} with a fix)` : ""}.`,
    );
  }

  function reprocessAll() {
    run(
      "all",
      { ids: null, corrections: { ...fixes } },
      `Re-processing every open record${fixCount ? `, ${plural(fixCount, "fix", "fixes")} included` : ""}.`,
    );
  }

  function reprocessOne(record: QuarantinedRecord, text: string) {
    const changed = text !== record.raw;
    run(
      "one",
      { ids: [record.id], corrections: changed ? { [record.id]: text } : {} },
      `Re-processing ${recordName(record)}${changed ? " with your fix" : ""}.`,
    );
  }

  function saveFix(record: QuarantinedRecord, text: string | null) {
    setFix(record.id, text);
    // A fixed record is selected, so Re-process selected sends it (with the others fixed).
    if (text !== null) setSelected((s) => new Set(s).add(record.id));
    setFixing(null);
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
            { value: "discarded", label: "Discarded" },
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
          {records.data ? plural(total, `${status} record`) : ""}
        </span>
        {canWrite && fixCount > 0 && (
          <span className="inline-flex items-center gap-1.5 text-xs font-medium text-amber-800 tabular-nums">
            <span aria-hidden="true" className="size-1.5 rounded-full bg-amber-500" />
            {plural(fixCount, "fix", "fixes")} pending
          </span>
        )}
        {canWrite && (
          <div className="ml-auto flex items-center gap-2">
            <Button
              size="sm"
              disabled={selected.size === 0 || status !== "open"}
              loading={reprocess.isPending && action === "selected"}
              onClick={reprocessSelected}
              icon={<RefreshCcw className="size-3.5" aria-hidden="true" />}
              title={
                selectedFixes > 0
                  ? `Sends ${plural(selectedFixes, "fix", "fixes")} with the selected records`
                  : undefined
              }
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
              loading={reprocess.isPending && action === "all"}
              onClick={reprocessAll}
              icon={<RefreshCcw className="size-3.5" aria-hidden="true" />}
            >
              Re-process all open
            </Button>
          </div>
        )}
      </Toolbar>
      {status === "discarded" && (
        <p className="flex items-center gap-2 border-b border-zinc-100 bg-zinc-50/70 px-4 py-2 text-xs text-zinc-600">
          <Info className="size-3.5 shrink-0 text-zinc-400" aria-hidden="true" />
          From runs that failed and loaded nothing: kept to explain the failure, never re-processed.
        </p>
      )}
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
              rowClassName={(r) =>
                selection.fixes[r.id] !== undefined ? "bg-amber-50/40" : undefined
              }
              renderExpanded={(r) => <RawDetail record={r} fix={selection.fixes[r.id]} />}
              empty={
                <EmptyState
                  icon={ShieldCheck}
                  title={EMPTY[status].title}
                  description={EMPTY[status].description}
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
      {fixing && (
        <QuarantineFixDialog
          key={fixing.id}
          record={fixing}
          name={recordName(fixing)}
          fix={fixes[fixing.id]}
          columns={dataset.columns.map((c) => c.name)}
          reprocessing={reprocess.isPending && action === "one"}
          onSave={(text) => saveFix(fixing, text)}
          onReprocess={(text) => reprocessOne(fixing, text)}
          onClose={() => setFixing(null)}
        />
      )}
    </Card>
  );
}
