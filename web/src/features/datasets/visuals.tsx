import { CalendarClock, Hand, PauseCircle } from "lucide-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { Badge, type Tone } from "@/components/ui/Badge";
import { Spinner } from "@/components/ui/Spinner";
import type { ConnectorType } from "@/features/sources/types";
import { TypeIcon, typeTitle } from "@/features/sources/visuals";
import { cn } from "@/lib/cn";
import { formatDateTime, formatRelative } from "@/lib/time";
import { describeCron, MODES } from "./format";
import type { Dataset, ExtractMode, RunStatus, Schedule } from "./types";

const STATUS: Record<RunStatus, { tone: Tone; label: string }> = {
  queued: { tone: "neutral", label: "Queued" },
  running: { tone: "blue", label: "Running" },
  succeeded: { tone: "green", label: "Succeeded" },
  failed: { tone: "red", label: "Failed" },
  cancelled: { tone: "amber", label: "Cancelled" },
};

export function RunStatusBadge({ status, error }: { status: RunStatus; error?: string | null }) {
  const s = STATUS[status] ?? STATUS.queued;
  return (
    <Badge tone={s.tone} dot={status !== "running"} title={error ?? undefined}>
      {status === "running" && <Spinner className="size-3" />}
      {s.label}
    </Badge>
  );
}

const MODE_TONES: Record<ExtractMode, Tone> = {
  full: "neutral",
  append: "violet",
  merge: "accent",
};

export function ModeBadge({ mode }: { mode: ExtractMode }) {
  const m = MODES[mode];
  return (
    <Badge tone={MODE_TONES[mode]} title={`${m.label}: ${m.description}`}>
      {m.short}
    </Badge>
  );
}

/** "Every day at 02:00 · UTC" with the cron on hover, "Paused", or "Manual". */
export function ScheduleLabel({
  schedule,
  className,
}: {
  schedule: Schedule | null;
  className?: string;
}) {
  if (!schedule) {
    return (
      <span className={cn("inline-flex items-center gap-1.5 text-zinc-500", className)}>
        <Hand className="size-3.5 text-zinc-400" aria-hidden="true" />
        Manual
      </span>
    );
  }
  const words = describeCron(schedule.cron);
  return (
    <span
      className={cn("inline-flex min-w-0 items-center gap-1.5", className)}
      title={`${schedule.cron} (${schedule.timezone})`}
    >
      {schedule.enabled ? (
        <CalendarClock className="size-3.5 shrink-0 text-zinc-400" aria-hidden="true" />
      ) : (
        <PauseCircle className="size-3.5 shrink-0 text-amber-500" aria-hidden="true" />
      )}
      <span className="min-w-0">
        {!schedule.enabled && <span className="text-amber-700">Paused · </span>}
        {words ?? <code className="font-mono text-xs">{schedule.cron}</code>}
        <span className="text-zinc-400"> · {schedule.timezone}</span>
      </span>
    </span>
  );
}

export function SourceLink({
  dataset,
  types,
}: {
  dataset: Pick<Dataset, "source">;
  types: ConnectorType[] | undefined;
}) {
  const category = types?.find((t) => t.type === dataset.source.type)?.category;
  return (
    <span className="inline-flex min-w-0 items-center gap-2">
      <TypeIcon type={dataset.source.type} category={category} size="sm" />
      <span className="min-w-0">
        <Link
          to={`/sources/${dataset.source.id}`}
          className="block truncate text-zinc-800 hover:text-accent-700 hover:underline"
        >
          {dataset.source.name}
        </Link>
        <span className="block text-xs text-zinc-500">{typeTitle(dataset.source.type, types)}</span>
      </span>
    </span>
  );
}

/** A relative time that stays current (re-rendered every 30 s), exact on hover. */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = window.setInterval(() => setTick((n) => n + 1), 30_000);
    return () => window.clearInterval(t);
  }, []);
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className={cn("whitespace-nowrap", className)}>
      {formatRelative(iso)}
    </time>
  );
}

/** Now, advancing every second while `active` (for live elapsed times). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [active]);
  return active ? now : Date.now();
}

/**
 * A path cut in the middle when it doesn't fit (`exports/2024/…/people.csv`): the end, which
 * tells files apart, stays in view; the whole path is in the tooltip (and read out in full).
 */
export function MiddleTruncate({ text, className }: { text: string; className?: string }) {
  const name = text.split(/[\\/]/).at(-1) ?? text;
  const tailLength = name.length <= 28 ? name.length : 18;
  const head = text.slice(0, text.length - tailLength);
  const tail = text.slice(text.length - tailLength);
  return (
    <span title={text} className={cn("flex min-w-0", className)}>
      {head && <span className="truncate">{head}</span>}
      <span className="shrink-0 whitespace-pre">{tail}</span>
    </span>
  );
}
