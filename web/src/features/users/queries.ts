import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import type { UserCreate, UserUpdate } from "@/api/types";
import { meQuery } from "@/features/auth/queries";

export const usersQuery = queryOptions({
  queryKey: ["users"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/users")),
});

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.POST("/api/v1/users", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersQuery.queryKey, exact: true }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UserUpdate }) =>
      unwrap(
        api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: id } }, body: patch }),
      ),
    onSuccess: (user) => {
      const me = qc.getQueryData(meQuery.queryKey);
      return Promise.all([
        qc.invalidateQueries({ queryKey: usersQuery.queryKey, exact: true }),
        me?.id === user.id
          ? qc.invalidateQueries({ queryKey: meQuery.queryKey, exact: true })
          : undefined,
      ]);
    },
  });
}

export function useResetPassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      unwrap(
        api.POST("/api/v1/users/{user_id}/password", {
          params: { path: { user_id: id } },
          body: { new_password: password },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersQuery.queryKey, exact: true }),
  });
}
