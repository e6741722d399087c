import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { ForbiddenPanel } from "@/components/ErrorPanel";
import { BackLink, PageHeader } from "@/components/ui/PageHeader";
import { useToast } from "@/components/ui/Toast";
import { MappingEditor } from "./MappingEditor";
import { buildCreate, emptyMappingValues, type MappingFormValues } from "./mappingForm";
import { useCanWriteOntology, useCreateMapping } from "./queries";

/** /ontology/mappings/new (`?type=` and `?dataset=` preselect): map a dataset onto a type. */
export function NewMappingPage() {
  const canWrite = useCanWriteOntology();
  const [params] = useSearchParams();
  const create = useCreateMapping();
  const navigate = useNavigate();
  const toast = useToast();
  const [initial] = useState(() =>
    emptyMappingValues(params.get("dataset") ?? "", params.get("type") ?? ""),
  );

  function save(values: MappingFormValues, known: string[]) {
    create.mutate(buildCreate(values, known), {
      onSuccess: (mapping) => {
        toast.success(`Created ${mapping.name}`, "Press Sync now to create its objects.");
        navigate(`/ontology/mappings/${mapping.id}`);
      },
    });
  }

  return (
    <div className="mx-auto max-w-[90rem]">
      <PageHeader
        eyebrow={<BackLink to="/ontology/mappings">Ontology</BackLink>}
        title="New mapping"
        description="Pick a dataset and an object type, say where each property comes from — Auto-suggest proposes it — and check the preview before saving."
      />
      {!canWrite ? (
        <ForbiddenPanel
          area="new mappings"
          reason="Mapping datasets onto object types is for engineers, stewards and administrators."
        />
      ) : (
        <MappingEditor
          initial={initial}
          submitLabel="Save mapping"
          saving={create.isPending}
          saveError={create.error}
          onSubmit={save}
          onCancel={() => navigate("/ontology/mappings")}
        />
      )}
    </div>
  );
}
