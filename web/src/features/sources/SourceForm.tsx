import { Plug } from "lucide-react";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { Field } from "@/components/ui/Field";
import { CancelSaveButtons } from "@/components/ui/FormButtons";
import { Input, Textarea } from "@/components/ui/Input";
import { CheckResultAlert } from "./CheckResultAlert";
import { useTestConnection } from "./queries";
import { compileSchema, type JsonSchema } from "./schema/compile";
import { type DraftObject, isRecord, objectConfig, objectDraft } from "./schema/draft";
import { SchemaForm } from "./schema/SchemaForm";
import {
  drawnPaths,
  type FieldErrors,
  NO_SECRETS,
  placeErrorPath,
  readableMessage,
  type SecretContext,
  validateDraft,
} from "./schema/validate";
import type { ConnectorType, Source } from "./types";
import { TypeIcon } from "./visuals";

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;

export interface SourceFormValues {
  name: string;
  description: string;
  config: Record<string, unknown>;
  /** Whether the settings differ from the saved ones (always true for a new source). */
  configChanged: boolean;
  /** These exact settings passed a connection test in the form. */
  tested: boolean;
}

interface SourceFormProps {
  type: ConnectorType;
  /** Editing: the saved source (its config prefills the form; its secrets may stay empty). */
  source?: Source;
  submitLabel: string;
  saving: boolean;
  saveError: unknown;
  onSubmit: (values: SourceFormValues) => void;
  onCancel: () => void;
}

function validateName(name: string): string | undefined {
  const n = name.trim();
  if (!n) return "Required.";
  if (n.length > 128) return "At most 128 characters.";
  if (!NAME_PATTERN.test(n)) {
    return "Start with a letter or digit; then letters, digits, spaces and _ . - only.";
  }
  return undefined;
}

/** Field errors from a 422, placed on the form: `body.config.port` → `port`. */
function serverErrors(error: unknown, spec: ReturnType<typeof compileSchema>, draft: DraftObject) {
  const config: FieldErrors = {};
  const top: FieldErrors = {};
  if (!(error instanceof ApiError)) return { config, top };
  const fields = Array.isArray(error.details.fields) ? error.details.fields : [];
  for (const f of fields as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof f.field !== "string" || typeof f.message !== "string") continue;
    const parts = f.field.split(".");
    if (parts[0] === "body") parts.shift();
    if (parts[0] === "config" && parts.length > 1) {
      const path = placeErrorPath(spec, draft, parts.slice(1));
      config[path] ??= readableMessage(f.message);
    } else if (parts[0]) {
      top[parts[0]] ??= readableMessage(f.message);
    }
  }
  return { config, top };
}

/**
 * Name, description and the type's settings (generated from its schema), with a connection test
 * before saving. Used to create a source and to edit one.
 */
