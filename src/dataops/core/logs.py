"""Logging setup with a filter that keeps credentials out of every log line."""

from __future__ import annotations

import logging
import re

_PATTERNS = (
    (re.compile(r"dop_[A-Za-z0-9_\-]{8,}"), "dop_***"),
    (re.compile(r"dok1:[0-9a-f]{12}:[A-Za-z0-9_\-=]+"), "dok1:***"),
    (re.compile(r"(://[^:/\s]+:)[^@\s]+@"), r"\1***@"),
    (
        re.compile(r"(?i)((?:password|secret|token|api[_-]?key)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"),
        r"\1***",
    ),
)


def redact(text: str) -> str:
    """Mask credentials that a message might carry.

    >>> redact("postgresql://app:hunter2@db/x password=abc")
    'postgresql://app:***@db/x password=***'
    """
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(level: str = "INFO") -> None:
    """Root logging to stderr with redaction on every handler."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    if not any(getattr(h, "_dataops", False) for h in root.handlers):
        stream = logging.StreamHandler()
        stream._dataops = True  # type: ignore[attr-defined]
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    # Migration chatter is noise at start-up; dataops logs its own one-line summary.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # HTTP client internals log headers (Set-Cookie, echoed keys) at DEBUG: never let them through.
    for noisy in ("httpx", "httpcore", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
