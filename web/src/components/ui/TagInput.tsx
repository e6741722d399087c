import { X } from "lucide-react";
import { type ComponentProps, useState } from "react";
import { cn } from "@/lib/cn";

interface TagInputProps extends Omit<ComponentProps<"input">, "value" | "onChange"> {
  value: string[];
  onChange: (value: string[]) => void;
}

/**
 * A list of short strings as removable chips. Enter, comma or leaving the field adds what was
 * typed; Backspace in an empty field removes the last chip. The input carries the field's id, so
 * its label names it.
 */
export function TagInput({ value, onChange, className, placeholder, ...rest }: TagInputProps) {
  const [text, setText] = useState("");

  function commit() {
    const parts = text
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p && !value.includes(p));
    if (parts.length) onChange([...value, ...parts]);
    setText("");
  }

  return (
    <div
      className={cn(
        "flex min-h-9 w-full flex-wrap items-center gap-1 rounded-md bg-white px-1.5 py-1 shadow-xs ring-1 ring-zinc-300 ring-inset transition-shadow focus-within:ring-2 focus-within:ring-accent-500 hover:ring-zinc-400 has-[[aria-invalid=true]]:ring-red-400",
        className,
      )}
    >
      {value.map((tag) => (
        <span
          key={tag}
          className="inline-flex h-6 items-center gap-1 rounded bg-zinc-100 pr-0.5 pl-2 font-mono text-xs text-zinc-800 ring-1 ring-zinc-200 ring-inset"
        >
          {tag}
          <button
            type="button"
            aria-label={`Remove ${tag}`}
            onClick={() => onChange(value.filter((t) => t !== tag))}
            className="rounded p-0.5 text-zinc-400 hover:bg-zinc-200 hover:text-zinc-700"
          >
            <X className="size-3" aria-hidden="true" />
          </button>
        </span>
      ))}
      <input
        {...rest}
        value={text}
        placeholder={value.length ? undefined : placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === ",") {
            e.preventDefault();
            commit();
          } else if (e.key === "Backspace" && !text && value.length) {
            onChange(value.slice(0, -1));
          }
        }}
        className="h-6 min-w-24 flex-1 bg-transparent px-1 text-sm text-zinc-900 outline-none placeholder:text-zinc-400"
      />
    </div>
  );
}
