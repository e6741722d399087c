import { Lock } from "lucide-react";
import { useMemo } from "react";
import { Alert } from "@/components/ui/Alert";
import { useToast } from "@/components/ui/Toast";
import { MappingEditor } from "./MappingEditor";
import { useMappingPage } from "./MappingPage";
import { buildUpdate, type MappingFormValues, valuesFromMapping } from "./mappingForm";
import { useUpdateMapping } from "./queries";

/** Mapping: the editor, prefilled; its dataset and object type are fixed. */
export function MappingEditTab() {
  const { mapping, canWrite } = useMappingPage();
  const update = useUpdateMapping(mapping.id);
  const toast = useToast();
  // Re-mount the editor when the saved mapping changes (not when a sync updates its status).
  const version = useMemo(() => {
    const { name, description, properties, sync_mode, on_conflict, schedule } = mapping;
    return JSON.stringify([name, description, properties, sync_mode, on_conflict, schedule]);
  }, [mapping]);

  function save(values: MappingFormValues, known: string[]) {
    update.mutate(buildUpdate(values, known), {
      onSuccess: (m) => toast.success(`Saved ${m.name}`, "The next sync uses the new mapping."),
    });
  }

  return (
    <div className="flex flex-col gap-4">
      {!canWrite && (
        <Alert tone="info" title="Read only">
          <span className="inline-flex items-center gap-1.5">
            <Lock className="size-3.5" aria-hidden="true" />
            Only the mapping's owner ({mapping.owner.display_name}) and administrators can change
            it.
          </span>
        </Alert>
      )}
      <MappingEditor
        key={version}
        mapping={mapping}
        initial={valuesFromMapping(mapping)}
        submitLabel="Save mapping"
        saving={update.isPending}
        saveError={update.error}
        onSubmit={save}
        readOnly={!canWrite}
      />
    </div>
  );
}
