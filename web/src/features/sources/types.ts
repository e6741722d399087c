/** Named aliases of the sources API schemas (kept here, beside the only code that uses them). */
import type { components } from "@/api/schema.gen";

type Schemas = components["schemas"];

export type ConnectorType = Schemas["ConnectorTypeOut"];
export type Source = Schemas["SourceOut"];
export type SourceCreate = Schemas["SourceCreate"];
export type SourceUpdate = Schemas["SourceUpdate"];
export type SourceStatus = Schemas["SourceStatus"];
export type SourceObject = Schemas["SourceObjectOut"];
export type Column = Schemas["ColumnOut"];
export type CheckResult = Schemas["CheckOut"];
export type PreviewRequest = Schemas["PreviewRequest"];
export type PreviewSpec = PreviewRequest["spec"];
export type PreviewResult = Schemas["PreviewOut"];
export type Grant = Schemas["GrantOut"];
export type GrantIn = Schemas["GrantIn"];
export type GrantLevel = Schemas["GrantLevel"];

/** One entry of `error.details.dependents` on a refused delete (409). */
export interface Dependent {
  kind: string;
  id: string;
  name: string;
}

/** The permission that lets a role create sources (admin, engineer). */
export const SOURCES_WRITE = "sources:write";
