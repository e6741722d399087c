import type { QueryClient } from "@tanstack/react-query";
import type { createBrowserRouter } from "react-router";
import { loginPath } from "./paths";

type AppRouter = ReturnType<typeof createBrowserRouter>;

/**
 * The session is gone (some request got a 401): go to /login, remembering where the user was,
 * then drop every cached answer so nothing of the old session lingers.
 */
export function sendToLogin(router: AppRouter, queryClient: QueryClient): void {
  const { pathname, search } = router.state.location;
  if (pathname === "/login") return;
  void router.navigate(loginPath(`${pathname}${search}`), { replace: true }).then(() => {
    queryClient.clear();
  });
}
