import { useQuery } from "@tanstack/react-query";
import { Crown, Plus, Shield, Trash2, UserRound, Users } from "lucide-react";
import { type FormEvent, useState } from "react";
import { errorMessage, isApiError } from "@/api/errors";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { Field } from "@/components/ui/Field";
import { Select } from "@/components/ui/Select";
import { Skeleton } from "@/components/ui/Skeleton";
import { useToast } from "@/components/ui/Toast";
import { Avatar } from "@/features/auth/badges";
import { useRoles } from "@/features/meta/queries";
import { usersQuery } from "@/features/users/queries";
import { formatDateTime, formatRelative } from "@/lib/time";
import { sourceGrantsQuery, useDeleteGrant, usePutGrant } from "./queries";
import { useSourcePage } from "./SourcePage";
import type { Grant, GrantLevel, Source } from "./types";

const LEVELS: Array<{ value: GrantLevel; label: string; hint: string }> = [
  { value: "use", label: "Can use", hint: "Browse, preview and build datasets from it." },
  { value: "edit", label: "Can edit", hint: "Also change its settings and who may use it." },
];

/** Access: the owner, who else may use or edit the source, and (for editors) changing that. */
export function AccessTab() {
  const { source } = useSourcePage();
  const grants = useQuery(sourceGrantsQuery(source.id));
  const [removing, setRemoving] = useState<Grant | null>(null);
  const remove = useDeleteGrant(source.id);
  const toast = useToast();

  return (
    <div className="flex flex-col gap-4">
      {source.can_edit && <AddGrantForm source={source} />}
      <Card>
        <div className="flex items-center justify-between border-b border-zinc-200/80 px-5 py-3">
          <h2 className="text-sm font-semibold text-zinc-900">Who has access</h2>
          <p className="text-xs text-zinc-500">Administrators can always use every source.</p>
        </div>
        <ul aria-label="People and roles with access" className="divide-y divide-zinc-100">
          <li className="flex items-center gap-3 px-5 py-3">
            <Avatar name={source.owner.display_name} className="size-8 text-xs" />
            <div className="min-w-0 flex-1">
              <p className="text-sm font-medium text-zinc-900">{source.owner.display_name}</p>
              <p className="text-xs text-zinc-500">@{source.owner.username}</p>
            </div>
            <Badge tone="violet">
              <Crown className="size-3" aria-hidden="true" />
              Owner
            </Badge>
          </li>
          {grants.isPending &&
            [0, 1].map((i) => (
              <li key={i} className="flex items-center gap-3 px-5 py-3">
                <Skeleton className="size-8 rounded-full" />
                <Skeleton className="h-4 w-40" />
              </li>
            ))}
          {grants.data?.items.map((g) => (
            <GrantRow key={g.id} grant={g} source={source} onRemove={() => setRemoving(g)} />
          ))}
        </ul>
        {grants.isError && (
          <QueryErrorPanel
            error={grants.error}
            area="the access list"
            onRetry={() => grants.refetch()}
          />
        )}
        {grants.data?.items.length === 0 && (
          <EmptyState
            icon={Users}
            className="border-t border-zinc-100 py-10"
            title="Not shared yet"
            description={
              source.can_edit
                ? "Only the owner and administrators can use this source. Share it with a person or a whole role above."
                : "Only the owner and administrators can use this source."
            }
          />
        )}
      </Card>
      <ConfirmDialog
        open={!!removing}
        onClose={() => setRemoving(null)}
        title={removing ? `Remove access for ${removing.principal_label}?` : "Remove access"}
        confirmLabel="Remove access"
        pending={remove.isPending}
        onConfirm={() => {
          if (!removing) return;
          const g = removing;
          remove.mutate(g.id, {
            onSuccess: () => {
              toast.success(`Removed access for ${g.principal_label}`);
              setRemoving(null);
            },
            onError: (e) => toast.error("Couldn't remove access", errorMessage(e)),
          });
        }}
      >
        They can no longer browse or preview {source.name}. Datasets already built from it keep
        their own access rules.
      </ConfirmDialog>
    </div>
  );
}

