import { ShieldAlert } from "lucide-react";
import { type FormEvent, useState } from "react";
import { ApiError, errorMessage } from "@/api/errors";
import type { TokenCreated } from "@/api/types";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { CopyButton } from "@/components/ui/CopyButton";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { formatDate } from "@/lib/time";
import { useCreateToken } from "./queries";

const EXPIRY_OPTIONS = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "No expiration" },
];

/** Create a token, then show its secret exactly once. */
export function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<TokenCreated | null>(null);
  function close() {
    setCreated(null);
    onClose();
  }
  if (created) return <TokenSecretDialog created={created} onClose={close} />;
  return (
    <Dialog
      open={open}
      onClose={close}
      title="New API token"
      description="Tokens let scripts and services call the dataops API as you, with your permissions."
    >
      {open && <CreateTokenForm onCreated={setCreated} onCancel={close} />}
    </Dialog>
  );
}

function CreateTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (c: TokenCreated) => void;
  onCancel: () => void;
}) {
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("90");
  const fields = create.error instanceof ApiError ? create.error.fieldErrors : {};

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), expires_in_days: expiry === "never" ? null : Number(expiry) },
      { onSuccess: onCreated },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <DialogBody>
        {create.error && Object.keys(fields).length === 0 && (
          <Alert tone="error">{errorMessage(create.error)}</Alert>
        )}
        <Field
          label="Token name"
          error={fields.name}
          hint="What will use it, e.g. “nightly-export job”."
        >
          {(p) => (
            <Input
              {...p}
              autoComplete="off"
              placeholder="ci-pipeline"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Expiration" error={fields.expires_in_days}>
          {(p) => (
            <Select {...p} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
              {EXPIRY_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {expiry === "never" && (
          <Alert tone="warning">
            Tokens that never expire are a standing risk. Prefer an expiry and rotate.
          </Alert>
        )}
      </DialogBody>
      <DialogFooter>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" loading={create.isPending} disabled={!name.trim()}>
          Create token
        </Button>
      </DialogFooter>
    </form>
  );
}

function TokenSecretDialog({ created, onClose }: { created: TokenCreated; onClose: () => void }) {
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Token “${created.token.name}” created`}
      description={
        created.token.expires_at
          ? `It expires on ${formatDate(created.token.expires_at)}.`
          : "It does not expire."
      }
    >
      <DialogBody>
        <Alert tone="warning" title="Copy the token now">
          This is the only time it is shown. Store it in a password manager or your CI's secret
          store; if you lose it, revoke it and create a new one.
        </Alert>
        <div>
          <label
            htmlFor="new-token-secret"
            className="mb-1.5 block text-[13px] font-medium text-zinc-800"
          >
            Token
          </label>
          <div className="flex items-center gap-2 rounded-lg bg-zinc-950 py-1.5 pr-1.5 pl-3 ring-1 ring-zinc-800">
            <ShieldAlert className="size-4 shrink-0 text-amber-400" aria-hidden="true" />
            <input
              id="new-token-secret"
              readOnly
              value={created.secret}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 bg-transparent font-mono text-[13px] text-zinc-100 outline-none"
              spellCheck={false}
            />
            <CopyButton
              value={created.secret}
              label="Copy token"
              showText
              className="bg-white/10 px-2 py-1 text-zinc-200 hover:bg-white/20 hover:text-white"
            />
          </div>
        </div>
        <div className="text-xs text-zinc-500">
          <p className="mb-1.5">Send it in the Authorization header:</p>
          <pre className="rounded-md bg-zinc-100 px-3 py-2 font-mono text-[12px] break-all whitespace-pre-wrap text-zinc-700">
            {`curl -H "Authorization: Bearer $DATAOPS_TOKEN" ${window.location.origin}/api/v1/auth/me`}
          </pre>
        </div>
      </DialogBody>
      <DialogFooter>
        <Button variant="primary" onClick={onClose} data-autofocus>
          I've copied it
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
