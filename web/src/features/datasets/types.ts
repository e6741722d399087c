/** Named aliases of the datasets API schemas (kept here, beside the only code that uses them). */
import type { components } from "@/api/schema.gen";

type Schemas = components["schemas"];

export type Dataset = Schemas["DatasetOut"];
export type DatasetCreate = Schemas["DatasetCreate"];
export type DatasetUpdate = Schemas["DatasetUpdate"];
export type ReadSpec = DatasetCreate["spec"];
export type TableSpec = Schemas["TableSpec"];
export type QuerySpec = Schemas["QuerySpec"];
export type FileSpec = Schemas["FileSpec"];
export type EndpointSpec = Schemas["EndpointSpec"];
export type ExtractKind = ReadSpec["kind"];
export type ExtractMode = Schemas["ExtractMode"];
export type SchemaPolicy = Schemas["SchemaPolicy"];
export type MisfirePolicy = Schemas["MisfirePolicy"];
export type Incremental = Schemas["Incremental"];
export type Schedule = Schemas["Schedule"];
export type Run = Schemas["RunOut"];
export type RunList = Schemas["RunList"];
export type RunStatus = Schemas["RunStatus"];
export type RunTrigger = Schemas["RunTrigger"];
export type Version = Schemas["VersionOut"];
export type Profile = Schemas["ProfileOut"];
export type ColumnProfile = Schemas["ColumnProfileOut"];
export type QuarantinedRecord = Schemas["QuarantinedRecord"];
export type QuarantineList = Schemas["QuarantineList"];
export type QuarantineStatus = Schemas["QuarantineStatus"];
export type DataPreview = Schemas["DataPreviewOut"];

/** The permission that lets a role create and run datasets (admin, engineer). */
export const DATASETS_WRITE = "datasets:write";

/** A run that has not finished yet: the UI polls it. */
export function isActive(run: Pick<Run, "status"> | null | undefined): boolean {
  return run?.status === "queued" || run?.status === "running";
}
