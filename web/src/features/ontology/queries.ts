import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import { toApiError } from "@/api/errors";
import { useMe } from "@/features/auth/queries";
import type {
  LinkTypeCreate,
  Mapping,
  MappingCheck,
  MappingCreate,
  MappingUpdate,
  ObjectType,
  ObjectTypeCreate,
  ObjectTypeUpdate,
  SyncRun,
  SyncRunList,
} from "./types";
import { isActive, ONTOLOGY_WRITE } from "./types";

/** While a sync is queued or running, its views are polled this often. */
export const POLL_MS = 1000;

// --- object types ------------------------------------------------------------------------------

export const objectTypesQuery = queryOptions({
  queryKey: ["object-types"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/object-types")),
});

export function objectTypeQuery(id: string) {
  return queryOptions({
    queryKey: ["object-types", id] as const,
    queryFn: () =>
      unwrap(api.GET("/api/v1/object-types/{type_id}", { params: { path: { type_id: id } } })),
  });
}

export function typeVersionsQuery(id: string) {
  return queryOptions({
    queryKey: ["object-types", id, "versions"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/object-types/{type_id}/versions", { params: { path: { type_id: id } } }),
      ),
  });
}

export interface ObjectFilter {
  q: string;
  /** property → value (compared as text by the server). */
  filters: Record<string, string>;
  offset: number;
}

export const OBJECTS_PAGE = 50;

/** A page of a type's objects; any extra query parameter filters on a property. */
export function objectsQuery(id: string, filter: ObjectFilter) {
  return queryOptions({
    queryKey: ["object-types", id, "objects", filter] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/object-types/{type_id}/objects", {
          params: {
            path: { type_id: id },
            // The property filters are free-form parameters the schema can't name.
            query: {
              ...filter.filters,
              ...(filter.q ? { q: filter.q } : {}),
              limit: OBJECTS_PAGE,
              offset: filter.offset,
            } as { q?: string; limit: number; offset: number },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function objectQuery(typeId: string, key: string) {
  return queryOptions({
    queryKey: ["object-types", typeId, "object", key] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/object-types/{type_id}/objects/{key}", {
          params: { path: { type_id: typeId, key } },
        }),
      ),
    retry: false,
  });
}

/** Link types where `typeId` is the source or the target (all of them without it). */
export function linkTypesQuery(typeId?: string) {
  return queryOptions({
    queryKey: ["link-types", typeId ?? null] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/link-types", {
          params: { query: typeId ? { object_type_id: typeId } : {} },
        }),
      ),
  });
}

export function useCanWriteOntology(): boolean {
  return useMe().permissions.includes(ONTOLOGY_WRITE);
}

function rememberType(qc: QueryClient, ot: ObjectType) {
  qc.setQueryData(objectTypeQuery(ot.id).queryKey, ot);
  return Promise.all([
    qc.invalidateQueries({ queryKey: objectTypesQuery.queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: typeVersionsQuery(ot.id).queryKey, exact: true }),
  ]);
}

export function useCreateObjectType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ObjectTypeCreate) => unwrap(api.POST("/api/v1/object-types", { body })),
    onSuccess: (ot) => rememberType(qc, ot),
  });
}

/** What an update would change and which of it breaks stored objects (nothing is saved). */
export function useCheckObjectType(id: string) {
  return useMutation({
    mutationFn: (body: ObjectTypeUpdate) =>
      unwrap(
        api.POST("/api/v1/object-types/{type_id}/check", {
          params: { path: { type_id: id } },
          body,
        }),
      ),
  });
}

export function useUpdateObjectType(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ObjectTypeUpdate) =>
      unwrap(
        api.PATCH("/api/v1/object-types/{type_id}", { params: { path: { type_id: id } }, body }),
      ),
    onSuccess: (ot) =>
      Promise.all([
        rememberType(qc, ot),
        // A rewrite changes the stored objects.
        qc.invalidateQueries({ queryKey: ["object-types", id, "objects"] }),
      ]),
  });
}

export function useDeleteObjectType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/object-types/{type_id}", { params: { path: { type_id: id } } })),
    onSuccess: (_data, id) => {
      qc.removeQueries({ queryKey: objectTypeQuery(id).queryKey });
      return qc.invalidateQueries({ queryKey: objectTypesQuery.queryKey, exact: true });
    },
  });
}

/** Link types changed: their lists, and the objects that show their links, are read again. */
function linksChanged(qc: QueryClient, typeIds?: string[]) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: ["link-types"] }),
    ...(typeIds ?? [null]).map((id) =>
      qc.invalidateQueries({
        predicate: (q) =>
          q.queryKey[0] === "object-types" &&
          q.queryKey[2] === "object" &&
          (id === null || q.queryKey[1] === id),
      }),
    ),
  ]);
}

export function useCreateLinkType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LinkTypeCreate) => unwrap(api.POST("/api/v1/link-types", { body })),
    onSuccess: (link) => linksChanged(qc, [link.source_type_id, link.target_type_id]),
  });
}

export function useDeleteLinkType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/link-types/{link_id}", { params: { path: { link_id: id } } })),
    onSuccess: () => linksChanged(qc),
  });
}

// --- mappings ----------------------------------------------------------------------------------

