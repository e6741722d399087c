/** Datasets as people read them: modes, schedules, durations and rates. */
import type { ExtractMode, MisfirePolicy, ReadSpec, Run, Schedule, SchemaPolicy } from "./types";

export const MODES: Record<ExtractMode, { short: string; label: string; description: string }> = {
  full: {
    short: "Full",
    label: "Full refresh",
    description: "Every run reads everything and replaces the table (as a new version).",
  },
  append: {
    short: "Append",
    label: "Incremental append",
    description: "Each run reads only rows past the watermark and appends them.",
  },
  merge: {
    short: "Merge",
    label: "Incremental merge",
    description:
      "Each run reads rows past the watermark and upserts them on the primary key (updates replace, new rows are added).",
  },
};

export const SCHEMA_POLICIES: Record<SchemaPolicy, { label: string; description: string }> = {
  allow_all: {
    label: "Allow all",
    description: "Any change is accepted: the table takes the source's new schema.",
  },
  add_columns: {
    label: "Add columns only",
    description: "New columns and safe widenings are accepted; any other change fails the run.",
  },
  block: {
    label: "Block",
    description: "Any change fails the run, so nothing downstream is surprised.",
  },
};

export const MISFIRE: Record<MisfirePolicy, { label: string; description: string }> = {
  skip: {
    label: "Skip",
    description: "Runs missed while the server was down are dropped; the next tick runs.",
  },
  run_once: {
    label: "Run once",
    description: "Runs missed while the server was down are caught up with a single run.",
  },
};

export const TRIGGERS: Record<Run["trigger"], string> = {
  manual: "Manual",
  schedule: "Schedule",
  reprocess: "Re-process",
};

export function formatRows(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toLocaleString("en");
}

/** "1 row", "50 rows". */
export function rowCount(n: number): string {
  return `${formatRows(n)} row${n === 1 ? "" : "s"}`;
}

/** The first line of a (possibly long, multi-line) message, cut to `max` characters. */
export function firstLine(text: string, max = 160): string {
  const line = text.split("\n").find((l) => l.trim()) ?? "";
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** The last part of a path (`/data/in/orders.csv` → `orders.csv`). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

/** "850 ms", "12.3 s", "4 m 05 s", "1 h 02 m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const total = Math.floor(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} m`;
  return `${m} m ${String(sec).padStart(2, "0")} s`;
}

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/** "0 rows/s", "840 rows/s", "12.4K rows/s". */
export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond)) return "—";
  const n =
    perSecond < 1000 ? Math.round(perSecond).toLocaleString("en") : compact.format(perSecond);
  return `${n} rows/s`;
}

/** How long a run has taken: its recorded duration, else the time since it started (live). */
export function elapsedMs(run: Run, now: number): number | null {
  if (run.duration_ms !== null) return run.duration_ms;
  const from = run.started_at ?? (run.status === "queued" ? run.created_at : null);
  if (!from) return null;
  const end = run.finished_at ? new Date(run.finished_at).getTime() : now;
  return Math.max(0, end - new Date(from).getTime());
}

/** Rows per second over the run so far (null before it has read for a moment). */
export function rowsPerSecond(run: Run, now: number): number | null {
  if (!run.started_at) return null;
  const ms = elapsedMs(run, now);
  if (ms === null || ms < 500) return null;
  return run.rows / (ms / 1000);
}

/** What the spec reads, in a few words: a table name, the query's first line, a path. */
export function describeSpec(spec: ReadSpec): string {
  switch (spec.kind) {
    case "table":
      return spec.table;
    case "query": {
      const oneLine = spec.sql.replace(/\s+/g, " ").trim();
      return oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
    }
    case "file":
      return spec.sheet ? `${spec.path} › ${spec.sheet}` : spec.path;
    case "endpoint":
      return spec.path;
    default:
      return "";
  }
}

export const SPEC_KIND_LABELS: Record<ReadSpec["kind"], string> = {
  table: "Table",
  query: "SQL query",
  file: "File",
  endpoint: "Endpoint",
};

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const INT = /^\d+$/;

function hhmm(h: string, m: string): string {
  return `${h.padStart(2, "0")}:${m.padStart(2, "0")}`;
}

/**
 * The common cron shapes in words ("Every day at 02:00"); null for anything else, which is then
 * shown as written.
 */
export function describeCron(cron: string): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [min = "", hour = "", dom = "", mon = "", dow = ""] = parts;
  const anyDay = dom === "*" && mon === "*";
  if (parts.every((p) => p === "*")) return "Every minute";
  const everyMin = /^\*\/(\d+)$/.exec(min);
  if (everyMin && hour === "*" && anyDay && dow === "*") return `Every ${everyMin[1]} minutes`;
  if (!INT.test(min)) return null;
  if (hour === "*" && anyDay && dow === "*") {
    return min === "0" ? "Every hour, on the hour" : `Every hour at :${min.padStart(2, "0")}`;
  }
  const everyHour = /^\*\/(\d+)$/.exec(hour);
  if (everyHour && anyDay && dow === "*") {
    return `Every ${everyHour[1]} hours at :${min.padStart(2, "0")}`;
  }
  if (!INT.test(hour)) return null;
  const at = hhmm(hour, min);
  if (anyDay && dow === "*") return `Every day at ${at}`;
  if (anyDay && dow === "1-5") return `Weekdays at ${at}`;
  if (anyDay && INT.test(dow) && Number(dow) <= 7) return `Every ${DAYS[Number(dow) % 7]} at ${at}`;
  if (INT.test(dom) && mon === "*" && dow === "*") return `Day ${dom} of every month at ${at}`;
  return null;
}

/** "0 2 * * * (Europe/Paris)" in short, or "Manual". */
export function scheduleSummary(schedule: Schedule | null): string {
  if (!schedule) return "Manual";
  const words = describeCron(schedule.cron);
  return `${words ?? schedule.cron} · ${schedule.timezone}`;
}

/** Zones offered by the time zone field (anything else can be typed). */
export const COMMON_TIME_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Dublin",
  "Europe/Lisbon",
  "Europe/Paris",
  "Europe/Brussels",
  "Europe/Amsterdam",
  "Europe/Berlin",
  "Europe/Madrid",
  "Europe/Rome",
  "Europe/Zurich",
  "Europe/Stockholm",
  "Europe/Warsaw",
  "Europe/Athens",
  "Europe/Helsinki",
  "Europe/Kyiv",
  "Europe/Istanbul",
  "Africa/Cairo",
  "Africa/Lagos",
  "Africa/Nairobi",
  "Africa/Johannesburg",
  "Asia/Dubai",
  "Asia/Karachi",
  "Asia/Kolkata",
  "Asia/Bangkok",
  "Asia/Singapore",
  "Asia/Shanghai",
  "Asia/Hong_Kong",
  "Asia/Seoul",
  "Asia/Tokyo",
  "Australia/Perth",
  "Australia/Sydney",
  "Pacific/Auckland",
  "Pacific/Honolulu",
  "America/Anchorage",
  "America/Los_Angeles",
  "America/Denver",
  "America/Phoenix",
  "America/Chicago",
  "America/Mexico_City",
  "America/New_York",
  "America/Toronto",
  "America/Bogota",
  "America/Sao_Paulo",
  "America/Argentina/Buenos_Aires",
];

/** The browser's zone (the default for a new schedule), else UTC. */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** "Mon, Nov 24, 02:00" in `timeZone` (or the browser's zone when that name isn't valid). */
export function formatInZone(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = {
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  };
  try {
    return new Intl.DateTimeFormat("en", { ...opts, timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat("en", opts).format(d);
  }
}
