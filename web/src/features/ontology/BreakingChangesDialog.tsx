import { AlertTriangle } from "lucide-react";
import { Button } from "@/components/ui/Button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/Dialog";
import { plural } from "./format";
import type { SchemaChange } from "./types";

interface BreakingChangesDialogProps {
  typeName: string;
  /** The checked update; open while set. */
  diff: SchemaChange | null;
  objectCount: number | null;
  pending: boolean;
  onClose: () => void;
  onConfirm: () => void;
}

/** Lists what breaks the stored objects and asks before they are rewritten. */
export function BreakingChangesDialog({
  typeName,
  diff,
  objectCount,
  pending,
  onClose,
  onConfirm,
}: BreakingChangesDialogProps) {
  const other = diff ? diff.changes.filter((c) => !diff.breaking.includes(c)) : [];
  return (
    <Dialog
      open={!!diff}
      onClose={onClose}
      title={`Rewrite the objects of ${typeName}?`}
      icon={
        <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-amber-50 text-amber-600">
          <AlertTriangle className="size-4.5" aria-hidden="true" />
        </span>
      }
    >
      <DialogBody className="pt-2 text-sm text-zinc-600">
        <p>
          {objectCount
            ? `These changes don't fit the ${plural(objectCount, "object")} already stored. `
            : "These changes don't fit objects stored under the current schema. "}
          Saving rewrites them to the new schema: removed properties are dropped, kept ones are
          converted to their new kind (a value that doesn't fit becomes empty), and new ones start
          empty.
        </p>
        {diff && (
          <div>
            <p className="mb-1 text-xs font-medium tracking-wide text-amber-800 uppercase">
              Breaking
            </p>
            <ul aria-label="Breaking changes" className="flex flex-col gap-1">
              {diff.breaking.map((c) => (
                <li
                  key={c}
                  className="rounded-md bg-amber-50 px-2.5 py-1.5 font-mono text-xs text-amber-900 ring-1 ring-amber-200 ring-inset"
                >
                  {c}
                </li>
              ))}
            </ul>
          </div>
        )}
        {other.length > 0 && (
          <div>
            <p className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">
              Also changing
            </p>
            <ul className="flex flex-col gap-0.5 font-mono text-xs text-zinc-600">
              {other.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </div>
        )}
        <p className="text-xs text-zinc-500">
          The previous schema stays in the Versions tab, and the objects as they were stay in the
          lake table's history.
        </p>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose} data-autofocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={onConfirm} loading={pending}>
          Rewrite objects and save
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
