import { type FormEvent, useState } from "react";
import { ApiError, errorMessage } from "@/api/errors";
import type { Clearance, Role, User } from "@/api/types";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { useToast } from "@/components/ui/Toast";
import { GeneratedPasswordField } from "./PasswordField";
import { useCreateUser, useResetPassword, useUpdateUser } from "./queries";
import { RoleClearanceFields } from "./RoleClearanceFields";

function fieldErrors(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors : {};
}

/** An error with no field to sit next to goes in an alert at the top of the form. */
function FormError({ error }: { error: unknown }) {
  if (!error || Object.keys(fieldErrors(error)).length > 0) return null;
  return <Alert tone="error">{errorMessage(error)}</Alert>;
}

export function NewUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const toast = useToast();
  const create = useCreateUser();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("analyst");
  const [clearance, setClearance] = useState<Clearance>("U");
  const [password, setPassword] = useState("");
  const errors = fieldErrors(create.error);

  function close() {
    create.reset();
    setUsername("");
    setDisplayName("");
    setEmail("");
    setRole("analyst");
    setClearance("U");
    setPassword("");
    onClose();
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      {
        username: username.trim(),
        display_name: displayName.trim() || username.trim(),
        email: email.trim() || null,
        role,
        clearance,
        password,
      },
      {
        onSuccess: (u) => {
          toast.success(
            `Created ${u.username}`,
            "Share the initial password securely; they'll choose their own at first sign-in.",
          );
          close();
        },
      },
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="New user"
      description="The user signs in with the initial password and must then choose their own."
    >
      <form onSubmit={onSubmit} noValidate>
        <DialogBody>
          <FormError error={create.error} />
          <div className="grid grid-cols-2 gap-3">
            <Field label="Username" error={errors.username}>
              {(p) => (
                <Input
                  {...p}
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  placeholder="jdoe"
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                />
              )}
            </Field>
            <Field label="Display name" error={errors.display_name}>
              {(p) => (
                <Input
                  {...p}
                  autoComplete="off"
                  placeholder="Jane Doe"
                  value={displayName}
                  onChange={(e) => setDisplayName(e.target.value)}
                />
              )}
            </Field>
          </div>
          <Field label="Email" optional error={errors.email}>
            {(p) => (
              <Input
                {...p}
                type="email"
                autoComplete="off"
                placeholder="jane.doe@agency.gov"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <RoleClearanceFields
            role={role}
            clearance={clearance}
            onRole={setRole}
            onClearance={setClearance}
            errors={errors}
          />
          <GeneratedPasswordField
            label="Initial password"
            value={password}
            onChange={setPassword}
            error={errors.password}
          />
        </DialogBody>
        <DialogFooter>
          <Button onClick={close}>Cancel</Button>
          <Button
            type="submit"
            variant="primary"
            loading={create.isPending}
            disabled={!username.trim() || !password}
          >
            Create user
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

export function EditUserDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Dialog
      open={!!user}
      onClose={onClose}
      title={user ? `Edit ${user.username}` : "Edit user"}
      description="Changes apply at the user's next request."
    >
      {user && <EditUserForm key={user.id} user={user} onClose={onClose} />}
    </Dialog>
  );
}

function EditUserForm({ user, onClose }: { user: User; onClose: () => void }) {
  const toast = useToast();
  const update = useUpdateUser();
  const [displayName, setDisplayName] = useState(user.display_name);
  const [email, setEmail] = useState(user.email ?? "");
  const [role, setRole] = useState<Role>(user.role);
  const [clearance, setClearance] = useState<Clearance>(user.clearance);
  const errors = fieldErrors(update.error);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const patch: Parameters<typeof update.mutate>[0]["patch"] = {};
    if (displayName.trim() !== user.display_name) patch.display_name = displayName.trim();
    if ((email.trim() || null) !== user.email) patch.email = email.trim() || null;
    if (role !== user.role) patch.role = role;
    if (clearance !== user.clearance) patch.clearance = clearance;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { id: user.id, patch },
      {
        onSuccess: (u) => {
          toast.success(`Updated ${u.username}`);
          onClose();
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <DialogBody>
        <FormError error={update.error} />
        <Field label="Display name" error={errors.display_name}>
          {(p) => (
            <Input {...p} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          )}
        </Field>
        <Field label="Email" optional error={errors.email}>
          {(p) => (
            <Input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <RoleClearanceFields
          role={role}
          clearance={clearance}
          onRole={setRole}
          onClearance={setClearance}
          errors={errors}
        />
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

export function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Dialog
      open={!!user}
      onClose={onClose}
      title={user ? `Reset password for ${user.username}` : "Reset password"}
      description="They'll sign in with this password once and must then choose their own."
    >
      {user && <ResetPasswordForm key={user.id} user={user} onClose={onClose} />}
    </Dialog>
  );
}

function ResetPasswordForm({ user, onClose }: { user: User; onClose: () => void }) {
  const toast = useToast();
  const reset = useResetPassword();
  const [password, setPassword] = useState("");
  const errors = fieldErrors(reset.error);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    reset.mutate(
      { id: user.id, password },
      {
        onSuccess: () => {
          toast.success(`Password reset for ${user.username}`, "Share it with them securely.");
          onClose();
        },
      },
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <DialogBody>
        <FormError error={reset.error} />
        <GeneratedPasswordField
          label="New password"
          value={password}
          onChange={setPassword}
          error={errors.new_password}
        />
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" loading={reset.isPending} disabled={!password}>
          Reset password
        </Button>
      </DialogFooter>
    </form>
  );
}
