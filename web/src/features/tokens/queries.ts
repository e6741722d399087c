import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import type { Token } from "@/api/types";
import { isPast } from "@/lib/time";

export const myTokensQuery = queryOptions({
  queryKey: ["tokens", "mine"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/tokens")),
});

export const allTokensQuery = queryOptions({
  queryKey: ["tokens", "all"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/admin/tokens")),
});

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expires_in_days: number | null }) =>
      unwrap(api.POST("/api/v1/tokens", { body })),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: myTokensQuery.queryKey, exact: true }),
        qc.invalidateQueries({ queryKey: allTokensQuery.queryKey, exact: true }),
      ]),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/tokens/{token_id}", { params: { path: { token_id: id } } })),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: myTokensQuery.queryKey, exact: true }),
        qc.invalidateQueries({ queryKey: allTokensQuery.queryKey, exact: true }),
      ]),
  });
}

export type TokenStatus = "active" | "expired" | "revoked";

export function tokenStatus(t: Token, now = new Date()): TokenStatus {
  if (t.revoked_at) return "revoked";
  if (isPast(t.expires_at, now)) return "expired";
  return "active";
}
