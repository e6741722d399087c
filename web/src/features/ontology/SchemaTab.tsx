import { Lock } from "lucide-react";
import { useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { useToast } from "@/components/ui/Toast";
import { BreakingChangesDialog } from "./BreakingChangesDialog";
import { ObjectTypeForm } from "./ObjectTypeForm";
import { useObjectTypePage } from "./ObjectTypePage";
import { useCheckObjectType, useUpdateObjectType } from "./queries";
import { buildUpdate, type TypeFormValues, valuesFromType } from "./typeForm";
import type { ObjectTypeUpdate, SchemaChange } from "./types";

/**
 * Schema: the editor, prefilled. A save is checked first; additive changes apply at once,
 * breaking ones (removed or retyped properties, a new required one, another key) ask before the
 * stored objects are rewritten.
 */
export function SchemaTab() {
  const { objectType: ot, canWrite } = useObjectTypePage();
  const check = useCheckObjectType(ot.id);
  const update = useUpdateObjectType(ot.id);
  const toast = useToast();
  const [pending, setPending] = useState<{ body: ObjectTypeUpdate; diff: SchemaChange } | null>(
    null,
  );
  // A saved change re-mounts the form with what the server now holds.
  const formKey = `${ot.id}:${ot.version}:${ot.updated_at}`;

  function apply(body: ObjectTypeUpdate, diff: SchemaChange) {
    update.mutate(body, {
      onSuccess: (saved) => {
        setPending(null);
        toast.success(
          saved.version > ot.version
            ? `Saved ${saved.name} v${saved.version}`
            : `Saved ${saved.name}`,
          diff.changes.length ? diff.changes.join("; ") : undefined,
        );
      },
      onError: () => setPending(null),
    });
  }

  function save(values: TypeFormValues) {
    const body = buildUpdate(values);
    if (JSON.stringify(body) === JSON.stringify(buildUpdate(valuesFromType(ot)))) {
      toast.show({ title: "Nothing to save", description: "No change was made.", tone: "info" });
      return;
    }
    update.reset();
    check.mutate(body, {
      onSuccess: (diff) => {
        if (diff.breaking.length > 0) setPending({ body, diff });
        else apply(body, diff);
      },
    });
  }

  return (
    <div className="flex flex-col gap-4">
      {!canWrite && (
        <Alert tone="info" title="Read only">
          <span className="inline-flex items-center gap-1.5">
            <Lock className="size-3.5" aria-hidden="true" />
            Only the type's owner ({ot.owner.display_name}) and administrators can change its
            schema.
          </span>
        </Alert>
      )}
      <ObjectTypeForm
        key={formKey}
        initial={valuesFromType(ot)}
        creating={false}
        submitLabel="Save schema"
        saving={check.isPending || (update.isPending && !pending)}
        saveError={check.error ?? update.error}
        onSubmit={save}
        readOnly={!canWrite}
        footerNote={
          canWrite && (
            <p className="text-xs text-zinc-500">
              Saving makes version {ot.version + 1} when properties or the key change. Additive
              changes apply at once; you'll be asked before anything rewrites stored objects.
            </p>
          )
        }
      />
      <BreakingChangesDialog
        typeName={ot.name}
        diff={pending?.diff ?? null}
        objectCount={ot.object_count}
        pending={update.isPending}
        onClose={() => setPending(null)}
        onConfirm={() => pending && apply({ ...pending.body, migration: "rewrite" }, pending.diff)}
      />
    </div>
  );
}
