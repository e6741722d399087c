"""Where files live: a local folder confined to the allowed roots, or an S3 prefix.

A :class:`Location` lists files (a path or a glob, see :mod:`.patterns`) and opens them either as a
sequential stream (CSV, JSON) or as a seekable file (Parquet footers, Excel zips). The format
readers only ever see a :class:`SourceFile`, so each format has one code path for every location.
Locations raise :mod:`dataops.connectors.errors` errors, never ``OSError``.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from typing_extensions import Buffer

from dataops.connectors.base import ReadStats
from dataops.connectors.errors import (
    EndpointRefusedError,
    InvalidSpecError,
    SourceAuthError,
    SourceNotFoundError,
)
from dataops.connectors.files.patterns import (
    compile_glob,
    glob_base,
    is_glob,
    is_hidden,
    normalize_key,
)
from dataops.connectors.safety import confine_path

log = logging.getLogger(__name__)

MAX_FILES = 10_000
"""Most files one glob (or one discover) may return; more is almost always a mistake."""
MAX_SCANNED = 200_000
"""Most files looked at to answer one glob or discover (folders that big need a narrower glob)."""


@dataclass(frozen=True)
class FileRef:
    """One file of a location: its key (relative, slash-separated) and size when known."""

    key: str
    size: int | None = None


class Location(Protocol):
    def describe(self, key: str = "") -> str:
        """A human name for ``key`` (or the location itself) in messages and logs."""
        ...

    def probe(self) -> str:
        """Check the location is there and readable; return what was found (or raise)."""
        ...

    def list_files(self, pattern: str) -> list[FileRef]:
        """The files ``pattern`` (a path or a glob) names, sorted; raises if there are none."""
        ...

    def walk(self, extensions: tuple[str, ...]) -> list[FileRef]:
        """Every non-hidden file with one of ``extensions``, at most :data:`MAX_FILES`."""
        ...

    def open_stream(self, ref: FileRef) -> BinaryIO: ...

    def open_seekable(self, ref: FileRef) -> BinaryIO: ...

    def close(self) -> None: ...


class CountingReader(io.RawIOBase):
    """Counts the bytes read through it into ``stats.bytes`` (progress reporting)."""

    def __init__(self, raw: BinaryIO, stats: ReadStats | None) -> None:
        super().__init__()
        self._raw = raw
        self._stats = stats

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._raw.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._raw.read(len(view))
        size = len(data)
        view[:size] = data
        if self._stats is not None:
            self._stats.bytes += size
        return size

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


@dataclass(frozen=True)
class SourceFile:
    """What a format reader gets: one file it may open (several times) and a name for messages."""

    location: Location
    ref: FileRef
    stats: ReadStats | None = None

    @property
    def name(self) -> str:
        return self.location.describe(self.ref.key)

    def open_stream(self) -> BinaryIO:
        return _as_binary(CountingReader(self.location.open_stream(self.ref), self.stats))

    def open_seekable(self) -> BinaryIO:
        return _as_binary(CountingReader(self.location.open_seekable(self.ref), self.stats))


def _as_binary(reader: io.RawIOBase) -> BinaryIO:
    return cast("BinaryIO", reader)


class LocalLocation:
    """A folder (``root``) inside the allowed roots; every path and match is confined to it."""

    def __init__(self, root: str, allowed_roots: tuple[Path, ...]) -> None:
        self._root_setting = root
        self._allowed = allowed_roots
        self._root: Path | None = None

    @property
    def root(self) -> Path:
        """The real root folder (resolved once; refuses a root outside the allowed roots)."""
        if self._root is None:
            self._root = confine_path(self._root_setting, self._allowed, field="root")
        return self._root

    def describe(self, key: str = "") -> str:
        base = self._root if self._root is not None else Path(self._root_setting)
        return str(base / key) if key else str(base)

    def probe(self) -> str:
        root = self.root
        if not root.exists():
            raise SourceNotFoundError(f"folder '{root}' does not exist")
        if not root.is_dir():
            raise SourceNotFoundError(f"'{root}' is not a folder")
        try:
            with os.scandir(root) as entries:
                count = sum(1 for _ in entries)
        except PermissionError as exc:
            raise SourceAuthError(f"folder '{root}' is not readable (permission denied)") from exc
        return f"folder '{root}' is readable ({count} entries)"

    def list_files(self, pattern: str) -> list[FileRef]:
        key = self._relative_key(pattern)
        if not is_glob(key):
            return [self._single_file(key)]
        base = glob_base(key)
        base_dir = self._confine(base)
        if not base_dir.is_dir():
            raise SourceNotFoundError(
                f"no files match {pattern!r}: folder '{base_dir}' does not exist"
            )
        regex = compile_glob(key)
        found: list[FileRef] = []
        for rel_key, path in _walk_files(base_dir, base):
            if is_hidden(rel_key.removeprefix(base)) or not regex.fullmatch(rel_key):
                continue
            self._confine(rel_key)  # a symlink pointing out of the root is refused, not skipped
            found.append(FileRef(rel_key, _size(path)))
            if len(found) > MAX_FILES:
                raise InvalidSpecError(
                    f"{pattern!r} matches more than {MAX_FILES} files; narrow the glob",
                    field="spec.path",
                )
        if not found:
            raise SourceNotFoundError(f"no files match {pattern!r} in '{self.root}'")
        return sorted(found, key=lambda ref: ref.key)

    def walk(self, extensions: tuple[str, ...]) -> list[FileRef]:
        root = self.root
        if not root.is_dir():
            raise SourceNotFoundError(f"folder '{root}' does not exist")
        found: list[FileRef] = []
        for rel_key, path in _walk_files(root, ""):
            if is_hidden(rel_key) or not rel_key.lower().endswith(extensions):
                continue
            try:
                self._confine(rel_key)
            except EndpointRefusedError:
                log.warning("skipping %s: it links outside the root", rel_key)
                continue
            found.append(FileRef(rel_key, _size(path)))
            if len(found) >= MAX_FILES:
                log.warning("discover stopped at %d files under %s", MAX_FILES, root)
                break
        return sorted(found, key=lambda ref: ref.key)

    def open_stream(self, ref: FileRef) -> BinaryIO:
        path = self._confine(ref.key)
        try:
            return path.open("rb")
        except FileNotFoundError as exc:
            raise SourceNotFoundError(f"file '{path}' does not exist") from exc
        except PermissionError as exc:
            raise SourceAuthError(f"file '{path}' is not readable (permission denied)") from exc
        except IsADirectoryError as exc:
            raise InvalidSpecError(f"'{path}' is a folder, not a file", field="spec.path") from exc

    def open_seekable(self, ref: FileRef) -> BinaryIO:
        return self.open_stream(ref)

    def close(self) -> None:
        """Nothing to release: files are closed by their readers."""

    def _relative_key(self, path: str) -> str:
        candidate = Path(path)
        if candidate.is_absolute():
            # An absolute path is accepted only inside the root (checked lexically, then for real).
            try:
                path = candidate.relative_to(self.root).as_posix()
            except ValueError as exc:
                raise EndpointRefusedError(
                    f"path {path!r} is outside the source's folder '{self.root}'"
                ) from exc
        return normalize_key(path)

    def _confine(self, key: str) -> Path:
        return confine_path(self.root / key, (self.root,), field="spec.path")

    def _single_file(self, key: str) -> FileRef:
        path = self._confine(key)
        if not self.root.is_dir():
            raise SourceNotFoundError(f"folder '{self.root}' does not exist")
        if path.is_dir():
            raise InvalidSpecError(
                f"'{key}' is a folder; name a file or a glob such as '{key}/*'", field="spec.path"
            )
        if not path.is_file():
            raise SourceNotFoundError(f"file '{key}' does not exist in '{self.root}'")
        return FileRef(key, _size(path))


def _walk_files(folder: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    """(key, path) of every file below ``folder``; symlinked folders are not descended."""
    scanned = 0
    for current, dirs, files in os.walk(folder):
        scanned += len(files)
        if scanned > MAX_SCANNED:
            raise InvalidSpecError(
                f"more than {MAX_SCANNED} files under '{folder}'; give a narrower folder",
                field="spec.path",
            )
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = Path(current).relative_to(folder).as_posix()
        rel_prefix = "/".join(p for p in (prefix, "" if rel == "." else rel) if p)
        for name in sorted(files):
            key = f"{rel_prefix}/{name}" if rel_prefix else name
            yield key, Path(current) / name


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
