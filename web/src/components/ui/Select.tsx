import { ChevronDown } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";
import { controlClass } from "./Input";

/** A native select, styled; native keeps it keyboard- and screen-reader-friendly for free. */
interface SelectProps extends ComponentProps<"select"> {
  selectSize?: "sm" | "md";
}

export function Select({ className, children, selectSize = "md", ...rest }: SelectProps) {
  return (
    <div className={cn("relative", className)}>
      <select
        className={cn(
          controlClass,
          "appearance-none pr-9",
          selectSize === "sm" ? "h-8 pl-2.5" : "h-9 pl-3",
        )}
        {...rest}
      >
        {children}
      </select>
      <ChevronDown
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-400"
      />
    </div>
  );
}
