import { useQuery } from "@tanstack/react-query";
import { Eye, Plug, Settings2, Table2, Users } from "lucide-react";
import { useState } from "react";
import { Outlet, useNavigate, useOutletContext, useParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import {
  DetailPageFallback,
  DetailPageHeader,
  type DetailPageInfo,
  EditDeleteButtons,
  MetaItem,
} from "@/components/ui/DetailPage";
import { TabNav } from "@/components/ui/TabNav";
import { useToast } from "@/components/ui/Toast";
import { formatDateTime, formatRelative } from "@/lib/time";
import { DeleteSourceDialog } from "./DeleteSourceDialog";
import { connectorsQuery, sourceQuery, useTestSource } from "./queries";
import type { ConnectorType, Source } from "./types";
import { formatLatency, OwnerMeta, StatusBadge, serverLabel, TypeIcon } from "./visuals";

export interface SourcePageContext {
  source: Source;
  /** The source's type (its settings schema, what it can preview); undefined until loaded. */
  type: ConnectorType | undefined;
}

/** The source and its type, for the tabs under the source page. */
export function useSourcePage(): SourcePageContext {
  return useOutletContext<SourcePageContext>();
}

const PAGE: DetailPageInfo = {
  noun: "source",
  list: { to: "/sources", label: "Sources" },
  notFound: {
    title: "This source doesn't exist, or isn't shared with you",
    description: "It may have been deleted. Sources you can use are listed on the Sources page.",
  },
  forbiddenReason: "It hasn't been shared with you or your role. Ask its owner for access.",
  skeleton: { metaWidths: ["w-24", "w-16", "w-28"], tabsWidth: "w-80" },
};

/** /sources/:id — header (status, owner, actions) and the Objects/Preview/Access/Settings tabs. */
export function SourcePage() {
  const { sourceId = "" } = useParams();
  const source = useQuery(sourceQuery(sourceId));
  const types = useQuery(connectorsQuery);

  if (!source.isSuccess) return <DetailPageFallback page={PAGE} query={source} />;

  const s = source.data;
  const type = types.data?.items.find((t) => t.type === s.type);
  const base = `/sources/${s.id}`;
  return (
    <>
      <SourceHeader source={s} type={type} />
      <TabNav
        label="Source sections"
        items={[
          { to: `${base}/objects`, label: "Objects", icon: Table2 },
          { to: `${base}/preview`, label: "Preview", icon: Eye },
          { to: `${base}/access`, label: "Access", icon: Users },
          { to: `${base}/settings`, label: "Settings", icon: Settings2 },
        ]}
      />
      <Outlet context={{ source: s, type } satisfies SourcePageContext} />
    </>
  );
}

function SourceHeader({ source, type }: { source: Source; type: ConnectorType | undefined }) {
  const test = useTestSource();
  const toast = useToast();
  const [deleting, setDeleting] = useState(false);
  const navigate = useNavigate();

  function runTest() {
    test.mutate(source.id, {
      onSuccess: (r) =>
        r.ok
          ? toast.success(
              "Connection succeeded",
              [
                serverLabel(r.server_version, type?.title),
                `answered in ${formatLatency(r.latency_ms)}`,
              ]
                .filter(Boolean)
                .join(" · "),
            )
          : toast.error("Connection failed", r.message),
      onError: (e) => toast.error("Couldn't test the source", errorMessage(e)),
    });
  }

  return (
    <>
      <DetailPageHeader
        page={PAGE}
        title={source.name}
        description={source.description}
        meta={
          <>
            <MetaItem>
              <TypeIcon type={source.type} category={type?.category} size="sm" />
              {type?.title ?? source.type}
            </MetaItem>
            <MetaItem>
              <StatusBadge status={source.status} error={source.last_error} />
            </MetaItem>
            <OwnerMeta name={source.owner.display_name} />
            <MetaItem>
              {source.last_tested_at ? (
                <span>
                  Tested{" "}
                  <time
                    dateTime={source.last_tested_at}
                    title={formatDateTime(source.last_tested_at)}
                  >
                    {formatRelative(source.last_tested_at)}
                  </time>
                  {source.last_latency_ms !== null && (
                    <span className="text-zinc-400">
                      {" "}
                      · {formatLatency(source.last_latency_ms)}
                    </span>
                  )}
                </span>
              ) : (
                <span className="text-zinc-500">Never tested</span>
              )}
            </MetaItem>
            {source.server_version && (
              <MetaItem>
                <span className="font-mono text-xs text-zinc-500" title="Server version">
                  {serverLabel(source.server_version, type?.title)}
                </span>
              </MetaItem>
            )}
          </>
        }
        actions={
          <>
            <Button
              onClick={runTest}
              loading={test.isPending}
              icon={<Plug className="size-4" aria-hidden="true" />}
            >
              Test
            </Button>
            {source.can_edit && (
              <EditDeleteButtons
                onEdit={() => navigate(`/sources/${source.id}/edit`)}
                onDelete={() => setDeleting(true)}
              />
            )}
          </>
        }
      />
      {source.status === "error" && source.last_error && (
        <Alert tone="error" title="The last connection test failed" className="mb-6">
          <span className="break-words">{source.last_error}</span>
        </Alert>
      )}
      {source.status === "untested" && source.can_edit && !test.isPending && (
        <Alert tone="info" title="Not tested yet" className="mb-6">
          Press Test to check the connection, so everyone using this source can see it works.
        </Alert>
      )}
      <DeleteSourceDialog source={deleting ? source : null} onClose={() => setDeleting(false)} />
    </>
  );
}
