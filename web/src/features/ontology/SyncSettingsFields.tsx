import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { ON_CONFLICT, SYNC_MODES } from "./format";
import type { MappingFieldKey, MappingFormValues } from "./mappingForm";
import { ScheduleSwitch } from "./ScheduleSwitch";
import type { MappingSchedule, OnConflict, SyncMode } from "./types";

interface SyncSettingsFieldsProps {
  values: MappingFormValues;
  onChange: (patch: Partial<MappingFormValues>) => void;
  errors: Partial<Record<MappingFieldKey, string>>;
  saved: MappingSchedule | null | undefined;
}

function Choice<T extends string>({
  label,
  value,
  onChange,
  options,
  description,
}: {
  label: string;
  value: T;
  onChange: (v: T) => void;
  options: Record<T, { label: string }>;
  description: string;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <span aria-hidden="true" className="text-[13px] font-medium text-zinc-800">
        {label}
      </span>
      <SegmentedControl<T>
        label={label}
        value={value}
        onChange={onChange}
        options={(Object.keys(options) as T[]).map((v) => ({ value: v, label: options[v].label }))}
        className="self-start"
      />
      <p className="max-w-sm text-xs text-zinc-500">{description}</p>
    </div>
  );
}

/** How a sync writes the objects, and when it runs. */
export function SyncSettingsFields({ values, onChange, errors, saved }: SyncSettingsFieldsProps) {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap gap-x-10 gap-y-4">
        <Choice<SyncMode>
          label="Mode"
          value={values.syncMode}
          onChange={(syncMode) => onChange({ syncMode })}
          options={SYNC_MODES}
          description={SYNC_MODES[values.syncMode].description}
        />
        {values.syncMode === "upsert" && (
          <Choice<OnConflict>
            label="On conflict"
            value={values.onConflict}
            onChange={(onConflict) => onChange({ onConflict })}
            options={ON_CONFLICT}
            description={ON_CONFLICT[values.onConflict].description}
          />
        )}
      </div>
      <ScheduleSwitch values={values} onChange={onChange} errors={errors} saved={saved} />
    </div>
  );
}
