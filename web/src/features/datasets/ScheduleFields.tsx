import { useQuery } from "@tanstack/react-query";
import { CalendarClock } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { ApiError, errorMessage } from "@/api/errors";
import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { Spinner } from "@/components/ui/Spinner";
import { cn } from "@/lib/cn";
import { formatRelative } from "@/lib/time";
import { type DatasetFormValues, DEFAULT_CRON, type FormErrors, fieldForPath } from "./form";
import { COMMON_TIME_ZONES, describeCron, formatInZone, localTimeZone, MISFIRE } from "./format";
import { cronPreviewQuery } from "./queries";
import type { MisfirePolicy, Schedule } from "./types";

const PRESETS: Array<{ label: string; cron: string }> = [
  { label: "Hourly", cron: "0 * * * *" },
  { label: "Daily 02:00", cron: "0 2 * * *" },
  { label: "Weekdays 06:00", cron: "0 6 * * 1-5" },
  { label: "Mondays 07:00", cron: "0 7 * * 1" },
];

/** The value after it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** The cron preview's complaint, placed on the cron or the time zone field. */
function previewErrors(error: unknown): { cron?: string; timezone?: string } {
  if (!error) return {};
  if (error instanceof ApiError) {
    const fields = Array.isArray(error.details.fields) ? error.details.fields : [];
    const out: { cron?: string; timezone?: string } = {};
    for (const f of fields as Array<{ field?: unknown; message?: unknown }>) {
      if (typeof f.field !== "string" || typeof f.message !== "string") continue;
      const key = fieldForPath(f.field, null);
      if (key === "timezone") out.timezone ??= f.message;
      else out.cron ??= f.message;
    }
    if (out.cron || out.timezone) return out;
    if (/time ?zone/i.test(error.message)) return { timezone: error.message };
  }
  return { cron: errorMessage(error) };
}

interface ScheduleFieldsProps {
  values: DatasetFormValues;
  onChange: (patch: Partial<DatasetFormValues>) => void;
  errors: FormErrors;
  /** The saved schedule, when editing (to explain a paused one). */
  saved: Schedule | null | undefined;
}

/** On or off; when on: cron (with its next runs, checked by the server), zone, misfires. */
export function ScheduleFields({ values, onChange, errors, saved }: ScheduleFieldsProps) {
  const switchId = useId();
  const zonesId = useId();
  const cron = useDebounced(values.cron.trim(), 300);
  const tz = useDebounced(values.timezone.trim(), 300);
  const preview = useQuery({
    ...cronPreviewQuery(cron, tz),
    enabled: values.scheduleOn && !!cron && !!tz,
  });
  const live = previewErrors(preview.isError ? preview.error : null);
  const words = describeCron(values.cron);
  const zones = [...new Set([localTimeZone(), ...COMMON_TIME_ZONES])];
  const settling = cron !== values.cron.trim() || tz !== values.timezone.trim();

  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <button
          id={switchId}
          type="button"
          role="switch"
          aria-checked={values.scheduleOn}
          onClick={() =>
            onChange({ scheduleOn: !values.scheduleOn, cron: values.cron || DEFAULT_CRON })
          }
          className={cn(
            "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-500",
            values.scheduleOn ? "bg-accent-600" : "bg-zinc-300",
          )}
        >
          <span
            aria-hidden="true"
            className={cn(
              "inline-block size-4 rounded-full bg-white shadow transition-transform",
              values.scheduleOn ? "translate-x-4.5" : "translate-x-0.5",
            )}
          />
        </button>
        <label htmlFor={switchId} className="text-[13px] font-medium text-zinc-800">
          Run on a schedule
        </label>
        {!values.scheduleOn && (
          <span className="text-xs text-zinc-500">
            {saved && !saved.enabled
              ? `Paused (${saved.cron}, ${saved.timezone}). Turn it on to resume.`
              : "Off: runs start only when someone presses Run now."}
          </span>
        )}
      </div>

      {values.scheduleOn && (
        <div className="grid grid-cols-1 gap-x-6 gap-y-4 rounded-lg bg-zinc-50/80 p-4 ring-1 ring-zinc-200/70 ring-inset md:grid-cols-[1fr_16rem]">
          <div className="flex flex-col gap-2">
            <Field
              label="Cron"
              required
              error={errors.cron ?? (settling ? undefined : live.cron)}
              hint={
                words ? (
                  <span className="font-medium text-zinc-700">{words}</span>
                ) : (
                  "Five fields: minute hour day-of-month month day-of-week."
                )
              }
            >
              {(p) => (
                <Input
                  {...p}
                  value={values.cron}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="0 2 * * *"
                  onChange={(e) => onChange({ cron: e.target.value })}
                  className="max-w-xs font-mono"
                />
              )}
            </Field>
            <div className="flex flex-wrap gap-1.5">
              {PRESETS.map((p) => (
                <button
                  key={p.cron}
                  type="button"
                  aria-pressed={values.cron.trim() === p.cron}
                  onClick={() => onChange({ cron: p.cron })}
                  className="inline-flex h-6 items-center rounded-md bg-white px-2 text-xs text-zinc-600 ring-1 ring-zinc-200 ring-inset hover:bg-zinc-100 aria-pressed:bg-accent-50 aria-pressed:text-accent-800 aria-pressed:ring-accent-300"
                >
                  {p.label}
                </button>
              ))}
            </div>
            <NextRuns
              loading={preview.isFetching || settling}
              runs={preview.isError || settling ? undefined : preview.data?.next_runs}
              timezone={values.timezone.trim()}
            />
          </div>
          <div className="flex flex-col gap-4">
            <Field
              label="Time zone"
              required
              error={errors.timezone ?? (settling ? undefined : live.timezone)}
              hint="The cron is read in this zone (daylight saving included)."
            >
              {(p) => (
                <Input
                  {...p}
                  list={zonesId}
                  value={values.timezone}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="UTC"
                  onChange={(e) => onChange({ timezone: e.target.value })}
                />
              )}
            </Field>
            <datalist id={zonesId}>
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <div className="flex flex-col gap-1.5">
              <span aria-hidden="true" className="text-[13px] font-medium text-zinc-800">
                Missed runs
              </span>
              <SegmentedControl<MisfirePolicy>
                label="Missed runs"
                value={values.misfire}
                onChange={(m) => onChange({ misfire: m })}
                options={[
                  { value: "skip", label: MISFIRE.skip.label },
                  { value: "run_once", label: MISFIRE.run_once.label },
                ]}
                className="self-start"
              />
              <p className="text-xs text-zinc-500">{MISFIRE[values.misfire].description}</p>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

function NextRuns({
  loading,
  runs,
  timezone,
}: {
  loading: boolean;
  runs: string[] | undefined;
  timezone: string;
}) {
  return (
    <div className="mt-1" aria-live="polite">
      <p className="mb-1 flex items-center gap-1.5 text-xs font-medium text-zinc-500">
        <CalendarClock className="size-3.5" aria-hidden="true" />
        Next runs
        {loading && <Spinner className="size-3" />}
      </p>
      {runs && runs.length > 0 ? (
        <ol aria-label="Next runs" className="flex flex-col gap-0.5 text-[13px] text-zinc-700">
          {runs.map((r) => (
            <li key={r} className="flex gap-2 tabular-nums">
              <span>{formatInZone(r, timezone)}</span>
              <span className="text-zinc-400">{formatRelative(r)}</span>
            </li>
          ))}
        </ol>
      ) : (
        !loading && <p className="text-xs text-zinc-400">—</p>
      )}
    </div>
  );
}
