import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, json, makeMe, mockApi, renderApp, route } from "@/test/render";

afterEach(() => vi.unstubAllGlobals());

const meta = route("GET", "/api/v1/meta", () =>
  json({ version: "0.1.0", roles: [], clearances: [] }),
);

describe("session gate", () => {
  it("sends a signed-out visitor to /login and back after signing in", async () => {
    let signedIn = false;
    mockApi(
      meta,
      route("GET", "/api/v1/auth/me", () =>
        signedIn ? json(makeMe()) : apiError(401, "unauthenticated", "sign in"),
      ),
      route("POST", "/api/v1/auth/login", () => {
        signedIn = true;
        return json({ user: makeMe(), csrf_token: "c" });
      }),
      route("GET", "/api/v1/audit", () => json({ items: [], next_before: null })),
    );
    const { router } = renderApp("/governance/audit");

    await screen.findByRole("button", { name: "Sign in" });
    expect(router.state.location.search).toBe("?next=%2Fgovernance%2Faudit");

    await userEvent.type(screen.getByLabelText("Username"), "ada");
    await userEvent.type(screen.getByLabelText("Password"), "secret-password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  });

  it("says so plainly when the password is wrong", async () => {
    mockApi(
      route("GET", "/api/v1/auth/me", () => apiError(401, "unauthenticated", "sign in")),
      route("POST", "/api/v1/auth/login", () =>
        apiError(401, "unauthenticated", "invalid username or password"),
      ),
    );
    renderApp("/login");

    await userEvent.type(await screen.findByLabelText("Username"), "ada");
    await userEvent.type(screen.getByLabelText("Password"), "nope-nope-nope");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("Incorrect username or password")).toBeVisible();
  });

  it("tells how long to wait after too many failures", async () => {
    mockApi(
      route("GET", "/api/v1/auth/me", () => apiError(401, "unauthenticated", "sign in")),
      route("POST", "/api/v1/auth/login", () =>
        json({ error: { code: "rate_limited", message: "too many", details: {} } }, 429, {
          "Retry-After": "120",
        }),
      ),
    );
    renderApp("/login");

    await userEvent.type(await screen.findByLabelText("Username"), "ada");
    await userEvent.type(screen.getByLabelText("Password"), "nope-nope-nope");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText(/Try again in 2 minutes/)).toBeVisible();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeDisabled();
  });

  it("forces a new password before anything else", async () => {
    mockApi(
      meta,
      route("GET", "/api/v1/auth/me", () => json(makeMe({ must_change_password: true }))),
    );
    const { router } = renderApp("/admin/users");

    expect(await screen.findByRole("heading", { name: "Set a new password" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/account/password");
    expect(screen.getByLabelText("Current password")).toBeInTheDocument();
    expect(screen.getByLabelText("New password")).toBeInTheDocument();
    expect(screen.getByLabelText("Confirm new password")).toBeInTheDocument();
  });

  it("shows the password policy message next to the field", async () => {
    mockApi(
      meta,
      route("GET", "/api/v1/auth/me", () => json(makeMe({ must_change_password: true }))),
      route("POST", "/api/v1/auth/password", () =>
        apiError(422, "validation_error", "password must be at least 12 characters", {
          fields: [
            { field: "body.new_password", message: "password must be at least 12 characters" },
          ],
        }),
      ),
    );
    renderApp("/account/password");

    await userEvent.type(await screen.findByLabelText("Current password"), "one-time-pass");
    await userEvent.type(screen.getByLabelText("New password"), "short");
    await userEvent.type(screen.getByLabelText("Confirm new password"), "short");
    await userEvent.click(screen.getByRole("button", { name: "Set password" }));

    const field = screen.getByLabelText("New password");
    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription("Password must be at least 12 characters");
  });
});

describe("session expiry", () => {
  it("goes to /login, keeping the page, when any request gets a 401", async () => {
    mockApi(
      meta,
      route("GET", "/api/v1/auth/me", () => json(makeMe())),
      route("GET", "/api/v1/users", () => apiError(401, "unauthenticated", "session expired")),
    );
    const { router } = renderApp("/admin/users");

    expect(await screen.findByRole("button", { name: "Sign in" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/login");
    expect(router.state.location.search).toBe("?next=%2Fadmin%2Fusers");
  });
});

describe("permissions", () => {
  it("hides admin navigation and refuses /admin for an analyst", async () => {
    mockApi(
      meta,
      route("GET", "/api/v1/auth/me", () =>
        json(makeMe({ role: "analyst", permissions: ["authenticated"] })),
      ),
    );
    renderApp("/admin");

    expect(await screen.findByText("You don't have access to Admin")).toBeVisible();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(nav).toHaveTextContent("Catalog");
    expect(nav).not.toHaveTextContent("Admin");
    expect(nav).not.toHaveTextContent("Audit log");
  });

  it("renders a 403 from the API as the access panel", async () => {
    mockApi(
      meta,
      route("GET", "/api/v1/auth/me", () => json(makeMe())),
      route("GET", "/api/v1/users", () => apiError(403, "forbidden", "missing users:read")),
    );
    renderApp("/admin/users");

    expect(await screen.findByText(/You don't have access/)).toBeVisible();
  });
});
