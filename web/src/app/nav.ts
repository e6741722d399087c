import {
  Activity,
  BookOpen,
  Database,
  Landmark,
  type LucideIcon,
  Network,
  Package,
  Plug,
  ScrollText,
  Settings,
  ShieldCheck,
  Workflow,
} from "lucide-react";
import type { Permission } from "@/api/types";

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  /** Shown only to users holding at least one of these. */
  anyOf?: Permission[];
  /** Drawn as a child of the item above it. */
  nested?: boolean;
}

export interface NavGroup {
  label: string;
  items: NavItem[];
}

export const ADMIN_PERMISSIONS: Permission[] = ["users:read", "tokens:admin", "secrets:read"];

export const NAV: NavGroup[] = [
  {
    label: "Discover",
    items: [
      { to: "/catalog", label: "Catalog", icon: BookOpen },
      { to: "/products", label: "Products", icon: Package },
    ],
  },
  {
    label: "Integrate",
    items: [
      { to: "/sources", label: "Sources", icon: Plug },
      { to: "/datasets", label: "Datasets", icon: Database },
      { to: "/ontology", label: "Ontology", icon: Network },
    ],
  },
  {
    label: "Orchestrate",
    items: [
      { to: "/pipelines", label: "Pipelines", icon: Workflow },
      { to: "/runs", label: "Runs", icon: Activity },
    ],
  },
  {
    label: "Govern",
    items: [
      { to: "/quality", label: "Quality", icon: ShieldCheck },
      { to: "/governance", label: "Governance", icon: Landmark },
      {
        to: "/governance/audit",
        label: "Audit log",
        icon: ScrollText,
        anyOf: ["audit:read"],
        nested: true,
      },
    ],
  },
  {
    label: "System",
    items: [{ to: "/admin", label: "Admin", icon: Settings, anyOf: ADMIN_PERMISSIONS }],
  },
];

/** The groups and items this user may see. */
export function visibleNav(permissions: readonly string[]): NavGroup[] {
  return NAV.map((g) => ({
    ...g,
    items: g.items.filter((i) => !i.anyOf || i.anyOf.some((p) => permissions.includes(p))),
  })).filter((g) => g.items.length > 0);
}
