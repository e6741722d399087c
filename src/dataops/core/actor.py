"""Who is doing something: every change and every read is attributed to an actor."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The user (or system process) behind an action, and where it came from."""

    id: str | None
    name: str
    ip: str | None = None

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(id=None, name=name)

    @classmethod
    def cli(cls) -> Actor:
        """The operating-system user running a local `dataops` command."""
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        return cls(id=None, name=f"cli:{who}")
