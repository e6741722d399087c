import { ArrowDown, ArrowUp, KeyRound, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/Button";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { cn } from "@/lib/cn";
import { KINDS } from "./format";
import { KindFields, needsKindFields } from "./KindFields";
import { ROW_GRID } from "./PropertiesEditor";
import { type PropertyDraft, type TypeFormErrors, withKind } from "./typeForm";
import { PROPERTY_KINDS, type PropertyKind } from "./types";

interface PropertyRowProps {
  draft: PropertyDraft;
  /** "Property 3", "location field 1": names the row's controls. */
  label: string;
  path: string;
  errors: TypeFormErrors;
  isKey: boolean;
  readOnly?: boolean;
  onChange: (next: PropertyDraft) => void;
  onRemove: () => void;
  onMove: (by: number) => void;
  first: boolean;
  last: boolean;
}

/** One property: name, kind, required, description; below, what its kind needs. */
export function PropertyRow({
  draft,
  label,
  path,
  errors,
  isKey,
  readOnly,
  onChange,
  onRemove,
  onMove,
  first,
  last,
}: PropertyRowProps) {
  const nameError = errors[`${path}.name`] ?? errors[path];
  const patch = (p: Partial<PropertyDraft>) => onChange({ ...draft, ...p });
  return (
    <li className="rounded-md">
      <div className={cn(ROW_GRID, "px-1")}>
        <div className="flex flex-col gap-1">
          <div className="relative">
            {isKey && (
              <KeyRound
                className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-amber-600"
                aria-label="Key"
              />
            )}
            <Input
              inputSize="sm"
              aria-label={`${label} name`}
              aria-invalid={nameError ? true : undefined}
              value={draft.name}
              spellCheck={false}
              autoComplete="off"
              placeholder="yearBuilt"
              onChange={(e) => patch({ name: e.target.value })}
              className={cn("font-mono text-[13px]", isKey && "pl-7")}
            />
          </div>
          {nameError && <p className="text-xs text-red-600">{nameError}</p>}
        </div>
        <Select
          selectSize="sm"
          aria-label={`${label} kind`}
          value={draft.kind}
          onChange={(e) => onChange(withKind(draft, e.target.value as PropertyKind))}
          title={KINDS[draft.kind].description}
        >
          {PROPERTY_KINDS.map((k) => (
            <option key={k} value={k}>
              {KINDS[k].label}
            </option>
          ))}
        </Select>
        <label
          className="flex h-8 items-center justify-center"
          title={isKey ? "The key is always required" : "Objects without a value are rejected"}
        >
          <input
            type="checkbox"
            aria-label={`${label} required`}
            checked={draft.required || isKey}
            disabled={isKey || readOnly}
            onChange={(e) => patch({ required: e.target.checked })}
            className="size-4 accent-accent-600"
          />
        </label>
        <Input
          inputSize="sm"
          aria-label={`${label} description`}
          value={draft.description}
          placeholder="What it means, its unit…"
          onChange={(e) => patch({ description: e.target.value })}
        />
        {readOnly ? (
          <span />
        ) : (
          <div className="flex items-center justify-end">
            <Button
              size="icon-sm"
              variant="ghost"
              aria-label={`Move ${label} up`}
              title="Move up"
              disabled={first}
              onClick={() => onMove(-1)}
              className="hidden xl:inline-flex"
            >
              <ArrowUp className="size-3.5" aria-hidden="true" />
            </Button>
            <Button
              size="icon-sm"
              variant="ghost"
              aria-label={`Move ${label} down`}
              title="Move down"
              disabled={last}
              onClick={() => onMove(1)}
              className="hidden xl:inline-flex"
            >
              <ArrowDown className="size-3.5" aria-hidden="true" />
            </Button>
            <Button
              size="icon-sm"
              variant="danger-ghost"
              aria-label={`Remove ${label}`}
              title={isKey ? "The key can't be removed; pick another key first" : "Remove"}
              disabled={isKey}
              onClick={onRemove}
            >
              <Trash2 className="size-3.5" aria-hidden="true" />
            </Button>
          </div>
        )}
      </div>
      {needsKindFields(draft.kind) && (
        <div className="mt-1.5 mb-1 ml-4 border-l-2 border-zinc-200 pl-3">
          <KindFields
            draft={draft}
            label={label}
            path={path}
            errors={errors}
            readOnly={readOnly}
            onChange={onChange}
          />
        </div>
      )}
    </li>
  );
}
