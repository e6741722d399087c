import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, ArrowRight, Link2 } from "lucide-react";
import { Link } from "react-router";
import { Card } from "@/components/ui/Card";
import { formatValue } from "./format";
import { objectPath } from "./ObjectsTab";
import { objectTypesQuery } from "./queries";
import type { LinkedObjects } from "./types";

/** A few of an object's values, for telling linked objects apart. */
function summary(object: Record<string, unknown> | undefined, key: string): string {
  if (!object) return "";
  return Object.entries(object)
    .filter(([k, v]) => k !== key && !k.startsWith("_") && v !== null && typeof v !== "object")
    .slice(0, 3)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(" · ");
}

/** Linked objects grouped by link type and direction, each a link to its own page. */
export function LinkedObjectsCard({ links }: { links: LinkedObjects[] }) {
  const types = useQuery(objectTypesQuery);
  return (
    <Card>
      <h2 className="border-b border-zinc-100 px-5 py-3 text-sm font-semibold text-zinc-900">
        Linked objects
      </h2>
      {links.length === 0 ? (
        <p className="flex items-center gap-2 px-5 py-4 text-sm text-zinc-500">
          <Link2 className="size-4 text-zinc-400" aria-hidden="true" />
          No links: this type has no link types, or none of them reach this object.
        </p>
      ) : (
        <div className="divide-y divide-zinc-100">
          {links.map((group) => {
            const keyName =
              types.data?.items.find((t) => t.id === group.object_type_id)?.key_property ?? "";
            const outgoing = group.direction === "outgoing";
            const label = `${group.link_type} ${outgoing ? "to" : "from"} ${group.object_type}`;
            return (
              <section
                key={`${group.link_type}-${group.direction}`}
                aria-label={label}
                className="px-5 py-3"
              >
                <h3 className="mb-2 flex items-center gap-1.5 text-[13px] text-zinc-600">
                  {outgoing ? (
                    <ArrowRight className="size-3.5 text-accent-500" aria-hidden="true" />
                  ) : (
                    <ArrowLeft className="size-3.5 text-violet-500" aria-hidden="true" />
                  )}
                  <code className="font-mono font-medium text-zinc-900">{group.link_type}</code>
                  <span>{outgoing ? "→" : "←"}</span>
                  <Link
                    to={`/ontology/types/${group.object_type_id}`}
                    className="font-medium text-zinc-800 hover:text-accent-700 hover:underline"
                  >
                    {group.object_type}
                  </Link>
                  <span className="text-xs text-zinc-400">
                    {outgoing ? "outgoing" : "incoming"} · {group.keys.length}
                  </span>
                </h3>
                {group.keys.length === 0 ? (
                  <p className="text-xs text-zinc-400">None.</p>
                ) : (
                  <ul className="flex flex-col gap-1">
                    {group.keys.map((k) => {
                      const found = group.objects.find((o) => String(o[keyName]) === String(k));
                      return (
                        <li key={String(k)} className="flex min-w-0 items-baseline gap-2 text-sm">
                          <Link
                            to={objectPath(group.object_type_id, k)}
                            className="font-medium whitespace-nowrap text-zinc-900 hover:text-accent-700 hover:underline"
                          >
                            {String(k)}
                          </Link>
                          <span className="truncate text-xs text-zinc-500">
                            {found || !keyName ? summary(found, keyName) : "not synced yet"}
                          </span>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      )}
    </Card>
  );
}
