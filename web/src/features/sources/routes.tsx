import { Navigate, type RouteObject } from "react-router";
import { AccessTab } from "./AccessTab";
import { EditSourcePage } from "./EditSourcePage";
import { NewSourcePage } from "./NewSourcePage";
import { ObjectsTab } from "./ObjectsTab";
import { PreviewTab } from "./PreviewTab";
import { SettingsTab } from "./SettingsTab";
import { SourcePage } from "./SourcePage";
import { SourcesListPage } from "./SourcesListPage";

/** The Sources pages, mounted under the app shell. */
export const sourceRoutes: RouteObject[] = [
  { path: "sources", element: <SourcesListPage /> },
  { path: "sources/new", element: <NewSourcePage /> },
  { path: "sources/:sourceId/edit", element: <EditSourcePage /> },
  {
    path: "sources/:sourceId",
    element: <SourcePage />,
    children: [
      { index: true, element: <Navigate to="objects" replace /> },
      { path: "objects", element: <ObjectsTab /> },
      { path: "preview", element: <PreviewTab /> },
      { path: "access", element: <AccessTab /> },
      { path: "settings", element: <SettingsTab /> },
    ],
  },
];
