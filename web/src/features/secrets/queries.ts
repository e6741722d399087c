import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

export const secretsQuery = queryOptions({
  queryKey: ["secrets"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/secrets")),
});

export function useCreateSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description: string; value: string }) =>
      unwrap(api.POST("/api/v1/secrets", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: secretsQuery.queryKey, exact: true }),
  });
}

export function useUpdateSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { description?: string; value?: string } }) =>
      unwrap(
        api.PATCH("/api/v1/secrets/{secret_id}", {
          params: { path: { secret_id: id } },
          body: patch,
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: secretsQuery.queryKey, exact: true }),
  });
}

export function useDeleteSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/secrets/{secret_id}", { params: { path: { secret_id: id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: secretsQuery.queryKey, exact: true }),
  });
}
