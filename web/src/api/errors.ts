/** Errors from the dataops API, normalised from the `{"error": {...}}` envelope. */

export interface FieldMessage {
  field: string;
  message: string;
}

interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown; details?: unknown };
  detail?: unknown;
}

const FALLBACK_MESSAGES: Record<number, string> = {
  401: "Your session has ended. Sign in again.",
  403: "You don't have access to this.",
  404: "Not found.",
  409: "That conflicts with something that already exists.",
  413: "That is too large.",
  422: "Some fields need attention.",
  429: "Too many attempts. Wait a moment and try again.",
  503: "The service is temporarily unavailable. Try again shortly.",
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Seconds to wait before retrying (from `Retry-After` or `details.retry_after`). */
  readonly retryAfter: number | null;

  constructor(opts: {
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown>;
    retryAfter?: number | null;
  }) {
    super(opts.message);
    this.name = "ApiError";
    this.status = opts.status;
    this.code = opts.code;
    this.details = opts.details ?? {};
    this.retryAfter = opts.retryAfter ?? null;
  }

  /** Validation messages keyed by the last segment of the field path (`body.username` → `username`). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    const fields = this.details.fields;
    if (!Array.isArray(fields)) return out;
    for (const f of fields as Partial<FieldMessage>[]) {
      if (typeof f?.field !== "string" || typeof f.message !== "string") continue;
      const key = f.field.split(".").at(-1) ?? f.field;
      out[key] ??= readableFieldMessage(f.message);
    }
    return out;
  }
}

/** Pydantic's wording, made fit for a person (the field's hint says what is allowed). */
function readableFieldMessage(message: string): string {
  if (/should match pattern/i.test(message)) return "Contains characters that aren't allowed here.";
  const text = message.replace(/^Value error, /, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseRetryAfter(header: string | null, details: Record<string, unknown>): number | null {
  const fromHeader = header === null ? Number.NaN : Number.parseInt(header, 10);
  if (Number.isFinite(fromHeader)) return fromHeader;
  const fromBody = details.retry_after;
  return typeof fromBody === "number" ? fromBody : null;
}

/** Build an ApiError from a failed response and its (already parsed) body. */
export function toApiError(response: Response, body: unknown): ApiError {
  const envelope = (isRecord(body) ? body : {}) as ErrorEnvelope;
  const err = isRecord(envelope.error) ? envelope.error : {};
  const details = isRecord(err.details) ? err.details : {};
  const message =
    typeof err.message === "string" && err.message
      ? err.message
      : typeof envelope.detail === "string"
        ? envelope.detail
        : (FALLBACK_MESSAGES[response.status] ?? `Request failed (HTTP ${response.status}).`);
  return new ApiError({
    status: response.status,
    code: typeof err.code === "string" ? err.code : `http_${response.status}`,
    message,
    details,
    retryAfter: parseRetryAfter(response.headers.get("Retry-After"), details),
  });
}

export function isApiError(e: unknown, status?: number): e is ApiError {
  return e instanceof ApiError && (status === undefined || e.status === status);
}

/** A sentence to show a person for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof TypeError) return "Can't reach the dataops server. Check your connection.";
  if (e instanceof Error && e.message) return e.message;
  return "Something went wrong.";
}
