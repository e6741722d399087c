import { Plus } from "lucide-react";
import { Button } from "@/components/ui/Button";
import { cn } from "@/lib/cn";
import { PropertyRow } from "./PropertyRow";
import { newProperty, type PropertyDraft, type TypeFormErrors } from "./typeForm";

/** The grid every property row shares: name, kind, required, description, actions. */
export const ROW_GRID =
  "grid grid-cols-[minmax(9rem,13rem)_8.5rem_4.5rem_minmax(8rem,1fr)_4.5rem] items-start gap-x-2";

interface PropertiesEditorProps {
  list: PropertyDraft[];
  onChange: (list: PropertyDraft[]) => void;
  errors: TypeFormErrors;
  /** Where these properties are in the error keys: "properties", "properties.2.fields". */
  path: string;
  /** How the rows are named for assistive tech: "Property", "location field". */
  noun: string;
  /** The type's key (top level only): marked, and always required. */
  keyProperty?: string;
  readOnly?: boolean;
  nested?: boolean;
}

/** A table of properties (or of an object property's fields), with Add below. */
export function PropertiesEditor({
  list,
  onChange,
  errors,
  path,
  noun,
  keyProperty,
  readOnly,
  nested = false,
}: PropertiesEditorProps) {
  function update(i: number, next: PropertyDraft) {
    onChange(list.map((p, j) => (j === i ? next : p)));
  }
  function move(i: number, by: number) {
    const j = i + by;
    if (j < 0 || j >= list.length) return;
    const next = [...list];
    [next[i], next[j]] = [next[j] as PropertyDraft, next[i] as PropertyDraft];
    onChange(next);
  }
  return (
    <div
      className={cn(
        "flex flex-col",
        nested && "rounded-lg bg-zinc-50/80 p-2.5 ring-1 ring-zinc-200/70 ring-inset",
      )}
    >
      <div
        aria-hidden="true"
        className={cn(ROW_GRID, "px-1 pb-1.5 text-xs font-medium text-zinc-500")}
      >
        <span>{nested ? "Field" : "Property"}</span>
        <span>Kind</span>
        <span className="text-center">Required</span>
        <span>Description</span>
        <span />
      </div>
      <ol className="flex flex-col gap-1.5">
        {list.map((p, i) => (
          <PropertyRow
            key={p.uid}
            draft={p}
            label={`${noun} ${i + 1}`}
            path={`${path}.${i}`}
            errors={errors}
            isKey={!!keyProperty && p.name.trim() === keyProperty}
            readOnly={readOnly}
            onChange={(next) => update(i, next)}
            onRemove={() => onChange(list.filter((_, j) => j !== i))}
            onMove={(by) => move(i, by)}
            first={i === 0}
            last={i === list.length - 1}
          />
        ))}
      </ol>
      {nested && errors[path] && <p className="mt-1 text-xs text-red-600">{errors[path]}</p>}
      {!readOnly && (
        <div className="mt-2">
          <Button
            size="sm"
            variant="ghost"
            onClick={() => onChange([...list, newProperty()])}
            icon={<Plus className="size-3.5" aria-hidden="true" />}
          >
            {nested ? "Add field" : "Add property"}
          </Button>
        </div>
      )}
    </div>
  );
}
