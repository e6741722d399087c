import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { User } from "@/api/types";
import { json, makeMe, mockApi, renderApp, route } from "@/test/render";

afterEach(() => vi.unstubAllGlobals());

describe("Users admin", () => {
  it("creates a user from the New user dialog", async () => {
    const users: User[] = [];
    const { calls } = mockApi(
      route("GET", "/api/v1/meta", () => json({ version: "0.1.0", roles: [], clearances: [] })),
      route("GET", "/api/v1/auth/me", () => json(makeMe())),
      route("GET", "/api/v1/users", () => json({ items: users, total: users.length })),
      route("POST", "/api/v1/users", () => {
        const { permissions: _p, ...user } = makeMe({
          id: "u2",
          username: "jdoe",
          display_name: "Jane Doe",
          role: "engineer",
          clearance: "C",
          must_change_password: true,
        });
        users.push(user);
        return json(user, 201);
      }),
    );
    renderApp("/admin/users");

    await userEvent.click(await screen.findByRole("button", { name: "New user" }));
    const dialog = screen.getByRole("dialog", { name: "New user" });
    const d = within(dialog);
    await userEvent.type(d.getByLabelText("Username"), "jdoe");
    await userEvent.type(d.getByLabelText("Display name"), "Jane Doe");
    await userEvent.type(d.getByLabelText(/^Email/), "jane@agency.gov");
    await userEvent.selectOptions(d.getByLabelText("Role"), "engineer");
    await userEvent.selectOptions(d.getByLabelText("Clearance"), "C");
    await userEvent.click(d.getByRole("button", { name: "Generate password" }));
    expect((d.getByLabelText("Initial password") as HTMLInputElement).value).toHaveLength(20);
    await userEvent.click(d.getByRole("button", { name: "Create user" }));

    expect(await screen.findByText("Jane Doe")).toBeVisible();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    const post = calls.find((c) => c.method === "POST");
    expect(await post?.json()).toMatchObject({
      username: "jdoe",
      display_name: "Jane Doe",
      email: "jane@agency.gov",
      role: "engineer",
      clearance: "C",
    });
    expect(post?.headers.get("content-type")).toContain("application/json");
  });
});
