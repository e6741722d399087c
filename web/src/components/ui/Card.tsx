import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

export function Card({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("rounded-xl bg-white shadow-card", className)}>{children}</div>;
}

/** A bar above a table: filters on the left, counts or actions on the right. */
export function Toolbar({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div
      className={cn(
        "flex flex-wrap items-center gap-2 border-b border-zinc-200/80 px-3 py-2.5",
        className,
      )}
    >
      {children}
    </div>
  );
}
