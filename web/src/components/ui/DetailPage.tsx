import { Pencil, SearchX, Trash2 } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { isApiError } from "@/api/errors";
import { ForbiddenPanel, QueryErrorPanel } from "@/components/ErrorPanel";
import { Button, buttonClasses } from "./Button";
import { Card } from "./Card";
import { EmptyState } from "./EmptyState";
import { BackLink, PageHeader, useDocumentTitle } from "./PageHeader";
import { Skeleton } from "./Skeleton";

/*
 * The pieces of a page about one thing (a source, a dataset): its header with a line of facts,
 * its Edit and Delete actions, and what it shows until the thing has loaded.
 */

/**
 * A detail page's header: the way back to its list, the thing's name and description, a line of
 * facts (each in a `MetaItem`), and its actions.
 */
export function DetailPageHeader({
  page,
  title,
  description,
  meta,
  actions,
}: {
  page: DetailPageInfo;
  title: string;
  description?: string | null;
  meta: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <PageHeader
      eyebrow={<BackLink to={page.list.to}>{page.list.label}</BackLink>}
      title={title}
      description={
        <>
          {description && <span className="block">{description}</span>}
          <span className="mt-2.5 flex flex-wrap items-center gap-x-4 gap-y-2 text-[13px] text-zinc-600">
            {meta}
          </span>
        </>
      }
      actions={actions}
    />
  );
}

/** One fact in a DetailPageHeader's `meta`: an icon or badge and its text, kept on one line. */
export function MetaItem({ children }: { children: ReactNode }) {
  return <span className="inline-flex items-center gap-1.5 whitespace-nowrap">{children}</span>;
}

/** The Edit and Delete buttons of a detail page's header. */
export function EditDeleteButtons({
  onEdit,
  onDelete,
}: {
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <>
      <Button onClick={onEdit} icon={<Pencil className="size-3.5" aria-hidden="true" />}>
        Edit
      </Button>
      <Button
        variant="danger-ghost"
        onClick={onDelete}
        icon={<Trash2 className="size-3.5" aria-hidden="true" />}
      >
        Delete
      </Button>
    </>
  );
}

/** What a detail page is about, for its loading and error states. */
export interface DetailPageInfo {
  /** What the page is about, in lower case: "dataset". */
  noun: string;
  /** The list the thing is in: the back link, and the way out of a 404. */
  list: { to: string; label: string };
  /** The 404 panel: the thing doesn't exist, or this user may not know it does. */
  notFound: { title: string; description: string };
  /** Why a 403 happened and whom to ask. */
  forbiddenReason: string;
  /**
   * Placeholder widths (Tailwind classes) while loading, about as wide as what they stand for:
   * the facts under the title, and the tabs.
   */
  skeleton: { metaWidths: string[]; tabsWidth: string };
}

/** What DetailPageFallback needs of the query for the thing (a TanStack Query result fits). */
interface ThingQuery {
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * A detail page until its thing has loaded: a skeleton while pending, then the failure — not
 * found (404), no access (403), or a retry.
 */
export function DetailPageFallback({ page, query }: { page: DetailPageInfo; query: ThingQuery }) {
  if (query.isPending) {
    return <DetailPageSkeleton label={`Loading ${page.noun}…`} {...page.skeleton} />;
  }
  return <DetailPageError page={page} error={query.error} onRetry={() => query.refetch()} />;
}

function DetailPageError({
  page: { noun, list, notFound, forbiddenReason },
  error,
  onRetry,
}: {
  page: DetailPageInfo;
  error: unknown;
  onRetry: () => void;
}) {
  const title = noun.charAt(0).toUpperCase() + noun.slice(1);
  useDocumentTitle(title);
  const back = <BackLink to={list.to}>{list.label}</BackLink>;
  if (isApiError(error, 404)) {
    return (
      <>
        <PageHeader eyebrow={back} title={`${title} not found`} />
        <Card>
          <EmptyState
            icon={SearchX}
            title={notFound.title}
            description={notFound.description}
            action={
              <Link to={list.to} className={buttonClasses("primary")}>
                Back to {list.label}
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
        <PageHeader eyebrow={back} title={title} />
        <ForbiddenPanel area={`this ${noun}`} reason={forbiddenReason} />
      </>
    );
  }
  return (
    <>
      <PageHeader eyebrow={back} title={title} />
      <Card>
        <QueryErrorPanel error={error} area={`the ${noun}`} onRetry={onRetry} />
      </Card>
    </>
  );
}

/** A detail page while it loads: header, facts, tabs and a card. */
function DetailPageSkeleton({
  label,
  metaWidths,
  tabsWidth,
}: {
  label: string;
  metaWidths: string[];
  tabsWidth: string;
}) {
  return (
    <div aria-busy="true">
      <span className="sr-only" role="status">
        {label}
      </span>
      <div className="pb-6">
        <Skeleton className="mb-2 h-3 w-16" />
        <Skeleton className="h-6 w-56" />
        <div className="mt-3 flex gap-4">
          {metaWidths.map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
            <Skeleton key={i} className={`h-5 ${w}`} />
          ))}
        </div>
      </div>
      <Skeleton className={`mb-6 h-8 ${tabsWidth}`} />
      <Card className="p-6">
        <Skeleton className="mb-3 h-4 w-1/3" />
        <Skeleton className="mb-3 h-4 w-1/2" />
        <Skeleton className="h-4 w-2/5" />
      </Card>
    </div>
  );
}
