import { useQuery } from "@tanstack/react-query";
import { ChevronRight, History } from "lucide-react";
import { useState } from "react";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { Skeleton } from "@/components/ui/Skeleton";
import { RelativeTime } from "@/features/datasets/visuals";
import { cn } from "@/lib/cn";
import { useObjectTypePage } from "./ObjectTypePage";
import { typeVersionsQuery } from "./queries";
import type { ObjectTypeVersion, PropertySpec } from "./types";
import { KindBadge } from "./visuals";

/** Versions: every schema the type has had, newest first, with what changed and how. */
export function VersionsTab() {
  const { objectType } = useObjectTypePage();
  const versions = useQuery(typeVersionsQuery(objectType.id));
  if (versions.isError) {
    return (
      <Card>
        <QueryErrorPanel
          error={versions.error}
          area="versions"
          onRetry={() => versions.refetch()}
        />
      </Card>
    );
  }
  if (versions.isPending) {
    return (
      <Card className="flex flex-col gap-3 p-5" aria-busy="true">
        <Skeleton className="h-4 w-1/3" />
        <Skeleton className="h-4 w-1/2" />
        <Skeleton className="h-4 w-2/5" />
      </Card>
    );
  }
  if (versions.data.length === 0) {
    return (
      <Card>
        <EmptyState icon={History} title="No versions recorded" />
      </Card>
    );
  }
  return (
    <Card>
      <ol aria-label="Versions" className="divide-y divide-zinc-100">
        {versions.data.map((v) => (
          <VersionItem key={v.version} version={v} current={v.version === objectType.version} />
        ))}
      </ol>
    </Card>
  );
}

function VersionItem({ version: v, current }: { version: ObjectTypeVersion; current: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="px-5 py-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-mono text-sm font-semibold text-zinc-900">v{v.version}</span>
        {current && <Badge tone="accent">Current</Badge>}
        <Badge
          tone={v.migration === "rewrite" ? "amber" : "neutral"}
          title={
            v.migration === "rewrite"
              ? "Breaking: stored objects were rewritten to this schema"
              : "Additive: stored objects were kept as they were"
          }
        >
          {v.migration === "rewrite" ? "Objects rewritten" : "Additive"}
        </Badge>
        <span className="text-xs text-zinc-500">
          by {v.created_by} · <RelativeTime iso={v.created_at} />
        </span>
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          className="ml-auto inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800"
        >
          <ChevronRight
            className={cn("size-3.5 transition-transform", open && "rotate-90")}
            aria-hidden="true"
          />
          Schema at v{v.version}
        </button>
      </div>
      <ul className="mt-2 flex flex-col gap-0.5 text-[13px] text-zinc-700">
        {v.changes.map((c) => (
          <li key={c} className="flex gap-2">
            <span aria-hidden="true" className="text-zinc-300">
              •
            </span>
            <span className="font-mono text-xs leading-5">{c}</span>
          </li>
        ))}
      </ul>
      {open && <SchemaSnapshot properties={v.properties} keyProperty={v.key_property} />}
    </li>
  );
}

function SchemaSnapshot({
  properties,
  keyProperty,
}: {
  properties: PropertySpec[];
  keyProperty: string;
}) {
  return (
    <table
      aria-label="Properties at this version"
      className="mt-3 w-full max-w-3xl text-[13px] ring-1 ring-zinc-200/70 ring-inset"
    >
      <tbody>
        {properties.map((p) => (
          <tr key={p.name} className="border-b border-zinc-100 last:border-b-0">
            <td className="w-48 px-3 py-1.5 font-mono text-xs text-zinc-900">
              {p.name}
              {p.name === keyProperty && <span className="ml-1.5 text-amber-700">key</span>}
            </td>
            <td className="w-40 px-3 py-1.5">
              <KindBadge spec={p} />
            </td>
            <td className="w-20 px-3 py-1.5 text-xs text-zinc-500">
              {p.required ? "required" : ""}
            </td>
            <td className="px-3 py-1.5 text-xs text-zinc-500">
              {p.kind === "enum" ? (p.enum_values ?? []).join(", ") : p.description}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
