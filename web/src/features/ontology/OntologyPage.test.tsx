import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, json, mockApi, renderApp, route } from "@/test/render";
import { ANALYST, makeMapping, makeObjectType, ontologyRoutes } from "./fixtures";

afterEach(() => vi.unstubAllGlobals());

describe("Ontology page", () => {
  it("lists object types, then mappings with their last sync", async () => {
    mockApi(
      ...ontologyRoutes(),
      route("GET", "/api/v1/mappings", () => json({ items: [makeMapping()], total: 1 })),
    );
    const { router } = renderApp("/ontology");
    const types = await screen.findByRole("table", { name: "Object types" });
    await within(types).findByRole("link", { name: "Aircraft" });
    const row = within(types).getAllByRole("row")[1] as HTMLElement;
    expect(row).toHaveTextContent("Aircraft");
    expect(row).toHaveTextContent("tailNumber");
    expect(row).toHaveTextContent("v1");
    expect(row).toHaveTextContent("4");
    expect(screen.getByRole("button", { name: "New object type" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/ontology/types");

    await userEvent.setup().click(screen.getByRole("link", { name: "Mappings" }));
    const mappings = await screen.findByRole("table", { name: "Mappings" });
    await within(mappings).findByRole("link", { name: "aircraft_inventory to Aircraft" });
    const m = within(mappings).getAllByRole("row")[1] as HTMLElement;
    expect(m).toHaveTextContent("aircraft_inventory");
    expect(m).toHaveTextContent("Succeeded");
    expect(m).toHaveTextContent("2 written");
    expect(within(m).getByRole("button", { name: /^Sync aircraft_inventory/ })).toBeEnabled();
  });

  it("offers no write actions to an analyst", async () => {
    mockApi(
      ...ontologyRoutes(ANALYST),
      route("GET", "/api/v1/mappings", () => json({ items: [makeMapping()], total: 1 })),
    );
    renderApp("/ontology/mappings");
    const mappings = await screen.findByRole("table", { name: "Mappings" });
    await within(mappings).findByRole("link", { name: "aircraft_inventory to Aircraft" });
    expect(within(mappings).queryByRole("button", { name: /^Sync/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "New mapping" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Import YAML" })).toBeNull();
    expect(screen.getByRole("button", { name: "Export YAML" })).toBeVisible();
  });

  it("imports YAML and says what it created, or why nothing was", async () => {
    let attempt = 0;
    const { calls } = mockApi(
      ...ontologyRoutes(),
      route("POST", "/api/v1/ontology/import", () => {
        attempt += 1;
        return attempt === 1
          ? apiError(422, "validation_error", "object_types[0].key_property: field required")
          : json({ created: ["object type Operator", "link type operatedBy"], updated: [] });
      }),
    );
    renderApp("/ontology/types");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Import YAML" }));
    const dialog = await screen.findByRole("dialog", { name: "Import ontology YAML" });
    const text = within(dialog).getByLabelText("YAML document");
    await user.click(text);
    await user.paste("object_types: []");
    await user.click(within(dialog).getByRole("button", { name: "Import" }));
    expect(await within(dialog).findByText("Nothing was imported")).toBeVisible();
    expect(dialog).toHaveTextContent("key_property: field required");

    await user.click(within(dialog).getByRole("button", { name: "Import" }));
    expect(
      await within(dialog).findByText(/object type Operator, link type operatedBy/),
    ).toBeVisible();
    const sent = calls.filter((c) => c.url.endsWith("/ontology/import"));
    expect(await sent[0]?.json()).toEqual({ yaml: "object_types: []" });
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });
});

describe("Object page", () => {
  it("shows properties, provenance and linked objects, each linking to its page", async () => {
    mockApi(
      ...ontologyRoutes(),
      route("GET", "/api/v1/object-types/ot1/objects/N12345", () =>
        json({
          object_type_id: "ot1",
          key: "N12345",
          properties: {
            tailNumber: "N12345",
            manufacturer: "Boeing",
            model: null,
            yearBuilt: 2015,
            status: "active",
          },
          provenance: {
            dataset_id: "d1",
            dataset_version: 3,
            mapping_id: "m1",
            sync_id: "sy1",
            synced_at: "2026-05-02T10:00:02Z",
          },
          links: [
            {
              link_type: "operatedBy",
              direction: "outgoing",
              object_type_id: "ot1",
              object_type: "Aircraft",
              keys: ["N67890"],
              objects: [{ tailNumber: "N67890", manufacturer: "Airbus" }],
            },
          ],
        }),
      ),
      route("GET", "/api/v1/mappings/m1", () => json(makeMapping())),
    );
    renderApp("/ontology/types/ot1/objects/N12345");
    expect(await screen.findByRole("heading", { level: 1, name: "N12345" })).toBeVisible();
    const provenance = await screen.findByLabelText("Provenance");
    expect(
      await within(provenance).findByRole("link", { name: "aircraft_inventory" }),
    ).toHaveAttribute("href", "/datasets/d1");
    expect(within(provenance).getByRole("link", { name: "version 3" })).toHaveAttribute(
      "href",
      "/datasets/d1/data?version=3",
    );
    expect(
      within(provenance).getByRole("link", { name: "aircraft_inventory to Aircraft" }),
    ).toBeVisible();
    const links = screen.getByRole("region", { name: "operatedBy to Aircraft" });
    expect(within(links).getByRole("link", { name: "N67890" })).toHaveAttribute(
      "href",
      "/ontology/types/ot1/objects/N67890",
    );
    expect(links).toHaveTextContent("manufacturer: Airbus");
    expect(makeObjectType().properties).toHaveLength(5);
  });
});
