import { useNavigate } from "react-router";
import { ApiError, errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { useToast } from "@/components/ui/Toast";
import { useMe } from "@/features/auth/queries";
import { useDeleteSource } from "./queries";
import type { Dependent, Source } from "./types";

function dependentsOf(error: unknown): Dependent[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  const list = error.details.dependents;
  return Array.isArray(list)
    ? (list as Dependent[]).filter((d) => d && typeof d.name === "string")
    : [];
}

/**
 * Ask before deleting a source. While datasets use it the server refuses (409) and names them;
 * an administrator may then delete it anyway.
 */
export function DeleteSourceDialog({
  source,
  onClose,
}: {
  source: Source | null;
  onClose: () => void;
}) {
  const remove = useDeleteSource();
  const toast = useToast();
  const navigate = useNavigate();
  const isAdmin = useMe().role === "admin";
  const dependents = dependentsOf(remove.error);
  const blocked = dependents.length > 0;

  function close() {
    remove.reset();
    onClose();
  }

  function confirm() {
    if (!source) return;
    remove.mutate(
      { id: source.id, force: blocked && isAdmin },
      {
        onSuccess: () => {
          toast.success(`Deleted ${source.name}`);
          remove.reset();
          navigate("/sources", { replace: true });
        },
      },
    );
  }

  return (
    <ConfirmDialog
      open={!!source}
      onClose={close}
      title={source ? `Delete ${source.name}?` : "Delete source"}
      confirmLabel={blocked ? (isAdmin ? "Delete anyway" : "Got it") : "Delete source"}
      tone={blocked && !isAdmin ? "primary" : "danger"}
      pending={remove.isPending}
      onConfirm={blocked && !isAdmin ? close : confirm}
    >
      {blocked ? (
        <div className="flex flex-col gap-3">
          <Alert tone="warning" title="Other things use this source">
            <ul className="mt-1 flex flex-col gap-0.5">
              {dependents.map((d) => (
                <li key={`${d.kind}:${d.id}`}>
                  <span className="text-xs text-amber-700 capitalize">{d.kind}</span>{" "}
                  <span className="font-medium">{d.name}</span>
                </li>
              ))}
            </ul>
          </Alert>
          <p>
            {isAdmin
              ? "Deleting it anyway leaves them without their data until they are pointed at another source."
              : "Delete or re-point them first, or ask an administrator to delete it anyway."}
          </p>
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          <p>
            The connection settings and stored secrets are removed, and everyone it was shared with
            loses access. Data already extracted from it stays in its datasets.
          </p>
          {remove.error !== null && !blocked && (
            <Alert tone="error">{errorMessage(remove.error)}</Alert>
          )}
        </div>
      )}
    </ConfirmDialog>
  );
}
