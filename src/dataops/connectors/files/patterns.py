"""Glob patterns over slash-separated keys, one meaning for local folders and S3 prefixes.

``*`` and ``?`` stay inside one path segment, ``[abc]``/``[!abc]`` are character classes and a
whole segment ``**`` spans any number of folders (zero included). Hidden files (a segment starting
with ``.``) never match a glob, like in a shell.

>>> rx = compile_glob("data/2024/*.csv")
>>> bool(rx.fullmatch("data/2024/jan.csv")), bool(rx.fullmatch("data/2024/q1/jan.csv"))
(True, False)
>>> bool(compile_glob("data/**/*.csv").fullmatch("data/2024/q1/jan.csv"))
True
>>> glob_base("data/2024/*.csv"), glob_base("*.csv"), glob_base("x/**/y?.json")
('data/2024', '', 'x')
"""

from __future__ import annotations

import posixpath
import re

from dataops.connectors.errors import EndpointRefusedError, InvalidSpecError

_MAGIC = re.compile(r"[*?\[]")


def is_glob(pattern: str) -> bool:
    """Whether ``pattern`` has glob characters.

    >>> is_glob("a/*.csv"), is_glob("a/b.csv")
    (True, False)
    """
    return _MAGIC.search(pattern) is not None


def normalize_key(path: str, *, field: str = "spec.path") -> str:
    """``path`` as a relative, normalized, slash-separated key; refuses climbing out with ``..``.

    >>> normalize_key("./data//2024/x.csv"), normalize_key("/x.csv")
    ('data/2024/x.csv', 'x.csv')
    >>> normalize_key("../etc/passwd")
    Traceback (most recent call last):
    ...
    dataops.connectors.errors.EndpointRefusedError: path '../etc/passwd' leaves the source's folder
    """
    text = path.replace("\\", "/")
    if "://" in text:
        raise InvalidSpecError(
            f"path {path!r} must be relative to the source (no scheme or bucket)", field=field
        )
    normalized = posixpath.normpath(text).lstrip("/")  # below the source's root, whatever
    if normalized == ".." or normalized.startswith("../") or "/../" in normalized:
        raise EndpointRefusedError(f"path {path!r} leaves the source's folder")
    return "" if normalized == "." else normalized


def glob_base(pattern: str) -> str:
    """The leading folders of ``pattern`` that hold no glob character (where to start looking)."""
    segments = pattern.split("/")
    literal: list[str] = []
    for segment in segments[:-1]:
        if is_glob(segment):
            break
        literal.append(segment)
    return "/".join(literal)


def compile_glob(pattern: str) -> re.Pattern[str]:
    """A regex matching whole keys against ``pattern`` (see the module docstring)."""
    parts: list[str] = []
    segments = pattern.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            parts.append(r"(?:[^/.][^/]*/)*" if not last else r"(?:[^/.][^/]*/)*[^/.][^/]*")
            continue
        parts.append(_translate_segment(segment) + ("" if last else "/"))
    return re.compile("".join(parts))


def _translate_segment(segment: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            # Hidden names never match a wildcard at the start of a segment.
            out.append("(?!\\.)[^/]*" if i == 0 else "[^/]*")
        elif char == "?":
            out.append("(?!\\.)[^/]" if i == 0 else "[^/]")
        elif char == "[":
            end = segment.find("]", i + 2)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = segment[i + 1 : end]
                negate = body.startswith("!")
                body = body[1:] if negate else body
                out.append("[" + ("^/" if negate else "") + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def is_hidden(key: str) -> bool:
    """Whether any segment of ``key`` starts with a dot.

    >>> is_hidden("data/.tmp/x.csv"), is_hidden("data/x.csv")
    (True, False)
    """
    return any(segment.startswith(".") for segment in key.split("/"))
