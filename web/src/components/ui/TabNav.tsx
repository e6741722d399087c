import type { LucideIcon } from "lucide-react";
import { NavLink } from "react-router";
import { cn } from "@/lib/cn";

export interface TabNavItem {
  to: string;
  label: string;
  icon?: LucideIcon;
  count?: number;
}

/** Tabs that are routes: links with `aria-current="page"` on the active one. */
export function TabNav({ items, label }: { items: TabNavItem[]; label: string }) {
  return (
    <nav aria-label={label} className="mb-6 border-b border-zinc-200">
      <ul className="-mb-px flex gap-5">
        {items.map(({ to, label: text, icon: Icon, count }) => (
          <li key={to}>
            <NavLink
              to={to}
              className={({ isActive }) =>
                cn(
                  "flex items-center gap-2 border-b-2 px-0.5 pb-2.5 text-sm font-medium transition-colors",
                  isActive
                    ? "border-accent-600 text-zinc-900"
                    : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800",
                )
              }
            >
              {Icon && <Icon className="size-4" aria-hidden="true" />}
              {text}
              {count !== undefined && (
                <span className="rounded-full bg-zinc-100 px-1.5 text-xs text-zinc-600 tabular-nums">
                  {count}
                </span>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
