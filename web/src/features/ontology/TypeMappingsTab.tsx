import { useQuery } from "@tanstack/react-query";
import { Waypoints } from "lucide-react";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Card, Toolbar } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { NewMappingButton } from "./MappingsList";
import { MappingsTable } from "./MappingsTable";
import { useObjectTypePage } from "./ObjectTypePage";
import { mappingsQuery } from "./queries";

/** Mappings: the mappings that fill this type, with their last sync and a Sync button. */
export function TypeMappingsTab() {
  const { objectType, canWriteRole } = useObjectTypePage();
  const mappings = useQuery(mappingsQuery({ objectTypeId: objectType.id }));
  const count = mappings.data?.items.length ?? 0;
  return (
    <Card>
      {mappings.isError ? (
        <QueryErrorPanel
          error={mappings.error}
          area="mappings"
          onRetry={() => mappings.refetch()}
        />
      ) : (
        <>
          {count > 0 && (
            <Toolbar>
              <span className="text-xs text-zinc-500 tabular-nums">
                {count} mapping{count === 1 ? "" : "s"} into {objectType.name}
              </span>
            </Toolbar>
          )}
          <MappingsTable
            mappings={mappings.data?.items}
            isLoading={mappings.isPending}
            empty={
              <EmptyState
                icon={Waypoints}
                title={`Nothing fills ${objectType.name} yet`}
                description="Map a dataset's columns onto its properties, then sync to create its objects."
                action={canWriteRole ? <NewMappingButton typeId={objectType.id} /> : undefined}
              />
            }
          />
        </>
      )}
    </Card>
  );
}
