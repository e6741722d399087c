import { useQuery } from "@tanstack/react-query";
import { Navigate, Outlet, useLocation } from "react-router";
import { isApiError } from "@/api/errors";
import { MeContext, meQuery } from "@/features/auth/queries";
import { FullScreenError, FullScreenLoading } from "./FullScreen";
import { loginPath } from "./paths";

export const SET_PASSWORD_PATH = "/account/password";

/**
 * Gate for everything but /login: no session → login (keeping the path to return to); a
 * one-time password → the "Set a new password" screen before anything else.
 */
export function RequireAuth() {
  const me = useQuery(meQuery);
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;

  if (me.isPending) return <FullScreenLoading />;
  if (me.isError) {
    if (isApiError(me.error, 401)) return <Navigate to={loginPath(here)} replace />;
    return <FullScreenError error={me.error} onRetry={() => me.refetch()} />;
  }
  if (me.data.must_change_password && location.pathname !== SET_PASSWORD_PATH) {
    const next = location.pathname === "/" ? "" : `?next=${encodeURIComponent(here)}`;
    return <Navigate to={`${SET_PASSWORD_PATH}${next}`} replace />;
  }
  return (
    <MeContext.Provider value={me.data}>
      <Outlet />
    </MeContext.Provider>
  );
}
