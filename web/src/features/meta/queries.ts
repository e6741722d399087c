import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import type { Clearance, Role } from "@/api/types";

export const metaQuery = queryOptions({
  queryKey: ["meta"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/meta")),
  staleTime: Number.POSITIVE_INFINITY,
});

/** Used until /meta answers, and for any role/clearance the server does not describe. */
export const ROLES: Array<{ name: Role; description: string }> = [
  {
    name: "admin",
    description: "Manages users, roles, clearances, tokens, secrets and every asset.",
  },
  {
    name: "steward",
    description: "Governs data: classification, quality, access requests; reads the audit log.",
  },
  {
    name: "engineer",
    description: "Builds sources, datasets and pipelines; manages connection secrets.",
  },
  { name: "analyst", description: "Finds, previews and queries data they are allowed to see." },
  { name: "viewer", description: "Browses the catalog read-only." },
];

export const CLEARANCES: Array<{ code: Clearance; name: string }> = [
  { code: "U", name: "Unclassified" },
  { code: "C", name: "Confidential" },
  { code: "S", name: "Secret" },
  { code: "TS", name: "Top Secret" },
];

export function useRoles() {
  const { data } = useQuery(metaQuery);
  return data?.roles.length ? data.roles : ROLES;
}

export function useClearances() {
  const { data } = useQuery(metaQuery);
  return data?.clearances.length ? data.clearances : CLEARANCES;
}
