import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { TagInput } from "@/components/ui/TagInput";
import { KINDS } from "./format";
import { PropertiesEditor } from "./PropertiesEditor";
import { newProperty, type PropertyDraft, type TypeFormErrors, withKind } from "./typeForm";
import { PROPERTY_KINDS, type PropertyKind } from "./types";

/** Kinds with settings of their own, shown under the property's row. */
export function needsKindFields(kind: PropertyKind): boolean {
  return kind === "enum" || kind === "array" || kind === "object" || kind === "decimal";
}

interface KindFieldsProps {
  draft: PropertyDraft;
  label: string;
  path: string;
  errors: TypeFormErrors;
  readOnly?: boolean;
  onChange: (next: PropertyDraft) => void;
}

function Inline({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-center gap-2">
      <span aria-hidden="true" className="w-20 shrink-0 text-xs text-zinc-500">
        {label}
      </span>
      {children}
    </div>
  );
}

function Problem({ text }: { text: string | undefined }) {
  return text ? <p className="mt-1 ml-22 text-xs text-red-600">{text}</p> : null;
}

/** Enum values as tags, an array's element kind, a decimal's digits, an object's fields. */
export function KindFields({ draft, label, path, errors, readOnly, onChange }: KindFieldsProps) {
  switch (draft.kind) {
    case "enum":
      return (
        <div>
          <Inline label="Values">
            <TagInput
              aria-label={`${label} enum values`}
              aria-invalid={errors[`${path}.enum_values`] ? true : undefined}
              value={draft.enumValues}
              onChange={(enumValues) => onChange({ ...draft, enumValues })}
              placeholder="Type a value, then Enter"
              className="max-w-xl"
            />
          </Inline>
          <Problem text={errors[`${path}.enum_values`]} />
        </div>
      );
    case "decimal":
      return (
        <div>
          <Inline label="Digits">
            <div className="w-20 shrink-0">
              <Input
                inputSize="sm"
                type="number"
                min={1}
                max={38}
                aria-label={`${label} precision`}
                aria-invalid={errors[`${path}.precision`] ? true : undefined}
                value={draft.precision}
                onChange={(e) => onChange({ ...draft, precision: e.target.value })}
                className="tabular-nums"
              />
            </div>
            <span className="text-xs whitespace-nowrap text-zinc-500">in all, of which</span>
            <div className="w-20 shrink-0">
              <Input
                inputSize="sm"
                type="number"
                min={0}
                max={38}
                aria-label={`${label} scale`}
                aria-invalid={errors[`${path}.scale`] ? true : undefined}
                value={draft.scale}
                onChange={(e) => onChange({ ...draft, scale: e.target.value })}
                className="tabular-nums"
              />
            </div>
            <span className="text-xs whitespace-nowrap text-zinc-500">after the point</span>
          </Inline>
          <Problem text={errors[`${path}.precision`] ?? errors[`${path}.scale`]} />
        </div>
      );
    case "array": {
      const item = draft.items ?? newProperty({ name: "item" });
      return (
        <div className="flex flex-col gap-1.5">
          <Inline label="Items are">
            <Select
              selectSize="sm"
              aria-label={`${label} item kind`}
              value={item.kind}
              onChange={(e) =>
                onChange({ ...draft, items: withKind(item, e.target.value as PropertyKind) })
              }
              className="w-40"
            >
              {PROPERTY_KINDS.filter((k) => k !== "array").map((k) => (
                <option key={k} value={k}>
                  {KINDS[k].label}
                </option>
              ))}
            </Select>
          </Inline>
          {needsKindFields(item.kind) && (
            <div className="ml-22">
              <KindFields
                draft={item}
                label={`${label} item`}
                path={`${path}.items`}
                errors={errors}
                readOnly={readOnly}
                onChange={(items) => onChange({ ...draft, items })}
              />
            </div>
          )}
        </div>
      );
    }
    case "object":
      return (
        <PropertiesEditor
          nested
          list={draft.fields}
          onChange={(fields) => onChange({ ...draft, fields })}
          errors={errors}
          path={`${path}.fields`}
          noun={`${label} field`}
          readOnly={readOnly}
        />
      );
    default:
      return null;
  }
}
