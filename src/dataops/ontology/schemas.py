"""API shapes of the ontology domain: object types, link types, mappings, syncs, objects."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dataops.core.classification import Classification
from dataops.datasets.schemas import RunStatus, Schedule
from dataops.sources.schemas import OwnerOut

Identifier = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=128, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$"
    ),
]
"""Names of object types, properties and link types: they become column and table names."""

Text = Annotated[str, StringConstraints(max_length=4000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PropertyKind(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"
    ENUM = "enum"
    ARRAY = "array"
    OBJECT = "object"


class PropertySpec(_In):
    """One property of an object type (or a field of a nested object property)."""

    name: Identifier
    kind: PropertyKind
    required: bool = False
    description: Text = ""
    enum_values: list[Annotated[str, StringConstraints(min_length=1, max_length=256)]] = Field(
        default_factory=list, max_length=500, description="Allowed values of an enum."
    )
    items: PropertySpec | None = Field(
        default=None, description="Element type of an array (its name is ignored)."
    )
    fields: list[PropertySpec] = Field(
        default_factory=list, max_length=200, description="Fields of a nested object."
    )
    precision: int = Field(default=38, ge=1, le=38, description="Digits of a decimal.")
    scale: int = Field(default=9, ge=0, le=38, description="Digits after the point.")


class Migration(StrEnum):
    """What to do with existing objects when a schema change is breaking."""

    REWRITE = "rewrite"  # rewrite the objects: values that no longer fit become null/are dropped


class ObjectTypeCreate(_In):
    name: Identifier
    display_name: Annotated[str, StringConstraints(max_length=256)] = ""
    description: Text = ""
    key_property: Identifier
    classification: Classification = Classification.U
    properties: list[PropertySpec] = Field(min_length=1, max_length=500)


class ObjectTypeUpdate(_In):
    display_name: Annotated[str, StringConstraints(max_length=256)] | None = None
    description: Text | None = None
    classification: Classification | None = None
    key_property: Identifier | None = None
    properties: list[PropertySpec] | None = Field(default=None, min_length=1, max_length=500)
    migration: Migration | None = Field(
        default=None,
        description="Needed for breaking changes (removed/retyped properties, a new required "
        "property, another key): how existing objects follow.",
    )


class ObjectTypeOut(BaseModel):
    id: str
    name: str
    display_name: str
    description: str
    key_property: str
    classification: Classification
    properties: list[PropertySpec]
    version: int
    owner: OwnerOut
    object_count: int | None
    lake_uri: str
    created_at: datetime
    updated_at: datetime
    editable: bool


class ObjectTypeList(BaseModel):
    items: list[ObjectTypeOut]
    total: int


class ObjectTypeVersionOut(BaseModel):
    version: int
    key_property: str
    properties: list[PropertySpec]
    changes: list[str]
    migration: str
    created_by: str
    created_at: datetime


class SchemaChangeOut(BaseModel):
    """The changes an update would make, and whether they need a migration."""

    changes: list[str]
    breaking: list[str]


class Cardinality(StrEnum):
    ONE_TO_MANY = "one_to_many"  # source objects hold one target key
    MANY_TO_MANY = "many_to_many"  # source objects hold a list of target keys


class LinkTypeCreate(_In):
    name: Identifier
    description: Text = ""
    source_type_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]
    target_type_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]
    cardinality: Cardinality
    source_property: Identifier = Field(
        description="Property of the source type holding the target's key (or list of keys)."
    )


class LinkTypeOut(BaseModel):
    id: str
    name: str
    description: str
    source_type_id: str
    source_type: str
    target_type_id: str
    target_type: str
    cardinality: Cardinality
    source_property: str
    created_at: datetime


class SyncMode(StrEnum):
    UPSERT = "upsert"  # insert new keys, resolve existing ones with on_conflict
    REPLACE = "replace"  # the objects become exactly the dataset's rows
    APPEND = "append"  # add every row as a new object (no key matching)


class OnConflict(StrEnum):
    SKIP = "skip"  # keep the existing object
    OVERWRITE = "overwrite"  # the new row replaces it
    MERGE = "merge"  # non-null values of the new row win, the rest is kept


class PropertyMapping(_In):
    """Where one property's value comes from."""

    column: Annotated[str, StringConstraints(min_length=1, max_length=256)] | None = Field(
        default=None, description="Source column (null: only the default or the transform)."
    )
    path: Annotated[str, StringConstraints(max_length=512)] | None = Field(
        default=None, description="Path inside a nested column: 'address.city', 'items[0].sku'."
    )
    transform: Annotated[str, StringConstraints(max_length=2000)] = Field(
        default="", description="Expression over `value` (and `row.col`), e.g. parseInt(value)."
    )
    default: Any = Field(default=None, description="Used when the value is null.")


