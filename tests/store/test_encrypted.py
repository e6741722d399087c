"""EncryptedText: ciphertext at rest on both backends; readable only with the keyring."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from dataops.core.crypto import DecryptionError, Keyring, generate_key
from dataops.core.settings import Settings
from dataops.domains import load_models
from dataops.secrets.models import Secret
from dataops.store import migrate
from dataops.store.engine import create_store_engine, make_session_factory, transaction

PLAINTEXT = "s3cr3t-Pa55phrase-for-the-warehouse"


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.from_texts([generate_key()])


def _store(settings: Settings, keyring: Keyring) -> sa.Engine:
    settings.ensure_home()
    load_models()
    engine = create_store_engine(settings.resolved_database_url, keyring)
    migrate.upgrade(engine)
    return engine


def test_value_is_ciphertext_at_rest_and_plaintext_in_python(
    store_settings: Settings, keyring: Keyring
) -> None:
    engine = _store(store_settings, keyring)
    with transaction(make_session_factory(engine)) as session:
        session.add(Secret(name="wh", value=PLAINTEXT, created_by="t", updated_by="t"))
    with engine.connect() as connection:
        raw = connection.execute(sa.text("SELECT value FROM secrets")).scalar_one()
    assert PLAINTEXT not in raw
    assert raw.startswith(f"dok1:{keyring.primary_id}:")
    with transaction(make_session_factory(engine)) as session:
        assert session.scalars(sa.select(Secret.value)).one() == PLAINTEXT
    engine.dispose()


def test_sqlite_file_never_contains_the_plaintext(settings: Settings, keyring: Keyring) -> None:
    engine = _store(settings, keyring)
    with transaction(make_session_factory(engine)) as session:
        session.add(Secret(name="wh", value=PLAINTEXT, created_by="t", updated_by="t"))
    engine.dispose()
    for path in Path(settings.home).glob("metadata.db*"):  # the DB, its WAL and shm files
        assert PLAINTEXT.encode() not in path.read_bytes(), path


def test_wrong_key_cannot_read(store_settings: Settings, keyring: Keyring) -> None:
    engine = _store(store_settings, keyring)
    with transaction(make_session_factory(engine)) as session:
        session.add(Secret(name="wh", value=PLAINTEXT, created_by="t", updated_by="t"))
    engine.dispose()
    other = create_store_engine(
        store_settings.resolved_database_url, Keyring.from_texts([generate_key()])
    )
    with pytest.raises(DecryptionError), transaction(make_session_factory(other)) as session:
        session.scalars(sa.select(Secret.value)).one()
    other.dispose()


def test_tampered_ciphertext_is_rejected(keyring: Keyring) -> None:
    token = keyring.encrypt(PLAINTEXT)
    head, body = token.rsplit(":", 1)
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DecryptionError):
        keyring.decrypt(f"{head}:{flipped}")
