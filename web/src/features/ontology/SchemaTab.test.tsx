import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, json, mockApi, renderApp, route } from "@/test/render";
import { ANALYST, makeObjectType, ontologyRoutes } from "./fixtures";
import {
  buildCreate,
  emptyTypeValues,
  errorKey,
  newProperty,
  validateType,
  valuesFromType,
} from "./typeForm";

afterEach(() => vi.unstubAllGlobals());

function schemaApi(check: { changes: string[]; breaking: string[] }) {
  const saved = makeObjectType({ version: 2, updated_at: "2026-05-03T12:00:00Z" });
  return mockApi(
    ...ontologyRoutes(),
    route("POST", "/api/v1/object-types/ot1/check", () => json(check)),
    route("PATCH", "/api/v1/object-types/ot1", () => json(saved)),
    route("GET", "/api/v1/object-types/ot1/versions", () => json([])),
  );
}

describe("Schema tab", () => {
  it("asks before a breaking change and sends the rewrite migration", async () => {
    const { calls } = schemaApi({
      changes: ["removed property model", "added property seats (integer)"],
      breaking: ["removed property model"],
    });
    renderApp("/ontology/types/ot1/schema");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Remove Property 3" }));
    await user.click(screen.getByRole("button", { name: "Add property" }));
    await user.type(screen.getByLabelText("Property 5 name"), "seats");
    await user.selectOptions(screen.getByLabelText("Property 5 kind"), "integer");
    await user.click(screen.getByRole("button", { name: "Save schema" }));

    const dialog = await screen.findByRole("dialog", { name: "Rewrite the objects of Aircraft?" });
    expect(within(dialog).getByRole("list", { name: "Breaking changes" })).toHaveTextContent(
      "removed property model",
    );
    expect(dialog).toHaveTextContent("4 objects already stored");
    expect(dialog).toHaveTextContent("added property seats (integer)");
    // Nothing is saved until the rewrite is confirmed.
    expect(calls.some((c) => c.method === "PATCH")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Rewrite objects and save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const patch = calls.find((c) => c.method === "PATCH");
    const body = await patch?.json();
    expect(body.migration).toBe("rewrite");
    expect(body.properties.map((p: { name: string }) => p.name)).toEqual([
      "tailNumber",
      "manufacturer",
      "yearBuilt",
      "status",
      "seats",
    ]);
    expect(body.properties[4]).toMatchObject({ name: "seats", kind: "integer", required: false });
    expect(await screen.findByText("Saved Aircraft v2")).toBeVisible();
  });

  it("saves an additive change at once, without a migration", async () => {
    const { calls } = schemaApi({ changes: ["status: enum values added: retired"], breaking: [] });
    renderApp("/ontology/types/ot1/schema");
    const user = userEvent.setup();
    const values = await screen.findByLabelText("Property 5 enum values");
    await user.type(values, "retired{Enter}");
    await user.click(screen.getByRole("button", { name: "Save schema" }));

    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(screen.queryByRole("dialog")).toBeNull();
    const body = await calls.find((c) => c.method === "PATCH")?.json();
    expect(body.migration).toBeUndefined();
    expect(body.properties[4].enum_values).toEqual(["active", "inactive", "retired"]);
  });

  it("puts a refused definition's error on the property it names", async () => {
    mockApi(
      ...ontologyRoutes(),
      route("POST", "/api/v1/object-types/ot1/check", () =>
        apiError(422, "validation_error", "enum property 'status' needs enum_values", {
          fields: [{ field: "body.properties[4].enum_values", message: "needs enum_values" }],
        }),
      ),
    );
    renderApp("/ontology/types/ot1/schema");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Property 3 description"), "The model.");
    await user.click(screen.getByRole("button", { name: "Save schema" }));
    expect(await screen.findByText("needs enum_values")).toBeVisible();
  });

  it("is read only for an analyst", async () => {
    mockApi(...ontologyRoutes(ANALYST));
    renderApp("/ontology/types/ot1/schema");
    expect(await screen.findByText("Read only")).toBeVisible();
    expect(screen.getByLabelText("Property 1 name")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save schema" })).toBeNull();
    expect(screen.queryByRole("button", { name: "New mapping" })).toBeNull();
  });
});

describe("object type form logic", () => {
  it("checks names, kinds and the key before sending", () => {
    const v = emptyTypeValues();
    v.properties = [
      newProperty({ name: "id", kind: "float" }),
      newProperty({ name: "Id" }),
      newProperty({ name: "tags", kind: "enum" }),
      newProperty({ name: "where", kind: "object", fields: [newProperty({ name: "9x" })] }),
      newProperty({ name: "price", kind: "decimal", precision: "5", scale: "7" }),
    ];
    expect(validateType(v, true)).toEqual({
      name: "Name the object type.",
      "properties.1.name": "Appears twice.",
      "properties.2.enum_values": "Add at least one value.",
      "properties.3.fields.0.name": "Letters, digits and _, not starting with a digit.",
      "properties.4.scale": "0 to 5.",
      keyProperty: "A key must be a string, integer, date or enum (id is float).",
    });
  });

  it("round-trips a saved type and sends only what each kind uses", () => {
    const values = valuesFromType(makeObjectType());
    const body = buildCreate(values);
    expect(body.properties[4]).toEqual({
      name: "status",
      kind: "enum",
      required: false,
      description: "",
      enum_values: ["active", "inactive"],
      precision: 38,
      scale: 9,
    });
    expect(body.properties[0]).not.toHaveProperty("enum_values");
  });

  it("maps server field paths onto the form", () => {
    expect(errorKey("body.properties[2].fields[0].name")).toBe("properties.2.fields.0.name");
    expect(errorKey("body.properties.2.kind")).toBe("properties.2.kind");
    expect(errorKey("body.key_property")).toBe("keyProperty");
  });
});
