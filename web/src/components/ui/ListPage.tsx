import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { type ReactNode, useState } from "react";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Card, Toolbar } from "./Card";
import { DataTable } from "./DataTable";
import { PageHeader } from "./PageHeader";
import { SearchInput } from "./SearchInput";

/**
 * The bar above a filterable table: the filter box ("Filter users") and how many there are
 * ("12 users"); `children` go on the right (e.g. a New button).
 */
export function FilterToolbar({
  noun,
  value,
  onChange,
  count,
  children,
}: {
  /** What the rows are, singular and lower case: "user". */
  noun: string;
  value: string;
  onChange: (value: string) => void;
  /** How many there are; undefined (nothing shown) until known. */
  count: number | undefined;
  children?: ReactNode;
}) {
  return (
    <Toolbar>
      <SearchInput value={value} onChange={onChange} label={`Filter ${noun}s`} />
      <span className="ml-1 text-xs text-zinc-500 tabular-nums">
        {count === undefined ? "" : `${count} ${noun}${count === 1 ? "" : "s"}`}
      </span>
      {children}
    </Toolbar>
  );
}

/** What ListPage needs of the list's query (a TanStack Query result fits). */
interface ListQuery<T> {
  data?: { items: T[] };
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

interface ListPageProps<T> {
  /** The page's title, and the table's accessible name: "Datasets". */
  title: string;
  description: string;
  /** The way to add one, in the header once there are some (the empty state offers it before). */
  newButton?: ReactNode;
  /** What the rows are, singular and lower case: "dataset". */
  noun: string;
  query: ListQuery<T>;
  /** The rows to show; the query's items unless given. */
  rows?: T[];
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  initialSorting?: SortingState;
  /** Shown when there are no rows at all. */
  empty: ReactNode;
  /** Shown when the filter hides every row. */
  noMatches: ReactNode;
}

/**
 * A page that lists things: its header, then a card with the query's error and a retry, or a
 * filter bar (once there is something to filter) above the table.
 */
export function ListPage<T>({
  title,
  description,
  newButton,
  noun,
  query,
  rows = query.data?.items,
  ...table
}: ListPageProps<T>) {
  const [filter, setFilter] = useState("");
  const count = query.data?.items.length ?? 0;
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={count > 0 ? newButton : undefined}
      />
      <Card>
        {query.isError ? (
          <QueryErrorPanel error={query.error} area={`${noun}s`} onRetry={() => query.refetch()} />
        ) : (
          <>
            {(count > 0 || query.isPending) && (
              <FilterToolbar
                noun={noun}
                value={filter}
                onChange={setFilter}
                count={query.data ? count : undefined}
              />
            )}
            <DataTable
              label={title}
              data={rows}
              isLoading={query.isPending}
              globalFilter={filter}
              {...table}
            />
          </>
        )}
      </Card>
    </>
  );
}
