import { CircleAlert, KeyRound } from "lucide-react";
import { useId, useState } from "react";
import { Input } from "@/components/ui/Input";
import { Select } from "@/components/ui/Select";
import { cn } from "@/lib/cn";
import { formatValue } from "./format";
import { isBlank, type RowDraft } from "./mappingForm";
import { TransformHelp } from "./TransformHelp";
import type { PropertySpec, Suggestion } from "./types";
import { ConfidenceMeter, KindBadge } from "./visuals";

export interface SourceColumn {
  name: string;
  data_type: string;
}

/** Columns whose values can hold a path: structs, lists, maps (and JSON text, on request). */
const NESTED = /^(struct|list|large_list|map|fixed_size_list)/;
const TEXT = /^(string|large_string|utf8|large_utf8|string_view)/;

interface PropertyMappingRowProps {
  spec: PropertySpec;
  isKey: boolean;
  row: RowDraft;
  columns: SourceColumn[];
  onChange: (row: RowDraft) => void;
  /** The first rows' values for this property; `raw` when they are the column's, untransformed. */
  preview: { values: unknown[]; raw: boolean } | null;
  issues: string[];
  suggestion: Suggestion | undefined;
  readOnly?: boolean;
}

/** A property and where its value comes from: column (and path), transform, default. */
export function PropertyMappingRow({
  spec,
  isKey,
  row,
  columns,
  onChange,
  preview,
  issues,
  suggestion,
  readOnly,
}: PropertyMappingRowProps) {
  const issueId = useId();
  const column = columns.find((c) => c.name === row.column);
  const [wantsPath, setWantsPath] = useState(false);
  const showPath =
    !!row.column && (!!row.path || wantsPath || NESTED.test(column?.data_type ?? ""));
  const invalid = issues.length > 0 ? true : undefined;
  const describedBy = invalid ? issueId : undefined;
  const patch = (p: Partial<RowDraft>) => onChange({ ...row, ...p });
  const suggested =
    suggestion &&
    suggestion.column === (row.column || null) &&
    suggestion.transform === row.transform.trim();

  return (
    <tbody
      aria-label={spec.name}
      className={cn("group border-b border-zinc-100", invalid && "bg-red-50/40")}
    >
      <tr className="align-top">
        <th scope="row" className="py-2.5 pr-3 pl-4 text-left font-normal">
          <span className="flex items-center gap-1">
            {isKey && <KeyRound className="size-3.5 text-amber-600" aria-label="Key" />}
            <span className="font-mono text-[13px] font-medium text-zinc-900">{spec.name}</span>
            {(spec.required || isKey) && (
              <span className="text-red-500" title="Required">
                *<span className="sr-only"> (required)</span>
              </span>
            )}
          </span>
          <span className="mt-0.5 flex items-center gap-1.5">
            <KindBadge spec={spec} />
          </span>
        </th>
        <td className="py-2 pr-2">
          <Select
            selectSize="sm"
            aria-label={`Source column for ${spec.name}`}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            value={row.column}
            disabled={readOnly}
            onChange={(e) => patch({ column: e.target.value, path: "" })}
            className="font-mono"
          >
            <option value="">— none —</option>
            {row.column && !column && <option value={row.column}>{row.column} (missing)</option>}
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </Select>
          {showPath && (
            <Input
              inputSize="sm"
              aria-label={`Path inside ${row.column} for ${spec.name}`}
              value={row.path}
              disabled={readOnly}
              spellCheck={false}
              placeholder="address.city or items[0].sku"
              onChange={(e) => patch({ path: e.target.value })}
              className="mt-1 h-7 font-mono text-xs"
            />
          )}
          {column && (
            <p className="mt-1 flex items-center gap-2 text-[10.5px]">
              <span className="font-mono text-accent-600">{column.data_type}</span>
              {!showPath && !readOnly && TEXT.test(column.data_type) && (
                <button
                  type="button"
                  onClick={() => setWantsPath(true)}
                  className="text-zinc-400 opacity-0 group-hover:opacity-100 hover:text-accent-700 hover:underline focus:opacity-100"
                  title="Read a field inside JSON text held by the column"
                >
                  + JSON path
                </button>
              )}
            </p>
          )}
        </td>
        <td className="py-2 pr-2">
          <div className="flex items-start gap-0.5">
            <Input
              inputSize="sm"
              aria-label={`Transform for ${spec.name}`}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              value={row.transform}
              disabled={readOnly}
              spellCheck={false}
              autoComplete="off"
              placeholder="value"
              onChange={(e) => patch({ transform: e.target.value })}
              className="font-mono text-[12.5px]"
            />
            {!readOnly && (
              <TransformHelp
                property={spec.name}
                current={row.transform}
                onApply={(transform) => patch({ transform })}
              />
            )}
          </div>
        </td>
        <td className="py-2 pr-2">
          <Input
            inputSize="sm"
            aria-label={`Default for ${spec.name}`}
            value={row.default}
            disabled={readOnly}
            placeholder="—"
            onChange={(e) => patch({ default: e.target.value })}
            className="font-mono text-[12.5px]"
          />
        </td>
        <td className="py-2 pr-2">
          <PreviewValues preview={preview} label={spec.name} />
        </td>
        <td className="py-2.5 pr-4">
          {suggestion && !suggestion.column && !suggestion.transform ? (
            isBlank(row) && (
              <span className="text-xs text-zinc-400" title={suggestion.reasons.join("\n")}>
                No match
              </span>
            )
          ) : suggestion ? (
            <span
              // biome-ignore lint/a11y/noNoninteractiveTabindex: the reasons are in its tooltip
              tabIndex={0}
              title={suggestion.reasons.join("\n")}
              className={cn("inline-flex flex-col rounded", !suggested && "opacity-40")}
            >
              <ConfidenceMeter value={suggestion.confidence} />
              <span className="sr-only">
                {suggested ? "Suggested" : "Changed from the suggestion"}:{" "}
                {suggestion.reasons.join("; ")}
              </span>
            </span>
          ) : null}
        </td>
      </tr>
      {invalid && (
        <tr>
          <td colSpan={6} className="px-4 pb-2.5">
            <p id={issueId} className="flex items-start gap-1.5 text-xs text-red-700">
              <CircleAlert className="mt-px size-3.5 shrink-0" aria-hidden="true" />
              <span>{issues.join(" · ")}</span>
            </p>
          </td>
        </tr>
      )}
    </tbody>
  );
}

function PreviewValues({
  preview,
  label,
}: {
  preview: { values: unknown[]; raw: boolean } | null;
  label: string;
}) {
  if (!preview || preview.values.length === 0) {
    return <span className="text-xs text-zinc-300">—</span>;
  }
  return (
    <ul
      aria-label={`Preview of ${label}${preview.raw ? " (source values, not transformed)" : ""}`}
      className="flex flex-col gap-0.5"
      title={
        preview.raw
          ? "The column's values as they are: the transform is applied once every issue is fixed"
          : undefined
      }
    >
      {preview.values.map((v, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: one value per preview row
        <li key={i} className="flex items-center gap-1">
          <span
            className={cn(
              "max-w-48 truncate rounded px-1 font-mono text-[11.5px]",
              v === null || v === undefined
                ? "text-zinc-400 italic"
                : preview.raw
                  ? "bg-zinc-50 text-zinc-500"
                  : "bg-emerald-50 text-emerald-900",
            )}
          >
            {v === null || v === undefined ? "null" : formatValue(v)}
          </span>
        </li>
      ))}
    </ul>
  );
}
