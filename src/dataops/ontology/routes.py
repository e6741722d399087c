"""HTTP routes of the ontology domain. Object-level access (clearance, owners, the dataset's
users) is checked in the services; the route guards check the role-level permission."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session

from dataops.auth.guards import allow, current_principal
from dataops.auth.permissions import Permission
from dataops.auth.principal import Principal
from dataops.http.context import AppContext, app_context
from dataops.http.database import db_session
from dataops.ontology import mappings, object_types, objects, sync_runs, yaml_io
from dataops.ontology.expressions import describe_functions
from dataops.ontology.schemas import (
    LinkTypeCreate,
    LinkTypeOut,
    MappingCheck,
    MappingCreate,
    MappingList,
    MappingOut,
    MappingPreviewOut,
    MappingUpdate,
    ObjectOut,
    ObjectPage,
    ObjectTypeCreate,
    ObjectTypeList,
    ObjectTypeOut,
    ObjectTypeUpdate,
    ObjectTypeVersionOut,
    OntologyImport,
    OntologyImportOut,
    RejectedList,
    RejectedRecordOut,
    SchemaChangeOut,
    SuggestionOut,
    SuggestRequest,
    SyncRunList,
    SyncRunOut,
    TransformFunctionOut,
)
from dataops.ontology.sync_runs import SyncRunner

router = APIRouter(tags=["ontology"])
_ANY = Permission.AUTHENTICATED
_WRITE = Permission.ONTOLOGY_WRITE


def sync_runner(request: Request) -> SyncRunner:
    found = request.app.state.sync_runner
    assert isinstance(found, SyncRunner)
    return found


# --- object types ----------------------------------------------------------------------------


@router.get("/object-types", **allow(_ANY))
def list_object_types(
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> ObjectTypeList:
    """Object types at or below your clearance."""
    return object_types.list_types(session, principal, ctx.settings)


@router.post("/object-types", status_code=status.HTTP_201_CREATED, **allow(_WRITE))
def create_object_type(
    body: ObjectTypeCreate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> ObjectTypeOut:
    return object_types.create_type(session, principal, ctx.settings, body)


@router.get("/object-types/{type_id}", **allow(_ANY))
def read_object_type(
    type_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> ObjectTypeOut:
    ot = object_types.visible_type(session, principal, type_id)
    return object_types.type_out(session, principal, ctx.settings, ot)


@router.post("/object-types/{type_id}/check", **allow(_ANY))
def check_object_type_update(
    type_id: str,
    body: ObjectTypeUpdate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> SchemaChangeOut:
    """What an update would change, and which changes need a migration (nothing is saved)."""
    return object_types.check_update(session, principal, type_id, body)


@router.patch("/object-types/{type_id}", **allow(_WRITE))
def update_object_type(
    type_id: str,
    body: ObjectTypeUpdate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> ObjectTypeOut:
    """Change an object type: a new version. Breaking changes need ``migration``."""
    return object_types.update_type(session, principal, ctx.settings, type_id, body)


@router.delete("/object-types/{type_id}", status_code=status.HTTP_204_NO_CONTENT, **allow(_WRITE))
def delete_object_type(
    type_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> Response:
    object_types.delete_type(session, principal, type_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/object-types/{type_id}/versions", **allow(_ANY))
def list_object_type_versions(
    type_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> list[ObjectTypeVersionOut]:
    return object_types.list_versions(session, principal, type_id)


@router.get("/object-types/{type_id}/objects", **allow(_ANY))
def list_objects(
    type_id: str,
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> ObjectPage:
    """Objects of a type; any other query parameter filters on a property (``status=active``)."""
    filters = {k: v for k, v in request.query_params.items() if k not in {"q", "limit", "offset"}}
    return objects.list_objects(
        session, principal, ctx.settings, type_id, q=q, filters=filters, limit=limit, offset=offset
    )


@router.get("/object-types/{type_id}/objects/{key}", **allow(_ANY))
def read_object(
    type_id: str,
    key: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> ObjectOut:
    """One object: its properties, where it came from, and the objects it links to."""
    return objects.read_object(session, principal, ctx.settings, type_id, key)


@router.get(
    "/ontology/export",
    response_class=PlainTextResponse,
    responses={200: {"content": {"application/yaml": {}}}},
    **allow(_ANY),
)
def export_ontology(
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> PlainTextResponse:
    """Object types, link types and mappings you can see, as YAML (for git)."""
    return PlainTextResponse(yaml_io.export_yaml(session, principal), media_type="application/yaml")


@router.post("/ontology/import", **allow(_WRITE))
def import_ontology(
    body: OntologyImport,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> OntologyImportOut:
    """Create or update object types, link types and mappings from YAML: all or nothing."""
    done = yaml_io.import_yaml(session, principal, ctx.settings, body.yaml)
    return OntologyImportOut(created=done["created"], updated=done["updated"])


# --- link types ------------------------------------------------------------------------------


@router.get("/link-types", **allow(_ANY))
def list_link_types(
    object_type_id: Annotated[str | None, Query(max_length=26)] = None,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> list[LinkTypeOut]:
    return object_types.list_links(session, principal, object_type_id)


@router.post("/link-types", status_code=status.HTTP_201_CREATED, **allow(_WRITE))
def create_link_type(
    body: LinkTypeCreate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> LinkTypeOut:
    return object_types.create_link(session, principal, body)


@router.delete("/link-types/{link_id}", status_code=status.HTTP_204_NO_CONTENT, **allow(_WRITE))
def delete_link_type(
    link_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> Response:
    object_types.delete_link(session, principal, link_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- mappings --------------------------------------------------------------------------------


@router.get("/mappings", **allow(_ANY))
def list_mappings(
    dataset_id: Annotated[str | None, Query(max_length=26)] = None,
    object_type_id: Annotated[str | None, Query(max_length=26)] = None,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> MappingList:
    return mappings.list_mappings(session, principal, dataset_id, object_type_id)


@router.post("/mappings", status_code=status.HTTP_201_CREATED, **allow(_WRITE))
def create_mapping(
    body: MappingCreate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> MappingOut:
    """Map a dataset onto an object type; validated against the type before it is saved."""
    return mappings.create_mapping(session, principal, ctx.settings, body)


@router.get("/mappings/functions", **allow(_ANY))
def list_transform_functions() -> list[TransformFunctionOut]:
    """The functions and methods transforms may use, for the editor's help panel."""
    return [TransformFunctionOut(**f) for f in describe_functions()]


