import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, json, mockApi } from "@/test/render";
import { api, CSRF_HEADER, unwrap } from "./client";
import { ApiError } from "./errors";

afterEach(() => vi.unstubAllGlobals());

describe("api client", () => {
  it("sends the CSRF cookie as a header on unsafe requests only", async () => {
    // biome-ignore lint/suspicious/noDocumentCookie: the server sets this cookie in real life
    document.cookie = "dataops_csrf=tok-123; path=/";
    const { calls } = mockApi((req) =>
      req.method === "GET" ? json({ items: [] }) : new Response(null, { status: 204 }),
    );

    await unwrap(api.GET("/api/v1/tokens"));
    await unwrap(api.DELETE("/api/v1/tokens/{token_id}", { params: { path: { token_id: "t1" } } }));

    expect(calls[0]?.headers.get(CSRF_HEADER)).toBeNull();
    expect(calls[1]?.headers.get(CSRF_HEADER)).toBe("tok-123");
    expect(calls[1]?.credentials).toBe("same-origin");
  });

  it("turns the error envelope into an ApiError with field messages", async () => {
    mockApi(() =>
      apiError(422, "validation_error", "body.username: too short", {
        fields: [
          { field: "body.username", message: "String should have at least 2 characters" },
          { field: "body.name", message: "String should match pattern '^[a-z]+$'" },
        ],
      }),
    );

    const err = await unwrap(api.GET("/api/v1/users")).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    const apiErr = err as ApiError;
    expect(apiErr.status).toBe(422);
    expect(apiErr.code).toBe("validation_error");
    expect(apiErr.fieldErrors).toEqual({
      username: "String should have at least 2 characters",
      name: "Contains characters that aren't allowed here.",
    });
  });

  it("reads Retry-After from a 429", async () => {
    mockApi(() =>
      json({ error: { code: "rate_limited", message: "slow down", details: {} } }, 429, {
        "Retry-After": "90",
      }),
    );

    const err = (await unwrap(
      api.POST("/api/v1/auth/login", { body: { username: "a", password: "b" } }),
    ).catch((e: unknown) => e)) as ApiError;

    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(90);
  });
});
