import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

export const controlClass =
  "block w-full rounded-md bg-white text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 transition-shadow hover:ring-zinc-400 focus:outline-none focus:ring-2 focus:ring-accent-500 disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-500 disabled:ring-zinc-200 aria-invalid:ring-red-400 aria-invalid:focus:ring-red-500";

interface InputProps extends ComponentProps<"input"> {
  /** `sm` for toolbars and filters; `md` in forms. */
  inputSize?: "sm" | "md";
}

export function Input({ className, inputSize = "md", ...rest }: InputProps) {
  return (
    <input
      className={cn(controlClass, inputSize === "sm" ? "h-8 px-2.5" : "h-9 px-3", className)}
      {...rest}
    />
  );
}

export function Textarea({ className, ...rest }: ComponentProps<"textarea">) {
  return <textarea className={cn(controlClass, "min-h-20 px-3 py-2", className)} {...rest} />;
}
