import { useQuery } from "@tanstack/react-query";
import { CalendarClock } from "lucide-react";
import { useId } from "react";
import { errorMessage } from "@/api/errors";
import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { Spinner } from "@/components/ui/Spinner";
import {
  COMMON_TIME_ZONES,
  describeCron,
  formatInZone,
  localTimeZone,
} from "@/features/datasets/format";
import { cronPreviewQuery } from "@/features/datasets/queries";
import { cn } from "@/lib/cn";
import { formatRelative } from "@/lib/time";
import type { MappingFieldKey, MappingFormValues } from "./mappingForm";
import type { MappingSchedule } from "./types";
import { useDebounced } from "./useDebounced";

interface ScheduleSwitchProps {
  values: MappingFormValues;
  onChange: (patch: Partial<MappingFormValues>) => void;
  errors: Partial<Record<MappingFieldKey, string>>;
  saved: MappingSchedule | null | undefined;
}

/** Sync on a schedule or only on demand; when on, a cron (with its next times) and a zone. */
export function ScheduleSwitch({ values, onChange, errors, saved }: ScheduleSwitchProps) {
  const switchId = useId();
  const zonesId = useId();
  const cron = useDebounced(values.cron.trim(), 300);
  const tz = useDebounced(values.timezone.trim(), 300);
  const preview = useQuery({
    ...cronPreviewQuery(cron, tz),
    enabled: values.scheduleOn && !!cron && !!tz,
  });
  const settling = cron !== values.cron.trim() || tz !== values.timezone.trim();
  const words = describeCron(values.cron);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <button
          id={switchId}
          type="button"
          role="switch"
          aria-checked={values.scheduleOn}
          onClick={() => onChange({ scheduleOn: !values.scheduleOn })}
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
          Sync on a schedule
        </label>
        {!values.scheduleOn && (
          <span className="text-xs text-zinc-500">
            {saved && !saved.enabled
              ? `Paused (${saved.cron}, ${saved.timezone}). Turn it on to resume.`
              : "Off: syncs start only when someone presses Sync now."}
          </span>
        )}
      </div>
      {values.scheduleOn && (
        <div className="grid grid-cols-1 gap-x-6 gap-y-4 rounded-lg bg-zinc-50/80 p-4 ring-1 ring-zinc-200/70 ring-inset md:grid-cols-[1fr_16rem]">
          <div className="flex flex-col gap-2">
            <Field
              label="Cron"
              required
              error={
                errors.cron ??
                (preview.isError && !settling ? errorMessage(preview.error) : undefined)
              }
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
            <div aria-live="polite">
              <p className="mb-1 flex items-center gap-1.5 text-xs font-medium text-zinc-500">
                <CalendarClock className="size-3.5" aria-hidden="true" />
                Next syncs
                {(preview.isFetching || settling) && <Spinner className="size-3" />}
              </p>
              {!settling && preview.data && (
                <ol
                  aria-label="Next syncs"
                  className="flex flex-col gap-0.5 text-[13px] text-zinc-700"
                >
                  {preview.data.next_runs.map((r) => (
                    <li key={r} className="flex gap-2 tabular-nums">
                      <span>{formatInZone(r, values.timezone.trim())}</span>
                      <span className="text-zinc-400">{formatRelative(r)}</span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </div>
          <Field
            label="Time zone"
            required
            error={errors.timezone}
            hint="The cron is read in this zone."
          >
            {(p) => (
              <>
                <Input
                  {...p}
                  list={zonesId}
                  value={values.timezone}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="UTC"
                  onChange={(e) => onChange({ timezone: e.target.value })}
                />
                <datalist id={zonesId}>
                  {[...new Set([localTimeZone(), ...COMMON_TIME_ZONES])].map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
      )}
    </div>
  );
}
