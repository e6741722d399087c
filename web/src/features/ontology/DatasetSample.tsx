import type { UseQueryResult } from "@tanstack/react-query";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import type { DataPreview } from "@/features/datasets/types";
import { PreviewGrid, PreviewGridSkeleton } from "@/features/sources/PreviewGrid";

/** The number of dataset rows the editor shows (the wireframe's "Dataset Preview (5 rows)"). */
export const SAMPLE_ROWS = 5;

/** The dataset's first rows, latest version: what the columns hold. */
export function DatasetSample({ sample }: { sample: UseQueryResult<DataPreview> }) {
  if (sample.isPending || sample.isFetching) {
    return <PreviewGridSkeleton label="Reading the dataset…" rows={3} />;
  }
  if (sample.isError) {
    return (
      <Alert tone="error" title="Couldn't read the dataset">
        <span className="break-words">{errorMessage(sample.error)}</span>
      </Alert>
    );
  }
  return <PreviewGrid result={sample.data} maxHeight="16rem" />;
}
