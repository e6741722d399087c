import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import { useNavigate } from "react-router";
import { api, rememberCsrfToken, unwrap } from "@/api/client";
import type { Me, Permission } from "@/api/types";

/** Who is signed in. A 401 here means "show the login page", so it is never retried. */
export const meQuery = queryOptions({
  queryKey: ["auth", "me"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/auth/me")),
  retry: false,
  staleTime: 60_000,
  meta: { skipAuthRedirect: true },
});

/** Set by the authenticated layout once `/auth/me` has answered. */
export const MeContext = createContext<Me | null>(null);

/** The signed-in user. Only for components under the authenticated layout. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe() used outside the authenticated layout");
  return me;
}

export function useCan(permission: Permission): boolean {
  return useMe().permissions.includes(permission);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      unwrap(api.POST("/api/v1/auth/login", { body })),
    meta: { skipAuthRedirect: true },
    onSuccess: (data) => {
      rememberCsrfToken(data.csrf_token);
      qc.setQueryData(meQuery.queryKey, data.user);
    },
  });
}

/** Sign out, leave for /login, then forget every cached answer (in that order, so no
 * mounted page renders without a user). */
export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/logout")),
    meta: { skipAuthRedirect: true },
    onSettled: async () => {
      rememberCsrfToken(null);
      await navigate("/login", { replace: true });
      qc.clear();
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      unwrap(api.POST("/api/v1/auth/password", { body })),
    meta: { skipAuthRedirect: true },
    onSuccess: () => qc.invalidateQueries({ queryKey: meQuery.queryKey, exact: true }),
  });
}
