import { useQuery } from "@tanstack/react-query";
import { Boxes } from "lucide-react";
import { Link, useParams } from "react-router";
import { Card } from "@/components/ui/Card";
import {
  DetailPageFallback,
  DetailPageHeader,
  type DetailPageInfo,
  MetaItem,
} from "@/components/ui/DetailPage";
import { LinkedObjectsCard } from "./LinkedObjectsCard";
import { TYPE_PAGE } from "./ObjectTypePage";
import { ProvenanceCard } from "./ProvenanceCard";
import { objectQuery, objectTypeQuery } from "./queries";
import type { ObjectDetail, ObjectType } from "./types";
import { ClassificationBadge, KindBadge, ValueView } from "./visuals";

function pageInfo(typeId: string, typeName: string): DetailPageInfo {
  return {
    noun: "object",
    list: { to: `/ontology/types/${typeId}/objects`, label: typeName },
    notFound: {
      title: "No object with this key",
      description:
        "It may not have been synced yet, or a later sync removed it. Search the type's objects instead.",
    },
    forbiddenReason: "Its type is above your clearance.",
    skeleton: { metaWidths: ["w-24", "w-10", "w-32"], tabsWidth: "w-0" },
  };
}

/** /ontology/types/:typeId/objects/:key — properties, provenance and linked objects. */
export function ObjectPage() {
  const { typeId = "", key = "" } = useParams();
  const objectType = useQuery(objectTypeQuery(typeId));
  const object = useQuery(objectQuery(typeId, key));
  if (!objectType.isSuccess) return <DetailPageFallback page={TYPE_PAGE} query={objectType} />;
  const ot = objectType.data;
  const page = pageInfo(ot.id, ot.display_name || ot.name);
  if (!object.isSuccess) return <DetailPageFallback page={page} query={object} />;
  const o = object.data;
  return (
    <>
      <DetailPageHeader
        page={page}
        title={String(o.key)}
        meta={
          <>
            <MetaItem>
              <Boxes className="size-3.5 text-zinc-400" aria-hidden="true" />
              <span className="sr-only">Object type: </span>
              <Link
                to={`/ontology/types/${ot.id}`}
                className="text-zinc-800 hover:text-accent-700 hover:underline"
              >
                {ot.display_name || ot.name}
              </Link>
            </MetaItem>
            <MetaItem>
              <ClassificationBadge value={ot.classification} />
            </MetaItem>
            <MetaItem>
              <span className="text-zinc-500">{ot.key_property}</span>
              <code className="font-mono text-xs">{String(o.key)}</code>
            </MetaItem>
          </>
        }
      />
      <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="flex min-w-0 flex-col gap-4">
          <PropertiesCard object={o} objectType={ot} />
          <LinkedObjectsCard links={o.links} />
        </div>
        <ProvenanceCard provenance={o.provenance} />
      </div>
    </>
  );
}

function PropertiesCard({ object, objectType }: { object: ObjectDetail; objectType: ObjectType }) {
  const known = new Set(objectType.properties.map((p) => p.name));
  const extra = Object.keys(object.properties).filter((k) => !known.has(k));
  return (
    <Card>
      <h2 className="border-b border-zinc-100 px-5 py-3 text-sm font-semibold text-zinc-900">
        Properties
      </h2>
      <dl className="divide-y divide-zinc-100">
        {objectType.properties.map((p) => (
          <div key={p.name} className="grid grid-cols-[12rem_minmax(0,1fr)] gap-4 px-5 py-2.5">
            <dt className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <span className="font-mono text-[13px] text-zinc-800" title={p.description}>
                {p.name}
              </span>
              <KindBadge spec={p} />
            </dt>
            <dd className="min-w-0 self-center text-sm text-zinc-900">
              <ValueView value={object.properties[p.name]} />
            </dd>
          </div>
        ))}
        {extra.map((k) => (
          <div key={k} className="grid grid-cols-[12rem_minmax(0,1fr)] gap-4 px-5 py-2.5">
            <dt className="font-mono text-[13px] text-zinc-500">{k}</dt>
            <dd className="min-w-0 text-sm text-zinc-900">
              <ValueView value={object.properties[k]} />
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
