import { type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Activity,
  BarChart3,
  LayoutDashboard,
  Play,
  Settings2,
  ShieldAlert,
  Table2,
} from "lucide-react";
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
  EditDeleteButtons,
  MetaItem,
} from "@/components/ui/DetailPage";
import { TabNav } from "@/components/ui/TabNav";
import { useToast } from "@/components/ui/Toast";
import { connectorsQuery } from "@/features/sources/queries";
import type { ConnectorType } from "@/features/sources/types";
import { OwnerMeta, TypeIcon, typeTitle } from "@/features/sources/visuals";
import { firstLine, formatDuration, rowCount } from "./format";
import {
  datasetQuery,
  refreshAfterRun,
  runsQuery,
  useCanWriteDatasets,
  useDeleteDataset,
  useStartRun,
} from "./queries";
import { type Dataset, isActive, type RunList } from "./types";
import { ModeBadge, RunStatusBadge, ScheduleLabel } from "./visuals";

export interface DatasetPageContext {
  dataset: Dataset;
  types: ConnectorType[] | undefined;
  runs: UseQueryResult<RunList>;
  /** May run, edit and re-process: the role allows it and so does the source. */
  canWrite: boolean;
}

/** The dataset and its runs, for the tabs under the dataset page. */
export function useDatasetPage(): DatasetPageContext {
  return useOutletContext<DatasetPageContext>();
}

const PAGE: DetailPageInfo = {
  noun: "dataset",
  list: { to: "/datasets", label: "Datasets" },
  notFound: {
    title: "This dataset doesn't exist, or you can't use its source",
    description: "It may have been deleted. Datasets you can use are listed on the Datasets page.",
  },
  forbiddenReason:
    "Its source hasn't been shared with you or your role. Ask the source's owner for access.",
  skeleton: { metaWidths: ["w-28", "w-16", "w-32"], tabsWidth: "w-[28rem]" },
};

/**
 * /datasets/:id — header (source, mode, schedule, owner; Run now, Edit, Delete) and the
 * Overview/Runs/Data/Profile/Quarantine/Settings tabs. Watches active runs for all tabs.
 */
export function DatasetPage() {
  const { datasetId = "" } = useParams();
  const dataset = useQuery(datasetQuery(datasetId));
  const runs = useQuery({ ...runsQuery(datasetId), enabled: dataset.isSuccess });
  const types = useQuery(connectorsQuery);
  const canWriteRole = useCanWriteDatasets();
  useRunWatcher(datasetId, runs.data);

  if (!dataset.isSuccess) return <DetailPageFallback page={PAGE} query={dataset} />;

  const d = dataset.data;
  const base = `/datasets/${d.id}`;
  const canWrite = canWriteRole && d.can_edit;
  return (
    <>
      <DatasetHeader dataset={d} types={types.data?.items} runs={runs.data} canWrite={canWrite} />
      <TabNav
        label="Dataset sections"
        items={[
          { to: `${base}/overview`, label: "Overview", icon: LayoutDashboard },
          { to: `${base}/runs`, label: "Runs", icon: Activity },
          { to: `${base}/data`, label: "Data", icon: Table2 },
          { to: `${base}/profile`, label: "Profile", icon: BarChart3 },
          { to: `${base}/quarantine`, label: "Quarantine", icon: ShieldAlert },
          { to: `${base}/settings`, label: "Settings", icon: Settings2 },
        ]}
      />
      <Outlet
        context={
          { dataset: d, types: types.data?.items, runs, canWrite } satisfies DatasetPageContext
        }
      />
    </>
  );
}

/** When a run that was queued or running finishes: refresh what it changed and say so. */
function useRunWatcher(datasetId: string, runs: RunList | undefined) {
  const qc = useQueryClient();
  const toast = useToast();
  const active = useRef<Set<string>>(new Set());
  useEffect(() => {
    if (!runs) return;
    const now = new Set(runs.items.filter(isActive).map((r) => r.id));
    const done = [...active.current].filter((id) => !now.has(id));
    active.current = now;
    if (done.length === 0) return;
    void refreshAfterRun(qc, datasetId);
    for (const id of done) {
      const run = runs.items.find((r) => r.id === id);
      if (!run) continue;
      if (run.status === "succeeded") {
        toast.success(
          `Run #${run.seq} succeeded`,
          `${rowCount(run.rows)} in ${formatDuration(run.duration_ms)}`,
        );
      } else if (run.status === "failed") {
        // The whole message is in the run's details; a toast gets its gist.
        toast.error(`Run #${run.seq} failed`, run.error ? firstLine(run.error) : undefined);
      } else if (run.status === "cancelled") {
        toast.show({ title: `Run #${run.seq} cancelled`, tone: "info" });
      }
    }
  }, [runs, datasetId, qc, toast]);
}

