import { Alert } from "@/components/ui/Alert";
import type { CheckResult } from "./types";
import { formatLatency, serverLabel } from "./visuals";

/** The answer of a connection test: what the server is and how fast it answered, or why not. */
export function CheckResultAlert({
  result,
  typeTitle,
  onDismiss,
}: {
  result: CheckResult;
  /** The source type's title, to name a server that reports only a version number. */
  typeTitle?: string;
  onDismiss?: () => void;
}) {
  const facts = [
    serverLabel(result.server_version, typeTitle),
    result.ok ? `answered in ${formatLatency(result.latency_ms)}` : null,
  ].filter(Boolean);
  return (
    <Alert
      tone={result.ok ? "success" : "error"}
      title={result.ok ? "Connection succeeded" : "Connection failed"}
      action={
        onDismiss ? (
          <button
            type="button"
            onClick={onDismiss}
            className="rounded px-1.5 py-0.5 text-xs font-medium opacity-70 hover:opacity-100"
          >
            Dismiss
          </button>
        ) : undefined
      }
    >
      {result.ok ? (
        <span>
          {facts.join(" · ")}
          {result.message && result.message !== "ok" && (
            <span className="block text-xs opacity-80">{result.message}</span>
          )}
        </span>
      ) : (
        <span className="break-words">{result.message}</span>
      )}
    </Alert>
  );
}
