import { CheckCircle2, CircleX } from "lucide-react";
import { useState } from "react";
import { errorMessage } from "@/api/errors";
import { Alert } from "@/components/ui/Alert";
import { SegmentedControl } from "@/components/ui/SegmentedControl";
import { Spinner } from "@/components/ui/Spinner";
import { cn } from "@/lib/cn";
import { plural } from "./format";
import type { MappingPreview } from "./types";
import { CellValue } from "./visuals";

type Show = "all" | "rejected";

/**
 * The mapping applied to the dataset's first rows: the objects they would become, and the rows a
 * sync would reject with the reason. While the mapping has issues, says how many to fix.
 */
export function ResultPreview({
  preview,
  error,
  busy,
  idle = "Pick a dataset and an object type.",
}: {
  preview: MappingPreview | undefined;
  error: unknown;
  busy: boolean;
  /** What to say when there is nothing to preview yet. */
  idle?: string;
}) {
  const [show, setShow] = useState<Show>("all");
  if (error) {
    return (
      <Alert tone="error" title="Couldn't preview the mapping">
        <span className="break-words">{errorMessage(error)}</span>
      </Alert>
    );
  }
  if (!preview) {
    return (
      <p className="flex items-center gap-2 text-xs text-zinc-500">
        {busy && <Spinner className="size-3.5" />}
        {busy ? "Applying the mapping to the first rows…" : idle}
      </p>
    );
  }
  if (preview.issues.length > 0) {
    return (
      <Alert
        className={busy ? "opacity-60" : undefined}
        tone="warning"
        title={`${plural(preview.issues.length, "issue")} to fix before the preview`}
      >
        The issues are marked on their property above; the preview column shows the columns' values
        as they are until then.
      </Alert>
    );
  }
  const rejected = preview.errors.filter(Boolean).length;
  const indexes = preview.rows.map((_, i) => i).filter((i) => show === "all" || preview.errors[i]);
  return (
    <div
      aria-busy={busy || undefined}
      className={cn(
        "overflow-hidden rounded-lg ring-1 ring-zinc-200 transition-opacity",
        busy && "opacity-60",
      )}
    >
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200/80 bg-zinc-50/60 px-3 py-2 text-xs text-zinc-600">
        <span className="font-medium text-zinc-800 tabular-nums">
          {plural(preview.rows.length, "row")}
        </span>
        <span className="inline-flex items-center gap-1 text-emerald-700">
          <CheckCircle2 className="size-3.5" aria-hidden="true" />
          {preview.rows.length - rejected} become objects
        </span>
        <span
          className={cn(
            "inline-flex items-center gap-1",
            rejected ? "text-red-700" : "text-zinc-400",
          )}
        >
          <CircleX className="size-3.5" aria-hidden="true" />
          {rejected} would be rejected
        </span>
        {busy && <Spinner className="size-3.5" />}
        <SegmentedControl<Show>
          label="Rows shown"
          value={show}
          onChange={setShow}
          options={[
            { value: "all", label: "All rows" },
            { value: "rejected", label: "Rejected", disabled: rejected === 0 },
          ]}
          className="ml-auto"
        />
      </div>
      <div className="max-h-80 overflow-auto">
        <table
          aria-label="Mapped objects preview"
          className="min-w-full border-separate border-spacing-0 text-[13px]"
        >
          <thead>
            <tr>
              <th
                scope="col"
                className="sticky top-0 w-10 border-b border-zinc-200 bg-white px-2 text-right text-[11px] font-normal text-zinc-400"
              >
                #
              </th>
              {preview.columns.map((c) => (
                <th
                  key={c}
                  scope="col"
                  className="sticky top-0 border-b border-zinc-200 bg-white px-3 py-1.5 text-left font-mono text-xs font-semibold whitespace-nowrap text-zinc-800"
                >
                  {c}
                </th>
              ))}
              <th
                scope="col"
                className="sticky top-0 border-b border-zinc-200 bg-white px-3 text-left text-xs font-medium text-zinc-500"
              >
                Result
              </th>
            </tr>
          </thead>
          <tbody>
            {indexes.map((i) => {
              const reason = preview.errors[i];
              return (
                <tr key={i} className={reason ? "bg-red-50/60" : undefined}>
                  <td className="border-b border-zinc-100 px-2 text-right text-[11px] text-zinc-400 tabular-nums">
                    {i + 1}
                  </td>
                  {preview.columns.map((c) => (
                    <td key={c} className="h-8 border-b border-zinc-100 px-3 whitespace-nowrap">
                      <CellValue value={preview.rows[i]?.[c]} />
                    </td>
                  ))}
                  <td className="border-b border-zinc-100 px-3 text-xs whitespace-nowrap">
                    {reason ? (
                      <span className="text-red-700">Rejected: {reason}</span>
                    ) : (
                      <span className="text-emerald-700">OK</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
