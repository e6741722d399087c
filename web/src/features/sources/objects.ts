/** Source objects as people read them, and as preview requests name them. */
import type { PreviewSpec, SourceObject } from "./types";

/** The name without its namespace (`public.orders` under `public` → `orders`). */
export function shortName(o: SourceObject): string {
  const ns = o.namespace;
  if (ns && o.name.length > ns.length && o.name.startsWith(ns)) {
    const rest = o.name.slice(ns.length);
    if (/^[./:#]/.test(rest)) return rest.slice(1);
  }
  return o.name;
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return n < 10_000 ? n.toLocaleString("en") : compact.format(n);
}

export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/**
 * How to preview an object, given what its source type reads (`spec_kinds`). A sheet is read
 * as its workbook (the namespace) with the sheet named; null when the type can't preview it.
 */
export function specForObject(o: SourceObject, kinds: readonly string[]): PreviewSpec | null {
  switch (o.kind) {
    case "table":
    case "view":
      if (kinds.includes("table")) return { kind: "table", table: o.name };
      return null;
    case "sheet":
      if (!kinds.includes("file")) return null;
      return o.namespace
        ? { kind: "file", path: o.namespace, sheet: shortName(o), has_header: true }
        : { kind: "file", path: o.name, has_header: true };
    case "file":
      return kinds.includes("file") ? { kind: "file", path: o.name, has_header: true } : null;
    case "endpoint":
      return kinds.includes("endpoint") ? { kind: "endpoint", path: o.name, params: {} } : null;
    default:
      return null;
  }
}
