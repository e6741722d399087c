"""Roles and what each may do. One table, read by the API's route guards and the UI."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    STEWARD = "steward"
    ENGINEER = "engineer"
    ANALYST = "analyst"
    VIEWER = "viewer"


class Permission(StrEnum):
    """Closed vocabulary of permissions. ``AUTHENTICATED`` is held by every signed-in user."""

    AUTHENTICATED = "authenticated"
    USERS_READ = "users:read"
    USERS_WRITE = "users:write"
    TOKENS_ADMIN = "tokens:admin"
    AUDIT_READ = "audit:read"
    SECRETS_READ = "secrets:read"
    SECRETS_WRITE = "secrets:write"
    SOURCES_WRITE = "sources:write"
    DATASETS_WRITE = "datasets:write"
    ONTOLOGY_WRITE = "ontology:write"


ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.ADMIN: "Manages users, roles, clearances, tokens, secrets and every asset.",
    Role.STEWARD: "Governs data: classification, quality, access requests; reads the audit log.",
    Role.ENGINEER: "Builds sources, datasets and pipelines; manages connection secrets.",
    Role.ANALYST: "Finds, previews and queries data they are allowed to see.",
    Role.VIEWER: "Browses the catalog read-only.",
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.STEWARD: frozenset(
        {
            Permission.AUTHENTICATED,
            Permission.AUDIT_READ,
            Permission.USERS_READ,
            Permission.ONTOLOGY_WRITE,
        }
    ),
    Role.ENGINEER: frozenset(
        {
            Permission.AUTHENTICATED,
            Permission.SECRETS_READ,
            Permission.SECRETS_WRITE,
            Permission.SOURCES_WRITE,
            Permission.DATASETS_WRITE,
            Permission.ONTOLOGY_WRITE,
        }
    ),
    Role.ANALYST: frozenset({Permission.AUTHENTICATED}),
    Role.VIEWER: frozenset({Permission.AUTHENTICATED}),
}


def role_has(role: Role, permission: Permission) -> bool:
    """
    >>> role_has(Role.VIEWER, Permission.USERS_WRITE)
    False
    >>> role_has(Role.ADMIN, Permission.USERS_WRITE)
    True
    """
    return permission in ROLE_PERMISSIONS[role]
