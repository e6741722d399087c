import { useQuery } from "@tanstack/react-query";
import { Radio, RotateCw, Rows3 } from "lucide-react";
import { useSearchParams } from "react-router";
import { errorMessage, isApiError } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { Select } from "@/components/ui/Select";
import { PreviewGrid, PreviewGridSkeleton } from "@/features/sources/PreviewGrid";
import { formatTimestamp } from "@/lib/time";
import { useDatasetPage } from "./DatasetPage";
import { rowCount } from "./format";
import { dataQuery, livePreviewQuery, versionsQuery } from "./queries";
import type { Version } from "./types";
import { RelativeTime } from "./visuals";

const LIVE = "live";
const LATEST = "latest";

function versionLabel(v: Version, runSeq: number | undefined): string {
  const parts = [`v${v.version}`, formatTimestamp(v.timestamp)];
  if (runSeq !== undefined) parts.push(`run #${runSeq}`);
  else if (!v.run_id) parts.push(v.operation.toLowerCase());
  if (v.rows_added !== null) parts.push(`+${rowCount(v.rows_added)}`);
  return parts.join(" · ");
}

/**
 * Data: the first 100 rows of the lake table at any version (time travel), or read live from the
 * source. `?version=` keeps the choice in the URL.
 */
export function DataTab() {
  const { dataset, runs } = useDatasetPage();
  const [params, setParams] = useSearchParams();
  const choice = params.get("version") ?? LATEST;
  const versions = useQuery({
    ...versionsQuery(dataset.id),
    enabled: dataset.lake_version !== null,
  });
  const live = choice === LIVE;
  const version = live || choice === LATEST ? null : Number(choice);
  const hasData = dataset.lake_version !== null;
  const data = useQuery({ ...dataQuery(dataset.id, version), enabled: !live && hasData });
  const source = useQuery({ ...livePreviewQuery(dataset.id), enabled: live });
  const shown = live ? source : data;
  const seqOf = new Map(runs.data?.items.map((r) => [r.id, r.seq]));
  const picked = versions.data?.items.find((v) => v.version === (version ?? dataset.lake_version));

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="flex flex-wrap items-center gap-3 px-4 py-3">
          <label htmlFor="dataset-version" className="text-[13px] font-medium text-zinc-800">
            Version
          </label>
          <Select
            id="dataset-version"
            selectSize="sm"
            value={choice}
            onChange={(e) =>
              setParams(e.target.value === LATEST ? {} : { version: e.target.value }, {
                replace: true,
              })
            }
            className="w-full max-w-md"
          >
            <option value={LATEST}>
              {hasData ? `Latest (v${dataset.lake_version})` : "Latest (no data yet)"}
            </option>
            {versions.data?.items.map((v) => (
              <option key={v.version} value={String(v.version)}>
                {versionLabel(v, v.run_id ? seqOf.get(v.run_id) : undefined)}
              </option>
            ))}
            <option value={LIVE}>Live source (read now, not stored)</option>
          </Select>
          <div className="ml-auto flex items-center gap-3 text-xs text-zinc-500">
            {live ? (
              <span className="inline-flex items-center gap-1.5">
                <Radio className="size-3.5 text-emerald-600" aria-hidden="true" />
                Read from {dataset.source.name} now
              </span>
            ) : picked ? (
              <span>
                Written <RelativeTime iso={picked.timestamp} />
                {picked.watermark && (
                  <>
                    {" "}
                    · watermark <code className="font-mono">{picked.watermark}</code>
                  </>
                )}
              </span>
            ) : null}
            {(live || hasData) && (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => shown.refetch()}
                disabled={shown.isFetching}
                icon={<RotateCw className="size-3.5" aria-hidden="true" />}
              >
                Refresh
              </Button>
            )}
          </div>
        </div>
      </Card>

      {!live && !hasData ? (
        <Card>
          <EmptyState
            icon={Rows3}
            title="No data yet"
            description="The lake table is written by the first successful run. Until then, choose Live source to see what a run would read."
          />
        </Card>
      ) : shown.isPending || shown.isFetching ? (
        <PreviewGridSkeleton
          label={live ? "Reading from the source…" : "Reading the lake table…"}
        />
      ) : shown.isError ? (
        <Alert tone="error" title={live ? "Couldn't read the source" : "Couldn't read the table"}>
          <span className="break-words">
            {!live && isApiError(shown.error, 404)
              ? "This version isn't available (it may have been vacuumed)."
              : errorMessage(shown.error)}
          </span>
        </Alert>
      ) : (
        <PreviewGrid result={shown.data} />
      )}
    </div>
  );
}
