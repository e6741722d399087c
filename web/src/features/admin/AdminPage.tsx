import { KeyRound, LockKeyhole, Users } from "lucide-react";
import { Navigate, Outlet } from "react-router";
import type { Permission } from "@/api/types";
import { ForbiddenPanel } from "@/components/ErrorPanel";
import { PageHeader } from "@/components/ui/PageHeader";
import { TabNav, type TabNavItem } from "@/components/ui/TabNav";
import { useMe } from "@/features/auth/queries";

const TABS: Array<TabNavItem & { permission: Permission }> = [
  { to: "/admin/users", label: "Users", icon: Users, permission: "users:read" },
  { to: "/admin/tokens", label: "API tokens", icon: KeyRound, permission: "tokens:admin" },
  { to: "/admin/secrets", label: "Secrets", icon: LockKeyhole, permission: "secrets:read" },
];

function useAdminTabs(): TabNavItem[] {
  const { permissions } = useMe();
  return TABS.filter((t) => permissions.includes(t.permission));
}

/** /admin: the tabs this user may open; the access panel if none. */
export function AdminPage() {
  const tabs = useAdminTabs();
  return (
    <>
      <PageHeader
        title="Admin"
        description="People, API access and the credentials vault for this dataops installation."
      />
      {tabs.length === 0 ? (
        <ForbiddenPanel
          area="Admin"
          reason="Administration is limited to administrators. Your own API tokens are under your user menu."
        />
      ) : (
        <>
          <TabNav label="Admin sections" items={tabs} />
          <Outlet />
        </>
      )}
    </>
  );
}

/** /admin itself opens the first tab the user may see. */
export function AdminIndex() {
  const first = useAdminTabs()[0];
  return first ? <Navigate to={first.to} replace /> : null;
}
