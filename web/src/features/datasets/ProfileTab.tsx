import { useQuery } from "@tanstack/react-query";
import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { BarChart3, Columns3 } from "lucide-react";
import { useMemo, useState } from "react";
import { isApiError } from "@/api/errors";
import { QueryErrorPanel } from "@/components/ErrorPanel";
import { Card, Toolbar } from "@/components/ui/Card";
import { DataTable } from "@/components/ui/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { Stat } from "@/components/ui/Fact";
import { SearchInput } from "@/components/ui/SearchInput";
import { Skeleton } from "@/components/ui/Skeleton";
import { cn } from "@/lib/cn";
import { useDatasetPage } from "./DatasetPage";
import { formatRows } from "./format";
import { profileQuery } from "./queries";
import type { ColumnProfile, Profile } from "./types";

const col = createColumnHelper<ColumnProfile>();
const mean = new Intl.NumberFormat("en", { maximumFractionDigits: 3 });
const pct = (n: number) => `${n < 10 && n > 0 ? n.toFixed(1) : Math.round(n)}%`;
const TOP_SHOWN = 3;

function Bar({ share, tone }: { share: number; tone: "red" | "accent" }) {
  const width = Math.max(0, Math.min(100, share * 100));
  return (
    <span
      aria-hidden="true"
      className="block h-1.5 w-full overflow-hidden rounded-full bg-zinc-100"
    >
      <span
        className={cn("block h-full rounded-full", tone === "red" ? "bg-red-400" : "bg-accent-400")}
        style={{ width: `${width > 0 && width < 2 ? 2 : width}%` }}
      />
    </span>
  );
}

function Value({ children }: { children: string | null }) {
  if (children === null) return <span className="text-zinc-300">—</span>;
  return (
    <span
      className="block max-w-40 truncate font-mono text-xs text-zinc-700"
      title={children.length > 20 ? children : undefined}
    >
      {children}
    </span>
  );
}

function TopValues({ column, total }: { column: ColumnProfile; total: number }) {
  const items = column.top_values;
  if (items.length === 0) return <span className="text-zinc-300">—</span>;
  const row = (v: ColumnProfile["top_values"][number]) => (
    <li key={v.value} className="grid grid-cols-[minmax(0,9rem)_4rem_auto] items-center gap-2">
      <span className="truncate font-mono text-xs text-zinc-800" title={v.value}>
        {v.value === "" ? <span className="text-zinc-400 italic">empty</span> : v.value}
      </span>
      <Bar share={total ? v.count / total : 0} tone="accent" />
      <span className="text-[11px] text-zinc-500 tabular-nums">{formatRows(v.count)}</span>
    </li>
  );
  return (
    <div className="py-1.5">
      <ul aria-label={`Top values of ${column.name}`} className="flex flex-col gap-0.5">
        {items.slice(0, TOP_SHOWN).map(row)}
      </ul>
      {items.length > TOP_SHOWN && (
        <details className="group mt-0.5">
          <summary className="cursor-pointer list-none text-[11px] font-medium text-accent-600 hover:text-accent-700 group-open:hidden">
            {items.length - TOP_SHOWN} more
          </summary>
          <ul className="flex flex-col gap-0.5">{items.slice(TOP_SHOWN).map(row)}</ul>
        </details>
      )}
    </div>
  );
}

function useColumns(total: number) {
  // biome-ignore lint/suspicious/noExplicitAny: column value types differ per column
  return useMemo<ColumnDef<ColumnProfile, any>[]>(
    () => [
      col.accessor("name", {
        header: "Column",
        cell: ({ row }) => (
          <div className="min-w-0">
            <span className="block font-mono text-[13px] font-medium text-zinc-900">
              {row.original.name}
            </span>
            <span className="block font-mono text-[11px] text-accent-600">
              {row.original.data_type}
            </span>
          </div>
        ),
      }),
      col.accessor("null_percent", {
        header: "Nulls",
        sortDescFirst: true,
        enableGlobalFilter: false,
        cell: ({ row }) => (
          <div className="w-24" title={`${formatRows(row.original.null_count)} null values`}>
            <span
              className={cn(
                "text-xs tabular-nums",
                row.original.null_percent > 0 ? "text-zinc-800" : "text-zinc-400",
              )}
            >
              {pct(row.original.null_percent)}
            </span>
            <Bar share={row.original.null_percent / 100} tone="red" />
          </div>
        ),
      }),
      col.accessor((c) => c.distinct_estimate ?? -1, {
        id: "distinct",
        header: "Distinct",
        sortDescFirst: true,
        enableGlobalFilter: false,
        meta: { className: "text-right" },
        cell: ({ row }) => (
          <span className="text-xs tabular-nums" title="Estimated distinct values">
            {row.original.distinct_estimate === null
              ? "—"
              : `≈ ${formatRows(row.original.distinct_estimate)}`}
          </span>
        ),
      }),
      col.accessor("min", {
        header: "Min",
        enableSorting: false,
        enableGlobalFilter: false,
        cell: (c) => <Value>{c.getValue()}</Value>,
      }),
      col.accessor("max", {
        header: "Max",
        enableSorting: false,
        enableGlobalFilter: false,
        cell: (c) => <Value>{c.getValue()}</Value>,
      }),
      col.accessor((c) => c.mean ?? Number.NEGATIVE_INFINITY, {
        id: "mean",
        header: "Mean",
        enableGlobalFilter: false,
        meta: { className: "text-right" },
        cell: ({ row }) => (
          <span className="font-mono text-xs tabular-nums">
            {row.original.mean === null ? (
              <span className="text-zinc-300">—</span>
            ) : (
              mean.format(row.original.mean)
            )}
          </span>
        ),
      }),
      col.display({
        id: "top",
        header: "Top values",
        cell: ({ row }) => <TopValues column={row.original} total={total} />,
      }),
    ],
    [total],
  );
}

