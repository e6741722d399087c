"""Password hashing (argon2id) and policy."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from dataops.core.errors import InvalidInputError

_HASHER = PasswordHasher()
# A real hash of a random password: verifying against it when the user does not exist makes
# "unknown user" and "wrong password" take the same time.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_policy(password: str, *, min_length: int, username: str, field: str) -> None:
    """Reject weak passwords with a message naming the field."""
    if len(password) < min_length:
        raise InvalidInputError(f"password must be at least {min_length} characters", field=field)
    if len(password) > 1024:
        raise InvalidInputError("password must be at most 1024 characters", field=field)
    if password.strip().lower() == username.lower():
        raise InvalidInputError("password must not be the username", field=field)
    if len(set(password)) < 4:
        raise InvalidInputError("password is too repetitive", field=field)


def generate_password(length: int = 20) -> str:
    """A random password that satisfies the policy, easy to type (no look-alike characters)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
    return "".join(secrets.choice(alphabet) for _ in range(length))
