import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

interface FactProps {
  label: string;
  children: ReactNode;
  /** Classes for the term and value's wrapper (padding, `min-w-0`). */
  className?: string;
}

/** One term and its value in a `<dl>`: "Owner — Jane Doe". */
export function Fact({ label, children, className }: FactProps) {
  return (
    <div className={className}>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-zinc-900">{children}</dd>
    </div>
  );
}

/** A number in a `<dl>` of figures, set large: "Rows — 1,204". `lg` for a row of headline figures. */
export function Stat({
  label,
  children,
  className,
  size = "md",
}: FactProps & { size?: "md" | "lg" }) {
  return (
    <div className={className}>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd
        className={cn(
          "mt-0.5 font-semibold text-zinc-900 tabular-nums",
          size === "lg" ? "text-lg" : "text-base",
        )}
      >
        {children}
      </dd>
    </div>
  );
}
