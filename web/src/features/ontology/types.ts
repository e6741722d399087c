/** Named aliases of the ontology API schemas (kept here, beside the only code that uses them). */
import type { components } from "@/api/schema.gen";

type Schemas = components["schemas"];

export type ObjectType = Schemas["ObjectTypeOut"];
export type ObjectTypeList = Schemas["ObjectTypeList"];
export type ObjectTypeCreate = Schemas["ObjectTypeCreate"];
export type ObjectTypeUpdate = Schemas["ObjectTypeUpdate"];
export type ObjectTypeVersion = Schemas["ObjectTypeVersionOut"];
export type SchemaChange = Schemas["SchemaChangeOut"];
export type PropertySpec = Schemas["PropertySpec-Output"];
export type PropertySpecIn = Schemas["PropertySpec-Input"];
export type PropertyKind = Schemas["PropertyKind"];
export type Classification = Schemas["Classification"];
export type LinkType = Schemas["LinkTypeOut"];
export type LinkTypeCreate = Schemas["LinkTypeCreate"];
export type Cardinality = Schemas["Cardinality"];
export type Mapping = Schemas["MappingOut"];
export type MappingList = Schemas["MappingList"];
export type MappingCreate = Schemas["MappingCreate"];
export type MappingUpdate = Schemas["MappingUpdate"];
export type MappingCheck = Schemas["MappingCheck"];
export type MappingPreview = Schemas["MappingPreviewOut"];
export type MappingSchedule = Schemas["MappingSchedule"];
export type PropertyMapping = Schemas["PropertyMapping"];
export type FieldIssue = Schemas["FieldIssue"];
export type Suggestion = Schemas["SuggestionOut"];
export type SyncMode = Schemas["SyncMode"];
export type OnConflict = Schemas["OnConflict"];
export type SyncRun = Schemas["SyncRunOut"];
export type SyncRunList = Schemas["SyncRunList"];
export type RejectedRecord = Schemas["RejectedRecordOut"];
export type RejectedList = Schemas["RejectedList"];
export type ObjectPage = Schemas["ObjectPage"];
export type ObjectDetail = Schemas["ObjectOut"];
export type LinkedObjects = Schemas["LinkedObjects"];
export type Provenance = Schemas["ProvenanceOut"];
export type OntologyImportResult = Schemas["OntologyImportOut"];

/** The permission that lets a role define object types, links and mappings and run syncs. */
export const ONTOLOGY_WRITE = "ontology:write";

/** Every kind a property can have, in the order the kind picker lists them. */
export const PROPERTY_KINDS: PropertyKind[] = [
  "string",
  "integer",
  "float",
  "decimal",
  "boolean",
  "date",
  "timestamp",
  "enum",
  "array",
  "object",
];

/** Kinds a key property may have (the server refuses the others). */
export const KEY_KINDS: PropertyKind[] = ["string", "integer", "date", "enum"];

/** A sync that has not finished yet: the UI polls it. */
export function isActive(run: Pick<SyncRun, "status"> | null | undefined): boolean {
  return run?.status === "queued" || run?.status === "running";
}

/** Columns the server adds to every object: where it came from. */
export const PROVENANCE_COLUMNS = [
  "_dataset_id",
  "_dataset_version",
  "_mapping_id",
  "_sync_id",
  "_synced_at",
] as const;
