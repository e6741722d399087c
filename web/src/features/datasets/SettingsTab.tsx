import { Lock } from "lucide-react";
import { useMemo } from "react";
import { Alert } from "@/components/ui/Alert";
import { useToast } from "@/components/ui/Toast";
import { DatasetForm } from "./DatasetForm";
import { useDatasetPage } from "./DatasetPage";
import { buildCreate, buildPatch, type DatasetFormValues, valuesFromDataset } from "./form";
import { useUpdateDataset } from "./queries";

/** Settings: the same form as a new dataset, prefilled; saving sends only what changed. */
export function SettingsTab() {
  const { dataset, canWrite } = useDatasetPage();
  const update = useUpdateDataset(dataset.id);
  const toast = useToast();
  // Re-mount the form when the saved settings change (not when a run updates the lake stats).
  const version = useMemo(() => {
    const { source_id: _s, ...settings } = buildCreate(valuesFromDataset(dataset));
    return JSON.stringify(settings);
  }, [dataset]);

  function save(values: DatasetFormValues, initial: DatasetFormValues) {
    const patch = buildPatch(initial, values);
    if (Object.keys(patch).length === 0) {
      toast.show({
        title: "Nothing to save",
        description: "No setting was changed.",
        tone: "info",
      });
      return;
    }
    update.mutate(patch, {
      onSuccess: (d) =>
        toast.success(
          `Saved ${d.name}`,
          patch.spec || patch.mode
            ? "The next run reads with the new settings; the table's history is kept."
            : undefined,
        ),
    });
  }

  return (
    <div className="flex flex-col gap-4">
      {!canWrite && (
        <Alert tone="info" title="Read only">
          <span className="inline-flex items-center gap-1.5">
            <Lock className="size-3.5" aria-hidden="true" />
            Only engineers who may use its source, and administrators, can change this dataset.
          </span>
        </Alert>
      )}
      <DatasetForm
        key={version}
        dataset={dataset}
        submitLabel="Save changes"
        saving={update.isPending}
        saveError={update.error}
        onSubmit={save}
        readOnly={!canWrite}
      />
    </div>
  );
}
