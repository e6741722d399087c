import type { ReactNode } from "react";
import { Badge } from "@/components/ui/Badge";
import { cn } from "@/lib/cn";
import { CLASSIFICATIONS, kindLabel } from "./format";
import type { Classification, PropertySpec } from "./types";

/** US marking colours, as on the clearance badges: U green, C blue, S red, TS orange. */
const MARKING: Record<Classification, string> = {
  U: "bg-green-700 text-white",
  C: "bg-blue-700 text-white",
  S: "bg-red-700 text-white",
  TS: "bg-orange-500 text-white",
};

export function ClassificationBadge({ value }: { value: Classification }) {
  return (
    <span
      title={`Classification: ${CLASSIFICATIONS[value]}`}
      className={cn(
        "inline-flex h-5 items-center rounded px-1.5 text-[11px] font-bold tracking-wider whitespace-nowrap uppercase",
        MARKING[value] ?? "bg-zinc-600 text-white",
      )}
    >
      {value}
      <span className="sr-only"> ({CLASSIFICATIONS[value]})</span>
    </span>
  );
}

/** A property's kind in monospace: `string`, `array<integer>`, `decimal(10,2)`. */
export function KindBadge({
  spec,
}: {
  spec: Pick<PropertySpec, "kind" | "items" | "precision" | "scale">;
}) {
  return (
    <Badge tone={spec.kind === "enum" ? "violet" : spec.kind === "object" ? "blue" : "neutral"}>
      <span className="font-mono text-[11px]">{kindLabel(spec)}</span>
    </Badge>
  );
}

/** A 0–1 confidence as a short bar and a percentage; `title` explains it on hover. */
export function ConfidenceMeter({ value, title }: { value: number; title?: string }) {
  const pct = Math.round(value * 100);
  const tone = pct >= 80 ? "bg-emerald-500" : pct >= 55 ? "bg-amber-400" : "bg-red-400";
  return (
    <span className="inline-flex items-center gap-1.5" title={title}>
      <span aria-hidden="true" className="h-1.5 w-10 overflow-hidden rounded-full bg-zinc-200">
        <span className={cn("block h-full rounded-full", tone)} style={{ width: `${pct}%` }} />
      </span>
      <span className="text-xs text-zinc-600 tabular-nums">
        <span className="sr-only">Confidence </span>
        {pct}%
      </span>
    </span>
  );
}

/**
 * Any JSON value, readably: null as NULL, booleans and numbers in colour, lists and records as
 * nested, indented lists (records' keys in grey).
 */
export function ValueView({ value, depth = 0 }: { value: unknown; depth?: number }): ReactNode {
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
  if (typeof value === "number") {
    return <span className="text-sky-800 tabular-nums">{value}</span>;
  }
  if (typeof value === "string") {
    return value === "" ? (
      <span className="text-xs text-zinc-300 italic">empty</span>
    ) : (
      <span className="break-words">{value}</span>
    );
  }
  if (depth > 4) return <code className="font-mono text-xs">{JSON.stringify(value)}</code>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="text-xs text-zinc-400">[ ] empty list</span>;
    return (
      <ol className="flex flex-col gap-0.5 border-l border-zinc-200 pl-3">
        {value.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a list's items are known by position
          <li key={i} className="flex gap-2">
            <span className="font-mono text-[11px] text-zinc-400 tabular-nums">{i}</span>
            <ValueView value={item} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span className="text-xs text-zinc-400">{"{ }"} empty</span>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 border-l border-zinc-200 pl-3">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-mono text-xs text-zinc-500">{k}</dt>
          <dd className="min-w-0">
            <ValueView value={v} depth={depth + 1} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A value in one table cell: scalars as text, lists and records as compact JSON. */
export function CellValue({ value }: { value: unknown }) {
  if (value === null || value === undefined || typeof value !== "object") {
    return <ValueView value={value} />;
  }
  const text = JSON.stringify(value);
  return (
    <span title={text} className="block max-w-64 truncate font-mono text-xs text-zinc-600">
      {text}
    </span>
  );
}
