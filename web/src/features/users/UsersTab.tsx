import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import {
  KeyRound,
  MoreHorizontal,
  Pencil,
  UserCheck,
  UserPlus,
  Users as UsersIcon,
  UserX,
} from "lucide-react";
import { useMemo, useRef, useState } from "react";
import { errorMessage } from "@/api/errors";
import type { User } from "@/api/types";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { DataTable } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { FilterToolbar } from "@/components/ui/ListPage";
import { Menu, MenuItem, MenuSeparator } from "@/components/ui/Menu";
import { useToast } from "@/components/ui/Toast";
import { Avatar, ClearanceBadge, RoleBadge } from "@/features/auth/badges";
import { useCan, useMe } from "@/features/auth/queries";
import { formatDateTime, formatRelative } from "@/lib/time";
import { usersQuery, useUpdateUser } from "./queries";
import { EditUserDialog, NewUserDialog, ResetPasswordDialog } from "./UserDialogs";

const col = createColumnHelper<User>();
const CLEARANCE_ORDER: Record<string, number> = { U: 0, C: 1, S: 2, TS: 3 };

type Dialogs =
  | { kind: "new" }
  | { kind: "edit"; user: User }
  | { kind: "reset"; user: User }
  | { kind: "deactivate"; user: User }
  | null;

export function UsersTab() {
  const canRead = useCan("users:read");
  if (!canRead) return <ForbiddenPanel area="user management" />;
  return <UsersTable />;
}

