import { useQuery } from "@tanstack/react-query";
import { History, KeyRound, Link2, ListTree, Rows3, Waypoints } from "lucide-react";
import { useState } from "react";
import { Outlet, useNavigate, useOutletContext, useParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import {
  DetailPageFallback,
  DetailPageHeader,
  type DetailPageInfo,
  EditDeleteButtons,
  MetaItem,
} from "@/components/ui/DetailPage";
import { TabNav } from "@/components/ui/TabNav";
import { useToast } from "@/components/ui/Toast";
import { OwnerMeta } from "@/features/sources/visuals";
import { plural } from "./format";
import { NewMappingButton } from "./MappingsList";
import { objectTypeQuery, useCanWriteOntology, useDeleteObjectType } from "./queries";
import type { ObjectType } from "./types";
import { ClassificationBadge } from "./visuals";

export interface ObjectTypePageContext {
  objectType: ObjectType;
  /** May change the type: the role allows it and the user owns it (or is an admin). */
  canWrite: boolean;
  /** May create mappings and links from it (the role allows it). */
  canWriteRole: boolean;
}

export function useObjectTypePage(): ObjectTypePageContext {
  return useOutletContext<ObjectTypePageContext>();
}

export const TYPE_PAGE: DetailPageInfo = {
  noun: "object type",
  list: { to: "/ontology/types", label: "Ontology" },
  notFound: {
    title: "This object type doesn't exist, or it is above your clearance",
    description:
      "It may have been deleted. Object types you can see are listed on the Ontology page.",
  },
  forbiddenReason: "Its classification is above your clearance.",
  skeleton: { metaWidths: ["w-24", "w-10", "w-16", "w-28"], tabsWidth: "w-[30rem]" },
};

/** /ontology/types/:id — header, then Objects, Schema, Links, Versions and Mappings tabs. */
export function ObjectTypePage() {
  const { typeId = "" } = useParams();
  const objectType = useQuery(objectTypeQuery(typeId));
  const canWriteRole = useCanWriteOntology();
  if (!objectType.isSuccess) return <DetailPageFallback page={TYPE_PAGE} query={objectType} />;

  const ot = objectType.data;
  const base = `/ontology/types/${ot.id}`;
  const canWrite = canWriteRole && ot.editable;
  return (
    <>
      <TypeHeader objectType={ot} canWrite={canWrite} canWriteRole={canWriteRole} />
      <TabNav
        label="Object type sections"
        items={[
          { to: `${base}/objects`, label: "Objects", icon: Rows3 },
          { to: `${base}/schema`, label: "Schema", icon: ListTree },
          { to: `${base}/links`, label: "Links", icon: Link2 },
          { to: `${base}/versions`, label: "Versions", icon: History },
          { to: `${base}/mappings`, label: "Mappings", icon: Waypoints },
        ]}
      />
      <Outlet
        context={{ objectType: ot, canWrite, canWriteRole } satisfies ObjectTypePageContext}
      />
    </>
  );
}

function TypeHeader({
  objectType: ot,
  canWrite,
  canWriteRole,
}: {
  objectType: ObjectType;
  canWrite: boolean;
  canWriteRole: boolean;
}) {
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  return (
    <>
      <DetailPageHeader
        page={TYPE_PAGE}
        title={ot.display_name || ot.name}
        description={ot.description}
        meta={
          <>
            <MetaItem>
              <span className="sr-only">Classification: </span>
              <ClassificationBadge value={ot.classification} />
            </MetaItem>
            {ot.display_name !== ot.name && (
              <MetaItem>
                <span className="sr-only">API name: </span>
                <code className="font-mono text-xs">{ot.name}</code>
              </MetaItem>
            )}
            <MetaItem>
              <KeyRound className="size-3.5 text-amber-600" aria-hidden="true" />
              <span className="sr-only">Key: </span>
              <code className="font-mono text-xs">{ot.key_property}</code>
            </MetaItem>
            <MetaItem>
              <span className="font-mono text-xs">v{ot.version}</span>
              <span className="text-zinc-400">·</span>
              {plural(ot.properties.length, "property", "properties")}
            </MetaItem>
            <MetaItem>
              {ot.object_count === null ? "Not synced yet" : plural(ot.object_count, "object")}
            </MetaItem>
            <OwnerMeta name={ot.owner.display_name} />
          </>
        }
        actions={
          <>
            {canWriteRole && <NewMappingButton typeId={ot.id} />}
            {canWrite && (
              <EditDeleteButtons
                onEdit={() => navigate(`/ontology/types/${ot.id}/schema`)}
                onDelete={() => setDeleting(true)}
              />
            )}
          </>
        }
      />
      <DeleteTypeDialog objectType={deleting ? ot : null} onClose={() => setDeleting(false)} />
    </>
  );
}

function DeleteTypeDialog({
  objectType,
  onClose,
}: {
  objectType: ObjectType | null;
  onClose: () => void;
}) {
  const remove = useDeleteObjectType();
  const toast = useToast();
  const navigate = useNavigate();
  function close() {
    remove.reset();
    onClose();
  }
  return (
    <ConfirmDialog
      open={!!objectType}
      onClose={close}
      title={objectType ? `Delete ${objectType.name}?` : "Delete object type"}
      confirmLabel="Delete object type"
      pending={remove.isPending}
      onConfirm={() => {
        if (!objectType) return;
        remove.mutate(objectType.id, {
          onSuccess: () => {
            toast.success(`Deleted ${objectType.name}`);
            navigate("/ontology/types", { replace: true });
          },
        });
      }}
    >
      <div className="flex flex-col gap-3">
        <p>
          The definition and its version history are removed, and its link types with it. A type
          that mappings still fill can't be deleted: delete those mappings first.
        </p>
        {remove.error !== null && <Alert tone="error">{errorMessage(remove.error)}</Alert>}
      </div>
    </ConfirmDialog>
  );
}
