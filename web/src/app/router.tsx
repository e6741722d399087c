import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { AdminIndex, AdminPage } from "@/features/admin/AdminPage";
import { AuditLogPage } from "@/features/audit/AuditLogPage";
import { LoginPage } from "@/features/auth/LoginPage";
import { SetPasswordPage } from "@/features/auth/SetPasswordPage";
import { datasetRoutes } from "@/features/datasets/routes";
import { ontologyRoutes } from "@/features/ontology/routes";
import { ComingSoonPage } from "@/features/placeholder/ComingSoonPage";
import { PLACEHOLDER_PAGES } from "@/features/placeholder/pages";
import { SecretsTab } from "@/features/secrets/SecretsTab";
import { sourceRoutes } from "@/features/sources/routes";
import { AllTokensTab } from "@/features/tokens/AllTokensTab";
import { MyTokensPage } from "@/features/tokens/MyTokensPage";
import { UsersTab } from "@/features/users/UsersTab";
import { AppShell } from "./AppShell";
import { NotFoundPage, RouteErrorPage } from "./NotFound";
import { RequireAuth, SET_PASSWORD_PATH } from "./RequireAuth";

export const routes: RouteObject[] = [
  { path: "/login", element: <LoginPage />, errorElement: <RouteErrorPage /> },
  {
    element: <RequireAuth />,
    errorElement: <RouteErrorPage />,
    children: [
      { path: SET_PASSWORD_PATH, element: <SetPasswordPage /> },
      {
        element: <AppShell />,
        children: [
          { index: true, element: <Navigate to="/catalog" replace /> },
          // Ontology has pages of its own now.
          ...PLACEHOLDER_PAGES.filter((page) => page.path !== "ontology").map((page) => ({
            path: page.path,
            element: <ComingSoonPage key={page.path} page={page} />,
          })),
          ...sourceRoutes,
          ...datasetRoutes,
          ...ontologyRoutes,
          { path: "governance/audit", element: <AuditLogPage /> },
          {
            path: "admin",
            element: <AdminPage />,
            children: [
              { index: true, element: <AdminIndex /> },
              { path: "users", element: <UsersTab /> },
              { path: "tokens", element: <AllTokensTab /> },
              { path: "secrets", element: <SecretsTab /> },
            ],
          },
          { path: "account/tokens", element: <MyTokensPage /> },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
