import { useQuery } from "@tanstack/react-query";
import {
  ArrowLeft,
  Eye,
  Pencil,
  Plug,
  SearchX,
  Settings2,
  Table2,
  Trash2,
  Users,
} from "lucide-react";
import { type ReactNode, useState } from "react";
import { Link, Outlet, useNavigate, useOutletContext, useParams } from "react-router";
import { errorMessage, isApiError } from "@/api/errors";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Alert } from "@/components/ui/Alert";
import { Button, buttonClasses } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader, useDocumentTitle } from "@/components/ui/PageHeader";
import { Skeleton } from "@/components/ui/Skeleton";
import { TabNav } from "@/components/ui/TabNav";
import { useToast } from "@/components/ui/Toast";
import { Avatar } from "@/features/auth/badges";
import { formatDateTime, formatRelative } from "@/lib/time";
import { DeleteSourceDialog } from "./DeleteSourceDialog";
import { connectorsQuery, sourceQuery, useTestSource } from "./queries";
import type { ConnectorType, Source } from "./types";
import { formatLatency, StatusBadge, serverLabel, TypeIcon } from "./visuals";

export interface SourcePageContext {
  source: Source;
  /** The source's type (its settings schema, what it can preview); undefined until loaded. */
  type: ConnectorType | undefined;
}

/** The source and its type, for the tabs under the source page. */
export function useSourcePage(): SourcePageContext {
  return useOutletContext<SourcePageContext>();
}

const backLink = (
  <Link to="/sources" className="inline-flex items-center gap-1 hover:text-zinc-800">
    <ArrowLeft className="size-3.5" aria-hidden="true" />
    Sources
  </Link>
);

/** /sources/:id — header (status, owner, actions) and the Objects/Preview/Access/Settings tabs. */
export function SourcePage() {
  const { sourceId = "" } = useParams();
  const source = useQuery(sourceQuery(sourceId));
  const types = useQuery(connectorsQuery);

  if (source.isPending) return <SourcePageSkeleton />;
  if (source.isError) return <SourceError error={source.error} onRetry={() => source.refetch()} />;

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
      <PageHeader
        eyebrow={backLink}
        title={source.name}
        description={
          <>
            {source.description && <span className="block">{source.description}</span>}
            <span className="mt-2.5 flex flex-wrap items-center gap-x-4 gap-y-2 text-[13px] text-zinc-600">
              <Meta>
                <TypeIcon type={source.type} category={type?.category} size="sm" />
                {type?.title ?? source.type}
              </Meta>
              <Meta>
                <StatusBadge status={source.status} error={source.last_error} />
              </Meta>
              <Meta>
                <Avatar name={source.owner.display_name} className="size-5 text-[9px]" />
                <span>
                  <span className="sr-only">Owner: </span>
                  {source.owner.display_name}
                </span>
              </Meta>
              <Meta>
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
              </Meta>
              {source.server_version && (
                <Meta>
                  <span className="font-mono text-xs text-zinc-500" title="Server version">
                    {serverLabel(source.server_version, type?.title)}
                  </span>
                </Meta>
              )}
            </span>
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
              <>
                <Button
                  onClick={() => navigate(`/sources/${source.id}/edit`)}
                  icon={<Pencil className="size-3.5" aria-hidden="true" />}
                >
                  Edit
                </Button>
                <Button
                  variant="danger-ghost"
                  onClick={() => setDeleting(true)}
                  icon={<Trash2 className="size-3.5" aria-hidden="true" />}
                >
                  Delete
                </Button>
              </>
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

function Meta({ children }: { children: ReactNode }) {
  return <span className="inline-flex items-center gap-1.5 whitespace-nowrap">{children}</span>;
}

function SourceError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  useDocumentTitle("Source");
  if (isApiError(error, 404)) {
    return (
      <>
        <PageHeader eyebrow={backLink} title="Source not found" />
        <Card>
          <EmptyState
            icon={SearchX}
            title="This source doesn't exist, or isn't shared with you"
            description="It may have been deleted. Sources you can use are listed on the Sources page."
            action={
              <Link to="/sources" className={buttonClasses("primary")}>
                Back to Sources
              </Link>
            }
          />
        </Card>
      </>
    );
  }
  if (isApiError(error, 403)) {
    return (
      <>
        <PageHeader eyebrow={backLink} title="Source" />
        <ForbiddenPanel
          area="this source"
          reason="It hasn't been shared with you or your role. Ask its owner for access."
        />
      </>
    );
  }
  return (
    <>
      <PageHeader eyebrow={backLink} title="Source" />
      <Card>
        <QueryErrorPanel error={error} area="the source" onRetry={onRetry} />
      </Card>
    </>
  );
}

function SourcePageSkeleton() {
  return (
    <div aria-busy="true">
      <span className="sr-only" role="status">
        Loading source…
      </span>
      <div className="pb-6">
        <Skeleton className="mb-2 h-3 w-16" />
        <Skeleton className="h-6 w-56" />
        <div className="mt-3 flex gap-4">
          <Skeleton className="h-5 w-24" />
          <Skeleton className="h-5 w-16" />
          <Skeleton className="h-5 w-28" />
        </div>
      </div>
      <Skeleton className="mb-6 h-8 w-80" />
      <Card className="p-6">
        <Skeleton className="mb-3 h-4 w-1/3" />
        <Skeleton className="mb-3 h-4 w-1/2" />
        <Skeleton className="h-4 w-2/5" />
      </Card>
    </div>
  );
}
