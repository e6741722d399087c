import { useQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { ApiError, errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { Select } from "@/components/ui/Select";
import { useToast } from "@/components/ui/Toast";
import { FormSection } from "./FormSection";
import { CARDINALITIES, kindLabel } from "./format";
import { objectTypesQuery, useCreateLinkType } from "./queries";
import { IDENTIFIER } from "./typeForm";
import type { Cardinality, ObjectType, PropertySpec } from "./types";

/** Whether `p` can hold the key of `target` for this cardinality (the server checks it too). */
function fits(p: PropertySpec, target: ObjectType | undefined, cardinality: Cardinality): boolean {
  const key = target?.properties.find((k) => k.name === target.key_property);
  if (!key) return true;
  if (cardinality === "one_to_many") return p.kind === key.kind;
  return p.kind === "array" && p.items?.kind === key.kind;
}

/** Add an outgoing link type: its name, the target type, how many, and the holding property. */
export function LinkTypeForm({ source }: { source: ObjectType }) {
  const types = useQuery(objectTypesQuery);
  const create = useCreateLinkType();
  const toast = useToast();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [targetId, setTargetId] = useState("");
  const [cardinality, setCardinality] = useState<Cardinality>("one_to_many");
  const [property, setProperty] = useState("");
  const [attempted, setAttempted] = useState(false);
  const target = types.data?.items.find((t) => t.id === targetId);
  const targetKey = target?.properties.find((k) => k.name === target.key_property);
  const server = create.error instanceof ApiError ? create.error.fieldErrors : {};
  const nameError =
    attempted && !IDENTIFIER.test(name.trim())
      ? "Letters, digits and _, not starting with a digit — e.g. operatedBy."
      : server.name;

  function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    if (!IDENTIFIER.test(name.trim()) || !targetId || !property) return;
    create.mutate(
      {
        name: name.trim(),
        description: description.trim(),
        source_type_id: source.id,
        target_type_id: targetId,
        cardinality,
        source_property: property,
      },
      {
        onSuccess: (link) => {
          toast.success(`Added link ${link.name}`, `${link.source_type} → ${link.target_type}`);
          setName("");
          setDescription("");
          setProperty("");
          setAttempted(false);
        },
      },
    );
  }

  const placed = Object.keys(server).some((k) => ["name", "source_property"].includes(k));
  return (
    <Card>
      <form onSubmit={submit} noValidate aria-label="Add a link type">
        <FormSection
          title="Add a link"
          description={`From ${source.name} to another type: a property of ${source.name} holds the target's key (one to many), or a list of keys (many to many).`}
        >
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4">
            <Field label="Link name" required error={nameError}>
              {(p) => (
                <Input
                  {...p}
                  value={name}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="operatedBy"
                  onChange={(e) => setName(e.target.value)}
                  className="font-mono"
                />
              )}
            </Field>
            <Field
              label="Target type"
              required
              error={attempted && !targetId ? "Pick the type it links to." : undefined}
              hint={
                targetKey ? `Key: ${target?.key_property} (${kindLabel(targetKey)})` : undefined
              }
            >
              {(p) => (
                <Select {...p} value={targetId} onChange={(e) => setTargetId(e.target.value)}>
                  <option value="">Pick a type…</option>
                  {types.data?.items.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.display_name || t.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <div className="flex flex-col gap-1.5">
              <span aria-hidden="true" className="text-[13px] font-medium text-zinc-800">
                Cardinality
              </span>
              <SegmentedControl<Cardinality>
                label="Cardinality"
                value={cardinality}
                onChange={setCardinality}
                options={[
                  { value: "one_to_many", label: CARDINALITIES.one_to_many.label },
                  { value: "many_to_many", label: CARDINALITIES.many_to_many.label },
                ]}
                className="self-start"
              />
              <p className="text-xs text-zinc-500">{CARDINALITIES[cardinality].description}</p>
            </div>
            <Field
              label="Source property"
              required
              error={
                server.source_property ??
                (attempted && !property
                  ? `Pick the property of ${source.name} holding the key.`
                  : undefined)
              }
            >
              {(p) => (
                <Select
                  {...p}
                  value={property}
                  onChange={(e) => setProperty(e.target.value)}
                  className="font-mono"
                >
                  <option value="">Pick a property…</option>
                  {source.properties.map((sp) => (
                    <option key={sp.name} value={sp.name} disabled={!fits(sp, target, cardinality)}>
                      {sp.name} ({kindLabel(sp)})
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="Description" optional className="md:col-span-2 xl:col-span-4">
              {(p) => (
                <Input
                  {...p}
                  value={description}
                  placeholder="The operator flying this aircraft."
                  onChange={(e) => setDescription(e.target.value)}
                />
              )}
            </Field>
          </div>
          {create.isError && !placed && (
            <Alert tone="error" className="mt-4" title="Couldn't add the link">
              {errorMessage(create.error)}
            </Alert>
          )}
          <div className="mt-4 flex justify-end">
            <Button
              type="submit"
              variant="primary"
              loading={create.isPending}
              icon={<Plus className="size-4" aria-hidden="true" />}
            >
              Add link
            </Button>
          </div>
        </FormSection>
      </form>
    </Card>
  );
}
