import { Filter, Plus, X } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import type { PropertySpec } from "./types";

/** Kinds compared as text by the server's filter (lists and records can't be). */
const FILTERABLE = new Set(["string", "integer", "float", "decimal", "boolean", "date", "enum"]);

interface ObjectFiltersProps {
  properties: PropertySpec[];
  filters: Record<string, string>;
  onChange: (filters: Record<string, string>) => void;
}

/** The active property = value filters as chips, and a small form to add one. */
export function ObjectFilters({ properties, filters, onChange }: ObjectFiltersProps) {
  const choices = properties.filter((p) => FILTERABLE.has(p.kind));
  const [adding, setAdding] = useState(false);
  const [property, setProperty] = useState("");
  const [value, setValue] = useState("");
  const picked = choices.find((p) => p.name === (property || choices[0]?.name));

  function add(e: FormEvent) {
    e.preventDefault();
    if (!picked || !value.trim()) return;
    onChange({ ...filters, [picked.name]: value.trim() });
    setValue("");
    setAdding(false);
  }

  return (
    <div className="flex flex-wrap items-center gap-1.5">
      {Object.entries(filters).map(([k, v]) => (
        <span
          key={k}
          className="inline-flex h-7 items-center gap-1 rounded-md bg-accent-50 pr-0.5 pl-2 text-xs text-accent-900 ring-1 ring-accent-200 ring-inset"
        >
          <span className="font-mono">{k}</span>
          <span className="text-accent-500">=</span>
          <span className="font-medium">{v}</span>
          <button
            type="button"
            aria-label={`Remove filter ${k} = ${v}`}
            onClick={() => {
              const { [k]: _gone, ...rest } = filters;
              onChange(rest);
            }}
            className="rounded p-1 text-accent-500 hover:bg-accent-100 hover:text-accent-800"
          >
            <X className="size-3" aria-hidden="true" />
          </button>
        </span>
      ))}
      {adding ? (
        <form onSubmit={add} aria-label="Add a filter" className="flex items-center gap-1.5">
          <Select
            selectSize="sm"
            aria-label="Filter property"
            value={picked?.name ?? ""}
            onChange={(e) => {
              setProperty(e.target.value);
              setValue("");
            }}
            className="w-40 font-mono"
          >
            {choices.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </Select>
          <span className="text-xs text-zinc-400">=</span>
          {picked?.kind === "enum" || picked?.kind === "boolean" ? (
            <Select
              selectSize="sm"
              aria-label="Filter value"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              className="w-36"
            >
              <option value="">Pick…</option>
              {(picked.kind === "enum" ? (picked.enum_values ?? []) : ["true", "false"]).map(
                (v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ),
              )}
            </Select>
          ) : (
            <Input
              inputSize="sm"
              aria-label="Filter value"
              value={value}
              autoFocus
              placeholder="value"
              onChange={(e) => setValue(e.target.value)}
              className="w-36"
            />
          )}
          <Button size="sm" type="submit" variant="primary" disabled={!value.trim()}>
            Apply
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setAdding(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        choices.length > 0 && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setAdding(true)}
            icon={
              Object.keys(filters).length ? (
                <Plus className="size-3.5" aria-hidden="true" />
              ) : (
                <Filter className="size-3.5" aria-hidden="true" />
              )
            }
          >
            {Object.keys(filters).length ? "Filter" : "Filter by property"}
          </Button>
        )
      )}
    </div>
  );
}
