import {
  Activity,
  BookOpen,
  Landmark,
  type LucideIcon,
  Network,
  Package,
  ShieldCheck,
  Workflow,
} from "lucide-react";

export interface PlaceholderPage {
  path: string;
  title: string;
  icon: LucideIcon;
  /** One sentence: what the page will do. */
  summary: string;
  /** The capability it arrives with. */
  comesWith: string;
  /** Three things a user will be able to do there. */
  highlights: [string, string, string];
}

export const PLACEHOLDER_PAGES: PlaceholderPage[] = [
  {
    path: "catalog",
    title: "Catalog",
    icon: BookOpen,
    summary:
      "Find any data asset and read its profile — owner, schema, classification, quality score and where it came from.",
    comesWith: "asset profiles, search and lineage",
    highlights: [
      "Full-text and faceted search",
      "A profile page for every asset",
      "Upstream and downstream lineage",
    ],
  },
  {
    path: "products",
    title: "Products",
    icon: Package,
    summary:
      "Publish curated, documented data products that consumers can discover, request and trust.",
    comesWith: "data products and certification",
    highlights: [
      "Owners and service levels",
      "Certified for specific uses",
      "Consumer access requests",
    ],
  },
  {
    path: "ontology",
    title: "Ontology",
    icon: Network,
    summary:
      "Model the mission's things — aircraft, contracts, units — and map dataset columns onto them.",
    comesWith: "object types and mappings",
    highlights: [
      "Object types and properties",
      "Links between types",
      "Column-to-property mappings",
    ],
  },
  {
    path: "pipelines",
    title: "Pipelines",
    icon: Workflow,
    summary:
      "Build transformations on a visual canvas, from sources through quality checks to data products.",
    comesWith: "visual pipelines and live runs",
    highlights: ["Drag-and-drop canvas", "Preview data at every step", "Schedules and triggers"],
  },
  {
    path: "runs",
    title: "Runs",
    icon: Activity,
    summary:
      "Follow every pipeline run as it happens, with step timings, row counts, logs and retries.",
    comesWith: "visual pipelines and live runs",
    highlights: ["Live step status", "Logs and row counts", "Retry from a failed step"],
  },
  {
    path: "quality",
    title: "Quality",
    icon: ShieldCheck,
    summary:
      "Define checks for completeness, freshness and validity, and track a quality score for every dataset.",
    comesWith: "quality checks and scores",
    highlights: ["Rule-based checks", "Scores from 0 to 100", "Alerts when a check fails"],
  },
  {
    path: "governance",
    title: "Governance",
    icon: Landmark,
    summary:
      "Classify data, attach policies and regulations, and review who can reach what — backed by a tamper-evident audit log.",
    comesWith: "classification, policies and access reviews",
    highlights: ["Classification markings", "Policies linked to assets", "Periodic access reviews"],
  },
];
