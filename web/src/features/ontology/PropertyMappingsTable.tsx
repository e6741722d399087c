import { EMPTY_ROW, isBlank, type RowDraft } from "./mappingForm";
import { PropertyMappingRow, type SourceColumn } from "./PropertyMappingRow";
import type { MappingPreview, ObjectType, Suggestion } from "./types";

/** How many preview values each property row shows. */
export const ROW_PREVIEW = 3;

/** A value at `path` ("address.city", "items[0].sku") inside a value (or JSON text). */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  if (typeof current === "string" && /^[[{]/.test(current.trim())) {
    try {
      current = JSON.parse(current);
    } catch {
      return undefined;
    }
  }
  for (const part of path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * The first values of one property: transformed, when the server could apply its mapping; else
 * the chosen column's values as they are (its mapping has an issue to fix first).
 */
export function previewFor(
  property: string,
  row: RowDraft,
  preview: MappingPreview | undefined,
): { values: unknown[]; raw: boolean } | null {
  if (!preview || isBlank(row)) return null;
  // The server previews every property free of issues, even while others still have some.
  const flawed = preview.issues.some((issue) => issue.property === property);
  const first = preview.rows[0];
  if (!flawed && first !== undefined && property in first) {
    return { values: preview.rows.slice(0, ROW_PREVIEW).map((r) => r[property]), raw: false };
  }
  if (!row.column) return null;
  return {
    values: preview.source_rows
      .slice(0, ROW_PREVIEW)
      .map((r) => (row.path.trim() ? valueAt(r[row.column], row.path.trim()) : r[row.column])),
    raw: true,
  };
}

interface PropertyMappingsTableProps {
  objectType: ObjectType;
  rows: Record<string, RowDraft>;
  columns: SourceColumn[];
  onChange: (property: string, row: RowDraft) => void;
  preview: MappingPreview | undefined;
  issues: Record<string, string[]>;
  suggestions: Record<string, Suggestion>;
  readOnly?: boolean;
}

/** One row per property of the type: the wireframe's "Property Mappings" table. */
export function PropertyMappingsTable({
  objectType,
  rows,
  columns,
  onChange,
  preview,
  issues,
  suggestions,
  readOnly,
}: PropertyMappingsTableProps) {
  return (
    <div className="-mx-6 overflow-x-auto">
      <table
        aria-label="Property mappings"
        className="w-full min-w-[64rem] table-fixed border-collapse text-sm"
      >
        <colgroup>
          <col className="w-44" />
          <col className="w-44" />
          <col />
          <col className="w-32" />
          <col className="w-52" />
          <col className="w-28" />
        </colgroup>
        <thead>
          <tr className="border-y border-zinc-200/80 bg-zinc-50/60 text-left text-xs font-medium text-zinc-500">
            <th scope="col" className="h-8 pl-4 font-medium">
              Ontology property
            </th>
            <th scope="col" className="font-medium">
              Source column
            </th>
            <th scope="col" className="font-medium">
              Transform
            </th>
            <th scope="col" className="font-medium">
              Default
            </th>
            <th scope="col" className="font-medium">
              Preview (first rows)
            </th>
            <th scope="col" className="pr-4 font-medium">
              Confidence
            </th>
          </tr>
        </thead>
        {objectType.properties.map((spec) => {
          const row = rows[spec.name] ?? EMPTY_ROW;
          return (
            <PropertyMappingRow
              key={spec.name}
              spec={spec}
              isKey={spec.name === objectType.key_property}
              row={row}
              columns={columns}
              onChange={(next) => onChange(spec.name, next)}
              preview={previewFor(spec.name, row, preview)}
              issues={issues[spec.name] ?? []}
              suggestion={suggestions[spec.name]}
              readOnly={readOnly}
            />
          );
        })}
      </table>
    </div>
  );
}
