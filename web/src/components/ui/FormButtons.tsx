import { Save } from "lucide-react";
import { Button } from "./Button";

/**
 * The end of a page-sized form: Cancel (when there is `onCancel`; off while saving) and the
 * submit button with the Save icon (unless `canSave` is false, e.g. a read-only view).
 */
export function CancelSaveButtons({
  submitLabel,
  saving,
  onCancel,
  canSave = true,
}: {
  submitLabel: string;
  saving: boolean;
  onCancel?: () => void;
  canSave?: boolean;
}) {
  return (
    <>
      {onCancel && (
        <Button onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
      )}
      {canSave && (
        <Button
          type="submit"
          variant="primary"
          loading={saving}
          icon={<Save className="size-4" aria-hidden="true" />}
        >
          {submitLabel}
        </Button>
      )}
    </>
  );
}
