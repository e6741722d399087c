import { infiniteQueryOptions, useMutation } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import type { AuditOutcome } from "@/api/types";

export interface AuditFilters {
  action: string;
  actor: string;
  outcome: AuditOutcome | "";
}

export const AUDIT_PAGE_SIZE = 50;

/** The audit log, newest first, paged backwards with `before=<seq>`. */
export function auditQuery(filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: ["audit", filters] as const,
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/audit", {
          params: {
            query: {
              limit: AUDIT_PAGE_SIZE,
              ...(pageParam !== null && { before: pageParam }),
              ...(filters.action && { action: filters.action }),
              ...(filters.actor && { actor: filters.actor }),
              ...(filters.outcome && { outcome: filters.outcome }),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
}

export function useVerifyChain() {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/audit/verify")),
  });
}
