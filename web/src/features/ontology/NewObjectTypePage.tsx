import { useState } from "react";
import { useNavigate } from "react-router";
import { ForbiddenPanel } from "@/components/ErrorPanel";
import { BackLink, PageHeader } from "@/components/ui/PageHeader";
import { useToast } from "@/components/ui/Toast";
import { ObjectTypeForm } from "./ObjectTypeForm";
import { useCanWriteOntology, useCreateObjectType } from "./queries";
import { buildCreate, emptyTypeValues, type TypeFormValues } from "./typeForm";

/** /ontology/types/new: name the type, pick its key, list its properties. */
export function NewObjectTypePage() {
  const canWrite = useCanWriteOntology();
  const create = useCreateObjectType();
  const navigate = useNavigate();
  const toast = useToast();
  const [initial] = useState(emptyTypeValues);

  function save(values: TypeFormValues) {
    create.mutate(buildCreate(values), {
      onSuccess: (ot) => {
        toast.success(`Created ${ot.name}`, "Next, map a dataset onto it and sync.");
        navigate(`/ontology/types/${ot.id}`);
      },
    });
  }

  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        eyebrow={<BackLink to="/ontology/types">Ontology</BackLink>}
        title="New object type"
        description="A kind of thing your data describes. Its properties become the typed columns of its objects; mappings fill them from datasets."
      />
      {!canWrite ? (
        <ForbiddenPanel
          area="new object types"
          reason="Defining object types is for engineers, stewards and administrators."
        />
      ) : (
        <ObjectTypeForm
          initial={initial}
          creating
          submitLabel="Create object type"
          saving={create.isPending}
          saveError={create.error}
          onSubmit={save}
          onCancel={() => navigate("/ontology/types")}
        />
      )}
    </div>
  );
}
