"""``create_app(settings)``: builds the whole HTTP application, connecting nothing at import."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute

from dataops import __version__
from dataops.api import errors
from dataops.api.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from dataops.api.static import mount_ui
from dataops.audit.routes import router as audit_router
from dataops.auth.guards import current_principal
from dataops.auth.principal import Principal
from dataops.auth.routes import router as auth_router
from dataops.core.crypto import load_keyring
from dataops.core.settings import Settings
from dataops.datasets.routes import router as datasets_router
from dataops.datasets.runner import Runner
from dataops.domains import load_models
from dataops.http.context import AppContext
from dataops.http.error_body import ERROR_RESPONSES
from dataops.lake.memory import return_freed_memory
from dataops.ontology.routes import router as ontology_router
from dataops.ontology.sync_runs import SyncRunner
from dataops.secrets.routes import router as secrets_router
from dataops.sources.routes import router as sources_router
from dataops.store import migrate
from dataops.store.engine import create_store_engine, make_session_factory

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


def _operation_id(route: APIRoute) -> str:
    return route.name


def build_context(settings: Settings) -> AppContext:
    """Keyring, engine and session factory for ``settings`` (creates the home folder)."""
    settings.ensure_home()
    master = settings.master_key.get_secret_value() if settings.master_key else None
    keyring = load_keyring(master, settings.key_file)
    engine = create_store_engine(settings.resolved_database_url, keyring)
    return AppContext(settings, keyring, engine, make_session_factory(engine))


def _api_router() -> APIRouter:
    api = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES)
    api.include_router(auth_router)
    api.include_router(audit_router)
    api.include_router(secrets_router)
    api.include_router(sources_router)
    api.include_router(datasets_router)
    api.include_router(ontology_router)
    return api


def _add_docs(app: FastAPI) -> None:
    """OpenAPI and Swagger UI, for signed-in users only."""

    @app.get(f"{API_PREFIX}/openapi.json", include_in_schema=False)
    def openapi_document(_: Principal = Depends(current_principal)) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def swagger_ui(_: Principal = Depends(current_principal)) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=f"{API_PREFIX}/openapi.json", title="dataops API")


def assemble_app(settings: Settings, lifespan: Any = None) -> FastAPI:
    """Routes, error handlers, middleware: the app without any connection (used for OpenAPI)."""
    app = FastAPI(
        title="dataops",
        version=__version__,
        description="DataOps platform API. Authenticate with a session cookie (web UI) or "
        "`Authorization: Bearer <API token>`.",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
    )
    errors.install_error_handlers(app)

    @app.get("/health", tags=["health"], openapi_extra={"x-public": True})
    def health() -> dict[str, str]:
        """Liveness: answers without authentication and reveals nothing else."""
        return {"status": "ok", "version": __version__}

    app.include_router(_api_router())
    _add_docs(app)
    mount_ui(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api.max_request_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def create_app(settings: Settings | None = None, *, run_migrations: bool = True) -> FastAPI:
    """The application for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    ctx = build_context(settings)
    load_models()
    if run_migrations:
        migrate.upgrade(ctx.engine)

    return_freed_memory()  # extractions stream large tables through this process
    runner = Runner(ctx.sessions, settings)
    syncs = SyncRunner(ctx.sessions, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        runner.start()
        syncs.start()
        try:
            yield
        finally:
            syncs.stop()
            runner.stop()
            ctx.engine.dispose()

    app = assemble_app(settings, lifespan)
    app.state.ctx = ctx
    app.state.runner = runner
    app.state.sync_runner = syncs
    return app
