"""``dataops keys rotate``: re-encrypt every secret under a new master key, losing nothing.

With a key file the steps are ordered so that a crash at any point leaves every value readable:

1. write the key file as ``new, old...`` (new is primary; old keys still decrypt),
2. in one transaction re-encrypt every ``EncryptedText`` value and re-seal the audit head,
3. write the key file as ``new`` alone.

With ``DATAOPS_MASTER_KEY`` the operator puts the new key first (``new,old``), runs the rotation,
then drops the old key from the variable.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from dataops.audit import service as audit
from dataops.core.actor import Actor
from dataops.core.crypto import Keyring, generate_key, read_key_file, write_key_file
from dataops.core.errors import ConfigurationError
from dataops.core.settings import Settings
from dataops.store.encrypted import encrypted_columns
from dataops.store.engine import create_store_engine, make_session_factory, transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotationReport:
    new_key_id: str
    retired_key_ids: list[str]
    values_reencrypted: int
    columns: list[str]


def _check_models_loaded(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """Refuse to rotate if a table in the database has no loaded model: its encrypted columns
    would be missed, and dropping the old key would then lose them."""
    missing = set(sa.inspect(engine).get_table_names()) - set(metadata.tables) - {"alembic_version"}
    if missing:
        raise ConfigurationError(
            f"models of tables {sorted(missing)} are not loaded; cannot rotate keys safely"
        )


def _reencrypt(
    engine: sa.Engine, metadata: sa.MetaData, keyring: Keyring, actor: Actor
) -> tuple[int, list[str]]:
    _check_models_loaded(engine, metadata)
    factory = make_session_factory(engine)
    count, columns = 0, []
    with transaction(factory) as session:
        for table, column in encrypted_columns(metadata):
            columns.append(f"{table.name}.{column.name}")
            pk = list(table.primary_key.columns)
            raw = sa.type_coerce(column, sa.Text).label("raw")
            for row in session.execute(sa.select(*pk, raw).where(column.is_not(None))):
                if Keyring.key_id_of(row.raw) == keyring.primary_id:
                    continue
                plain = keyring.decrypt(row.raw)
                where = sa.and_(*(c == row._mapping[c.name] for c in pk))
                session.execute(sa.update(table).where(where).values({column.name: plain}))
                count += 1
        audit.reseal_head(session)
        audit.record(
            session,
            actor,
            "keys.rotate",
            target_type="master_key",
            target_id=keyring.primary_id,
            details={"values_reencrypted": count},
        )
    return count, columns


def rotate_keys(settings: Settings, metadata: sa.MetaData, actor: Actor) -> RotationReport:
    """Rotate to a new key (key file) or onto the primary of ``DATAOPS_MASTER_KEY``.

    ``metadata`` must hold every model (``dataops.domains.load_models()``); this is checked.
    """
    url = settings.resolved_database_url
    if settings.master_key is not None:
        texts = settings.master_key.get_secret_value().split(",")
        keyring = Keyring.from_texts(texts)
        engine = create_store_engine(url, keyring)
        try:
            count, columns = _reencrypt(engine, metadata, keyring, actor)
        finally:
            engine.dispose()
        retired = [k for k in keyring.keys if k != keyring.primary_id]
        return RotationReport(keyring.primary_id, retired, count, columns)

    path = settings.key_file
    if not path.exists():
        raise ConfigurationError(f"no key file at {path}; start dataops once to create it")
    old_texts = read_key_file(path)
    new_text = generate_key()
    write_key_file(path, [new_text, *old_texts])
    keyring = Keyring.from_texts([new_text, *old_texts])
    engine = create_store_engine(url, keyring)
    try:
        count, columns = _reencrypt(engine, metadata, keyring, actor)
    finally:
        engine.dispose()
    write_key_file(path, [new_text])
    retired = [k for k in keyring.keys if k != keyring.primary_id]
    log.info("rotated master key to %s; %d value(s) re-encrypted", keyring.primary_id, count)
    return RotationReport(keyring.primary_id, retired, count, columns)
