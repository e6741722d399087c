import {
  Braces,
  Cloud,
  Columns3,
  Database,
  Feather,
  FileSpreadsheet,
  FileText,
  Globe,
  HardDrive,
  type LucideIcon,
  Plug,
} from "lucide-react";
import { Badge } from "@/components/ui/Badge";
import { MetaItem } from "@/components/ui/DetailPage";
import { Avatar } from "@/features/auth/badges";
import { cn } from "@/lib/cn";
import type { ConnectorType, SourceStatus } from "./types";

interface Visual {
  icon: LucideIcon;
  /** Tailwind classes of the icon tile. */
  tile: string;
  blurb: string;
}

/** Known types by name (and common aliases); anything else is drawn by its category. */
const BY_TYPE: Record<string, Visual> = {
  postgres: {
    icon: Database,
    tile: "bg-sky-50 text-sky-700 ring-sky-600/20",
    blurb: "Tables, views and SQL queries on a PostgreSQL server.",
  },
  mysql: {
    icon: Database,
    tile: "bg-orange-50 text-orange-700 ring-orange-600/20",
    blurb: "Tables, views and SQL queries on MySQL or MariaDB.",
  },
  sqlite: {
    icon: Feather,
    tile: "bg-cyan-50 text-cyan-700 ring-cyan-600/20",
    blurb: "A SQLite database file on the server.",
  },
  csv: {
    icon: FileText,
    tile: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
    blurb: "Delimited text files in a folder, one table per file or glob.",
  },
  excel: {
    icon: FileSpreadsheet,
    tile: "bg-green-50 text-green-700 ring-green-600/20",
    blurb: "Excel workbooks; each sheet reads as a table.",
  },
  json: {
    icon: Braces,
    tile: "bg-amber-50 text-amber-700 ring-amber-600/25",
    blurb: "JSON and newline-delimited JSON files.",
  },
  parquet: {
    icon: Columns3,
    tile: "bg-violet-50 text-violet-700 ring-violet-600/20",
    blurb: "Columnar Parquet files, typed and fast to read.",
  },
  s3: {
    icon: Cloud,
    tile: "bg-amber-50 text-amber-800 ring-amber-600/25",
    blurb: "Files in an S3-compatible bucket (AWS, MinIO, Ceph).",
  },
  rest: {
    icon: Globe,
    tile: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
    blurb: "JSON endpoints of an HTTP API, with paging and auth.",
  },
};

const ALIASES: Record<string, string> = {
  postgresql: "postgres",
  pg: "postgres",
  mariadb: "mysql",
  xlsx: "excel",
  jsonl: "json",
  ndjson: "json",
  rest_api: "rest",
  http: "rest",
  api: "rest",
};

const BY_CATEGORY: Record<string, Visual> = {
  database: { icon: Database, tile: "bg-sky-50 text-sky-700 ring-sky-600/20", blurb: "" },
  file: { icon: FileText, tile: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", blurb: "" },
  object_store: {
    icon: HardDrive,
    tile: "bg-amber-50 text-amber-800 ring-amber-600/25",
    blurb: "",
  },
  api: { icon: Globe, tile: "bg-indigo-50 text-indigo-700 ring-indigo-600/20", blurb: "" },
};

const FALLBACK: Visual = {
  icon: Plug,
  tile: "bg-zinc-100 text-zinc-600 ring-zinc-500/15",
  blurb: "",
};

export const CATEGORIES: Array<{ id: string; label: string; description: string }> = [
  { id: "database", label: "Databases", description: "Relational servers and files you query." },
  { id: "file", label: "Files", description: "Files in a folder the server can read." },
  { id: "object_store", label: "Object storage", description: "Buckets of files." },
  { id: "api", label: "APIs", description: "Web services that answer with JSON." },
];

export function visualFor(type: string, category?: string): Visual {
  const key = type.toLowerCase();
  const known = BY_TYPE[ALIASES[key] ?? key];
  if (known) return known;
  return (category && BY_CATEGORY[category]) || FALLBACK;
}

/** What a type reads, in one sentence: ours for known types, else from what it can preview. */
export function blurbFor(t: ConnectorType): string {
  const known = visualFor(t.type, t.category).blurb;
  if (known) return known;
  const kinds = t.spec_kinds;
  if (kinds.includes("query")) return "Tables, views and SQL queries.";
  if (kinds.includes("endpoint")) return "JSON endpoints of a web service.";
  if (kinds.includes("file")) return "Files read as tables.";
  return `${t.title} data.`;
}

export function TypeIcon({
  type,
  category,
  size = "md",
  className,
}: {
  type: string;
  category?: string;
  size?: "sm" | "md" | "lg";
  className?: string;
}) {
  const { icon: Icon, tile } = visualFor(type, category);
  return (
    <span
      aria-hidden="true"
      className={cn(
        "inline-flex shrink-0 items-center justify-center ring-1 ring-inset",
        tile,
        size === "sm" && "size-6 rounded-md [&>svg]:size-3.5",
        size === "md" && "size-7 rounded-md [&>svg]:size-4",
        size === "lg" && "size-10 rounded-lg [&>svg]:size-5",
        className,
      )}
    >
      <Icon />
    </span>
  );
}

/** The type's title, from the connectors list when it has answered. */
export function typeTitle(type: string, types: ConnectorType[] | undefined): string {
  return types?.find((t) => t.type === type)?.title ?? type;
}

const STATUS: Record<SourceStatus, { tone: "green" | "red" | "neutral"; label: string }> = {
  active: { tone: "green", label: "Active" },
  error: { tone: "red", label: "Error" },
  untested: { tone: "neutral", label: "Untested" },
};

export function StatusBadge({ status, error }: { status: SourceStatus; error?: string | null }) {
  const s = STATUS[status] ?? STATUS.untested;
  return (
    <Badge tone={s.tone} dot title={status === "error" && error ? error : undefined}>
      {s.label}
      {status === "error" && error && <span className="sr-only">: {error}</span>}
    </Badge>
  );
}

/** The owner in a detail page's line of facts (a source's, or a dataset's). */
export function OwnerMeta({ name }: { name: string }) {
  return (
    <MetaItem>
      <Avatar name={name} className="size-5 text-[9px]" />
      <span>
        <span className="sr-only">Owner: </span>
        {name}
      </span>
    </MetaItem>
  );
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString("en")} ms`;
}

/** "15.18 (Debian…)" → "PostgreSQL 15.18 (Debian…)": a bare version number names its product. */
export function serverLabel(version: string | null | undefined, title?: string): string | null {
  if (!version) return null;
  return title && /^\d/.test(version) ? `${title} ${version}` : version;
}
