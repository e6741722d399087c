import { type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import { Activity, FileWarning, Trash2, Waypoints } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Link, Outlet, useNavigate, useOutletContext, useParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import {
  DetailPageFallback,
  DetailPageHeader,
  type DetailPageInfo,
  MetaItem,
} from "@/components/ui/DetailPage";
import { TabNav } from "@/components/ui/TabNav";
import { useToast } from "@/components/ui/Toast";
import { firstLine, formatDuration } from "@/features/datasets/format";
import { RunStatusBadge, ScheduleLabel } from "@/features/datasets/visuals";
import { OwnerMeta } from "@/features/sources/visuals";
import { ON_CONFLICT, SYNC_MODES } from "./format";
import { MappingRoute, SyncButton } from "./MappingsTable";
import {
  mappingQuery,
  refreshAfterSync,
  syncsQuery,
  useCanWriteOntology,
  useDeleteMapping,
} from "./queries";
import { isActive, type Mapping, type SyncRunList } from "./types";

export interface MappingPageContext {
  mapping: Mapping;
  syncs: UseQueryResult<SyncRunList>;
  canWrite: boolean;
}

export function useMappingPage(): MappingPageContext {
  return useOutletContext<MappingPageContext>();
}

const PAGE: DetailPageInfo = {
  noun: "mapping",
  list: { to: "/ontology/mappings", label: "Ontology" },
  notFound: {
    title: "This mapping doesn't exist, or you can't see its dataset or type",
    description: "It may have been deleted. Mappings you can see are listed on the Ontology page.",
  },
  forbiddenReason: "Its dataset or object type hasn't been shared with you.",
  skeleton: { metaWidths: ["w-48", "w-20", "w-24"], tabsWidth: "w-72" },
};

/** /ontology/mappings/:id — header (route, mode, last sync; Sync now, Delete), Mapping/Syncs/Rejected. */
export function MappingPage() {
  const { mappingId = "" } = useParams();
  const mapping = useQuery(mappingQuery(mappingId));
  const syncs = useQuery({ ...syncsQuery(mappingId), enabled: mapping.isSuccess });
  const canWriteRole = useCanWriteOntology();
  useSyncWatcher(mapping.data, syncs.data);
  if (!mapping.isSuccess) return <DetailPageFallback page={PAGE} query={mapping} />;
  const m = mapping.data;
  const base = `/ontology/mappings/${m.id}`;
  const canWrite = canWriteRole && m.editable;
  const running = syncs.data?.items.find(isActive) ?? (isActive(m.last_sync) ? m.last_sync : null);
  return (
    <>
      <MappingHeader mapping={m} running={running} canWrite={canWrite} />
      <TabNav
        label="Mapping sections"
        items={[
          { to: `${base}/edit`, label: "Mapping", icon: Waypoints },
          { to: `${base}/syncs`, label: "Syncs", icon: Activity, count: syncs.data?.total },
          { to: `${base}/rejected`, label: "Rejected records", icon: FileWarning },
        ]}
      />
      <Outlet context={{ mapping: m, syncs, canWrite } satisfies MappingPageContext} />
    </>
  );
}

/** When a sync that was queued or running finishes: refresh what it changed and say so. */
function useSyncWatcher(mapping: Mapping | undefined, syncs: SyncRunList | undefined) {
  const qc = useQueryClient();
  const toast = useToast();
  const active = useRef<Set<string>>(new Set());
  useEffect(() => {
    if (!syncs || !mapping) return;
    const now = new Set(syncs.items.filter(isActive).map((r) => r.id));
    const done = [...active.current].filter((id) => !now.has(id));
    active.current = now;
    if (done.length === 0) return;
    void refreshAfterSync(qc, mapping);
    for (const run of syncs.items.filter((r) => done.includes(r.id))) {
      if (run.status === "succeeded") {
        toast.success(
          `Sync #${run.seq} succeeded`,
          `${run.succeeded} written, ${run.failed} rejected in ${formatDuration(run.duration_ms)}`,
        );
      } else if (run.status === "failed") {
        toast.error(`Sync #${run.seq} failed`, run.error ? firstLine(run.error) : undefined);
      }
    }
  }, [syncs, mapping, qc, toast]);
}

function MappingHeader({
  mapping: m,
  running,
  canWrite,
}: {
  mapping: Mapping;
  running: Mapping["last_sync"];
  canWrite: boolean;
}) {
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteMapping();
  const toast = useToast();
  return (
    <>
      <DetailPageHeader
        page={PAGE}
        title={m.name}
        description={m.description}
        meta={
          <>
            <MetaItem>
              <MappingRoute mapping={m} />
            </MetaItem>
            <MetaItem>
              <span className="sr-only">Mode: </span>
              {SYNC_MODES[m.sync_mode].label}
              {m.sync_mode === "upsert" && (
                <span className="text-zinc-400">
                  · {ON_CONFLICT[m.on_conflict].label.toLowerCase()}
                </span>
              )}
            </MetaItem>
            <MetaItem>
              <ScheduleLabel schedule={m.schedule} />
            </MetaItem>
            <OwnerMeta name={m.owner.display_name} />
            {running && (
              <MetaItem>
                <Link
                  to={`/ontology/mappings/${m.id}/syncs`}
                  className="inline-flex items-center gap-1.5"
                >
                  <RunStatusBadge status={running.status} />
                  <span className="text-zinc-500">Sync #{running.seq}</span>
                </Link>
              </MetaItem>
            )}
          </>
        }
        actions={
          canWrite ? (
            <>
              <SyncButton
                mapping={{ ...m, last_sync: running ?? m.last_sync }}
                size="md"
                onStarted={() => navigate(`/ontology/mappings/${m.id}/syncs`)}
              />
              <Button
                variant="danger-ghost"
                onClick={() => setDeleting(true)}
                icon={<Trash2 className="size-3.5" aria-hidden="true" />}
              >
                Delete
              </Button>
            </>
          ) : undefined
        }
      />
      <ConfirmDialog
        open={deleting}
        onClose={() => {
          remove.reset();
          setDeleting(false);
        }}
        title={`Delete ${m.name}?`}
        confirmLabel="Delete mapping"
        pending={remove.isPending}
        onConfirm={() =>
          remove.mutate(m.id, {
            onSuccess: () => {
              toast.success(`Deleted ${m.name}`);
              navigate("/ontology/mappings", { replace: true });
            },
          })
        }
      >
        <div className="flex flex-col gap-3">
          <p>
            The mapping, its schedule and its sync history are removed. The objects it wrote stay in{" "}
            {m.object_type_name}.
          </p>
          {remove.error !== null && <Alert tone="error">{errorMessage(remove.error)}</Alert>}
        </div>
      </ConfirmDialog>
    </>
  );
}
