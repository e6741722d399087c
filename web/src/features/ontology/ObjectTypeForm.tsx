import { type FormEvent, type ReactNode, useState } from "react";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Card } from "@/components/ui/Card";
import { Field } from "@/components/ui/Field";
import { CancelSaveButtons } from "@/components/ui/FormButtons";
import { Input, Textarea } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { useMe } from "@/features/auth/queries";
import { FormSection } from "./FormSection";
import { CLASSIFICATIONS } from "./format";
import { PropertiesEditor } from "./PropertiesEditor";
import {
  type PropertyDraft,
  type TypeFormErrors,
  type TypeFormValues,
  typeServerErrors,
  validateType,
} from "./typeForm";
import { type Classification, KEY_KINDS } from "./types";

const LEVELS: Classification[] = ["U", "C", "S", "TS"];

interface ObjectTypeFormProps {
  initial: TypeFormValues;
  creating: boolean;
  submitLabel: string;
  saving: boolean;
  saveError: unknown;
  onSubmit: (values: TypeFormValues) => void;
  onCancel?: () => void;
  readOnly?: boolean;
  /** Shown above the buttons (e.g. what a save will change). */
  footerNote?: ReactNode;
}

/** Name, display name, classification, description, the key and the properties. */
export function ObjectTypeForm({
  initial,
  creating,
  submitLabel,
  saving,
  saveError,
  onSubmit,
  onCancel,
  readOnly = false,
  footerNote,
}: ObjectTypeFormProps) {
  const me = useMe();
  const [values, setValues] = useState(initial);
  const [attempted, setAttempted] = useState(false);
  const clientErrors = attempted ? validateType(values, creating) : {};
  const server = typeServerErrors(saveError);
  const errors: TypeFormErrors = { ...server.fields, ...clientErrors };
  const rank = LEVELS.indexOf(me.clearance as Classification);
  const keyChoices = values.properties.filter((p) => p.name.trim() && KEY_KINDS.includes(p.kind));
  const update = (patch: Partial<TypeFormValues>) => setValues((v) => ({ ...v, ...patch }));

  /** Renaming the key property keeps it the key. */
  function changeProperties(properties: PropertyDraft[]) {
    setValues((v) => {
      const key = v.properties.find((p) => p.name.trim() === v.keyProperty);
      const renamed = key && properties.find((p) => p.uid === key.uid);
      const keyProperty = renamed ? renamed.name.trim() : v.keyProperty;
      return { ...v, properties, keyProperty };
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    if (Object.keys(validateType(values, creating)).length === 0) onSubmit(values);
  }

  const unplaced = server.unplaced.length
    ? server.unplaced
    : saveError && Object.keys(server.fields).length === 0
      ? [errorMessage(saveError)]
      : [];
  return (
    <form onSubmit={submit} noValidate aria-label={creating ? "New object type" : "Schema"}>
      <fieldset disabled={readOnly} className="contents">
        <Card>
          <FormSection title="Identity" description="How the type is named in the API and shown.">
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <Field
                label="Name"
                required
                error={errors.name}
                hint={
                  creating
                    ? "Used in the API, mappings and YAML — e.g. Aircraft. Can't be changed later."
                    : "Names are fixed once created."
                }
              >
                {(p) => (
                  <Input
                    {...p}
                    value={values.name}
                    disabled={!creating}
                    spellCheck={false}
                    autoComplete="off"
                    placeholder="Aircraft"
                    onChange={(e) => update({ name: e.target.value })}
                    className="font-mono"
                  />
                )}
              </Field>
              <Field label="Display name" optional error={errors.displayName}>
                {(p) => (
                  <Input
                    {...p}
                    value={values.displayName}
                    placeholder={values.name || "Aircraft"}
                    onChange={(e) => update({ displayName: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label="Classification"
                error={errors.classification}
                hint="Only people cleared at this level or above see the type and its objects."
              >
                {(p) => (
                  <Select
                    {...p}
                    value={values.classification}
                    onChange={(e) => update({ classification: e.target.value as Classification })}
                  >
                    {LEVELS.map((c, i) => (
                      <option key={c} value={c} disabled={rank >= 0 && i > rank}>
                        {c} — {CLASSIFICATIONS[c]}
                        {rank >= 0 && i > rank ? " (above your clearance)" : ""}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label="Description" optional error={errors.description}>
                {(p) => (
                  <Textarea
                    {...p}
                    rows={1}
                    className="min-h-9"
                    placeholder="What one object of this type is."
                    value={values.description}
                    onChange={(e) => update({ description: e.target.value })}
                  />
                )}
              </Field>
            </div>
          </FormSection>

          <FormSection
            title="Properties"
            description="Each becomes a typed column of the objects table. The key identifies an object: syncs match rows to objects by it."
          >
            <Field
              label="Key property"
              required
              error={errors.keyProperty}
              hint="A string, integer, date or enum property; it is always required."
              className="mb-5 max-w-xs"
            >
              {(p) => (
                <Select
                  {...p}
                  value={values.keyProperty}
                  onChange={(e) => update({ keyProperty: e.target.value })}
                  className="font-mono"
                >
                  {!keyChoices.some((k) => k.name.trim() === values.keyProperty) && (
                    <option value={values.keyProperty}>{values.keyProperty || "Pick one…"}</option>
                  )}
                  {keyChoices.map((k) => (
                    <option key={k.uid} value={k.name.trim()}>
                      {k.name.trim()}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <div className="overflow-x-auto">
              <div className="min-w-[44rem]">
                <PropertiesEditor
                  list={values.properties}
                  onChange={changeProperties}
                  errors={errors}
                  path="properties"
                  noun="Property"
                  keyProperty={values.keyProperty}
                  readOnly={readOnly}
                />
              </div>
            </div>
            {errors.properties && <p className="mt-2 text-xs text-red-600">{errors.properties}</p>}
          </FormSection>

          {!readOnly && (
            <footer className="flex flex-col gap-3 rounded-b-xl border-t border-zinc-100 bg-zinc-50/70 px-6 py-4">
              {unplaced.length > 0 && (
                <Alert tone="error" title="Couldn't save the object type">
                  <ul className="list-disc pl-4 break-words">
                    {unplaced.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                </Alert>
              )}
              {attempted && Object.keys(clientErrors).length > 0 && (
                <p className="text-xs text-red-600" role="status">
                  Some fields need attention.
                </p>
              )}
              {footerNote}
              <div className="flex flex-wrap items-center justify-end gap-2">
                <CancelSaveButtons submitLabel={submitLabel} saving={saving} onCancel={onCancel} />
              </div>
            </footer>
          )}
        </Card>
      </fieldset>
    </form>
  );
}