/** Profile: per-column statistics computed after the last successful run. */
export function ProfileTab() {
  const { dataset } = useDatasetPage();
  const profile = useQuery(profileQuery(dataset.id));
  if (profile.isPending) return <ProfileSkeleton />;
  if (profile.isError) {
    if (isApiError(profile.error, 404)) {
      return (
        <Card>
          <EmptyState
            icon={BarChart3}
            title="No profile yet"
            description="Column statistics (nulls, distinct values, ranges, top values) are computed after each successful run. Run the dataset to see them here."
          />
        </Card>
      );
    }
    return (
      <Card>
        <QueryErrorPanel
          error={profile.error}
          area="the profile"
          onRetry={() => profile.refetch()}
        />
      </Card>
    );
  }
  return <ProfileView profile={profile.data} />;
}

function ProfileView({ profile }: { profile: Profile }) {
  const [filter, setFilter] = useState("");
  const total = profile.sampled && profile.sample_rows ? profile.sample_rows : profile.row_count;
  const columns = useColumns(total);
  const withNulls = profile.columns.filter((c) => c.null_count > 0).length;
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <dl className="grid grid-cols-2 divide-zinc-100 sm:grid-cols-4 sm:divide-x [&>div]:px-5 [&>div]:py-4">
          <Stat label="Rows" size="lg">
            {formatRows(profile.row_count)}
          </Stat>
          <Stat label="Columns" size="lg">
            {profile.columns.length}
          </Stat>
          <Stat label="Columns with nulls" size="lg">
            {withNulls}
          </Stat>
          <Stat label="Version" size="lg">
            {profile.lake_version === null ? "—" : `v${profile.lake_version}`}
          </Stat>
        </dl>
        {profile.sampled && (
          <p className="border-t border-zinc-100 px-5 py-2 text-xs text-zinc-500">
            Computed on a sample of {formatRows(profile.sample_rows)} rows: distinct counts and top
            values are estimates.
          </p>
        )}
      </Card>
      <Card>
        <Toolbar>
          {profile.columns.length > 8 ? (
            <SearchInput value={filter} onChange={setFilter} label="Filter columns" />
          ) : (
            <h2 className="px-1 text-sm font-semibold text-zinc-900">Columns</h2>
          )}
          <span className="ml-1 text-xs text-zinc-500">
            Bars: share of {profile.sampled ? "sampled " : ""}rows
          </span>
        </Toolbar>
        <DataTable
          label="Column profile"
          columns={columns}
          data={profile.columns}
          getRowId={(c) => c.name}
          globalFilter={filter}
          empty={<EmptyState icon={Columns3} title="The table has no columns" />}
          noMatches={<EmptyState icon={Columns3} title="No columns match the filter" />}
        />
      </Card>
    </div>
  );
}

function ProfileSkeleton() {
  return (
    <div className="flex flex-col gap-4" aria-busy="true">
      <span className="sr-only" role="status">
        Loading profile…
      </span>
      <Card className="flex gap-10 p-5">
        {Array.from({ length: 4 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
          <div key={i} className="space-y-2">
            <Skeleton className="h-3 w-16" />
            <Skeleton className="h-5 w-12" />
          </div>
        ))}
      </Card>
      <Card className="space-y-3 p-5">
        {Array.from({ length: 6 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
          <Skeleton key={i} className="h-8 w-full" />
        ))}
      </Card>
    </div>
  );
}
