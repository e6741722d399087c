import { useNavigate, useSearchParams } from "react-router";
import { ForbiddenPanel } from "@/components/ErrorPanel";
import { BackLink, PageHeader } from "@/components/ui/PageHeader";
import { useToast } from "@/components/ui/Toast";
import { DatasetForm } from "./DatasetForm";
import { buildCreate, type DatasetFormValues } from "./form";
import { useCanWriteDatasets, useCreateDataset } from "./queries";

/** /datasets/new (`?source=` starts with that source): define an extraction, preview, create. */
export function NewDatasetPage() {
  const canCreate = useCanWriteDatasets();
  const [params, setParams] = useSearchParams();
  const create = useCreateDataset();
  const navigate = useNavigate();
  const toast = useToast();

  function save(values: DatasetFormValues) {
    create.mutate(buildCreate(values), {
      onSuccess: (dataset) => {
        toast.success(
          `Created ${dataset.name}`,
          dataset.schedule?.enabled
            ? "It runs on its schedule; press Run now to load it right away."
            : "Press Run now to load its first version.",
        );
        navigate(`/datasets/${dataset.id}`);
      },
    });
  }

  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        eyebrow={<BackLink to="/datasets">Datasets</BackLink>}
        title="New dataset"
        description="Choose what to read from a source and preview it, then how each run loads it into the lake and when it runs."
      />
      {!canCreate ? (
        <ForbiddenPanel
          area="new datasets"
          reason="Creating datasets is for data engineers and administrators. Ask one to extract the data you need."
        />
      ) : (
        <DatasetForm
          initialSourceId={params.get("source") ?? ""}
          onSourceChange={(id) => setParams(id ? { source: id } : {}, { replace: true })}
          submitLabel="Create dataset"
          saving={create.isPending}
          saveError={create.error}
          onSubmit={save}
          onCancel={() => navigate("/datasets")}
        />
      )}
    </div>
  );
}
