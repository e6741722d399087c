import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/Skeleton";
import { cn } from "@/lib/cn";
import type { PreviewResult } from "./types";

const NUMERIC = /^(u?int\d*|float\d*|double|halffloat|decimal|number)/i;

function Cell({ value }: { value: unknown }): ReactNode {
  if (value === null || value === undefined) {
    return (
      <span className="rounded bg-zinc-100 px-1 py-px font-mono text-[10.5px] tracking-wide text-zinc-400">
        NULL
      </span>
    );
  }
  if (typeof value === "boolean") {
    return <span className="font-mono text-xs text-violet-700">{String(value)}</span>;
  }
  if (typeof value === "object") {
    const text = JSON.stringify(value);
    return (
      <span title={text} className="font-mono text-xs text-zinc-600">
        {text}
      </span>
    );
  }
  const text = String(value);
  if (text === "") return <span className="text-xs text-zinc-300 italic">empty</span>;
  return <span title={text.length > 40 ? text : undefined}>{text}</span>;
}

/**
 * Rows as a read-only grid: column types in the header, NULL drawn apart from empty text,
 * numbers right-aligned. Scrolls both ways with the header kept in view, past `maxHeight`
 * (a CSS length) inside its own scroller.
 */
export function PreviewGrid({
  result,
  maxHeight = "60vh",
}: {
  result: PreviewResult;
  maxHeight?: string;
}) {
  const numeric = result.columns.map((c) => NUMERIC.test(c.data_type));
  const capped = result.row_count >= result.limit;
  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-card">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-200/80 px-4 py-2.5 text-xs text-zinc-500">
        <span className="font-medium text-zinc-800 tabular-nums">
          {result.row_count.toLocaleString("en")} row{result.row_count === 1 ? "" : "s"}
        </span>
        <span aria-hidden="true">·</span>
        <span className="tabular-nums">
          {result.columns.length} column{result.columns.length === 1 ? "" : "s"}
        </span>
        {capped && (
          <>
            <span aria-hidden="true">·</span>
            <span>first {result.limit.toLocaleString("en")} only (row limit)</span>
          </>
        )}
      </div>
      {result.columns.length === 0 ? (
        <p className="px-4 py-10 text-center text-sm text-zinc-500">No columns.</p>
      ) : (
        <div className="overflow-auto" style={{ maxHeight }}>
          <table
            aria-label="Preview rows"
            className="min-w-full border-separate border-spacing-0 text-[13px]"
          >
            <thead>
              <tr>
                <th
                  scope="col"
                  className="sticky top-0 left-0 z-20 w-10 border-r border-b border-zinc-200 bg-zinc-50 px-2 text-right text-[11px] font-normal text-zinc-400"
                >
                  <span className="sr-only">Row</span>#
                </th>
                {result.columns.map((c, i) => (
                  <th
                    key={c.name}
                    scope="col"
                    className={cn(
                      "sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-left font-normal whitespace-nowrap",
                      numeric[i] && "text-right",
                    )}
                  >
                    <span className="block font-mono text-[12.5px] font-semibold text-zinc-800">
                      {c.name}
                    </span>
                    <span className="block font-mono text-[10.5px] text-accent-600">
                      {c.data_type}
                    </span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no key but their place
                <tr key={r} className="group">
                  <td className="sticky left-0 border-r border-b border-zinc-100 bg-zinc-50 px-2 text-right text-[11px] text-zinc-400 tabular-nums group-hover:bg-zinc-100">
                    {r + 1}
                  </td>
                  {result.columns.map((c, i) => (
                    <td
                      key={c.name}
                      className={cn(
                        "h-8 max-w-[22rem] truncate border-b border-zinc-100 px-3 whitespace-nowrap text-zinc-800 group-hover:bg-zinc-50",
                        numeric[i] && "text-right font-mono text-[12.5px] tabular-nums",
                      )}
                    >
                      <Cell value={(row as unknown[])[i]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {result.rows.length === 0 && (
            <p className="px-4 py-10 text-center text-sm text-zinc-500">
              The query returned no rows.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

const SKELETON_WIDTHS = ["w-8", "w-32", "w-48", "w-20"];

/** Stands in for a PreviewGrid while rows are read; `label` says from where. */
export function PreviewGridSkeleton({
  label,
  rows = 6,
  columns = 4,
}: {
  label: string;
  rows?: number;
  columns?: number;
}) {
  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-card" aria-busy="true">
      <p role="status" className="border-b border-zinc-200/80 px-4 py-2.5 text-xs text-zinc-500">
        {label}
      </p>
      <div className="space-y-3 p-4">
        {Array.from({ length: rows }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
          <div key={i} className="flex gap-4">
            {SKELETON_WIDTHS.slice(0, columns).map((w) => (
              <Skeleton key={w} className={cn("h-4", w)} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
