import type { AuditEntry } from "@/api/types";
import { CopyButton } from "@/components/ui/CopyButton";
import { formatDateTime } from "@/lib/time";
import { Hash } from "./Hash";

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[7.5rem_1fr] items-baseline gap-3 py-1.5">
      <dt className="text-xs text-zinc-500">{term}</dt>
      <dd className="min-w-0 text-[13px] text-zinc-800">{children}</dd>
    </div>
  );
}

/** The expanded view of one audit entry: what was recorded and how it is chained. */
export function AuditEntryDetails({ entry }: { entry: AuditEntry }) {
  const json = JSON.stringify(entry.details ?? {}, null, 2);
  const empty = !entry.details || Object.keys(entry.details).length === 0;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_minmax(0,24rem)]">
      <section aria-label={`Details of entry ${entry.seq}`} className="min-w-0">
        <div className="mb-2 flex items-center justify-between">
          <h3 className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Details</h3>
          {!empty && <CopyButton value={json} label="Copy details JSON" showText />}
        </div>
        {empty ? (
          <p className="rounded-lg bg-white px-3 py-2.5 text-sm text-zinc-400 ring-1 ring-zinc-200">
            No details recorded.
          </p>
        ) : (
          <pre className="max-h-72 overflow-auto rounded-lg bg-zinc-950 p-3.5 font-mono text-[12px] leading-relaxed text-zinc-100">
            {json}
          </pre>
        )}
      </section>
      <section aria-label={`Chain data of entry ${entry.seq}`}>
        <h3 className="mb-2 text-xs font-medium tracking-wide text-zinc-500 uppercase">Record</h3>
        <dl className="divide-y divide-zinc-200/70 rounded-lg bg-white px-3.5 py-1 ring-1 ring-zinc-200">
          <Row term="Sequence">
            <span className="font-mono text-xs">#{entry.seq}</span>
          </Row>
          <Row term="Time">{formatDateTime(entry.occurred_at)}</Row>
          <Row term="Actor ID">
            {entry.actor_id ? (
              <Hash value={entry.actor_id} label="actor ID" />
            ) : (
              <span className="text-zinc-400">anonymous</span>
            )}
          </Row>
          {entry.target_id && (
            <Row term="Target ID">
              <Hash value={entry.target_id} label="target ID" />
            </Row>
          )}
          <Row term="Hash">
            <Hash value={entry.hash} label="hash" />
          </Row>
          <Row term="Previous hash">
            <Hash value={entry.prev_hash} label="previous hash" />
          </Row>
        </dl>
      </section>
    </div>
  );
}
