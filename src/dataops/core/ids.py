"""Identifiers: time-ordered, URL-safe, unguessable."""

from __future__ import annotations

import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_id() -> str:
    """A 26-character ULID-style id: 48 bits of milliseconds, then 80 random bits.

    >>> len(new_id())
    26
    >>> new_id() != new_id()
    True
    """
    millis = time.time_ns() // 1_000_000
    return _encode(millis, 10) + _encode(secrets.randbits(80), 16)
