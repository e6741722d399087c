import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useMemo, useState } from "react";
import { describe, expect, it } from "vitest";
import { compileSchema, type JsonSchema } from "./compile";
import { type DraftObject, objectConfig, objectDraft } from "./draft";
import { postgresSchema, restSchema } from "./fixtures";
import { SchemaForm } from "./SchemaForm";
import {
  type FieldErrors,
  NO_SECRETS,
  placeErrorPath,
  type SecretContext,
  validateDraft,
} from "./validate";

/** The form as a page uses it: state, a check before "sending", the config it would send. */
function Harness({
  schema,
  config = {},
  secrets = NO_SECRETS,
}: {
  schema: JsonSchema;
  config?: Record<string, unknown>;
  secrets?: SecretContext;
}) {
  const spec = useMemo(() => compileSchema(schema), [schema]);
  const [draft, setDraft] = useState<DraftObject>(() => objectDraft(spec, config));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [sent, setSent] = useState<unknown>(null);
  return (
    <>
      <SchemaForm spec={spec} value={draft} onChange={setDraft} errors={errors} secrets={secrets} />
      <button
        type="button"
        onClick={() => {
          const found = validateDraft(spec, draft, secrets);
          setErrors(found);
          setSent(Object.keys(found).length ? null : objectConfig(spec, draft));
        }}
      >
        Send
      </button>
      <output data-testid="sent">{sent ? JSON.stringify(sent) : ""}</output>
    </>
  );
}

function sent(): Record<string, unknown> {
  const text = screen.getByTestId("sent").textContent ?? "";
  return text ? JSON.parse(text) : {};
}

