"""Guards every connector applies before touching the outside world.

- :func:`check_endpoint`: REST and S3 endpoints on private, loopback or link-local addresses are
  refused unless the admin allows them; the cloud instance-metadata address is always refused.
  Every address the name resolves to is checked (a public name pointing inside is refused).
- :func:`confine_path`: file paths must stay inside the configured roots (no ``..``, no symlink
  escapes).
- :func:`validate_read_only_sql`: exactly one read-only statement (parsed with sqlglot).
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from urllib.parse import urlsplit

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from dataops.connectors.errors import EndpointRefusedError, InvalidSpecError, SourceUnreachableError

_ALWAYS_REFUSED = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def check_endpoint(url: str, *, allow_private: bool, field: str = "endpoint") -> None:
    """Refuse ``url`` if it (or any address its host resolves to) is internal and not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # Quote only scheme and host: a URL's query string may carry a credential.
        shown = f"{parts.scheme}://{parts.hostname or ''}" if parts.scheme else "no scheme"
        raise InvalidSpecError(
            f"{field} must be an http(s) URL with a host, got {shown}", field=field
        )
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise SourceUnreachableError(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address in _ALWAYS_REFUSED or (
            isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped in _ALWAYS_REFUSED
        ):
            raise EndpointRefusedError(
                f"{field} {host!r} resolves to the instance-metadata address {address}; refused"
            )
        if _is_internal(address) and not allow_private:
            raise EndpointRefusedError(
                f"{field} {host!r} resolves to the internal address {address}; an admin must "
                "allow private endpoints (DATAOPS_SOURCES__ALLOW_PRIVATE_ENDPOINTS=true)"
            )


def confine_path(path: str | Path, roots: tuple[Path, ...], *, field: str = "path") -> Path:
    """The real path of ``path`` if it lies inside one of ``roots``; refuses escapes."""
    if not roots:
        raise EndpointRefusedError(
            "no file roots are configured; an admin must set DATAOPS_SOURCES__FILE_ROOTS"
        )
    candidate = Path(path)
    resolved_roots = [root.resolve() for root in roots]
    if not candidate.is_absolute():
        candidate = resolved_roots[0] / candidate
    real = candidate.resolve()
    for root in resolved_roots:
        if real == root or real.is_relative_to(root):
            return real
    raise EndpointRefusedError(
        f"{field} {str(path)!r} is outside the allowed file roots "
        f"({', '.join(str(r) for r in resolved_roots)})"
    )


_READ_ONLY_ROOTS = (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery, exp.Values)
# Functions with side effects a read-only transaction does not stop (signals, files, sessions).
_FORBIDDEN_FUNCTIONS = frozenset(
    {
        "pg_terminate_backend",
        "pg_cancel_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_read_file",
        "pg_read_binary_file",
        "pg_ls_dir",
        "pg_stat_file",
        "lo_import",
        "lo_export",
        "lo_unlink",
        "set_config",
        "dblink",
        "dblink_exec",
        "pg_advisory_lock",
        "pg_notify",
        "load_extension",
        "load_file",
        "sys_exec",
        "sys_eval",
        "readfile",
        "writefile",
        "edit",
    }
)
_FORBIDDEN = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Command,
    exp.Into,
    exp.Copy,
    exp.Set,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Grant,
    exp.TruncateTable,
    exp.LoadData,
    exp.Lock,
)


def validate_read_only_sql(
    sql: str, dialect: str, *, field: str = "body.spec.sql"
) -> exp.Expression:
    """Parse ``sql`` and accept exactly one SELECT-like statement that writes nothing."""
    try:
        statements = [
            s
            for s in sqlglot.parse(sql, read=dialect)
            if s is not None and not isinstance(s, exp.Semicolon)  # a trailing comment
        ]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        where = f" (line {first.get('line')}, column {first.get('col')})" if first else ""
        raise InvalidSpecError(
            f"SQL does not parse{where}: {first.get('description', exc)}", field=field
        ) from exc
    if len(statements) != 1:
        raise InvalidSpecError(
            f"give exactly one SQL statement, got {len(statements)}", field=field
        )
    statement = statements[0]
    if not isinstance(statement, _READ_ONLY_ROOTS):
        raise InvalidSpecError(
            f"only read-only queries (SELECT ...) are allowed; this statement begins "
            f"{sql.split()[0][:20]!r}",
            field=field,
        )
    for node in statement.walk():
        if isinstance(node, _FORBIDDEN):
            raise InvalidSpecError(
                f"only read-only queries are allowed; found {node.key.upper()}", field=field
            )
        if isinstance(node, exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()
            if name in _FORBIDDEN_FUNCTIONS:
                raise InvalidSpecError(
                    f"function {name}() is not allowed in a preview or extraction query",
                    field=field,
                )
        if isinstance(node, exp.Lock) or (isinstance(node, exp.Select) and node.args.get("locks")):
            raise InvalidSpecError("row locks (FOR UPDATE/SHARE) are not allowed", field=field)
    return statement
