import { useQuery } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Card, Toolbar } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { SearchInput } from "@/components/ui/SearchInput";
import { useCan } from "@/features/auth/queries";
import { allTokensQuery, tokenStatus } from "./queries";
import { TokensTable } from "./TokensTable";

/** Every user's API tokens, for an administrator to audit and revoke. */
export function AllTokensTab() {
  const can = useCan("tokens:admin");
  if (!can) return <ForbiddenPanel area="everyone's API tokens" />;
  return <AllTokens />;
}

function AllTokens() {
  const tokens = useQuery(allTokensQuery);
  const [filter, setFilter] = useState("");
  const [showInactive, setShowInactive] = useState(false);
  const items = tokens.data?.items;
  const visible = showInactive ? items : items?.filter((t) => tokenStatus(t) === "active");
  const active = items?.filter((t) => tokenStatus(t) === "active").length ?? 0;

  if (tokens.isError) {
    return (
      <Card>
        <QueryErrorPanel error={tokens.error} area="API tokens" onRetry={() => tokens.refetch()} />
      </Card>
    );
  }
  return (
    <Card>
      <Toolbar>
        <SearchInput value={filter} onChange={setFilter} label="Filter tokens" />
        <label className="ml-2 inline-flex items-center gap-2 text-sm text-zinc-600">
          <input
            type="checkbox"
            checked={showInactive}
            onChange={(e) => setShowInactive(e.target.checked)}
            className="size-3.5 rounded border-zinc-300 accent-accent-600"
          />
          Show revoked and expired
        </label>
        <span className="ml-auto text-xs text-zinc-500 tabular-nums">
          {items ? `${active} active of ${items.length}` : ""}
        </span>
      </Toolbar>
      <TokensTable
        tokens={visible}
        isLoading={tokens.isPending}
        showOwner
        globalFilter={filter}
        empty={
          <EmptyState
            icon={KeyRound}
            title={items?.length ? "No active tokens" : "No API tokens yet"}
            description="Tokens that users create for scripts and services appear here."
          />
        }
      />
    </Card>
  );
}
