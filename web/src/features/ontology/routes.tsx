import { Navigate, type RouteObject } from "react-router";
import { LinksTab } from "./LinksTab";
import { MappingEditTab } from "./MappingEditTab";
import { MappingPage } from "./MappingPage";
import { MappingsList } from "./MappingsList";
import { NewMappingPage } from "./NewMappingPage";
import { NewObjectTypePage } from "./NewObjectTypePage";
import { ObjectPage } from "./ObjectPage";
import { ObjectsTab } from "./ObjectsTab";
import { ObjectTypePage } from "./ObjectTypePage";
import { ObjectTypesList } from "./ObjectTypesList";
import { OntologyPage } from "./OntologyPage";
import { RejectedTab } from "./RejectedTab";
import { SchemaTab } from "./SchemaTab";
import { SyncsTab } from "./SyncsTab";
import { TypeMappingsTab } from "./TypeMappingsTab";
import { VersionsTab } from "./VersionsTab";

/** The Ontology pages, mounted under the app shell. */
export const ontologyRoutes: RouteObject[] = [
  {
    path: "ontology",
    element: <OntologyPage />,
    children: [
      { index: true, element: <Navigate to="types" replace /> },
      { path: "types", element: <ObjectTypesList /> },
      { path: "mappings", element: <MappingsList /> },
    ],
  },
  { path: "ontology/types/new", element: <NewObjectTypePage /> },
  {
    path: "ontology/types/:typeId",
    element: <ObjectTypePage />,
    children: [
      { index: true, element: <Navigate to="objects" replace /> },
      { path: "objects", element: <ObjectsTab /> },
      { path: "schema", element: <SchemaTab /> },
      { path: "links", element: <LinksTab /> },
      { path: "versions", element: <VersionsTab /> },
      { path: "mappings", element: <TypeMappingsTab /> },
    ],
  },
  { path: "ontology/types/:typeId/objects/:key", element: <ObjectPage /> },
  { path: "ontology/mappings/new", element: <NewMappingPage /> },
  {
    path: "ontology/mappings/:mappingId",
    element: <MappingPage />,
    children: [
      { index: true, element: <Navigate to="edit" replace /> },
      { path: "edit", element: <MappingEditTab /> },
      { path: "syncs", element: <SyncsTab /> },
      { path: "rejected", element: <RejectedTab /> },
    ],
  },
];