class MappingSchedule(Schedule):
    pass


class MappingCreate(_In):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
    description: Text = ""
    dataset_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]
    object_type_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]
    properties: dict[str, PropertyMapping] = Field(max_length=500)
    sync_mode: SyncMode = SyncMode.UPSERT
    on_conflict: OnConflict = OnConflict.OVERWRITE
    schedule: MappingSchedule | None = None


class MappingUpdate(_In):
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
        | None
    ) = None
    description: Text | None = None
    properties: dict[str, PropertyMapping] | None = Field(default=None, max_length=500)
    sync_mode: SyncMode | None = None
    on_conflict: OnConflict | None = None
    schedule: MappingSchedule | None = None
    clear_schedule: bool = False


class MappingOut(BaseModel):
    id: str
    name: str
    description: str
    dataset_id: str
    dataset_name: str
    object_type_id: str
    object_type_name: str
    properties: dict[str, PropertyMapping]
    sync_mode: SyncMode
    on_conflict: OnConflict
    schedule: MappingSchedule | None
    next_run_at: datetime | None
    synced_dataset_version: int | None
    last_sync: SyncRunOut | None
    owner: OwnerOut
    created_at: datetime
    updated_at: datetime
    editable: bool


class MappingList(BaseModel):
    items: list[MappingOut]
    total: int


class MappingCheck(_In):
    """A mapping to validate and preview before it is saved."""

    dataset_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]
    object_type_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]
    properties: dict[str, PropertyMapping] = Field(max_length=500)
    limit: int = Field(default=20, ge=1, le=200)


class FieldIssue(BaseModel):
    property: str
    message: str


class MappingPreviewOut(BaseModel):
    """The mapping applied to the first rows of the dataset (nothing is written)."""

    issues: list[FieldIssue] = Field(description="Problems of the mapping itself, by property.")
    columns: list[str]
    rows: list[dict[str, Any]] = Field(description="Transformed values, property by property.")
    errors: list[str | None] = Field(description="Per row: why it would be rejected, or null.")
    source_rows: list[dict[str, Any]]


class SuggestionOut(BaseModel):
    property: str
    column: str | None
    path: str | None
    transform: str
    confidence: float
    reasons: list[str]


class TransformFunctionOut(BaseModel):
    name: str
    kind: str  # function | method | property
    signature: str
    description: str


class SuggestRequest(_In):
    dataset_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]
    object_type_id: Annotated[str, StringConstraints(min_length=1, max_length=26)]


class SyncRunOut(BaseModel):
    id: str
    mapping_id: str
    seq: int
    trigger: str
    status: RunStatus
    triggered_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    dataset_version_from: int | None
    dataset_version_to: int | None
    processed: int
    succeeded: int
    failed: int
    lake_version: int | None
    duration_ms: float | None
    error: str | None
    error_code: str | None


class SyncRunList(BaseModel):
    items: list[SyncRunOut]
    total: int


class RejectedRecordOut(BaseModel):
    sync_id: str
    row: int | None
    reason: str
    source: dict[str, Any]


class RejectedList(BaseModel):
    items: list[RejectedRecordOut]
    total: int


class ObjectPage(BaseModel):
    """Objects of a type (a page of them), with the provenance columns."""

    columns: list[str]
    rows: list[dict[str, Any]]
    total: int


class LinkedObjects(BaseModel):
    link_type: str
    direction: str  # outgoing | incoming
    object_type_id: str
    object_type: str
    keys: list[Any]
    objects: list[dict[str, Any]]


class ProvenanceOut(BaseModel):
    dataset_id: str | None
    dataset_version: int | None
    mapping_id: str | None
    sync_id: str | None
    synced_at: datetime | None


class ObjectOut(BaseModel):
    object_type_id: str
    key: Any
    properties: dict[str, Any]
    provenance: ProvenanceOut
    links: list[LinkedObjects]


class OntologyImport(_In):
    yaml: Annotated[str, StringConstraints(max_length=2_000_000)] = Field(
        description="A document from GET /ontology/export (or written by hand)."
    )


class OntologyImportOut(BaseModel):
    created: list[str]
    updated: list[str]
