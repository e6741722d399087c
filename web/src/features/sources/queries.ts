import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, unwrap } from "@/api/client";
import { useMe } from "@/features/auth/queries";
import type {
  ConnectorType,
  GrantIn,
  PreviewSpec,
  Source,
  SourceCreate,
  SourceUpdate,
} from "./types";
import { SOURCES_WRITE } from "./types";

/** Source types and their settings schemas: fixed for the life of a server process. */
export const connectorsQuery = queryOptions({
  queryKey: ["connectors"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/connectors")),
  staleTime: 5 * 60_000,
});

/**
 * The connector types, and a list's rows as new objects once the types arrive. TanStack Table
 * caches accessor values per row, so a column showing type titles (and sorting and filtering by
 * them) needs fresh rows to pick the titles up.
 */
export function useRowsWithTypes<T>(items: T[] | undefined): {
  types: ConnectorType[] | undefined;
  rows: T[] | undefined;
} {
  const types = useQuery(connectorsQuery).data?.items;
  const rows = useMemo(() => (types && items ? [...items] : items), [items, types]);
  return { types, rows };
}

export const sourcesQuery = queryOptions({
  queryKey: ["sources"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/sources")),
});

export function sourceQuery(id: string) {
  return queryOptions({
    queryKey: ["sources", id] as const,
    queryFn: () =>
      unwrap(api.GET("/api/v1/sources/{source_id}", { params: { path: { source_id: id } } })),
  });
}

/** What the source offers. Asks the source itself, so a failure is usually not worth retrying. */
export function sourceObjectsQuery(id: string) {
  return queryOptions({
    queryKey: ["sources", id, "objects"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/sources/{source_id}/objects", { params: { path: { source_id: id } } }),
      ),
    staleTime: 60_000,
    retry: false,
  });
}

export function sourceGrantsQuery(id: string) {
  return queryOptions({
    queryKey: ["sources", id, "grants"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/sources/{source_id}/grants", { params: { path: { source_id: id } } }),
      ),
  });
}

/**
 * The first rows of a table, query, file or endpoint. A read (though a POST): cached by what was
 * asked, never retried (each attempt is an audited read of the source).
 */
export function previewQuery(id: string, spec: PreviewSpec | null, limit: number) {
  return queryOptions({
    queryKey: ["sources", id, "preview", spec, limit] as const,
    queryFn: () =>
      unwrap(
        api.POST("/api/v1/sources/{source_id}/preview", {
          params: { path: { source_id: id } },
          body: { spec: spec as PreviewSpec, limit },
        }),
      ),
    enabled: spec !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 5 * 60_000,
  });
}

export function useCanCreateSources(): boolean {
  return useMe().permissions.includes(SOURCES_WRITE);
}

/** Test settings before saving them (nothing is stored). */
export function useTestConnection() {
  return useMutation({
    mutationFn: (body: { type: string; config: Record<string, unknown>; source_id?: string }) =>
      unwrap(api.POST("/api/v1/sources/test", { body })),
  });
}

function useRememberSource() {
  const qc = useQueryClient();
  return (source: Source) => {
    qc.setQueryData(sourceQuery(source.id).queryKey, source);
    return qc.invalidateQueries({ queryKey: sourcesQuery.queryKey, exact: true });
  };
}

export function useCreateSource() {
  const remember = useRememberSource();
  return useMutation({
    mutationFn: (body: SourceCreate) => unwrap(api.POST("/api/v1/sources", { body })),
    onSuccess: remember,
  });
}

export function useUpdateSource(id: string) {
  const qc = useQueryClient();
  const remember = useRememberSource();
  return useMutation({
    mutationFn: (patch: SourceUpdate) =>
      unwrap(
        api.PATCH("/api/v1/sources/{source_id}", {
          params: { path: { source_id: id } },
          body: patch,
        }),
      ),
    onSuccess: (source, patch) =>
      Promise.all([
        remember(source),
        // New settings may reach different objects.
        patch.config
          ? qc.invalidateQueries({ queryKey: sourceObjectsQuery(id).queryKey, exact: true })
          : undefined,
      ]),
  });
}

export function useDeleteSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, force = false }: { id: string; force?: boolean }) =>
      unwrap(
        api.DELETE("/api/v1/sources/{source_id}", {
          params: { path: { source_id: id }, query: { force } },
        }),
      ),
    onSuccess: (_data, { id }) => {
      qc.removeQueries({ queryKey: sourceQuery(id).queryKey });
      return qc.invalidateQueries({ queryKey: sourcesQuery.queryKey, exact: true });
    },
  });
}

/** Test a saved source; its status, latency and error change, so both views refresh. */
export function useTestSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST("/api/v1/sources/{source_id}/test", { params: { path: { source_id: id } } })),
    onSettled: (_result, _error, id) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: sourceQuery(id).queryKey, exact: true }),
        qc.invalidateQueries({ queryKey: sourcesQuery.queryKey, exact: true }),
      ]),
  });
}

export function usePutGrant(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: GrantIn) =>
      unwrap(
        api.PUT("/api/v1/sources/{source_id}/grants", {
          params: { path: { source_id: id } },
          body,
        }),
      ),
    onSuccess: () =>
      qc.invalidateQueries({ queryKey: sourceGrantsQuery(id).queryKey, exact: true }),
  });
}

export function useDeleteGrant(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (grantId: string) =>
      unwrap(
        api.DELETE("/api/v1/sources/{source_id}/grants/{grant_id}", {
          params: { path: { source_id: id, grant_id: grantId } },
        }),
      ),
    onSuccess: () =>
      qc.invalidateQueries({ queryKey: sourceGrantsQuery(id).queryKey, exact: true }),
  });
}
