import { useQuery } from "@tanstack/react-query";
import { KeyRound, Plus } from "lucide-react";
import { useState } from "react";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { CreateTokenDialog } from "./CreateTokenDialog";
import { myTokensQuery } from "./queries";
import { TokensTable } from "./TokensTable";

export function MyTokensPage() {
  const tokens = useQuery(myTokensQuery);
  const [creating, setCreating] = useState(false);
  const newButton = (
    <Button
      variant="primary"
      onClick={() => setCreating(true)}
      icon={<Plus className="size-4" aria-hidden="true" />}
    >
      New token
    </Button>
  );
  return (
    <>
      <PageHeader
        eyebrow="Account"
        title="API tokens"
        description="Personal tokens for scripts, notebooks and CI. A token acts as you, with your role and clearance."
        actions={newButton}
      />
      <Card>
        {tokens.isError ? (
          <QueryErrorPanel
            error={tokens.error}
            area="your tokens"
            onRetry={() => tokens.refetch()}
          />
        ) : (
          <TokensTable
            tokens={tokens.data?.items}
            isLoading={tokens.isPending}
            empty={
              <EmptyState
                icon={KeyRound}
                title="No API tokens yet"
                description="Create a token to call the dataops API from scripts, notebooks and CI pipelines."
              />
            }
          />
        )}
      </Card>
      <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
