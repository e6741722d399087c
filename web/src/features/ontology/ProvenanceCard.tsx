import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { Card } from "@/components/ui/Card";
import { Fact } from "@/components/ui/Fact";
import { RelativeTime } from "@/features/datasets/visuals";
import { formatDateTime } from "@/lib/time";
import { mappingQuery } from "./queries";
import type { Provenance } from "./types";

const link = "text-zinc-900 hover:text-accent-700 hover:underline";

/** Where the object came from: the dataset and its version, the mapping, the sync and when. */
export function ProvenanceCard({ provenance: p }: { provenance: Provenance }) {
  const mapping = useQuery({ ...mappingQuery(p.mapping_id ?? ""), enabled: !!p.mapping_id });
  const m = mapping.data;
  return (
    <Card>
      <h2 className="border-b border-zinc-100 px-5 py-3 text-sm font-semibold text-zinc-900">
        Provenance
      </h2>
      <dl aria-label="Provenance" className="flex flex-col gap-3.5 px-5 py-4 text-sm">
        <Fact label="Dataset">
          {p.dataset_id ? (
            <span className="inline-flex flex-wrap items-baseline gap-x-1.5">
              <Link to={`/datasets/${p.dataset_id}`} className={link}>
                {m?.dataset_id === p.dataset_id ? m.dataset_name : p.dataset_id}
              </Link>
              {p.dataset_version !== null && (
                <Link
                  to={`/datasets/${p.dataset_id}/data?version=${p.dataset_version}`}
                  className="font-mono text-xs text-zinc-500 hover:text-accent-700 hover:underline"
                  title="The dataset's rows at that version"
                >
                  version {p.dataset_version}
                </Link>
              )}
            </span>
          ) : (
            <span className="text-zinc-400">—</span>
          )}
        </Fact>
        <Fact label="Mapping">
          {p.mapping_id ? (
            <Link to={`/ontology/mappings/${p.mapping_id}`} className={link}>
              {m?.name ?? (mapping.isError ? "Deleted mapping" : p.mapping_id)}
            </Link>
          ) : (
            <span className="text-zinc-400">—</span>
          )}
        </Fact>
        <Fact label="Sync">
          {p.sync_id && p.mapping_id ? (
            <Link
              to={`/ontology/mappings/${p.mapping_id}/syncs?sync=${p.sync_id}`}
              className="font-mono text-xs text-zinc-700 hover:text-accent-700 hover:underline"
            >
              {p.sync_id}
            </Link>
          ) : (
            <span className="text-zinc-400">—</span>
          )}
        </Fact>
        <Fact label="Synced">
          {p.synced_at ? (
            <span title={formatDateTime(p.synced_at)}>
              <RelativeTime iso={p.synced_at} />
              <span className="block text-xs text-zinc-500">{formatDateTime(p.synced_at)}</span>
            </span>
          ) : (
            <span className="text-zinc-400">—</span>
          )}
        </Fact>
      </dl>
    </Card>
  );
}