function DatasetHeader({
  dataset,
  types,
  runs,
  canWrite,
}: {
  dataset: Dataset;
  types: ConnectorType[] | undefined;
  runs: RunList | undefined;
  canWrite: boolean;
}) {
  const start = useStartRun(dataset.id);
  const toast = useToast();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const base = `/datasets/${dataset.id}`;
  // The polled history knows best; until it has answered, the dataset's last run.
  const running = runs
    ? (runs.items.find(isActive) ?? null)
    : isActive(dataset.last_run)
      ? dataset.last_run
      : null;
  const category = types?.find((t) => t.type === dataset.source.type)?.category;

  function runNow() {
    start.mutate(undefined, {
      // The Runs tab shows the queued run and follows it live.
      onSuccess: () => navigate(`${base}/runs`),
      onError: (e) => toast.error("Couldn't start a run", errorMessage(e)),
    });
  }

  return (
    <>
      <DetailPageHeader
        page={PAGE}
        title={dataset.name}
        description={dataset.description}
        meta={
          <>
            <MetaItem>
              <TypeIcon type={dataset.source.type} category={category} size="sm" />
              <span>
                <span className="sr-only">Source: </span>
                <Link
                  to={`/sources/${dataset.source.id}`}
                  className="text-zinc-800 hover:text-accent-700 hover:underline"
                  title={typeTitle(dataset.source.type, types)}
                >
                  {dataset.source.name}
                </Link>
              </span>
            </MetaItem>
            <MetaItem>
              <span className="sr-only">Mode: </span>
              <ModeBadge mode={dataset.mode} />
            </MetaItem>
            <MetaItem>
              <span className="sr-only">Schedule: </span>
              <ScheduleLabel schedule={dataset.schedule} />
            </MetaItem>
            <OwnerMeta name={dataset.owner.display_name} />
            {running && (
              <MetaItem>
                <Link to={`${base}/runs`} className="inline-flex items-center gap-1.5">
                  <RunStatusBadge status={running.status} />
                  <span className="text-zinc-500">Run #{running.seq}</span>
                </Link>
              </MetaItem>
            )}
          </>
        }
        actions={
          canWrite ? (
            <>
              <Button
                variant="primary"
                onClick={runNow}
                loading={start.isPending}
                disabled={!!running}
                title={running ? `Run #${running.seq} is in progress` : undefined}
                icon={<Play className="size-3.5" aria-hidden="true" />}
              >
                Run now
              </Button>
              <EditDeleteButtons
                onEdit={() => navigate(`${base}/settings`)}
                onDelete={() => setDeleting(true)}
              />
            </>
          ) : undefined
        }
      />
      <DeleteDatasetDialog dataset={deleting ? dataset : null} onClose={() => setDeleting(false)} />
    </>
  );
}

function DeleteDatasetDialog({
  dataset,
  onClose,
}: {
  dataset: Dataset | null;
  onClose: () => void;
}) {
  const remove = useDeleteDataset();
  const toast = useToast();
  const navigate = useNavigate();

  function close() {
    remove.reset();
    onClose();
  }

  return (
    <ConfirmDialog
      open={!!dataset}
      onClose={close}
      title={dataset ? `Delete ${dataset.name}?` : "Delete dataset"}
      confirmLabel="Delete dataset"
      pending={remove.isPending}
      onConfirm={() => {
        if (!dataset) return;
        remove.mutate(dataset.id, {
          onSuccess: () => {
            toast.success(`Deleted ${dataset.name}`);
            navigate("/datasets", { replace: true });
          },
        });
      }}
    >
      <div className="flex flex-col gap-3">
        <p>
          The definition, its schedule and its run history are removed. The lake table's files are
          kept (and the deletion is recorded in the audit log), so the data can be recovered by an
          administrator.
        </p>
        {remove.error !== null && <Alert tone="error">{errorMessage(remove.error)}</Alert>}
      </div>
    </ConfirmDialog>
  );
}