export function mappingsQuery(filter: { objectTypeId?: string } = {}) {
  return queryOptions({
    queryKey: ["mappings", "list", filter.objectTypeId ?? null] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/mappings", {
          params: { query: filter.objectTypeId ? { object_type_id: filter.objectTypeId } : {} },
        }),
      ),
    // The list shows live sync status: keep it fresh while anything on it is syncing.
    refetchInterval: (q) => (q.state.data?.items.some((m) => isActive(m.last_sync)) ? 3000 : false),
  });
}

export function mappingQuery(id: string) {
  return queryOptions({
    queryKey: ["mappings", id] as const,
    queryFn: () =>
      unwrap(api.GET("/api/v1/mappings/{mapping_id}", { params: { path: { mapping_id: id } } })),
  });
}

/** Sync history, newest first; polled every second while a sync is queued or running. */
export function syncsQuery(id: string) {
  return queryOptions({
    queryKey: ["mappings", id, "syncs"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/mappings/{mapping_id}/syncs", {
          params: { path: { mapping_id: id }, query: { limit: 50 } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.items.some(isActive) ? POLL_MS : false),
  });
}

export const REJECTED_PAGE = 100;

export function rejectedQuery(id: string, syncId: string | null, offset: number) {
  return queryOptions({
    queryKey: ["mappings", id, "rejected", syncId, offset] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/mappings/{mapping_id}/rejected", {
          params: {
            path: { mapping_id: id },
            query: { ...(syncId ? { sync_id: syncId } : {}), limit: REJECTED_PAGE, offset },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The mapping applied to the dataset's first rows (validated; nothing is saved). */
export function mappingPreviewQuery(body: MappingCheck | null) {
  return queryOptions({
    queryKey: ["mappings", "check", body] as const,
    queryFn: () => unwrap(api.POST("/api/v1/mappings/check", { body: body as MappingCheck })),
    enabled: body !== null,
    retry: false,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export function useSuggestMapping() {
  return useMutation({
    mutationFn: (body: { dataset_id: string; object_type_id: string }) =>
      unwrap(api.POST("/api/v1/mappings/suggest", { body })),
  });
}

function rememberMapping(qc: QueryClient, mapping: Mapping) {
  qc.setQueryData(mappingQuery(mapping.id).queryKey, mapping);
  return qc.invalidateQueries({ queryKey: ["mappings", "list"] });
}

export function useCreateMapping() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MappingCreate) => unwrap(api.POST("/api/v1/mappings", { body })),
    onSuccess: (mapping) => rememberMapping(qc, mapping),
  });
}

export function useUpdateMapping(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MappingUpdate) =>
      unwrap(
        api.PATCH("/api/v1/mappings/{mapping_id}", { params: { path: { mapping_id: id } }, body }),
      ),
    onSuccess: (mapping) => rememberMapping(qc, mapping),
  });
}

export function useDeleteMapping() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/mappings/{mapping_id}", { params: { path: { mapping_id: id } } })),
    onSuccess: (_data, id) => {
      qc.removeQueries({ queryKey: mappingQuery(id).queryKey });
      return qc.invalidateQueries({ queryKey: ["mappings", "list"] });
    },
  });
}

/** Queue a sync; the history shows it at once and polling starts. */
export function useStartSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/mappings/{mapping_id}/syncs", { params: { path: { mapping_id: id } } }),
      ),
    onSuccess: (run) => addSync(qc, run),
  });
}

function addSync(qc: QueryClient, run: SyncRun) {
  qc.setQueryData<SyncRunList>(syncsQuery(run.mapping_id).queryKey, (old) =>
    old
      ? { items: [run, ...old.items.filter((r) => r.id !== run.id)], total: old.total + 1 }
      : { items: [run], total: 1 },
  );
  return Promise.all([
    qc.invalidateQueries({ queryKey: syncsQuery(run.mapping_id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: mappingQuery(run.mapping_id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: ["mappings", "list"] }),
  ]);
}

/** A sync finished: the mapping, its history, its rejects and the target's objects are read again. */
export function refreshAfterSync(qc: QueryClient, mapping: Pick<Mapping, "id" | "object_type_id">) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: mappingQuery(mapping.id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: syncsQuery(mapping.id).queryKey, exact: true }),
    qc.invalidateQueries({ queryKey: ["mappings", mapping.id, "rejected"] }),
    qc.invalidateQueries({ queryKey: ["mappings", "list"] }),
    qc.invalidateQueries({ queryKey: objectTypeQuery(mapping.object_type_id).queryKey }),
    qc.invalidateQueries({ queryKey: objectTypesQuery.queryKey, exact: true }),
  ]);
}

// --- the whole ontology as YAML --------------------------------------------------------------

/** The YAML document of everything this user can see (text, not JSON). */
export async function fetchOntologyYaml(): Promise<string> {
  const { data, error, response } = await api.GET("/api/v1/ontology/export", {
    parseAs: "text",
  });
  if (!response.ok) throw toApiError(response, error);
  return data as unknown as string;
}

export function useImportOntology() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (yaml: string) => unwrap(api.POST("/api/v1/ontology/import", { body: { yaml } })),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ["object-types"] }),
        qc.invalidateQueries({ queryKey: ["link-types"] }),
        qc.invalidateQueries({ queryKey: ["mappings"] }),
      ]),
  });
}
