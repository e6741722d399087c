import { useQuery } from "@tanstack/react-query";
import { Plus, Waypoints } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { FilterToolbar } from "@/components/ui/ListPage";
import { MappingsTable } from "./MappingsTable";
import { mappingsQuery, useCanWriteOntology } from "./queries";

export function NewMappingButton({ typeId }: { typeId?: string }) {
  const navigate = useNavigate();
  return (
    <Button
      variant="primary"
      onClick={() => navigate(`/ontology/mappings/new${typeId ? `?type=${typeId}` : ""}`)}
      icon={<Plus className="size-4" aria-hidden="true" />}
    >
      New mapping
    </Button>
  );
}

/** The Mappings tab of /ontology: every mapping this user may see. */
export function MappingsList() {
  const canWrite = useCanWriteOntology();
  const mappings = useQuery(mappingsQuery());
  const [filter, setFilter] = useState("");
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
          {(count > 0 || mappings.isPending) && (
            <FilterToolbar
              noun="mapping"
              value={filter}
              onChange={setFilter}
              count={mappings.data ? count : undefined}
            >
              {canWrite && count > 0 && (
                <div className="ml-auto">
                  <NewMappingButton />
                </div>
              )}
            </FilterToolbar>
          )}
          <MappingsTable
            mappings={mappings.data?.items}
            isLoading={mappings.isPending}
            filter={filter}
            empty={
              <EmptyState
                icon={Waypoints}
                title={canWrite ? "Map a dataset onto an object type" : "No mappings yet"}
                description="A mapping says which column (and transform) fills each property of an object type. Syncing it turns the dataset's rows into objects, with where each came from."
                action={canWrite ? <NewMappingButton /> : undefined}
              />
            }
            noMatches={<EmptyState icon={Waypoints} title="No mappings match the filter" />}
          />
        </>
      )}
    </Card>
  );
}
