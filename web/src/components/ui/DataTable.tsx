import {
  type ColumnDef,
  type ExpandedState,
  flexRender,
  getCoreRowModel,
  getExpandedRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  type Row,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ChevronRight, ChevronsUpDown } from "lucide-react";
import { Fragment, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { cn } from "@/lib/cn";
import { Skeleton } from "./Skeleton";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData, TValue> {
    /** Tailwind classes for the column's cells (width, alignment). */
    className?: string;
    /** Keeps TS from flagging the unused generics. */
    _types?: [TData, TValue];
  }
}

interface DataTableProps<T> {
  /** Accessible name of the table. */
  label: string;
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  columns: ColumnDef<T, any>[];
  data: T[] | undefined;
  isLoading?: boolean;
  getRowId: (row: T) => string;
  globalFilter?: string;
  initialSorting?: SortingState;
  /** Shown when there are no rows at all. */
  empty: ReactNode;
  /** Shown when the filter hides every row. */
  noMatches?: ReactNode;
  renderExpanded?: (row: T) => ReactNode;
  rowClassName?: (row: T) => string | undefined;
  skeletonRows?: number;
}

/** A sortable, filterable table on TanStack Table with loading and empty states built in. */
export function DataTable<T>({
  label,
  columns,
  data,
  isLoading,
  getRowId,
  globalFilter,
  initialSorting = [],
  empty,
  noMatches,
  renderExpanded,
  rowClassName,
  skeletonRows = 5,
}: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const table = useReactTable({
    data: data ?? [],
    columns,
    state: { sorting, globalFilter, expanded },
    onSortingChange: setSorting,
    onExpandedChange: setExpanded,
    getRowId: (row) => getRowId(row),
    getRowCanExpand: () => !!renderExpanded,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
  });
  const rows = table.getRowModel().rows;
  const colCount = table.getVisibleLeafColumns().length;

  return (
    <div className="overflow-x-auto">
      <table
        aria-label={label}
        aria-busy={isLoading || undefined}
        className="w-full border-collapse text-sm"
      >
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="border-b border-zinc-200/80">
              {group.headers.map((header) => {
                const sortable = header.column.getCanSort();
                const dir = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={
                      dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined
                    }
                    className={cn(
                      "h-9 bg-zinc-50/60 px-3 text-left text-xs font-medium whitespace-nowrap text-zinc-500 first:pl-4 last:pr-4",
                      header.column.columnDef.meta?.className,
                    )}
                  >
                    {header.isPlaceholder ? null : sortable ? (
                      <button
                        type="button"
                        onClick={header.column.getToggleSortingHandler()}
                        className="group -mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 hover:text-zinc-900"
                      >
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        {dir === "asc" ? (
                          <ArrowUp className="size-3.5 text-zinc-700" aria-hidden="true" />
                        ) : dir === "desc" ? (
                          <ArrowDown className="size-3.5 text-zinc-700" aria-hidden="true" />
                        ) : (
                          <ChevronsUpDown
                            className="size-3.5 text-zinc-300 group-hover:text-zinc-400"
                            aria-hidden="true"
                          />
                        )}
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {isLoading && !data ? (
            <SkeletonRows rows={skeletonRows} cols={colCount} />
          ) : rows.length === 0 ? (
            <tr>
              <td colSpan={colCount}>{(data?.length ?? 0) === 0 ? empty : (noMatches ?? empty)}</td>
            </tr>
          ) : (
            rows.map((row) => (
              <Fragment key={row.id}>
                <BodyRow row={row} className={rowClassName?.(row.original)} />
                {row.getIsExpanded() && renderExpanded && (
                  <tr className="border-b border-zinc-100 bg-zinc-50/70">
                    <td colSpan={colCount} className="px-4 py-4">
                      {renderExpanded(row.original)}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A first column of buttons that show and hide each row's details (see `renderExpanded`).
 * `label` names a row's button ("Details of run #3"); `className` sizes the column.
 */
export function expandColumn<T>(label: (row: T) => string, className: string): ColumnDef<T> {
  return {
    id: "expand",
    header: () => <span className="sr-only">Details</span>,
    meta: { className },
    cell: ({ row }) => (
      <button
        type="button"
        aria-label={label(row.original)}
        aria-expanded={row.getIsExpanded()}
        onClick={row.getToggleExpandedHandler()}
        className="rounded p-1 text-zinc-400 hover:bg-zinc-200/60 hover:text-zinc-700"
      >
        <ChevronRight
          className={cn("size-4 transition-transform", row.getIsExpanded() && "rotate-90")}
          aria-hidden="true"
        />
      </button>
    ),
  };
}

/**
 * A name cell: the name as a link to the thing's page, and its description on a line below.
 * `wide` lets the description run wider, for tables with few other columns.
 */
export function NameCell({
  to,
  name,
  description,
  wide = false,
}: {
  to: string;
  name: string;
  description?: string | null;
  wide?: boolean;
}) {
  return (
    <div className="min-w-0">
      <Link to={to} className="font-medium text-zinc-900 hover:text-accent-700 hover:underline">
        {name}
      </Link>
      {description && (
        <p className={cn("line-clamp-1 text-xs text-zinc-500", wide ? "max-w-sm" : "max-w-xs")}>
          {description}
        </p>
      )}
    </div>
  );
}

function BodyRow<T>({ row, className }: { row: Row<T>; className?: string }) {
  return (
    <tr
      className={cn(
        "border-b border-zinc-100 transition-colors last:border-b-0 hover:bg-zinc-50/80",
        row.getIsExpanded() && "bg-zinc-50/80",
        className,
      )}
    >
      {row.getVisibleCells().map((cell) => (
        <td
          key={cell.id}
          className={cn(
            "h-12 px-3 align-middle text-zinc-700 first:pl-4 last:pr-4",
            cell.column.columnDef.meta?.className,
          )}
        >
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </td>
      ))}
    </tr>
  );
}

function SkeletonRows({ rows, cols }: { rows: number; cols: number }) {
  return Array.from({ length: rows }, (_, r) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
    <tr key={r} className="border-b border-zinc-100">
      {Array.from({ length: cols }, (_, c) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder cells
        <td key={c} className="h-12 px-3 first:pl-4 last:pr-4">
          <Skeleton className={cn("h-3.5", c === 0 ? "w-32" : c % 2 ? "w-20" : "w-24")} />
        </td>
      ))}
    </tr>
  ));
}
