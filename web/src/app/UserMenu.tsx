import { ChevronsUpDown, KeyRound, LogOut, UserRoundCog } from "lucide-react";
import { Menu, MenuHeader, MenuItem, MenuLink, MenuSeparator } from "@/components/ui/Menu";
import { useToast } from "@/components/ui/Toast";
import { Avatar, ClearanceBadge, RoleBadge } from "@/features/auth/badges";
import { useLogout, useMe } from "@/features/auth/queries";

export function UserMenu() {
  const me = useMe();
  const logout = useLogout();
  const toast = useToast();

  return (
    <Menu
      label="User menu"
      width="w-64"
      triggerClassName="flex items-center gap-2.5 rounded-lg py-1 pr-2 pl-1 text-left transition-colors hover:bg-zinc-100 aria-expanded:bg-zinc-100"
      trigger={
        <>
          <Avatar name={me.display_name} />
          <span className="hidden min-w-0 flex-col leading-tight sm:flex">
            <span className="truncate text-[13px] font-medium text-zinc-900">
              {me.display_name}
            </span>
            <span className="text-[11px] text-zinc-500 capitalize">{me.role}</span>
          </span>
          <ClearanceBadge clearance={me.clearance} />
          <ChevronsUpDown className="size-3.5 text-zinc-400" aria-hidden="true" />
        </>
      }
    >
      <MenuHeader>
        <div className="flex items-center gap-2.5">
          <Avatar name={me.display_name} className="size-9 text-xs" />
          <div className="min-w-0">
            <p className="truncate text-sm font-medium text-zinc-900">{me.display_name}</p>
            <p className="truncate text-xs text-zinc-500">{me.email ?? `@${me.username}`}</p>
          </div>
        </div>
        <div className="mt-2.5 flex items-center gap-1.5">
          <RoleBadge role={me.role} />
          <ClearanceBadge clearance={me.clearance} full />
        </div>
      </MenuHeader>
      <MenuSeparator />
      <MenuLink to="/account/tokens">
        <KeyRound aria-hidden="true" />
        API tokens
      </MenuLink>
      <MenuLink to="/account/password">
        <UserRoundCog aria-hidden="true" />
        Change password
      </MenuLink>
      <MenuSeparator />
      <MenuItem
        onSelect={() =>
          logout.mutate(undefined, {
            onError: () =>
              toast.error("Signed out here", "The server didn't confirm the sign-out."),
          })
        }
      >
        <LogOut aria-hidden="true" />
        Sign out
      </MenuItem>
    </Menu>
  );
}