describe("SchemaForm", () => {
  it("draws one labelled control per property, with defaults, help and required markers", () => {
    render(<Harness schema={postgresSchema} />);

    expect(screen.getByLabelText("Host")).toHaveAttribute("aria-required", "true");
    expect(screen.getByLabelText("Host")).toHaveAccessibleDescription("Hostname or IP address.");
    expect(screen.getByLabelText("Port")).toHaveValue("5432");
    expect(screen.getByLabelText("Port")).not.toHaveAttribute("aria-required");
    expect(screen.getByLabelText("Database")).toHaveAttribute("aria-required", "true");
    expect(screen.getByLabelText("User")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
    // An enum from $defs: a select with the default chosen; untitled properties get their name.
    expect(screen.getByLabelText("Sslmode")).toHaveValue("prefer");
    expect(screen.getByLabelText("Schemas")).toHaveAccessibleDescription(
      "Only these schemas (empty: all).",
    );
  });

  it("refuses to send until required values are there, and says where", async () => {
    render(<Harness schema={postgresSchema} />);
    const user = userEvent.setup();

    await user.click(screen.getByRole("button", { name: "Send" }));

    for (const label of ["Host", "Database", "User"]) {
      expect(screen.getByLabelText(label)).toHaveAttribute("aria-invalid", "true");
      expect(screen.getByLabelText(label)).toHaveAccessibleDescription("Required.");
    }
    expect(screen.getByLabelText("Port")).not.toHaveAttribute("aria-invalid");
    expect(sent()).toEqual({});

    await user.type(screen.getByLabelText("Host"), "db.internal");
    await user.type(screen.getByLabelText("Database"), "warehouse");
    await user.type(screen.getByLabelText("User"), "reader");
    await user.clear(screen.getByLabelText("Port"));
    await user.type(screen.getByLabelText("Port"), "70000");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByLabelText("Port")).toHaveAccessibleDescription("Must be at most 65535.");

    await user.clear(screen.getByLabelText("Port"));
    await user.type(screen.getByLabelText("Port"), "6432");
    await user.type(screen.getByLabelText("Schemas"), "public{Enter}sales{Enter}");
    await user.type(screen.getByLabelText("Password"), "s3cret");
    await user.click(screen.getByRole("button", { name: "Send" }));

    expect(sent()).toEqual({
      host: "db.internal",
      port: 6432,
      database: "warehouse",
      user: "reader",
      password: "s3cret",
      sslmode: "prefer",
      schemas: ["public", "sales"],
      tunnel: null,
    });
  });

  it("opens an optional nested object and validates inside it", async () => {
    render(<Harness schema={postgresSchema} config={{ host: "h", database: "d", user: "u" }} />);
    const user = userEvent.setup();
    expect(screen.queryByLabelText("Private Key")).not.toBeInTheDocument();

    await user.click(screen.getByRole("checkbox", { name: "Tunnel" }));
    const tunnel = within(screen.getByRole("group", { name: "Tunnel" }));
    expect(tunnel.getByLabelText("Port")).toHaveValue("22");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(tunnel.getByLabelText("Host")).toHaveAccessibleDescription("Required.");
    expect(tunnel.getByLabelText("Private Key")).toHaveAccessibleDescription("Required.");

    await user.type(tunnel.getByLabelText("Host"), "bastion");
    await user.type(tunnel.getByLabelText("Private Key"), "KEY");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(sent().tunnel).toEqual({ host: "bastion", port: 22, private_key: "KEY" });
  });

  it("switches the fields of a discriminated union with a select", async () => {
    render(<Harness schema={restSchema} config={{ base_url: "https://api.example.com" }} />);
    const user = userEvent.setup();

    const auth = screen.getByLabelText("Auth");
    expect(auth).toHaveValue("none");
    expect(
      within(auth)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["None", "Basic", "Bearer", "Api Key"]);
    expect(screen.queryByLabelText("Username")).not.toBeInTheDocument();

    await user.selectOptions(auth, "basic");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByLabelText("Username")).toHaveAccessibleDescription("Required.");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("Required.");

    await user.selectOptions(auth, "bearer");
    // The description's `code span` is drawn as <code>, so its text has no backticks.
    expect(auth).toHaveAccessibleDescription("A token sent as Authorization: Bearer ….");
    expect(screen.queryByLabelText("Username")).not.toBeInTheDocument();
    await user.type(screen.getByLabelText("Token"), "tok-123");
    await user.click(screen.getByRole("button", { name: "Add header" }));
    await user.type(screen.getByLabelText("Headers name 1"), "Accept");
    await user.type(screen.getByLabelText("Headers value 1"), "application/json");
    await user.click(screen.getByRole("checkbox", { name: "Verify TLS" }));
    await user.click(screen.getByRole("button", { name: "Send" }));

    expect(sent()).toEqual({
      base_url: "https://api.example.com",
      auth: { type: "bearer", token: "tok-123" },
      headers: { Accept: "application/json" },
      verify_tls: false,
    });
  });

  it("keeps stored secrets when their inputs stay empty, but not across a change of kind", async () => {
    const saved = {
      base_url: "https://api.example.com",
      auth: { type: "basic", username: "svc", password: null },
      headers: {},
      verify_tls: true,
      timeout: null,
    };
    render(
      <Harness
        schema={restSchema}
        config={saved}
        secrets={{ stored: new Set(["auth.password"]), initial: saved }}
      />,
    );
    const user = userEvent.setup();

    const password = screen.getByLabelText("Password");
    expect(password).toHaveValue("");
    expect(password).toHaveAttribute("placeholder", "Leave empty to keep");
    expect(password).toHaveAccessibleDescription("Leave empty to keep the stored value.");
    expect(screen.getByText("set")).toBeVisible();
    expect(screen.getByLabelText("Username")).toHaveValue("svc");

    await user.click(screen.getByRole("button", { name: "Send" }));
    // The secret is left out: the server keeps what it has.
    expect(sent().auth).toEqual({ type: "basic", username: "svc" });

    await user.selectOptions(screen.getByLabelText("Auth"), "api_key");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByLabelText("Key")).toHaveAccessibleDescription("Required.");
    expect(screen.getByLabelText("Header")).toHaveValue("X-API-Key");
  });

  it("edits a list of objects as repeatable sections", async () => {
    const schema: JsonSchema = {
      $defs: {
        EndpointConfig: {
          properties: {
            name: { title: "Name", type: "string" },
            path: { description: "Path below the base URL.", title: "Path", type: "string" },
          },
          required: ["name", "path"],
          title: "EndpointConfig",
          type: "object",
        },
      },
      properties: {
        endpoints: { items: { $ref: "#/$defs/EndpointConfig" }, title: "Endpoints", type: "array" },
      },
      type: "object",
    };
    render(<Harness schema={schema} />);
    const user = userEvent.setup();

    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    await user.click(screen.getByRole("button", { name: "Add endpoint" }));
    const first = within(screen.getByRole("group", { name: "Endpoint 1" }));
    await user.type(first.getByLabelText("Name"), "Items");
    await user.type(first.getByLabelText("Path"), "/v1/items");
    await user.click(screen.getByRole("button", { name: "Send" }));
    const second = within(screen.getByRole("group", { name: "Endpoint 2" }));
    expect(second.getByLabelText("Path")).toHaveAccessibleDescription("Required.");

    await user.click(screen.getByRole("button", { name: "Remove endpoint 2" }));
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(sent()).toEqual({ endpoints: [{ name: "Items", path: "/v1/items" }] });
  });

  it("reveals a secret on request", async () => {
    render(<Harness schema={postgresSchema} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Password"), "hunter2");
    await user.click(screen.getByRole("button", { name: "Show Password" }));
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "text");
  });
});

describe("server errors", () => {
  it("land on the field a person sees, whatever pydantic put in the location", () => {
    const spec = compileSchema(restSchema);
    const draft = objectDraft(spec, { auth: { type: "bearer" } });
    expect(placeErrorPath(spec, draft, ["auth", "bearer", "token"])).toBe("auth.token");
    expect(placeErrorPath(spec, draft, ["auth", "BearerAuth", "token"])).toBe("auth.token");
    expect(placeErrorPath(spec, draft, ["auth", "token"])).toBe("auth.token");
    expect(placeErrorPath(spec, draft, ["base_url"])).toBe("base_url");
    expect(placeErrorPath(spec, draft, ["nonsense", "x"])).toBe("nonsense");
    expect(placeErrorPath(spec, draft, ["headers", "X-Trace"])).toBe("headers");
  });
});
