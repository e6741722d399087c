/**
 * Named aliases for the schemas the UI uses. When the backend renames a schema, only this file
 * changes.
 */
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type Me = Schemas["MeOut"];
export type User = Schemas["UserOut"];
export type UserCreate = Schemas["UserCreate"];
export type UserUpdate = Schemas["UserUpdate"];
export type Role = User["role"];
export type Clearance = User["clearance"];
export type Token = Schemas["TokenOut"];
export type TokenCreated = Schemas["TokenCreated"];
export type Secret = Schemas["SecretOut"];
export type AuditEntry = Schemas["AuditEntryOut"];
export type AuditPage = Schemas["AuditPage"];
export type AuditOutcome = AuditEntry["outcome"];
export type VerifyResult = Schemas["VerifyResult"];
export type Meta = Schemas["MetaOut"];

export type Permission =
  | "users:read"
  | "users:write"
  | "tokens:admin"
  | "audit:read"
  | "secrets:read"
  | "secrets:write"
  | "sources:write"
  | "datasets:write"
  | "ontology:write";
