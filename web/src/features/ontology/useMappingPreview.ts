import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { buildCheck, type MappingFormValues } from "./mappingForm";
import { mappingPreviewQuery } from "./queries";
import type { MappingCheck } from "./types";
import { useDebounced } from "./useDebounced";

/** How long the mapping must stay unchanged before it is checked again. */
export const PREVIEW_DEBOUNCE_MS = 400;

/**
 * The mapping being edited, validated and applied to the dataset's first rows by the server;
 * asked again 400 ms after the last change (the previous answer stays shown meanwhile).
 */
export function useMappingPreview(values: MappingFormValues, known: readonly string[] | null) {
  const body = useMemo(
    () => (known ? JSON.stringify(buildCheck(values, known)) : "null"),
    [values, known],
  );
  const settled = useDebounced(body, PREVIEW_DEBOUNCE_MS);
  const query = useQuery(mappingPreviewQuery(JSON.parse(settled) as MappingCheck | null));
  return { ...query, settling: settled !== body };
}
