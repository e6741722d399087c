import { useQuery } from "@tanstack/react-query";
import { useNavigate, useParams } from "react-router";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Card } from "@/components/ui/Card";
import { BackLink, PageHeader } from "@/components/ui/PageHeader";
import { Skeleton } from "@/components/ui/Skeleton";
import { useToast } from "@/components/ui/Toast";
import { connectorsQuery, sourceQuery, useUpdateSource } from "./queries";
import { SourceForm, type SourceFormValues } from "./SourceForm";
import type { ConnectorType, Source, SourceUpdate } from "./types";

/** /sources/:id/edit — the same form as a new source, prefilled; secrets stay as they are. */
export function EditSourcePage() {
  const { sourceId = "" } = useParams();
  const source = useQuery(sourceQuery(sourceId));
  const types = useQuery(connectorsQuery);
  const type = types.data?.items.find((t) => t.type === source.data?.type);
  const back = `/sources/${sourceId}`;

  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        eyebrow={<BackLink to={back}>{source.data?.name ?? "Source"}</BackLink>}
        title={source.data ? `Edit ${source.data.name}` : "Edit source"}
        description="Changing the connection settings marks the source untested until its next test."
      />
      {source.isError || types.isError ? (
        <Card>
          <QueryErrorPanel
            error={source.error ?? types.error}
            area="the source"
            onRetry={() => {
              void source.refetch();
              void types.refetch();
            }}
          />
        </Card>
      ) : source.isPending || types.isPending ? (
        <Card className="space-y-4 p-6">
          <Skeleton className="h-4 w-32" />
          <Skeleton className="h-9 w-1/2" />
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
        </Card>
      ) : !source.data.can_edit ? (
        <ForbiddenPanel
          area="editing this source"
          reason="Only its owner, people it was shared with for editing, and administrators can change it."
        />
      ) : !type ? (
        <Card>
          <QueryErrorPanel
            error={new Error(`The ${source.data.type} connector isn't installed on this server.`)}
            area="the settings form"
          />
        </Card>
      ) : (
        <EditForm key={source.data.updated_at} source={source.data} type={type} />
      )}
    </div>
  );
}

function EditForm({ source, type }: { source: Source; type: ConnectorType }) {
  const update = useUpdateSource(source.id);
  const navigate = useNavigate();
  const toast = useToast();
  const back = `/sources/${source.id}`;

  function save(values: SourceFormValues) {
    const patch: SourceUpdate = {};
    if (values.name !== source.name) patch.name = values.name;
    if (values.description !== source.description) patch.description = values.description;
    if (values.configChanged) patch.config = values.config;
    if (Object.keys(patch).length === 0) {
      navigate(back);
      return;
    }
    update.mutate(patch, {
      onSuccess: (s) => {
        toast.success(
          `Saved ${s.name}`,
          patch.config ? "New settings are untested until you test them." : undefined,
        );
        navigate(back);
      },
    });
  }

  return (
    <SourceForm
      type={type}
      source={source}
      submitLabel="Save changes"
      saving={update.isPending}
      saveError={update.error}
      onSubmit={save}
      onCancel={() => navigate(back)}
    />
  );
}
