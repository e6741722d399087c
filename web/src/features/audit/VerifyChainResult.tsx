import { ShieldAlert, ShieldCheck, X } from "lucide-react";
import type { VerifyResult } from "@/api/types";
import { Hash } from "./Hash";

export function VerifyChainResult({
  result,
  onDismiss,
}: {
  result: VerifyResult;
  onDismiss: () => void;
}) {
  const n = result.entries_checked;
  const entries = `${n.toLocaleString()} ${n === 1 ? "entry" : "entries"}`;
  const dismiss = (
    <button
      type="button"
      aria-label="Dismiss verification result"
      onClick={onDismiss}
      className="rounded p-1 opacity-60 hover:bg-black/5 hover:opacity-100"
    >
      <X className="size-4" aria-hidden="true" />
    </button>
  );
  if (result.ok) {
    return (
      <div
        role="status"
        className="mb-4 flex items-start gap-3 rounded-xl bg-emerald-50 p-4 text-emerald-900 ring-1 ring-emerald-200 ring-inset"
      >
        <ShieldCheck className="mt-0.5 size-5 shrink-0 text-emerald-600" aria-hidden="true" />
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold">Chain intact — {entries} verified</p>
          <p className="mt-0.5 text-sm text-emerald-800/80">
            Every entry's hash matches its content and links to the one before it.
            {result.head_seq !== null && ` Head is #${result.head_seq}.`}
          </p>
          {result.head_hash && (
            <p className="mt-1.5 flex items-center gap-1.5 text-xs text-emerald-800/80">
              Head hash <Hash value={result.head_hash} label="head hash" />
            </p>
          )}
        </div>
        {dismiss}
      </div>
    );
  }
  return (
    <div
      role="alert"
      className="mb-4 flex items-start gap-3 rounded-xl bg-red-50 p-4 text-red-900 ring-1 ring-red-200 ring-inset"
    >
      <ShieldAlert className="mt-0.5 size-5 shrink-0 text-red-600" aria-hidden="true" />
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold">
          Chain broken — {result.problems.length}{" "}
          {result.problems.length === 1 ? "problem" : "problems"} in {entries}
        </p>
        <p className="mt-0.5 text-sm text-red-800/80">
          The log may have been altered outside dataops. Preserve the database and tell your
          security officer.
        </p>
        <ul className="mt-2.5 flex flex-col gap-1">
          {result.problems.map((p, i) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and don't reorder
              key={i}
              className="flex gap-2 rounded-md bg-white/70 px-2.5 py-1.5 text-[13px] ring-1 ring-red-200/70"
            >
              <span className="shrink-0 font-mono text-xs leading-5 text-red-700">
                {p.seq === null ? "—" : `#${p.seq}`}
              </span>
              <span>{p.problem}</span>
            </li>
          ))}
        </ul>
      </div>
      {dismiss}
    </div>
  );
}
