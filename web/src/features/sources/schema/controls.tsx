import { Eye, EyeOff, Plus, X } from "lucide-react";
import { type ComponentProps, type ReactNode, useState } from "react";
import { Button } from "@/components/ui/Button";
import { Input } from "@/components/ui/Input";
import { singular } from "./compile";

/** A write-only value: masked, with a reveal toggle; never autofilled from the browser's logins. */
export function SecretInput({
  value,
  onChange,
  label,
  ...rest
}: Omit<ComponentProps<"input">, "value" | "onChange" | "type"> & {
  value: string;
  onChange: (value: string) => void;
  label: string;
}) {
  const [visible, setVisible] = useState(false);
  return (
    <div className="relative">
      <Input
        {...rest}
        type={visible ? "text" : "password"}
        autoComplete="new-password"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="pr-9 font-mono"
      />
      <button
        type="button"
        aria-label={visible ? `Hide ${label}` : `Show ${label}`}
        onClick={() => setVisible((v) => !v)}
        className="absolute top-1/2 right-1.5 -translate-y-1/2 rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700"
      >
        {visible ? (
          <EyeOff className="size-3.5" aria-hidden="true" />
        ) : (
          <Eye className="size-3.5" aria-hidden="true" />
        )}
      </button>
    </div>
  );
}

/** `dict[str, str]` (headers, query parameters): rows of name and value. */
export function KeyValueEditor({
  label,
  value,
  onChange,
  invalid,
  disabled,
}: {
  label: string;
  value: Array<[string, string]>;
  onChange: (value: Array<[string, string]>) => void;
  invalid?: boolean;
  disabled?: boolean;
}) {
  const set = (i: number, pair: [string, string]) =>
    onChange(value.map((p, j) => (j === i ? pair : p)));
  return (
    <div className="flex flex-col gap-2">
      {value.map(([k, v], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
        <div key={i} className="flex items-center gap-2">
          <div className="w-2/5 shrink-0">
            <Input
              aria-label={`${label} name ${i + 1}`}
              aria-invalid={invalid || undefined}
              placeholder="Name"
              value={k}
              disabled={disabled}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set(i, [e.target.value, v])}
              className="font-mono text-[13px]"
            />
          </div>
          <div className="min-w-0 flex-1">
            <Input
              aria-label={`${label} value ${i + 1}`}
              placeholder="Value"
              value={v}
              disabled={disabled}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set(i, [k, e.target.value])}
              className="font-mono text-[13px]"
            />
          </div>
          <Button
            size="icon"
            variant="ghost"
            aria-label={`Remove ${label} entry ${i + 1}`}
            disabled={disabled}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            <X className="size-3.5" aria-hidden="true" />
          </Button>
        </div>
      ))}
      <div>
        <Button
          size="sm"
          variant="ghost"
          className="text-accent-600 hover:text-accent-700"
          disabled={disabled}
          icon={<Plus className="size-3.5" aria-hidden="true" />}
          onClick={() => onChange([...value, ["", ""]])}
        >
          Add {singular(label).toLowerCase()}
        </Button>
      </div>
    </div>
  );
}

/** Help text from a schema description: `code spans` (as pydantic docs write them) as code. */
export function richText(text: string): ReactNode {
  const parts = text.split(/`([^`]+)`/);
  if (parts.length === 1) return text;
  return parts.map((part, i) =>
    i % 2 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: fixed pieces of one sentence
      <code key={i} className="rounded bg-zinc-100 px-1 font-mono text-[11px] text-zinc-700">
        {part}
      </code>
    ) : (
      part
    ),
  );
}
