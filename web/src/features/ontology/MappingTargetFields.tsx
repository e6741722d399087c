import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import type { Dataset } from "@/features/datasets/types";
import type { MappingFieldKey, MappingFormValues } from "./mappingForm";
import type { ObjectType } from "./types";

interface MappingTargetFieldsProps {
  values: MappingFormValues;
  onChange: (patch: Partial<MappingFormValues>) => void;
  onNameTyped: () => void;
  datasets: Dataset[] | undefined;
  types: ObjectType[] | undefined;
  errors: Partial<Record<MappingFieldKey, string>>;
  /** A saved mapping keeps its dataset and type. */
  locked: boolean;
}

/** Which dataset fills which object type, and the mapping's name. */
export function MappingTargetFields({
  values,
  onChange,
  onNameTyped,
  datasets,
  types,
  errors,
  locked,
}: MappingTargetFieldsProps) {
  const noData = datasets?.find((d) => d.id === values.datasetId)?.lake_version === null;
  return (
    <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
      <Field
        label="Dataset"
        required
        error={
          errors.datasetId ??
          (noData ? "This dataset has no data yet: run an extraction first." : undefined)
        }
        hint={locked ? "A saved mapping keeps its dataset." : "The rows to turn into objects."}
      >
        {(p) => (
          <Select
            {...p}
            value={values.datasetId}
            disabled={locked}
            onChange={(e) => onChange({ datasetId: e.target.value })}
          >
            <option value="">Pick a dataset…</option>
            {datasets?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
                {d.lake_version === null ? " (no data yet)" : ""}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        label="Object type"
        required
        error={errors.objectTypeId}
        hint={locked ? "A saved mapping keeps its object type." : "What each row becomes."}
      >
        {(p) => (
          <Select
            {...p}
            value={values.objectTypeId}
            disabled={locked}
            onChange={(e) => onChange({ objectTypeId: e.target.value, rows: {} })}
          >
            <option value="">Pick an object type…</option>
            {types?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.display_name || t.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Mapping name" required error={errors.name}>
        {(p) => (
          <Input
            {...p}
            value={values.name}
            autoComplete="off"
            placeholder="aircraft inventory to Aircraft"
            onChange={(e) => {
              onNameTyped();
              onChange({ name: e.target.value });
            }}
          />
        )}
      </Field>
    </div>
  );
}
