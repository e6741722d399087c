"""Keep secrets out of log lines and error messages.

Every message the REST connector logs or raises passes through a :class:`Redactor`: it masks URL
credentials and the values of secret query parameters in every URL it finds, and any known secret
value wherever it appears (an API may echo a key back in a next-page link or an error body).

>>> redactor = Redactor(secret_params={"api_key"})
>>> redactor.add("s3cr3t")
>>> redactor.url("https://api.example.com/items?api_key=s3cr3t&page=2")
'https://api.example.com/items?api_key=***&page=2'
>>> redactor.text("refused 'https://u:pw@example.com/x?token=abc'; bad key s3cr3t")
"refused 'https://***@example.com/x?token=***'; bad key ***"
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"

# Query parameters masked whatever the auth config says: common names for credentials.
_ALWAYS_SECRET_PARAMS = frozenset(
    {
        "access_token",
        "api_key",
        "apikey",
        "api-key",
        "client_secret",
        "key",
        "password",
        "secret",
        "sig",
        "signature",
        "token",
    }
)
_MIN_SECRET_LENGTH = 4  # masking shorter values would garble ordinary text
_URL = re.compile(r"""https?://[^\s'"<>]+""", re.IGNORECASE)


class Redactor:
    """Masks secrets in URLs and free text. Thread-safe; secrets can be added later (tokens)."""

    def __init__(self, secrets: Iterable[str] = (), secret_params: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._params = _ALWAYS_SECRET_PARAMS | {p.lower() for p in secret_params}
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        """Mask ``secret`` wherever it appears."""
        if len(secret) >= _MIN_SECRET_LENGTH:
            with self._lock:
                self._secrets.add(secret)

    def add_param(self, name: str) -> None:
        """Mask the value of query parameter ``name`` in every URL."""
        with self._lock:
            self._params = self._params | {name.lower()}

    def text(self, message: str) -> str:
        """``message`` with every URL in it masked and every known secret replaced."""
        message = _URL.sub(lambda match: self._mask_url(match.group(0)), message)
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            message = message.replace(secret, MASK)
        return message

    def url(self, url: str) -> str:
        """``url`` with credentials, secret query parameters and known secrets masked."""
        return self.text(self._mask_url(url))

    def _mask_url(self, url: str) -> str:
        try:
            parts = urlsplit(url)
            netloc = parts.netloc
            if "@" in netloc:
                netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
            with self._lock:
                params = self._params
            query = urlencode(
                [
                    (name, MASK if name.lower() in params else value)
                    for name, value in parse_qsl(parts.query, keep_blank_values=True)
                ],
                safe="*/:",
            )
            return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
        except ValueError:
            return "<unparsable URL>"