export function SourceForm({
  type,
  source,
  submitLabel,
  saving,
  saveError,
  onSubmit,
  onCancel,
}: SourceFormProps) {
  const spec = useMemo(() => compileSchema(type.settings_schema as JsonSchema), [type]);
  const initialDraft = useMemo(
    () => objectDraft(spec, isRecord(source?.config) ? source.config : {}),
    [spec, source],
  );
  const secrets: SecretContext = useMemo(
    () => (source ? { stored: new Set(source.secrets_set), initial: source.config } : NO_SECRETS),
    [source],
  );
  const [name, setName] = useState(source?.name ?? "");
  const [description, setDescription] = useState(source?.description ?? "");
  const [draft, setDraft] = useState<DraftObject>(initialDraft);
  const [attempted, setAttempted] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const test = useTestConnection();
  const formRef = useRef<HTMLFormElement>(null);

  const clientErrors = attempted ? validateDraft(spec, draft, secrets) : {};
  const nameError = attempted ? validateName(name) : undefined;
  const fromTest = serverErrors(test.error, spec, draft);
  const fromSave = serverErrors(saveError, spec, draft);
  const configErrors = { ...fromTest.config, ...fromSave.config, ...clientErrors };
  const drawn = drawnPaths(spec, draft);
  const unplaced = Object.entries({ ...fromTest.config, ...fromSave.config }).filter(
    ([path]) => !drawn.has(path),
  );

  // After a refused submit, take the keyboard to the first field that needs attention.
  useEffect(() => {
    if (focusTick === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);

  function check(): boolean {
    setAttempted(true);
    const ok = !validateName(name) && Object.keys(validateDraft(spec, draft, secrets)).length === 0;
    if (!ok) setFocusTick((t) => t + 1);
    return ok;
  }

  function runTest() {
    setAttempted(true);
    if (Object.keys(validateDraft(spec, draft, secrets)).length > 0) {
      setFocusTick((t) => t + 1);
      return;
    }
    // Editing: secrets left empty are filled in by the server from the saved source.
    test.mutate({ type: type.type, config: objectConfig(spec, draft), source_id: source?.id });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!check()) return;
    const config = objectConfig(spec, draft);
    const changed =
      !source || JSON.stringify(config) !== JSON.stringify(objectConfig(spec, initialDraft));
    onSubmit({
      name: name.trim(),
      description: description.trim(),
      config,
      configChanged: changed,
      tested: test.data?.ok === true,
    });
  }

  const saveMessage =
    saveError && Object.keys(fromSave.config).length === 0 && !fromSave.top.name
      ? errorMessage(saveError)
      : null;

  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <Card>
        <section className="px-6 pt-5 pb-6">
          <h2 className="text-sm font-semibold text-zinc-900">Details</h2>
          <p className="mt-0.5 mb-4 text-xs text-zinc-500">How people will find this source.</p>
          <div className="grid grid-cols-1 gap-4">
            <Field
              label="Source name"
              required
              error={nameError ?? fromSave.top.name}
              hint="Letters, digits, spaces and _ . - — for example “logistics warehouse”."
              className="sm:max-w-[calc(50%-0.5rem)]"
            >
              {(p) => (
                <Input
                  {...p}
                  autoComplete="off"
                  spellCheck={false}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                />
              )}
            </Field>
            <Field label="Description" optional error={fromSave.top.description}>
              {(p) => (
                <Textarea
                  {...p}
                  rows={2}
                  className="min-h-16"
                  placeholder="What's in it, who runs it, anything a colleague should know."
                  value={description}
                  onChange={(e) => setDescription(e.target.value)}
                />
              )}
            </Field>
          </div>
        </section>
        <section className="border-t border-zinc-100 px-6 pt-5 pb-6">
          <div className="mb-4 flex items-center gap-2.5">
            <TypeIcon type={type.type} category={type.category} />
            <div>
              <h2 className="text-sm font-semibold text-zinc-900">Connection</h2>
              <p className="text-xs text-zinc-500">
                {type.title} settings. Secrets are encrypted at rest and never shown again.
              </p>
            </div>
          </div>
          <SchemaForm
            spec={spec}
            value={draft}
            onChange={(next) => {
              setDraft(next);
              if (test.data || test.error) test.reset();
            }}
            errors={configErrors}
            secrets={secrets}
            disabled={saving}
          />
        </section>
        <footer className="flex flex-col gap-3 rounded-b-xl border-t border-zinc-100 bg-zinc-50/70 px-6 py-4">
          {test.data && <CheckResultAlert result={test.data} typeTitle={type.title} />}
          {test.error && !Object.keys(fromTest.config).length && (
            <Alert tone="error" title="Connection test failed">
              {errorMessage(test.error)}
            </Alert>
          )}
          {unplaced.length > 0 && (
            <Alert tone="error" title="Some settings need attention">
              <ul className="list-disc pl-4">
                {unplaced.map(([path, message]) => (
                  <li key={path}>
                    <span className="font-mono text-xs">{path}</span>: {message}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          {saveMessage && (
            <Alert tone="error" title="Couldn't save the source">
              {saveMessage}
            </Alert>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <Button
              onClick={runTest}
              loading={test.isPending}
              disabled={saving}
              icon={<Plug className="size-4" aria-hidden="true" />}
            >
              Test connection
            </Button>
            <div className="ml-auto flex items-center gap-2">
              <CancelSaveButtons submitLabel={submitLabel} saving={saving} onCancel={onCancel} />
            </div>
          </div>
        </footer>
      </Card>
    </form>
  );
}
