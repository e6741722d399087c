import { Navigate, type RouteObject } from "react-router";
import { DatasetPage } from "./DatasetPage";
import { DatasetsListPage } from "./DatasetsListPage";
import { DataTab } from "./DataTab";
import { NewDatasetPage } from "./NewDatasetPage";
import { OverviewTab } from "./OverviewTab";
import { ProfileTab } from "./ProfileTab";
import { QuarantineTab } from "./QuarantineTab";
import { RunsTab } from "./RunsTab";
import { SettingsTab } from "./SettingsTab";

/** The Datasets pages, mounted under the app shell. */
export const datasetRoutes: RouteObject[] = [
  { path: "datasets", element: <DatasetsListPage /> },
  { path: "datasets/new", element: <NewDatasetPage /> },
  {
    path: "datasets/:datasetId",
    element: <DatasetPage />,
    children: [
      { index: true, element: <Navigate to="overview" replace /> },
      { path: "overview", element: <OverviewTab /> },
      { path: "runs", element: <RunsTab /> },
      { path: "data", element: <DataTab /> },
      { path: "profile", element: <ProfileTab /> },
      { path: "quarantine", element: <QuarantineTab /> },
      { path: "settings", element: <SettingsTab /> },
      // The header's Edit goes to Settings; an /edit link from elsewhere lands there too.
      { path: "edit", element: <Navigate to="../settings" replace /> },
    ],
  },
];
