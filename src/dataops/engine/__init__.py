"""Query engine: locked-down DuckDB sessions over Arrow data, and dataset profiling."""

from dataops.engine.profile import (
    ColumnProfile,
    Profile,
    TopValue,
    profile_arrow,
    profile_from_dict,
    profile_to_dict,
)
from dataops.engine.session import connect, session

__all__ = [
    "ColumnProfile",
    "Profile",
    "TopValue",
    "connect",
    "profile_arrow",
    "profile_from_dict",
    "profile_to_dict",
    "session",
]
