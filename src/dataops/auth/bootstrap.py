"""First start: create the first admin with a one-time password."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dataops.auth.passwords import generate_password
from dataops.auth.permissions import Role
from dataops.auth.schemas import UserCreate
from dataops.auth.users import count_users, create_user
from dataops.core.actor import Actor
from dataops.core.classification import Classification
from dataops.core.settings import AuthSettings
from dataops.store.engine import transaction

log = logging.getLogger(__name__)

FIRST_ADMIN = "admin"


def ensure_first_admin(factory: sessionmaker[Session], settings: AuthSettings) -> str | None:
    """Create ``admin`` with a random one-time password if there are no users at all.

    Returns that password (for the operator's terminal only; never logged), or None if users
    already exist. Two processes racing here create one admin: the loser's insert violates the
    unique username and it returns None.
    """
    password = generate_password()
    try:
        with transaction(factory) as session:
            if count_users(session) > 0:
                return None
            create_user(
                session,
                Actor.system("bootstrap"),
                UserCreate(
                    username=FIRST_ADMIN,
                    display_name="Administrator",
                    role=Role.ADMIN,
                    clearance=Classification.TS,
                    password=password,
                ),
                settings,
                must_change_password=True,
            )
    except IntegrityError:
        log.info("another process created the first admin")
        return None
    log.info(
        "created the first admin account %r (one-time password shown on the terminal)", FIRST_ADMIN
    )
    return password
