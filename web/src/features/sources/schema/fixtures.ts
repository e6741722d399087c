/**
 * Settings schemas exactly as pydantic 2 writes them (`model_json_schema()`), for tests: a
 * database with a nested optional section, and an API with a discriminated union of auth kinds.
 */
import type { JsonSchema } from "./compile";

export const postgresSchema: JsonSchema = {
  $defs: {
    SslMode: {
      enum: ["disable", "prefer", "require", "verify-full"],
      title: "SslMode",
      type: "string",
    },
    Tunnel: {
      description: "Reach the server through an SSH bastion.",
      properties: {
        host: { title: "Host", type: "string" },
        port: { default: 22, title: "Port", type: "integer" },
        private_key: { format: "password", title: "Private Key", type: "string", writeOnly: true },
      },
      required: ["host", "private_key"],
      title: "Tunnel",
      type: "object",
    },
  },
  additionalProperties: false,
  properties: {
    host: { description: "Hostname or IP address.", title: "Host", type: "string" },
    port: { default: 5432, maximum: 65535, minimum: 1, title: "Port", type: "integer" },
    database: { title: "Database", type: "string" },
    user: { title: "User", type: "string" },
    password: {
      anyOf: [{ format: "password", type: "string", writeOnly: true }, { type: "null" }],
      default: null,
      title: "Password",
    },
    sslmode: { $ref: "#/$defs/SslMode", default: "prefer" },
    schemas: {
      description: "Only these schemas (empty: all).",
      items: { type: "string" },
      title: "Schemas",
      type: "array",
    },
    tunnel: { anyOf: [{ $ref: "#/$defs/Tunnel" }, { type: "null" }], default: null },
  },
  required: ["host", "database", "user"],
  title: "PostgresSettings",
  type: "object",
};

export const restSchema: JsonSchema = {
  $defs: {
    ApiKeyAuth: {
      properties: {
        type: { const: "api_key", default: "api_key", title: "Type", type: "string" },
        header: { default: "X-API-Key", title: "Header", type: "string" },
        key: { format: "password", title: "Key", type: "string", writeOnly: true },
      },
      required: ["key"],
      title: "ApiKeyAuth",
      type: "object",
    },
    BasicAuth: {
      properties: {
        type: { const: "basic", default: "basic", title: "Type", type: "string" },
        username: { title: "Username", type: "string" },
        password: { format: "password", title: "Password", type: "string", writeOnly: true },
      },
      required: ["username", "password"],
      title: "BasicAuth",
      type: "object",
    },
    BearerAuth: {
      description: "A token sent as `Authorization: Bearer …`.",
      properties: {
        type: { const: "bearer", default: "bearer", title: "Type", type: "string" },
        token: { format: "password", title: "Token", type: "string", writeOnly: true },
      },
      required: ["token"],
      title: "BearerAuth",
      type: "object",
    },
    NoAuth: {
      properties: { type: { const: "none", default: "none", title: "Type", type: "string" } },
      title: "NoAuth",
      type: "object",
    },
  },
  properties: {
    base_url: { format: "uri", minLength: 1, title: "Base URL", type: "string" },
    auth: {
      default: { type: "none" },
      discriminator: {
        mapping: {
          api_key: "#/$defs/ApiKeyAuth",
          basic: "#/$defs/BasicAuth",
          bearer: "#/$defs/BearerAuth",
          none: "#/$defs/NoAuth",
        },
        propertyName: "type",
      },
      oneOf: [
        { $ref: "#/$defs/NoAuth" },
        { $ref: "#/$defs/BasicAuth" },
        { $ref: "#/$defs/BearerAuth" },
        { $ref: "#/$defs/ApiKeyAuth" },
      ],
      title: "Auth",
    },
    headers: { additionalProperties: { type: "string" }, title: "Headers", type: "object" },
    verify_tls: { default: true, title: "Verify TLS", type: "boolean" },
    timeout: { anyOf: [{ type: "number" }, { type: "null" }], default: null, title: "Timeout" },
  },
  required: ["base_url"],
  title: "RestSettings",
  type: "object",
};
