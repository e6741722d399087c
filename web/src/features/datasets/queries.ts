import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import { useMe } from "@/features/auth/queries";
import type {
  Dataset,
  DatasetCreate,
  DatasetUpdate,
  QuarantineStatus,
  Run,
  RunList,
} from "./types";
import { DATASETS_WRITE, isActive } from "./types";

/** While a run is queued or running, its views are polled this often. */
export const POLL_MS = 1000;

export const datasetsQuery = queryOptions({
  queryKey: ["datasets"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/datasets")),
  // The list shows live run status: keep it fresh while anything on it is running.
  refetchInterval: (q) => (q.state.data?.items.some((d) => isActive(d.last_run)) ? 3000 : false),
});

export function datasetQuery(id: string) {
  return queryOptions({
    queryKey: ["datasets", id] as const,
    queryFn: () =>
      unwrap(api.GET("/api/v1/datasets/{dataset_id}", { params: { path: { dataset_id: id } } })),
  });
}

/** Extraction history, newest first; polled every second while a run is queued or running. */
export function runsQuery(id: string) {
  return queryOptions({
    queryKey: ["datasets", id, "runs"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/datasets/{dataset_id}/runs", {
          params: { path: { dataset_id: id }, query: { limit: 50 } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.items.some(isActive) ? POLL_MS : false),
  });
}

export function versionsQuery(id: string) {
  return queryOptions({
    queryKey: ["datasets", id, "versions"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/datasets/{dataset_id}/versions", {
          params: { path: { dataset_id: id } },
        }),
      ),
  });
}

/** Rows of the lake table at `version` (null: the latest). Each read is audited. */
export function dataQuery(id: string, version: number | null, limit = 100) {
  return queryOptions({
    queryKey: ["datasets", id, "data", version, limit] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/datasets/{dataset_id}/data", {
          params: {
            path: { dataset_id: id },
            query: version === null ? { limit } : { version, limit },
          },
        }),
      ),
    retry: false,
    // A past version never changes.
    staleTime: version === null ? 10_000 : Number.POSITIVE_INFINITY,
  });
}

/** The first rows at the source now (not stored). Audited at the source: never retried. */
export function livePreviewQuery(id: string, limit = 100) {
  return queryOptions({
    queryKey: ["datasets", id, "live", limit] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/datasets/{dataset_id}/preview", {
          params: { path: { dataset_id: id }, query: { limit } },
        }),
      ),
    retry: false,
    staleTime: 60_000,
  });
}

export function profileQuery(id: string) {
  return queryOptions({
    queryKey: ["datasets", id, "profile"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/datasets/{dataset_id}/profile", {
          params: { path: { dataset_id: id } },
        }),
      ),
    retry: false,
  });
}

export interface QuarantineFilter {
  status: QuarantineStatus;
  runId: string | null;
  offset: number;
}

export const QUARANTINE_PAGE = 100;

export function quarantineQuery(id: string, filter: QuarantineFilter) {
  return queryOptions({
    queryKey: ["datasets", id, "quarantine", filter] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/datasets/{dataset_id}/quarantine", {
          params: {
            path: { dataset_id: id },
            query: {
              status: filter.status,
              ...(filter.runId ? { run_id: filter.runId } : {}),
              limit: QUARANTINE_PAGE,
              offset: filter.offset,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The next times a cron expression fires; a 4xx explains what is wrong with it. */
export function cronPreviewQuery(cron: string, timezone: string) {
  return queryOptions({
    queryKey: ["cron-preview", cron, timezone] as const,
    queryFn: () =>
      unwrap(api.GET("/api/v1/datasets/cron-preview", { params: { query: { cron, timezone } } })),
    enabled: cron.trim().length > 0 && timezone.trim().length > 0,
    retry: false,
    staleTime: 30_000,
  });
}

export function useCanWriteDatasets(): boolean {
  return useMe().permissions.includes(DATASETS_WRITE);
}

function remember(qc: QueryClient, dataset: Dataset) {
  qc.setQueryData(datasetQuery(dataset.id).queryKey, dataset);
  return qc.invalidateQueries({ queryKey: datasetsQuery.queryKey, exact: true });
}

export function useCreateDataset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DatasetCreate) => unwrap(api.POST("/api/v1/datasets", { body })),
    onSuccess: (dataset) => remember(qc, dataset),
  });
}

export function useUpdateDataset(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: DatasetUpdate) =>
      unwrap(
        api.PATCH("/api/v1/datasets/{dataset_id}", {
          params: { path: { dataset_id: id } },
          body: patch,
        }),
      ),
    onSuccess: (dataset, patch) =>
      Promise.all([
        remember(qc, dataset),
        // A new spec reads something else at the source.
        patch.spec ? qc.invalidateQueries({ queryKey: ["datasets", id, "live"] }) : undefined,
      ]),
  });
}

export function useDeleteDataset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/datasets/{dataset_id}", { params: { path: { dataset_id: id } } })),
    onSuccess: (_data, id) => {
      qc.removeQueries({ queryKey: datasetQuery(id).queryKey });
      return qc.invalidateQueries({ queryKey: datasetsQuery.queryKey, exact: true });
    },
  });
}

/** Put a run the server just queued at the top of the history, so polling starts at once. */
function addRun(qc: QueryClient, run: Run) {
  qc.setQueryData<RunList>(runsQuery(run.dataset_id).queryKey, (old) =>
    old
      ? { items: [run, ...old.items.filter((r) => r.id !== run.id)], total: old.total + 1 }
      : { items: [run], total: 1 },
  );
  return Promise.all([
    qc.invalidateQueries({ queryKey: runsQuery(run.dataset_id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: datasetQuery(run.dataset_id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: datasetsQuery.queryKey, exact: true }),
  ]);
}

export function useStartRun(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/datasets/{dataset_id}/runs", { params: { path: { dataset_id: id } } }),
      ),
    onSuccess: (run) => addRun(qc, run),
  });
}

export function useCancelRun(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) =>
      unwrap(
        api.POST("/api/v1/datasets/{dataset_id}/runs/{run_id}/cancel", {
          params: { path: { dataset_id: id, run_id: runId } },
        }),
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: runsQuery(id).queryKey, exact: true }),
  });
}

export interface ReprocessInput {
  /** The records to parse again; null: every open one. */
  ids: string[] | null;
  /** Corrected raw text by record id, parsed instead of the stored raw. */
  corrections?: Record<string, string>;
}

/** Parse quarantined records again (with any corrections); the server queues a run. */
export function useReprocess(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, corrections = {} }: ReprocessInput) =>
      unwrap(
        api.POST("/api/v1/datasets/{dataset_id}/quarantine/reprocess", {
          params: { path: { dataset_id: id } },
          body: { ids, corrections },
        }),
      ),
    onSuccess: (run) =>
      Promise.all([
        addRun(qc, run),
        qc.invalidateQueries({ queryKey: ["datasets", id, "quarantine"] }),
      ]),
  });
}

/** A run finished: everything it may have changed is read again. */
export function refreshAfterRun(qc: QueryClient, id: string) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: datasetQuery(id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: runsQuery(id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: versionsQuery(id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: profileQuery(id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: ["datasets", id, "data", null] }),
    qc.invalidateQueries({ queryKey: ["datasets", id, "quarantine"] }),
    qc.invalidateQueries({ queryKey: datasetsQuery.queryKey, exact: true }),
  ]);
}
