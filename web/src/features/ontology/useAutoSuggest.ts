import { type Dispatch, type SetStateAction, useCallback, useState } from "react";
import { errorMessage } from "@/api/errors";
import { useToast } from "@/components/ui/Toast";
import { applySuggestions, type MappingFormValues } from "./mappingForm";
import { useSuggestMapping } from "./queries";
import type { Suggestion } from "./types";

/**
 * Auto-suggest: asks the server for a column (and transform) per property, fills the rows
 * nothing was chosen for, and keeps every suggestion (confidence, reasons) by property.
 */
export function useAutoSuggest(setValues: Dispatch<SetStateAction<MappingFormValues>>) {
  const toast = useToast();
  const suggest = useSuggestMapping();
  const [suggestions, setSuggestions] = useState<Record<string, Suggestion>>({});

  function run(values: MappingFormValues) {
    suggest.mutate(
      { dataset_id: values.datasetId, object_type_id: values.objectTypeId },
      {
        onSuccess: (found) => {
          const { filled } = applySuggestions(values.rows, found);
          // Edits made while the server thought are kept: only still-empty rows are filled.
          setValues((v) => ({ ...v, rows: applySuggestions(v.rows, found).rows }));
          setSuggestions(Object.fromEntries(found.map((s) => [s.property, s])));
          toast.show({
            title: filled.length
              ? `Suggested ${filled.length} of ${found.length} properties`
              : "Nothing to fill",
            description: filled.length
              ? "Check each column and transform; the confidence says how sure the match is."
              : "Every property already has a column, transform or default.",
            tone: filled.length ? "success" : "info",
          });
        },
        onError: (e) => toast.error("Couldn't suggest a mapping", errorMessage(e)),
      },
    );
  }

  const clear = useCallback(() => setSuggestions({}), []);
  return { suggestions, run, clear, pending: suggest.isPending };
}
