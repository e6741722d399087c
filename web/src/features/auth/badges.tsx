import type { Clearance, Role } from "@/api/types";
import { Badge, type Tone } from "@/components/ui/Badge";
import { cn } from "@/lib/cn";

/** US marking colours: U green, C blue, S red, TS orange. */
const CLEARANCE_STYLE: Record<string, { label: string; className: string }> = {
  U: { label: "Unclassified", className: "bg-green-700 text-white" },
  C: { label: "Confidential", className: "bg-blue-700 text-white" },
  S: { label: "Secret", className: "bg-red-700 text-white" },
  TS: { label: "Top Secret", className: "bg-orange-500 text-white" },
};

export function clearanceName(code: string): string {
  return CLEARANCE_STYLE[code]?.label ?? code;
}

export function ClearanceBadge({
  clearance,
  full = false,
  className,
}: {
  clearance: Clearance | string;
  full?: boolean;
  className?: string;
}) {
  const style = CLEARANCE_STYLE[clearance] ?? {
    label: clearance,
    className: "bg-zinc-600 text-white",
  };
  return (
    <span
      title={`Clearance: ${style.label}`}
      className={cn(
        "inline-flex h-5 items-center rounded px-1.5 text-[11px] font-bold tracking-wider whitespace-nowrap uppercase",
        style.className,
        className,
      )}
    >
      {full ? style.label : clearance}
      {!full && <span className="sr-only"> ({style.label})</span>}
    </span>
  );
}

const ROLE_TONE: Record<string, Tone> = {
  admin: "violet",
  steward: "accent",
  engineer: "blue",
  analyst: "green",
  viewer: "neutral",
};

export function RoleBadge({ role }: { role: Role | string }) {
  return (
    <Badge tone={ROLE_TONE[role] ?? "neutral"} className="capitalize">
      {role}
    </Badge>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : (parts[0]?.[1] ?? "");
  return (first + last).toUpperCase();
}

export function Avatar({ name, className }: { name: string; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-gradient-to-br from-accent-400 to-violet-500 text-[11px] font-semibold text-white",
        className,
      )}
    >
      {initials(name)}
    </span>
  );
}