function UsersTable() {
  const canWrite = useCan("users:write");
  const me = useMe();
  const users = useQuery(usersQuery);
  const update = useUpdateUser();
  const toast = useToast();
  const [filter, setFilter] = useState("");
  const [dialog, setDialog] = useState<Dialogs>(null);

  const setActive = (user: User, is_active: boolean) =>
    update.mutate(
      { id: user.id, patch: { is_active } },
      {
        onSuccess: () => {
          toast.success(
            is_active ? `Reactivated ${user.username}` : `Deactivated ${user.username}`,
            is_active
              ? "They can sign in again."
              : "Their sessions ended and their API tokens stop working.",
          );
          setDialog(null);
        },
        onError: (e) => toast.error("Couldn't update the user", errorMessage(e)),
      },
    );

  const setActiveRef = useRef(setActive);
  setActiveRef.current = setActive;

  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  const columns = useMemo<ColumnDef<User, any>[]>(
    () => [
      col.accessor("username", {
        header: "User",
        cell: ({ row }) => (
          <div className="flex items-center gap-3">
            <Avatar
              name={row.original.display_name}
              className={row.original.is_active ? "" : "grayscale opacity-60"}
            />
            <div className="min-w-0 leading-tight">
              <p className="truncate font-medium text-zinc-900">
                {row.original.username}
                {row.original.id === me.id && (
                  <span className="ml-1.5 text-xs font-normal text-zinc-400">(you)</span>
                )}
              </p>
              {row.original.email && (
                <p className="truncate text-xs text-zinc-500">{row.original.email}</p>
              )}
            </div>
          </div>
        ),
      }),
      col.accessor("display_name", { header: "Name" }),
      col.accessor("role", {
        header: "Role",
        cell: (c) => <RoleBadge role={c.getValue()} />,
      }),
      col.accessor("clearance", {
        header: "Clearance",
        sortingFn: (a, b) =>
          (CLEARANCE_ORDER[a.original.clearance] ?? 0) -
          (CLEARANCE_ORDER[b.original.clearance] ?? 0),
        cell: (c) => <ClearanceBadge clearance={c.getValue()} />,
      }),
      col.accessor((u) => (u.is_active ? (u.must_change_password ? 1 : 0) : 2), {
        id: "status",
        header: "Status",
        cell: ({ row }) => <UserStatus user={row.original} />,
      }),
      col.accessor((u) => u.last_login_at ?? "", {
        id: "last_login",
        header: "Last sign-in",
        sortDescFirst: true,
        cell: ({ row }) =>
          row.original.last_login_at ? (
            <time
              dateTime={row.original.last_login_at}
              title={formatDateTime(row.original.last_login_at)}
              className="text-zinc-600"
            >
              {formatRelative(row.original.last_login_at)}
            </time>
          ) : (
            <span className="text-zinc-400">Never</span>
          ),
      }),
      ...(canWrite
        ? [
            col.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              meta: { className: "w-12 text-right" },
              cell: ({ row }) => {
                const u = row.original;
                const self = u.id === me.id;
                return (
                  <Menu
                    label={`Actions for ${u.username}`}
                    triggerClassName="rounded-md p-1.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 aria-expanded:bg-zinc-100"
                    trigger={<MoreHorizontal className="size-4" aria-hidden="true" />}
                    width="w-52"
                  >
                    <MenuItem onSelect={() => setDialog({ kind: "edit", user: u })}>
                      <Pencil aria-hidden="true" />
                      Edit user
                    </MenuItem>
                    <MenuItem onSelect={() => setDialog({ kind: "reset", user: u })}>
                      <KeyRound aria-hidden="true" />
                      Reset password
                    </MenuItem>
                    {!self && <MenuSeparator />}
                    {!self &&
                      (u.is_active ? (
                        <MenuItem
                          tone="danger"
                          onSelect={() => setDialog({ kind: "deactivate", user: u })}
                        >
                          <UserX aria-hidden="true" />
                          Deactivate
                        </MenuItem>
                      ) : (
                        <MenuItem onSelect={() => setActiveRef.current(u, true)}>
                          <UserCheck aria-hidden="true" />
                          Reactivate
                        </MenuItem>
                      ))}
                  </Menu>
                );
              },
            }),
          ]
        : []),
    ],
    [canWrite, me.id],
  );

  if (users.isError) {
    return (
      <Card>
        <QueryErrorPanel error={users.error} area="users" onRetry={() => users.refetch()} />
      </Card>
    );
  }

  return (
    <>
      <Card>
        <FilterToolbar noun="user" value={filter} onChange={setFilter} count={users.data?.total}>
          {canWrite && (
            <Button
              variant="primary"
              className="ml-auto"
              onClick={() => setDialog({ kind: "new" })}
              icon={<UserPlus className="size-4" aria-hidden="true" />}
            >
              New user
            </Button>
          )}
        </FilterToolbar>
        <DataTable
          label="Users"
          columns={columns}
          data={users.data?.items}
          isLoading={users.isPending}
          getRowId={(u) => u.id}
          globalFilter={filter}
          initialSorting={[{ id: "username", desc: false }]}
          rowClassName={(u) => (u.is_active ? undefined : "text-zinc-400 [&_td]:text-zinc-400")}
          empty={
            <EmptyState
              icon={UsersIcon}
              title="No users yet"
              description="Create accounts for the people who will use dataops."
            />
          }
          noMatches={
            <EmptyState
              icon={UsersIcon}
              title="No users match"
              description={`Nothing matches “${filter}”.`}
              action={<Button onClick={() => setFilter("")}>Clear filter</Button>}
            />
          }
        />
      </Card>
      <NewUserDialog open={dialog?.kind === "new"} onClose={() => setDialog(null)} />
      <EditUserDialog
        user={dialog?.kind === "edit" ? dialog.user : null}
        onClose={() => setDialog(null)}
      />
      <ResetPasswordDialog
        user={dialog?.kind === "reset" ? dialog.user : null}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog?.kind === "deactivate"}
        onClose={() => setDialog(null)}
        onConfirm={() => dialog?.kind === "deactivate" && setActive(dialog.user, false)}
        title={dialog?.kind === "deactivate" ? `Deactivate ${dialog.user.username}?` : "Deactivate"}
        confirmLabel="Deactivate"
        pending={update.isPending}
      >
        They will be signed out and can't sign in or use API tokens until reactivated. Their history
        stays in the audit log.
      </ConfirmDialog>
    </>
  );
}

function UserStatus({ user }: { user: User }) {
  if (!user.is_active)
    return (
      <Badge tone="neutral" dot>
        Deactivated
      </Badge>
    );
  if (user.must_change_password)
    return (
      <Badge tone="amber" dot title="Signed in with a one-time password; must choose a new one">
        Pending password
      </Badge>
    );
  return (
    <Badge tone="green" dot>
      Active
    </Badge>
  );
}
