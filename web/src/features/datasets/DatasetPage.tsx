import { type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Activity,
  ArrowLeft,
  BarChart3,
  LayoutDashboard,
  Pencil,
  Play,
  SearchX,
  Settings2,
  ShieldAlert,
  Table2,
  Trash2,
} from "lucide-react";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Link, Outlet, useNavigate, useOutletContext, useParams } from "react-router";
import { errorMessage, isApiError } from "@/api/errors";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Alert } from "@/components/ui/Alert";
import { Button, buttonClasses } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader, useDocumentTitle } from "@/components/ui/PageHeader";
import { Skeleton } from "@/components/ui/Skeleton";
import { TabNav } from "@/components/ui/TabNav";
import { useToast } from "@/components/ui/Toast";
import { Avatar } from "@/features/auth/badges";
import { connectorsQuery } from "@/features/sources/queries";
import type { ConnectorType } from "@/features/sources/types";
import { TypeIcon, typeTitle } from "@/features/sources/visuals";
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

const backLink = (
  <Link to="/datasets" className="inline-flex items-center gap-1 hover:text-zinc-800">
    <ArrowLeft className="size-3.5" aria-hidden="true" />
    Datasets
  </Link>
);

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

  if (dataset.isPending) return <DatasetPageSkeleton />;
  if (dataset.isError) {
    return <DatasetError error={dataset.error} onRetry={() => dataset.refetch()} />;
  }

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
      <PageHeader
        eyebrow={backLink}
        title={dataset.name}
        description={
          <>
            {dataset.description && <span className="block">{dataset.description}</span>}
            <span className="mt-2.5 flex flex-wrap items-center gap-x-4 gap-y-2 text-[13px] text-zinc-600">
              <Meta>
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
              </Meta>
              <Meta>
                <span className="sr-only">Mode: </span>
                <ModeBadge mode={dataset.mode} />
              </Meta>
              <Meta>
                <span className="sr-only">Schedule: </span>
                <ScheduleLabel schedule={dataset.schedule} />
              </Meta>
              <Meta>
                <Avatar name={dataset.owner.display_name} className="size-5 text-[9px]" />
                <span>
                  <span className="sr-only">Owner: </span>
                  {dataset.owner.display_name}
                </span>
              </Meta>
              {running && (
                <Meta>
                  <Link to={`${base}/runs`} className="inline-flex items-center gap-1.5">
                    <RunStatusBadge status={running.status} />
                    <span className="text-zinc-500">Run #{running.seq}</span>
                  </Link>
                </Meta>
              )}
            </span>
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
              <Button
                onClick={() => navigate(`${base}/settings`)}
                icon={<Pencil className="size-3.5" aria-hidden="true" />}
              >
                Edit
              </Button>
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

function Meta({ children }: { children: ReactNode }) {
  return <span className="inline-flex items-center gap-1.5 whitespace-nowrap">{children}</span>;
}

function DatasetError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  useDocumentTitle("Dataset");
  if (isApiError(error, 404)) {
    return (
      <>
        <PageHeader eyebrow={backLink} title="Dataset not found" />
        <Card>
          <EmptyState
            icon={SearchX}
            title="This dataset doesn't exist, or you can't use its source"
            description="It may have been deleted. Datasets you can use are listed on the Datasets page."
            action={
              <Link to="/datasets" className={buttonClasses("primary")}>
                Back to Datasets
              </Link>
            }
          />
        </Card>
      </>
    );
  }
  if (isApiError(error, 403)) {
    return (
      <>
        <PageHeader eyebrow={backLink} title="Dataset" />
        <ForbiddenPanel
          area="this dataset"
          reason="Its source hasn't been shared with you or your role. Ask the source's owner for access."
        />
      </>
    );
  }
  return (
    <>
      <PageHeader eyebrow={backLink} title="Dataset" />
      <Card>
        <QueryErrorPanel error={error} area="the dataset" onRetry={onRetry} />
      </Card>
    </>
  );
}

function DatasetPageSkeleton() {
  return (
    <div aria-busy="true">
      <span className="sr-only" role="status">
        Loading dataset…
      </span>
      <div className="pb-6">
        <Skeleton className="mb-2 h-3 w-16" />
        <Skeleton className="h-6 w-56" />
        <div className="mt-3 flex gap-4">
          <Skeleton className="h-5 w-28" />
          <Skeleton className="h-5 w-16" />
          <Skeleton className="h-5 w-32" />
        </div>
      </div>
      <Skeleton className="mb-6 h-8 w-[28rem]" />
      <Card className="p-6">
        <Skeleton className="mb-3 h-4 w-1/3" />
        <Skeleton className="mb-3 h-4 w-1/2" />
        <Skeleton className="h-4 w-2/5" />
      </Card>
    </div>
  );
}
