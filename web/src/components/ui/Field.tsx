import { type ReactNode, useId } from "react";
import { cn } from "@/lib/cn";

export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
}

interface FieldProps {
  label: string;
  /** Render the control with the ids that tie it to its label, hint and error. */
  children: (control: FieldControlProps) => ReactNode;
  hint?: ReactNode;
  error?: string | null;
  optional?: boolean;
  /** Marks the field as required (an asterisk beside the label, not part of its name). */
  required?: boolean;
  /** Something to show at the right of the label row (e.g. a "Generate" button). */
  action?: ReactNode;
  className?: string;
}

/** A labelled form control with an optional hint and an error message below it. */
export function Field({
  label,
  children,
  hint,
  error,
  optional,
  required,
  action,
  className,
}: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <div className="flex min-h-5 items-center justify-between gap-2">
        <span className="flex min-w-0 items-baseline gap-0.5">
          <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">
            {label}
            {optional && <span className="ml-1.5 font-normal text-zinc-400">Optional</span>}
          </label>
          {required && (
            <span aria-hidden="true" title="Required" className="text-[13px] text-red-500">
              *
            </span>
          )}
        </span>
        {action}
      </div>
      {children({
        id,
        "aria-describedby": describedBy,
        "aria-invalid": error ? true : undefined,
        "aria-required": required ? true : undefined,
      })}
      {error ? (
        <p id={errorId} className="text-xs text-red-600">
          {error}
        </p>
      ) : hint ? (
        <p id={hintId} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
