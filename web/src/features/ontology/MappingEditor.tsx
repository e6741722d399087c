import { useQuery } from "@tanstack/react-query";
import { RotateCw, Sparkles } from "lucide-react";
import { type FormEvent, useCallback, useEffect, useMemo, useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { CancelSaveButtons } from "@/components/ui/FormButtons";
import { Skeleton } from "@/components/ui/Skeleton";
import { dataQuery, datasetQuery, datasetsQuery } from "@/features/datasets/queries";
import { DatasetSample, SAMPLE_ROWS } from "./DatasetSample";
import { FormSection } from "./FormSection";
import { MappingTargetFields } from "./MappingTargetFields";
import {
  issuesByProperty,
  type MappingFieldKey,
  type MappingFormValues,
  mappingServerErrors,
} from "./mappingForm";
import { PropertyMappingsTable } from "./PropertyMappingsTable";
import { objectTypeQuery, objectTypesQuery } from "./queries";
import { ResultPreview } from "./ResultPreview";
import { SyncSettingsFields } from "./SyncSettingsFields";
import type { Mapping } from "./types";
import { useAutoSuggest } from "./useAutoSuggest";
import { useMappingPreview } from "./useMappingPreview";

interface MappingEditorProps {
  initial: MappingFormValues;
  /** The saved mapping, when editing: its dataset and type are fixed. */
  mapping?: Mapping;
  submitLabel: string;
  saving: boolean;
  saveError: unknown;
  onSubmit: (values: MappingFormValues, known: string[]) => void;
  onCancel?: () => void;
  readOnly?: boolean;
}

/**
 * The mapping editor of the wireframe: dataset and type, the dataset's first rows, one row per
 * property (column, path, transform, default, live preview, suggestion confidence), the result
 * preview with the rows a sync would reject, and the sync settings.
 */
export function MappingEditor(props: MappingEditorProps) {
  const { initial, mapping, submitLabel, saving, saveError, onSubmit, onCancel, readOnly } = props;
  const [values, setValues] = useState(initial);
  const [nameTouched, setNameTouched] = useState(!!initial.name);
  const [attempt, setAttempt] = useState<string | null>(null);
  const datasets = useQuery(datasetsQuery);
  const types = useQuery(objectTypesQuery);
  const objectType = useQuery({
    ...objectTypeQuery(values.objectTypeId),
    enabled: !!values.objectTypeId,
  });
  const dataset = useQuery({ ...datasetQuery(values.datasetId), enabled: !!values.datasetId });
  const hasData = dataset.data?.lake_version !== null && dataset.data?.lake_version !== undefined;
  const sample = useQuery({ ...dataQuery(values.datasetId, null, SAMPLE_ROWS), enabled: hasData });
  const known = useMemo(
    () => objectType.data?.properties.map((p) => p.name) ?? null,
    [objectType.data],
  );
  const preview = useMappingPreview(values, hasData ? known : null);
  const auto = useAutoSuggest(setValues);

  const current = JSON.stringify(values);
  const fromSave = attempt === current ? mappingServerErrors(saveError) : null;
  const live = preview.settling ? {} : issuesByProperty(preview.data?.issues);
  const issues = { ...live, ...fromSave?.properties };
  const errors: Partial<Record<MappingFieldKey, string>> = { ...fromSave?.fields };
  if (attempt !== null) {
    if (!values.datasetId) errors.datasetId ??= "Pick the dataset to read.";
    if (!values.objectTypeId) errors.objectTypeId ??= "Pick the object type to fill.";
    if (!values.name.trim()) errors.name ??= "Name the mapping.";
  }

  /** Until someone types a name: "<dataset> to <type>". */
  const autoName = useCallback(
    (v: MappingFormValues) => {
      const d = datasets.data?.items.find((x) => x.id === v.datasetId);
      const t = types.data?.items.find((x) => x.id === v.objectTypeId);
      return d && t ? `${d.name} to ${t.name}` : "";
    },
    [datasets.data, types.data],
  );

  // A dataset and type given in the URL name the mapping once both lists have loaded.
  useEffect(() => {
    if (!nameTouched) setValues((v) => (v.name ? v : { ...v, name: autoName(v) }));
  }, [autoName, nameTouched]);

  function update(patch: Partial<MappingFormValues>) {
    setValues((v) => {
      const next = { ...v, ...patch };
      if (!nameTouched && (patch.datasetId !== undefined || patch.objectTypeId !== undefined)) {
        next.name = autoName(next);
      }
      return next;
    });
    if (patch.datasetId !== undefined || patch.objectTypeId !== undefined) auto.clear();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setAttempt(current);
    if (!values.datasetId || !values.objectTypeId || !values.name.trim() || !known) return;
    onSubmit(values, known);
  }

  // Properties the saved mapping fills that the type has since lost (a breaking change).
  const stale = known ? Object.keys(initial.rows).filter((name) => !known.includes(name)) : [];
  const ready = !!values.datasetId && !!values.objectTypeId && !!objectType.data;
  const columns = dataset.data?.columns ?? [];
  return (
    <form onSubmit={submit} noValidate aria-label={mapping ? "Edit mapping" : "New mapping"}>
      <fieldset disabled={readOnly} className="contents">
        <Card>
          <FormSection
            title="Dataset and object type"
            description="Pick what to read and what it becomes, then map each property."
          >
            <MappingTargetFields
              values={values}
              onChange={update}
              onNameTyped={() => setNameTouched(true)}
              datasets={datasets.data?.items}
              types={types.data?.items}
              errors={errors}
              locked={!!mapping}
            />
          </FormSection>
          {values.datasetId && hasData && (
            <FormSection
              title={`Dataset preview (${SAMPLE_ROWS} rows)`}
              description={`The first rows of ${dataset.data?.name ?? "the dataset"}, latest version.`}
              action={
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => sample.refetch()}
                  disabled={sample.isFetching}
                  icon={<RotateCw className="size-3.5" aria-hidden="true" />}
                >
                  Refresh
                </Button>
              }
            >
              <DatasetSample sample={sample} />
            </FormSection>
          )}
          {values.objectTypeId && objectType.isPending && (
            <FormSection title="Property mappings" description="Reading the object type…">
              <div aria-busy="true" className="flex flex-col gap-3">
                <Skeleton className="h-8 w-full" />
                <Skeleton className="h-8 w-full" />
                <Skeleton className="h-8 w-2/3" />
              </div>
            </FormSection>
          )}
          {ready && objectType.data && (
            <FormSection
              title="Property mappings"
              description={
                <>
                  Where each property of{" "}
                  <span className="font-medium text-zinc-700">{objectType.data.name}</span> comes
                  from. A transform is an expression over <code className="font-mono">value</code>,
                  and the default fills nulls.
                  <span className="text-red-500"> *</span> required.
                </>
              }
              action={
                !readOnly && (
                  <Button
                    onClick={() => auto.run(values)}
                    loading={auto.pending}
                    disabled={!hasData}
                    icon={<Sparkles className="size-3.5" aria-hidden="true" />}
                  >
                    Auto-suggest
                  </Button>
                )
              }
            >
              {stale.length > 0 && (
                <Alert
                  tone="warning"
                  className="mb-4"
                  title={`${objectType.data.name} no longer has ${stale.join(", ")}`}
                >
                  This mapping still fills{" "}
                  {stale.length === 1 ? "that property" : "those properties"} (the type's schema
                  changed since it was saved). Saving drops {stale.length === 1 ? "it" : "them"}.
                </Alert>
              )}
              <PropertyMappingsTable
                objectType={objectType.data}
                rows={values.rows}
                columns={columns}
                onChange={(property, row) =>
                  setValues((v) => ({ ...v, rows: { ...v.rows, [property]: row } }))
                }
                preview={preview.data}
                issues={issues}
                suggestions={auto.suggestions}
                readOnly={readOnly}
              />
              <div className="mt-5">
                <h3 className="mb-2 text-[13px] font-medium text-zinc-800">Result preview</h3>
                <ResultPreview
                  preview={preview.data}
                  error={preview.error}
                  busy={preview.isFetching || preview.settling}
                  idle={
                    hasData
                      ? undefined
                      : "The dataset has no data yet: run an extraction, then the preview shows its first rows here."
                  }
                />
              </div>
            </FormSection>
          )}
          <FormSection
            title="Sync settings"
            description="How a sync writes the objects, and when it runs."
          >
            <SyncSettingsFields
              values={values}
              onChange={update}
              errors={errors}
              saved={mapping?.schedule}
            />
          </FormSection>
          {!readOnly && (
            <footer className="flex flex-col gap-3 rounded-b-xl border-t border-zinc-100 bg-zinc-50/70 px-6 py-4">
              {fromSave && fromSave.unplaced.length > 0 && (
                <Alert tone="error" title="Couldn't save the mapping">
                  <ul className="list-disc pl-4 break-words">
                    {fromSave.unplaced.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                </Alert>
              )}
              {fromSave && Object.keys(fromSave.properties).length > 0 && (
                <p className="text-xs text-red-600" role="status">
                  The server refused the mapping: see the properties marked above.
                </p>
              )}
              <div className="flex flex-wrap items-center justify-end gap-2">
                <CancelSaveButtons submitLabel={submitLabel} saving={saving} onCancel={onCancel} />
              </div>
            </footer>
          )}
        </Card>
      </fieldset>
    </form>
  );
}
