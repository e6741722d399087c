"""``EncryptedText``: a column type whose values are AES-GCM ciphertexts at rest.

The keyring is attached to the engine's dialect when the engine is made
(:func:`dataops.store.engine.create_store_engine`), so there is no global key state and two
engines with different keyrings (as during ``dataops keys rotate``) never mix.
"""

from __future__ import annotations

import sqlalchemy as sa

from dataops.core.crypto import Keyring
from dataops.core.errors import ConfigurationError

_KEYRING_ATTR = "_dataops_keyring"


def attach_keyring(engine: sa.Engine, keyring: Keyring) -> None:
    setattr(engine.dialect, _KEYRING_ATTR, keyring)


def keyring_of(dialect: sa.Dialect) -> Keyring:
    keyring = getattr(dialect, _KEYRING_ATTR, None)
    if not isinstance(keyring, Keyring):
        raise ConfigurationError("this engine has no keyring; secrets cannot be read or written")
    return keyring


class EncryptedText(sa.TypeDecorator[str]):
    """Plain ``str`` in Python, ``dok1:<key id>:...`` ciphertext in the database."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None:
            return None
        return keyring_of(dialect).encrypt(value)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None:
            return None
        return keyring_of(dialect).decrypt(value)


def encrypted_columns(metadata: sa.MetaData) -> list[tuple[sa.Table, sa.Column[str]]]:
    """Every (table, column) of ``metadata`` whose type is :class:`EncryptedText`."""
    found: list[tuple[sa.Table, sa.Column[str]]] = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                found.append((table, column))
    return found