function GrantRow({
  grant,
  source,
  onRemove,
}: {
  grant: Grant;
  source: Source;
  onRemove: () => void;
}) {
  const put = usePutGrant(source.id);
  const toast = useToast();
  const Icon = grant.principal_type === "role" ? Shield : UserRound;
  return (
    <li className="flex items-center gap-3 px-5 py-3">
      <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-zinc-500">
        <Icon className="size-4" aria-hidden="true" />
      </span>
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium text-zinc-900">{grant.principal_label}</p>
        <p className="text-xs text-zinc-500">
          {grant.principal_type === "role" ? "Role" : "User"} · granted by {grant.created_by}{" "}
          <time dateTime={grant.created_at} title={formatDateTime(grant.created_at)}>
            {formatRelative(grant.created_at)}
          </time>
        </p>
      </div>
      {source.can_edit ? (
        <>
          <Select
            selectSize="sm"
            aria-label={`Access level for ${grant.principal_label}`}
            value={grant.level}
            disabled={put.isPending}
            onChange={(e) =>
              put.mutate(
                {
                  principal_type: grant.principal_type,
                  principal: grant.principal,
                  level: e.target.value as GrantLevel,
                },
                { onError: (err) => toast.error("Couldn't change access", errorMessage(err)) },
              )
            }
            className="w-32"
          >
            {LEVELS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </Select>
          <Button
            size="icon-sm"
            variant="ghost"
            className="hover:bg-red-50 hover:text-red-600"
            aria-label={`Remove access for ${grant.principal_label}`}
            title="Remove access"
            onClick={onRemove}
          >
            <Trash2 className="size-3.5" aria-hidden="true" />
          </Button>
        </>
      ) : (
        <Badge tone={grant.level === "edit" ? "accent" : "neutral"}>
          {LEVELS.find((l) => l.value === grant.level)?.label ?? grant.level}
        </Badge>
      )}
    </li>
  );
}

function AddGrantForm({ source }: { source: Source }) {
  const users = useQuery(usersQuery);
  const roles = useRoles();
  const put = usePutGrant(source.id);
  const toast = useToast();
  // Listing users is for administrators and stewards; others share with roles.
  const canListUsers = !users.isError;
  const [kind, setKind] = useState<"user" | "role">("user");
  const type = canListUsers ? kind : "role";
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState("analyst");
  const [level, setLevel] = useState<GrantLevel>("use");
  const candidates = (users.data?.items ?? []).filter(
    (u) => u.is_active && u.id !== source.owner.id,
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    const principal = type === "user" ? userId : role;
    if (!principal) return;
    put.mutate(
      { principal_type: type, principal, level },
      {
        onSuccess: (g) => {
          toast.success(`Shared with ${g.principal_label}`);
          setUserId("");
        },
      },
    );
  }

  const forbidden = isApiError(users.error, 403);
  return (
    <Card>
      <form onSubmit={submit} className="flex flex-col gap-3 px-5 py-4">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900">Share this source</h2>
          <p className="text-xs text-zinc-500">
            Give a person or everyone with a role access. Giving the same person or role access
            again changes their level.
          </p>
        </div>
        {put.error !== null && <Alert tone="error">{errorMessage(put.error)}</Alert>}
        <div className="grid grid-cols-1 items-start gap-3 sm:grid-cols-[9rem_1fr_10rem_auto]">
          <Field label="Share with">
            {(p) => (
              <Select
                {...p}
                value={type}
                onChange={(e) => setKind(e.target.value as "user" | "role")}
              >
                <option value="user" disabled={!canListUsers}>
                  A person
                </option>
                <option value="role">A role</option>
              </Select>
            )}
          </Field>
          {type === "user" ? (
            <Field label="User">
              {(p) => (
                <Select
                  {...p}
                  value={userId}
                  disabled={users.isPending}
                  onChange={(e) => setUserId(e.target.value)}
                >
                  <option value="">
                    {users.isPending ? "Loading people…" : "Choose a person"}
                  </option>
                  {candidates.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.display_name} (@{u.username})
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          ) : (
            <Field
              label="Role"
              hint={
                forbidden
                  ? "Your role can't list people, so share with a role. Everyone holding it gets access."
                  : undefined
              }
            >
              {(p) => (
                <Select {...p} value={role} onChange={(e) => setRole(e.target.value)}>
                  {roles.map((r) => (
                    <option key={r.name} value={r.name}>
                      Every {r.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          )}
          <Field label="Access level">
            {(p) => (
              <Select {...p} value={level} onChange={(e) => setLevel(e.target.value as GrantLevel)}>
                {LEVELS.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button
            type="submit"
            variant="primary"
            className="sm:mt-6.5"
            loading={put.isPending}
            disabled={type === "user" ? !userId : !role}
            icon={<Plus className="size-4" aria-hidden="true" />}
          >
            Add access
          </Button>
        </div>
        <p className="text-xs text-zinc-500">
          {LEVELS.find((l) => l.value === level)?.label}:{" "}
          {LEVELS.find((l) => l.value === level)?.hint}
        </p>
      </form>
    </Card>
  );
}
