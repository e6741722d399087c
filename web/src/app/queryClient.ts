import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError, isApiError } from "@/api/errors";

interface AppMeta extends Record<string, unknown> {
  /** This call handles its own 401 (login form, the "who am I" probe). */
  skipAuthRedirect?: boolean;
}

declare module "@tanstack/react-query" {
  interface Register {
    queryMeta: AppMeta;
    mutationMeta: AppMeta;
  }
}

/**
 * The app's query client. Any 401 from a query or mutation means the session is gone, so it
 * calls `onUnauthorized` (which sends the user to /login and remembers where they were).
 */
export function createQueryClient(onUnauthorized: () => void = () => {}): QueryClient {
  const handle = (error: unknown, meta: AppMeta | undefined) => {
    if (isApiError(error, 401) && !meta?.skipAuthRedirect) onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => handle(error, query.meta) }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _result, mutation) => handle(error, mutation.meta),
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // Client errors (4xx) won't get better by asking again.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
    },
  });
}
