import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { vi } from "vitest";
import type { Me } from "@/api/types";
import { createQueryClient } from "@/app/queryClient";
import { routes } from "@/app/router";
import { sendToLogin } from "@/app/sessionExpiry";
import { ToastProvider } from "@/components/ui/Toast";

export type Handler = (req: Request) => Response | Promise<Response> | undefined;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function apiError(status: number, code: string, message: string, details = {}) {
  return json({ error: { code, message, details } }, status);
}

/** Replace fetch: each handler may answer; unanswered requests get a 404 envelope. */
export function mockApi(...handlers: Handler[]) {
  const calls: Request[] = [];
  const fetchMock = vi.fn(async (input: Request) => {
    calls.push(input.clone());
    for (const h of handlers) {
      const res = await h(input);
      if (res) return res;
    }
    return apiError(404, "not_found", `no mock for ${input.method} ${new URL(input.url).pathname}`);
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetchMock };
}

export function route(method: string, path: string, respond: (req: Request) => Response): Handler {
  return (req) =>
    req.method === method && new URL(req.url).pathname === path ? respond(req) : undefined;
}

export function makeMe(overrides: Partial<Me> = {}): Me {
  return {
    id: "u1",
    username: "ada",
    display_name: "Ada Lovelace",
    email: null,
    role: "admin",
    clearance: "S",
    is_active: true,
    must_change_password: false,
    created_at: "2026-01-01T00:00:00Z",
    last_login_at: null,
    permissions: [
      "authenticated",
      "users:read",
      "users:write",
      "tokens:admin",
      "audit:read",
      "secrets:read",
      "secrets:write",
    ],
    ...overrides,
  };
}

/** The whole app (real routes, real query client) at `path`, with the API mocked. */
export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = createQueryClient(() => sendToLogin(router, queryClient));
  const utils = render(
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { ...utils, router, queryClient };
}
