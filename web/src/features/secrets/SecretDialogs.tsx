import { type FormEvent, useState } from "react";
import { ApiError, errorMessage } from "@/api/errors";
import type { Secret } from "@/api/types";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { Input, Textarea } from "@/components/ui/Input";
import { useToast } from "@/components/ui/Toast";
import { useCreateSecret, useUpdateSecret } from "./queries";

const NAME_HINT =
  "Letters, digits and . _ - /, starting with a letter or digit. Sources refer to the secret by this name.";

function fieldErrors(e: unknown): Record<string, string> {
  return e instanceof ApiError ? e.fieldErrors : {};
}

export function NewSecretDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New secret"
      description="Store a credential once; connectors use it by name and no one can read it back."
    >
      {open && <NewSecretForm onClose={onClose} />}
    </Dialog>
  );
}

function NewSecretForm({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const create = useCreateSecret();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [value, setValue] = useState("");
  const errors = fieldErrors(create.error);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), description: description.trim(), value },
      {
        onSuccess: (s) => {
          toast.success(`Stored secret ${s.name}`);
          onClose();
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <DialogBody>
        {create.error && Object.keys(errors).length === 0 && (
          <Alert tone="error">{errorMessage(create.error)}</Alert>
        )}
        <Field label="Name" error={errors.name} hint={NAME_HINT}>
          {(p) => (
            <Input
              {...p}
              autoComplete="off"
              spellCheck={false}
              placeholder="warehouse-db-password"
              className="font-mono"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Description" optional error={errors.description}>
          {(p) => (
            <Textarea
              {...p}
              rows={2}
              placeholder="Read-only login for the logistics warehouse"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Value"
          error={errors.value}
          hint="Encrypted at rest. It is never shown again — not even to administrators."
        >
          {(p) => (
            <Input
              {...p}
              type="password"
              autoComplete="new-password"
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          type="submit"
          variant="primary"
          loading={create.isPending}
          disabled={!name.trim() || !value}
        >
          Create secret
        </Button>
      </DialogFooter>
    </form>
  );
}

export function EditSecretDialog({
  secret,
  onClose,
}: {
  secret: Secret | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={!!secret}
      onClose={onClose}
      title={secret ? `Edit ${secret.name}` : "Edit secret"}
      description="Change the description, or replace the value. The current value can't be shown."
    >
      {secret && <EditSecretForm key={secret.id} secret={secret} onClose={onClose} />}
    </Dialog>
  );
}

function EditSecretForm({ secret, onClose }: { secret: Secret; onClose: () => void }) {
  const toast = useToast();
  const update = useUpdateSecret();
  const [description, setDescription] = useState(secret.description ?? "");
  const [value, setValue] = useState("");
  const errors = fieldErrors(update.error);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const patch: { description?: string; value?: string } = {};
    if (description.trim() !== (secret.description ?? "")) patch.description = description.trim();
    if (value) patch.value = value;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { id: secret.id, patch },
      {
        onSuccess: () => {
          toast.success(value ? `Replaced the value of ${secret.name}` : `Updated ${secret.name}`);
          onClose();
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <DialogBody>
        {update.error && Object.keys(errors).length === 0 && (
          <Alert tone="error">{errorMessage(update.error)}</Alert>
        )}
        <Field label="Description" optional error={errors.description}>
          {(p) => (
            <Textarea
              {...p}
              rows={2}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="New value"
          optional
          error={errors.value}
          hint="Leave empty to keep the current value."
        >
          {(p) => (
            <Input
              {...p}
              type="password"
              autoComplete="new-password"
              placeholder="••••••••"
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" loading={update.isPending}>
          Save changes
        </Button>
      </DialogFooter>
    </form>
  );
}
