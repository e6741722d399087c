import { useCallback, useEffect, useState } from "react";

/** Corrected raw text by quarantined record id. */
export type Fixes = Readonly<Record<string, string>>;

const storageKey = (datasetId: string) => `dataops:quarantine-fixes:${datasetId}`;

function load(datasetId: string): Fixes {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(storageKey(datasetId)) ?? "{}");
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
  } catch {
    return {};
  }
}

function save(datasetId: string, fixes: Fixes) {
  try {
    if (Object.keys(fixes).length === 0) sessionStorage.removeItem(storageKey(datasetId));
    else sessionStorage.setItem(storageKey(datasetId), JSON.stringify(fixes));
  } catch {
    // Storage full or disabled: the fixes still live as long as the page does.
  }
}

/**
 * Fixes typed in the Quarantine tab that are not sent yet. Kept for the browser tab's session,
 * so re-processing one record (which opens the Runs tab) doesn't lose the others.
 */
export function useQuarantineFixes(datasetId: string) {
  const [state, setState] = useState(() => ({ datasetId, fixes: load(datasetId) }));
  // Another dataset under the same page: read its own fixes.
  const current = state.datasetId === datasetId ? state : { datasetId, fixes: load(datasetId) };
  if (current !== state) setState(current);
  const { fixes } = current;

  useEffect(() => save(datasetId, fixes), [datasetId, fixes]);

  /** Keep `text` as the fix of record `id`, or forget it (`null`). */
  const setFix = useCallback(
    (id: string, text: string | null) =>
      setState((s) => {
        const next = { ...s.fixes };
        if (text === null) delete next[id];
        else next[id] = text;
        return { ...s, fixes: next };
      }),
    [],
  );

  /** Forget the fixes of records that were just sent. */
  const dropFixes = useCallback(
    (ids: Iterable<string>) =>
      setState((s) => {
        const next = { ...s.fixes };
        for (const id of ids) delete next[id];
        return { ...s, fixes: next };
      }),
    [],
  );

  return { fixes, setFix, dropFixes };
}
