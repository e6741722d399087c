import { ArrowRight, Columns3, History } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Alert } from "@/components/ui/Alert";
import { Card } from "@/components/ui/Card";
import { CopyButton } from "@/components/ui/CopyButton";
import { EmptyState } from "@/components/ui/EmptyState";
import { Fact, Stat } from "@/components/ui/Fact";
import { formatBytes } from "@/features/sources/objects";
import { useDatasetPage } from "./DatasetPage";
import {
  describeSpec,
  formatDuration,
  formatRows,
  MODES,
  SCHEMA_POLICIES,
  SPEC_KIND_LABELS,
  TRIGGERS,
} from "./format";
import type { Run } from "./types";
import { RelativeTime, RunStatusBadge, ScheduleLabel } from "./visuals";

/** Overview: the last run, the lake table (version, rows, watermark, columns), the settings. */
export function OverviewTab() {
  const { dataset: d } = useDatasetPage();
  const base = `/datasets/${d.id}`;
  return (
    <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-[1fr_22rem]">
      <div className="flex min-w-0 flex-col gap-4">
        <Card>
          <CardHeader title="Last run">
            <Link
              to={`${base}/runs`}
              className="inline-flex items-center gap-1 text-xs font-medium text-accent-600 hover:text-accent-700"
            >
              All runs <ArrowRight className="size-3.5" aria-hidden="true" />
            </Link>
          </CardHeader>
          {d.last_run ? (
            <LastRun run={d.last_run} base={base} />
          ) : (
            <EmptyState
              icon={History}
              title="Never run"
              description="Nothing has been extracted yet. Run now to load the first version of the table."
              className="py-10"
            />
          )}
        </Card>
        <Card>
          <CardHeader title="Columns">
            {d.columns.length > 0 && (
              <span className="text-xs text-zinc-500 tabular-nums">
                {d.columns.length} column{d.columns.length === 1 ? "" : "s"}
              </span>
            )}
          </CardHeader>
          {d.columns.length === 0 ? (
            <EmptyState
              icon={Columns3}
              title="No columns yet"
              description="The lake table's columns appear after its first successful run."
              className="py-10"
            />
          ) : (
            <div className="max-h-[28rem] overflow-auto">
              <table aria-label="Columns of the lake table" className="w-full text-sm">
                <thead>
                  <tr className="border-b border-zinc-200/80">
                    <th className="sticky top-0 h-8 bg-zinc-50 px-4 text-left text-xs font-medium text-zinc-500">
                      Name
                    </th>
                    <th className="sticky top-0 h-8 bg-zinc-50 px-3 text-left text-xs font-medium text-zinc-500">
                      Type
                    </th>
                    <th className="sticky top-0 h-8 bg-zinc-50 px-3 text-left text-xs font-medium text-zinc-500">
                      Nulls
                    </th>
                    <th className="sticky top-0 h-8 bg-zinc-50 px-4 text-left text-xs font-medium text-zinc-500">
                      Key
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.columns.map((c) => (
                    <tr key={c.name} className="border-b border-zinc-100 last:border-b-0">
                      <td className="h-9 px-4 font-mono text-[13px] text-zinc-900">{c.name}</td>
                      <td className="px-3 font-mono text-xs text-accent-700">{c.data_type}</td>
                      <td className="px-3 text-xs text-zinc-500">
                        {c.nullable ? "Allowed" : "Not null"}
                      </td>
                      <td className="px-4 text-xs text-zinc-600">
                        {d.primary_key.includes(c.name) && "Primary key"}
                        {d.incremental?.column === c.name && (
                          <span className="ml-1 text-violet-700">Watermark</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>

      <div className="flex flex-col gap-4">
        <Card>
          <CardHeader title="Lake table" />
          <dl className="flex flex-col gap-3 px-5 py-4 text-sm">
            <Fact label="Version">
              {d.lake_version === null ? (
                <span className="text-zinc-400">None yet</span>
              ) : (
                <Link to={`${base}/data`} className="tabular-nums hover:text-accent-700">
                  v{d.lake_version}
                </Link>
              )}
            </Fact>
            <Fact label="Rows">
              <span className="tabular-nums">{formatRows(d.row_count)}</span>
            </Fact>
            {d.mode !== "full" && (
              <Fact label="Watermark">
                {d.watermark === null ? (
                  <span className="text-zinc-400">Not set (next run reads all rows)</span>
                ) : (
                  <code className="font-mono text-xs break-all">{d.watermark}</code>
                )}
              </Fact>
            )}
            <Fact label="Location">
              <span className="flex items-start gap-1">
                <code className="min-w-0 font-mono text-xs break-all text-zinc-700">
                  {d.lake_uri}
                </code>
                <CopyButton value={d.lake_uri} label="Copy lake URI" />
              </span>
            </Fact>
          </dl>
        </Card>
        <Card>
          <CardHeader title="Extraction" />
          <dl className="flex flex-col gap-3 px-5 py-4 text-sm">
            <Fact label={`Reads (${SPEC_KIND_LABELS[d.spec.kind].toLowerCase()})`}>
              <code className="font-mono text-xs break-all text-zinc-800">
                {describeSpec(d.spec)}
              </code>
            </Fact>
            <Fact label="Mode">
              {MODES[d.mode].label}
              <span className="block text-xs text-zinc-500">{MODES[d.mode].description}</span>
            </Fact>
            {d.primary_key.length > 0 && (
              <Fact label="Primary key">
                <Chips items={d.primary_key} />
              </Fact>
            )}
            {d.incremental && (
              <Fact label="Watermark column">
                <code className="font-mono text-xs">{d.incremental.column}</code>
                {d.incremental.initial_value && (
                  <span className="block text-xs text-zinc-500">
                    from {d.incremental.initial_value}
                  </span>
                )}
                {d.incremental.lookback !== null && d.incremental.lookback !== undefined && (
                  <span className="block text-xs text-zinc-500">
                    lookback {d.incremental.lookback}
                  </span>
                )}
              </Fact>
            )}
            <Fact label="Schema changes">{SCHEMA_POLICIES[d.schema_policy].label}</Fact>
            <Fact label="Bad records">
              {d.max_bad_records === null && d.max_bad_percent === null
                ? "Quarantined, no limit"
                : [
                    d.max_bad_records !== null && `fail above ${formatRows(d.max_bad_records)}`,
                    d.max_bad_percent !== null && `fail above ${d.max_bad_percent}%`,
                  ]
                    .filter(Boolean)
                    .join(", ")}
            </Fact>
            <Fact label="Schedule">
              <ScheduleLabel schedule={d.schedule} />
              {d.next_run_at && d.schedule?.enabled && (
                <span className="block text-xs text-zinc-500">
                  next <RelativeTime iso={d.next_run_at} />
                </span>
              )}
            </Fact>
          </dl>
        </Card>
      </div>
    </div>
  );
}

function LastRun({ run, base }: { run: Run; base: string }) {
  const at = run.finished_at ?? run.started_at ?? run.created_at;
  return (
    <div className="flex flex-col gap-4 px-5 py-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <RunStatusBadge status={run.status} error={run.error} />
        <span className="font-medium text-zinc-900">Run #{run.seq}</span>
        <span className="text-zinc-500">
          {TRIGGERS[run.trigger]} · <RelativeTime iso={at} />
        </span>
      </div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Stat label="Rows">{formatRows(run.rows)}</Stat>
        <Stat label="Duration">{formatDuration(run.duration_ms)}</Stat>
        <Stat label="Read">{formatBytes(run.bytes)}</Stat>
        <Stat label="Version">{run.lake_version === null ? "—" : `v${run.lake_version}`}</Stat>
      </dl>
      {run.quarantined > 0 && (
        <Alert tone="warning">
          {formatRows(run.quarantined)} bad record{run.quarantined === 1 ? "" : "s"} set aside.{" "}
          <Link to={`${base}/quarantine?run=${run.id}`} className="font-medium underline">
            Review them in Quarantine
          </Link>
        </Alert>
      )}
      {run.schema_changes.length > 0 && (
        <div>
          <p className="mb-1 text-xs font-medium text-zinc-500">Schema changes</p>
          <ul className="list-disc pl-5 text-[13px] text-zinc-700">
            {run.schema_changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
      {run.error && (
        <Alert tone="error" title={run.error_code ? `Failed: ${run.error_code}` : "Failed"}>
          <span className="break-words">{run.error}</span>
        </Alert>
      )}
    </div>
  );
}

export function CardHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex min-h-11 items-center justify-between gap-2 border-b border-zinc-200/80 px-5 py-2.5">
      <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
      {children}
    </div>
  );
}

export function Chips({ items }: { items: string[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {items.map((v) => (
        <code key={v} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">
          {v}
        </code>
      ))}
    </span>
  );
}
