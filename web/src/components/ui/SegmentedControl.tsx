import type { LucideIcon } from "lucide-react";
import { cn } from "@/lib/cn";

interface Option<T extends string> {
  value: T;
  label: string;
  icon?: LucideIcon;
  disabled?: boolean;
}

interface SegmentedControlProps<T extends string> {
  /** Accessible name of the group. */
  label: string;
  value: T;
  onChange: (value: T) => void;
  options: Option<T>[];
  className?: string;
}

/** A small set of mutually exclusive choices, as a row of toggle buttons (`aria-pressed`). */
export function SegmentedControl<T extends string>({
  label,
  value,
  onChange,
  options,
  className,
}: SegmentedControlProps<T>) {
  return (
    <fieldset
      aria-label={label}
      className={cn("inline-flex rounded-lg bg-zinc-100 p-0.5 ring-1 ring-zinc-200/80", className)}
    >
      {options.map(({ value: v, label: text, icon: Icon, disabled }) => (
        <button
          key={v}
          type="button"
          aria-pressed={v === value}
          disabled={disabled}
          onClick={() => onChange(v)}
          className={cn(
            "inline-flex h-7 items-center gap-1.5 rounded-md px-2.5 text-xs font-medium transition-colors disabled:pointer-events-none disabled:opacity-40",
            v === value
              ? "bg-white text-zinc-900 shadow-sm ring-1 ring-zinc-200"
              : "text-zinc-500 hover:text-zinc-800",
          )}
        >
          {Icon && <Icon className="size-3.5" aria-hidden="true" />}
          {text}
        </button>
      ))}
    </fieldset>
  );
}
