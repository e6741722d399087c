"""Secrets at rest: AES-256-GCM under a master keyring.

A ciphertext names the key that made it (``dok1:<key id>:<nonce+ciphertext>``), so a keyring can
hold the new key and the old ones during a rotation and nothing is ever unreadable mid-way.
The keyring comes from ``DATAOPS_MASTER_KEY`` (comma separated, primary first) or from a key file
in ``DATAOPS_HOME`` created on first use with mode 0600.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dataops.core.errors import ConfigurationError, DataOpsError

log = logging.getLogger(__name__)

_PREFIX = "dok1"
_NONCE_BYTES = 12


class DecryptionError(DataOpsError):
    """A ciphertext could not be opened: wrong key, unknown key id, or tampering."""

    code = "decryption_failed"


def generate_key() -> str:
    """A fresh 256-bit key, base64url without padding (43 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def _decode_key(text: str) -> bytes:
    text = text.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ConfigurationError("master key is not valid base64url") from exc
    if len(raw) != 32:
        raise ConfigurationError(
            f"master key must decode to 32 bytes, got {len(raw)}; "
            "make one with `dataops keys generate`"
        )
    return raw


def key_id(raw: bytes) -> str:
    """A short public fingerprint of a key (never the key itself)."""
    return hashlib.sha256(b"dataops-key-id:" + raw).hexdigest()[:12]


@dataclass(frozen=True)
class Keyring:
    """The primary key encrypts; every key in the ring can decrypt."""

    primary_id: str
    keys: dict[str, bytes] = field(repr=False)

    @classmethod
    def from_texts(cls, texts: list[str]) -> Keyring:
        raws = [_decode_key(t) for t in texts if t.strip()]
        if not raws:
            raise ConfigurationError("no master key given")
        keys = {key_id(raw): raw for raw in raws}
        return cls(primary_id=key_id(raws[0]), keys=keys)

    def encrypt(self, plaintext: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = AESGCM(self.keys[self.primary_id]).encrypt(nonce, plaintext.encode(), None)
        body = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{_PREFIX}:{self.primary_id}:{body}"

    def decrypt(self, token: str) -> str:
        kid = self.key_id_of(token)
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(
                f"value was encrypted with key {kid}, which is not in the keyring"
            )
        blob = base64.urlsafe_b64decode(token.split(":", 2)[2])
        try:
            plain = AESGCM(key).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], None)
        except InvalidTag as exc:
            raise DecryptionError(f"value under key {kid} failed authentication") from exc
        return plain.decode()

    @staticmethod
    def key_id_of(token: str) -> str:
        parts = token.split(":", 2)
        if len(parts) != 3 or parts[0] != _PREFIX:
            raise DecryptionError("value is not a dataops ciphertext")
        return parts[1]

    def mac(self, message: bytes, kid: str | None = None) -> str:
        """HMAC-SHA256 of ``message`` under a key derived from ``kid`` (default: primary)."""
        kid = kid or self.primary_id
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(f"key {kid} is not in the keyring")
        derived = hmac.new(key, b"dataops-mac-key", hashlib.sha256).digest()
        return hmac.new(derived, message, hashlib.sha256).hexdigest()


def read_key_file(path: Path) -> list[str]:
    """Keys in a key file, primary first; refuses a file others can read."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            f"key file {path} is readable by other users; run `chmod 600 {path}`"
        )
    return [line for line in path.read_text().splitlines() if line.strip()]


def write_key_file(path: Path, keys: list[str]) -> None:
    """Atomically replace the key file with ``keys`` (mode 0600, fsynced)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(keys) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def create_key_file(path: Path) -> bool:
    """Create the key file with a fresh key unless it exists. True if this call created it.

    ``O_EXCL`` makes two processes starting at once agree on one key instead of each writing
    its own (which would make the loser's secrets unreadable).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as fh:
        fh.write(generate_key() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    log.info("created master key file %s", path)
    return True


def load_keyring(master_key: str | None, key_file: Path) -> Keyring:
    """The keyring from the environment value if set, else from (a new) key file."""
    if master_key:
        return Keyring.from_texts(master_key.split(","))
    create_key_file(key_file)
    return Keyring.from_texts(read_key_file(key_file))