@router.post("/mappings/check", **allow(_ANY))
def check_mapping(
    body: MappingCheck,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> MappingPreviewOut:
    """Validate a mapping and preview it on the dataset's first rows (nothing is saved)."""
    return mappings.check_mapping(session, principal, ctx.settings, body)


@router.post("/mappings/suggest", **allow(_ANY))
def suggest_mapping(
    body: SuggestRequest,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> list[SuggestionOut]:
    """Proposed column (and transform) per property, with a confidence and the reasons."""
    return mappings.suggest(session, principal, ctx.settings, body.dataset_id, body.object_type_id)


@router.get("/mappings/{mapping_id}", **allow(_ANY))
def read_mapping(
    mapping_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> MappingOut:
    found = mappings.visible_mapping(session, principal, mapping_id)
    return mappings.mapping_out(session, principal, found)


@router.patch("/mappings/{mapping_id}", **allow(_WRITE))
def update_mapping(
    mapping_id: str,
    body: MappingUpdate,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> MappingOut:
    return mappings.update_mapping(session, principal, ctx.settings, mapping_id, body)


@router.delete("/mappings/{mapping_id}", status_code=status.HTTP_204_NO_CONTENT, **allow(_WRITE))
def delete_mapping(
    mapping_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> Response:
    mappings.delete_mapping(session, principal, mapping_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/mappings/{mapping_id}/syncs", status_code=status.HTTP_202_ACCEPTED, **allow(_WRITE))
def start_sync(
    mapping_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    runner: SyncRunner = Depends(sync_runner),
) -> SyncRunOut:
    """Queue a sync: the dataset's changes since the last synced version become objects."""
    found = mappings.editable_mapping(session, principal, mapping_id)
    out = sync_runs.start_manual_sync(session, principal, found)
    session.commit()
    runner.submit()
    return out


@router.get("/mappings/{mapping_id}/syncs", **allow(_ANY))
def list_syncs(
    mapping_id: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> SyncRunList:
    found = mappings.visible_mapping(session, principal, mapping_id)
    return sync_runs.list_syncs(session, found, limit, offset)


@router.get("/mappings/{mapping_id}/syncs/{sync_id}", **allow(_ANY))
def read_sync(
    mapping_id: str,
    sync_id: str,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
) -> SyncRunOut:
    found = mappings.visible_mapping(session, principal, mapping_id)
    return sync_runs.get_sync(session, found, sync_id)


@router.get("/mappings/{mapping_id}/rejected", **allow(_ANY))
def list_rejected(
    mapping_id: str,
    sync_id: Annotated[str | None, Query(max_length=26)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    principal: Principal = Depends(current_principal),
    session: Session = Depends(db_session),
    ctx: AppContext = Depends(app_context),
) -> RejectedList:
    """Records the mapping's syncs rejected, with the reason and the source row."""
    found = mappings.visible_mapping(session, principal, mapping_id)
    items, total = mappings.rejected(
        session, principal, ctx.settings, found, sync_id, limit, offset
    )
    return RejectedList(items=[RejectedRecordOut(**i) for i in items], total=total)
