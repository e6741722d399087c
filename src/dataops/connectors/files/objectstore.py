"""Files under an S3 bucket prefix, through boto3 (a :class:`~.location.Location`).

Why boto3 rather than ``pyarrow.fs.S3FileSystem`` (measured on 1M rows x 8 columns via moto):
sequential formats are read with one streaming GET (CSV 1.9M rows/s, vs 0.19M rows/s with
pyarrow's default 1 MiB ranged reads and 1.3M rows/s with an 8 MiB buffer), Parquet with ranged
GETs is on par (6.6M vs 6.5M rows/s), S3 errors arrive as codes (``NoSuchBucket``,
``SignatureDoesNotMatch``) instead of C++ message text, timeouts and retries are plain botocore
settings, and there is no process-wide AWS SDK state to finalize (or to break after ``fork``).

Without an access key the client signs nothing (anonymous access): a source never falls back to
the server's own AWS identity (environment, instance profile).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)
from pydantic import SecretStr
from typing_extensions import Buffer

from dataops.connectors.base import ConnectorContext
from dataops.connectors.errors import (
    ConnectorError,
    InvalidSpecError,
    SourceAuthError,
    SourceNotFoundError,
    SourceRateLimitedError,
    SourceTimeoutError,
    SourceUnreachableError,
)
from dataops.connectors.files.location import MAX_FILES, MAX_SCANNED, FileRef
from dataops.connectors.files.patterns import (
    compile_glob,
    glob_base,
    is_glob,
    is_hidden,
    normalize_key,
)
from dataops.connectors.safety import check_endpoint

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 1
"""Tries per S3 call. One, so a silent endpoint fails within ``timeout_seconds``; errors are typed
transient or terminal and the caller (the pipeline runner) decides about retrying."""
RANGE_BLOCK = 1 << 20
"""Smallest ranged GET of a seekable object (Parquet footers are read in small pieces)."""

_AUTH_CODES = {
    "AccessDenied": "access denied: the credentials may not read it",
    "AllAccessDisabled": "all access to it is disabled",
    "InvalidAccessKeyId": "the access key id is not known",
    "SignatureDoesNotMatch": "the secret access key does not match the access key id",
    "InvalidToken": "the session token is invalid",
    "ExpiredToken": "the session token has expired",
    "TokenRefreshRequired": "the session token has expired",
    "InvalidClientTokenId": "the access key id is not known",
    "AuthorizationHeaderMalformed": "the credentials or region are malformed",
    "403": "access denied",
    "Forbidden": "access denied",
}
_NOT_FOUND_CODES = {"NoSuchBucket", "NoSuchKey", "404", "NotFound"}
_THROTTLE_CODES = {"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "429"}


@dataclass(frozen=True)
class S3Access:
    """Where and as whom to read. Secrets stay ``SecretStr`` until the client is built."""

    bucket: str
    prefix: str = ""
    region: str = "us-east-1"
    endpoint_url: str | None = None
    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None
    session_token: SecretStr | None = None

    @property
    def root(self) -> str:
        """The prefix as a folder: '' or 'a/b/'."""
        prefix = self.prefix.strip("/")
        return f"{prefix}/" if prefix else ""


class S3Location:
    def __init__(self, access: S3Access, context: ConnectorContext) -> None:
        self.access = access
        self.context = context
        self._client: Any = None

    @property
    def endpoint(self) -> str:
        return self.access.endpoint_url or f"https://s3.{self.access.region}.amazonaws.com"

    def describe(self, key: str = "") -> str:
        return f"s3://{self.access.bucket}/{self.access.root}{key}"

    @property
    def client(self) -> Any:
        """The boto3 S3 client, built on first use (the endpoint is checked first)."""
        if self._client is None:
            access = self.access
            if access.endpoint_url:
                check_endpoint(
                    access.endpoint_url,
                    allow_private=self.context.allow_private_endpoints,
                    field="endpoint_url",
                )
            _scrub_sdk_logs()
            anonymous = not access.access_key_id
            config = Config(
                connect_timeout=self.context.timeout_seconds,
                read_timeout=self.context.timeout_seconds,
                retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"},
                signature_version=UNSIGNED if anonymous else None,
                s3={"addressing_style": "path"} if access.endpoint_url else None,
                user_agent_extra="dataops",
            )
            session = boto3.session.Session(
                aws_access_key_id=None if anonymous else access.access_key_id,
                aws_secret_access_key=_reveal(access.secret_access_key),
                aws_session_token=_reveal(access.session_token),
                region_name=access.region,
            )
            self._client = session.client("s3", endpoint_url=access.endpoint_url, config=config)
        return self._client

    def probe(self) -> str:
        reply = self._call("list_objects_v2", None, Prefix=self.access.root, MaxKeys=1)
        found = "objects" if reply.get("KeyCount", 0) else "no objects yet"
        return (
            f"bucket '{self.access.bucket}' is readable at {self.endpoint} "
            f"({found} under '{self.access.root}')"
        )

    def list_files(self, pattern: str) -> list[FileRef]:
        key = normalize_key(pattern)
        if not key:
            raise InvalidSpecError("give a file path or a glob below the prefix", field="spec.path")
        if not is_glob(key):
            full = self.access.root + key
            reply = self._call("list_objects_v2", key, Prefix=full, MaxKeys=1)
            contents = reply.get("Contents") or []
            if not contents or contents[0]["Key"] != full:
                raise SourceNotFoundError(f"object '{self.describe(key)}' does not exist")
            return [FileRef(key, int(contents[0]["Size"]))]
        base = glob_base(key)
        regex = compile_glob(key)
        found: list[FileRef] = []
        for ref in self._list(base + "/" if base else ""):
            if is_hidden(ref.key[len(base) :]) or not regex.fullmatch(ref.key):
                continue
            found.append(ref)
            if len(found) > MAX_FILES:
                raise InvalidSpecError(
                    f"{pattern!r} matches more than {MAX_FILES} objects; narrow the glob",
                    field="spec.path",
                )
        if not found:
            raise SourceNotFoundError(f"no objects match {pattern!r} under {self.describe()}")
        return found

    def walk(self, extensions: tuple[str, ...]) -> list[FileRef]:
        found: list[FileRef] = []
        for ref in self._list(""):
            if not is_hidden(ref.key) and ref.key.lower().endswith(extensions):
                found.append(ref)
                if len(found) >= MAX_FILES:
                    log.warning(
                        "discover stopped at %d objects under %s", MAX_FILES, self.describe()
                    )
                    break
        return found

    def open_stream(self, ref: FileRef) -> BinaryIO:
        reply = self._call("get_object", ref.key, Key=self.access.root + ref.key)
        log.info("S3 GET %s (%s bytes)", self.describe(ref.key), reply.get("ContentLength"))
        return cast("BinaryIO", _ObjectStream(reply["Body"], self, ref.key))

    def open_seekable(self, ref: FileRef) -> BinaryIO:
        size = ref.size
        if size is None:
            size = int(
                self._call("head_object", ref.key, Key=self.access.root + ref.key)["ContentLength"]
            )
        return cast("BinaryIO", _RangedObject(self, ref.key, size))

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes ``start``..``end`` (inclusive) of the object ``key``."""
        reply = self._call(
            "get_object", key, Key=self.access.root + key, Range=f"bytes={start}-{end}"
        )
        body = reply["Body"]
        try:
            return bytes(body.read())
        except BotoCoreError as exc:
            raise self.translate(exc, key) from exc
        finally:
            body.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # --- calls and their errors ---------------------------------------------------------------

    def _list(self, below: str) -> Iterator[FileRef]:
        """Every object under the prefix + ``below`` (keys relative to the prefix), page by page;
        refuses to scan more than :data:`MAX_SCANNED` objects."""
        root = self.access.root
        token: str | None = None
        scanned = 0
        while True:
            extra = {"ContinuationToken": token} if token else {}
            reply = self._call("list_objects_v2", None, Prefix=root + below, **extra)
            items = reply.get("Contents") or []
            scanned += len(items)
            log.info("S3 LIST %s%s: %d objects", self.describe(), below, len(items))
            for item in items:
                key = str(item["Key"])[len(root) :]
                if key and not key.endswith("/"):
                    yield FileRef(key, int(item["Size"]))
            if not reply.get("IsTruncated"):
                return
            if scanned >= MAX_SCANNED:
                raise InvalidSpecError(
                    f"more than {MAX_SCANNED} objects under {self.describe(below)}; give a "
                    "narrower folder",
                    field="spec.path",
                )
            token = reply.get("NextContinuationToken")

    def _call(self, operation: str, key: str | None, **params: Any) -> Any:
        try:
            return getattr(self.client, operation)(Bucket=self.access.bucket, **params)
        except (BotoCoreError, ClientError) as exc:
            raise self.translate(exc, key) from exc

    def translate(self, exc: Exception, key: str | None) -> ConnectorError:
        """A connector error naming the cause; never the credentials."""
        bucket = f"bucket '{self.access.bucket}'"
        what = f"object '{self.describe(key)}'" if key is not None else bucket
        timeout = self.context.timeout_seconds
        if isinstance(exc, ConnectTimeoutError | ReadTimeoutError):
            return SourceTimeoutError(
                f"S3 endpoint {self.endpoint} did not answer within {timeout:g} s (timed out)"
            )
        if isinstance(exc, EndpointConnectionError):
            return SourceUnreachableError(f"cannot connect to the S3 endpoint {self.endpoint}")
        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            return SourceAuthError(f"incomplete S3 credentials for {bucket}")
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            if code in _AUTH_CODES or status == 403:
                reason = _AUTH_CODES.get(code, "access denied")
                return SourceAuthError(f"S3 refused access to {what}: {reason} ({code or status})")
            if code == "NoSuchBucket":
                return SourceNotFoundError(f"{bucket} does not exist at {self.endpoint}")
            if code in _NOT_FOUND_CODES or status == 404:
                return SourceNotFoundError(f"{what} does not exist")
            if code in _THROTTLE_CODES or status in (429, 503):
                return SourceRateLimitedError(
                    f"S3 is throttling reads of {what} ({code or status})"
                )
            if status >= 500:
                return SourceUnreachableError(
                    f"S3 endpoint {self.endpoint} failed ({code or status})"
                )
            return ConnectorError(
                f"S3 refused the request for {what}: {code} {error.get('Message', '')}".strip()
            )
        return SourceUnreachableError(
            f"S3 endpoint {self.endpoint}: {type(exc).__name__} while reading {what}"
        )


class _TokenScrubber(logging.Filter):
    """Blanks session tokens in botocore's DEBUG lines (it logs request headers verbatim; the
    secret key itself is never logged, only signatures made with it)."""

    _TOKEN = re.compile(r"(?i)(x-amz-security-token['\"]?\s*[:=]\s*b?['\"]?)[^\s'\",}]+")

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "ecurity-token" in text or "ECURITY-TOKEN" in text:
            record.msg, record.args = self._TOKEN.sub(r"\1***", text), None
        return True


_SCRUBBER = _TokenScrubber()


def _scrub_sdk_logs() -> None:
    for name in ("botocore.auth", "botocore.endpoint"):
        logger = logging.getLogger(name)
        if _SCRUBBER not in logger.filters:
            logger.addFilter(_SCRUBBER)


def _reveal(secret: SecretStr | None) -> str | None:
    return secret.get_secret_value() if secret is not None else None


class _ObjectStream(io.RawIOBase):
    """The body of one GET, read as it arrives; errors mid-stream become connector errors."""

    def __init__(self, body: Any, location: S3Location, key: str) -> None:
        super().__init__()
        self._body = body
        self._location = location
        self._key = key

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._body.read(len(view))
        except (BotoCoreError, OSError) as exc:
            raise self._location.translate(exc, self._key) from exc
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class _RangedObject(io.RawIOBase):
    """A seekable view of one object: ranged GETs of at least :data:`RANGE_BLOCK` bytes."""

    def __init__(self, location: S3Location, key: str, size: int) -> None:
        super().__init__()
        self._location = location
        self._key = key
        self._size = size
        self._pos = 0
        self._block_start = 0
        self._block = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer).cast("B")
        want = min(len(view), self._size - self._pos)
        if want <= 0:
            return 0
        offset = self._pos - self._block_start
        if offset < 0 or offset + want > len(self._block):
            length = max(want, RANGE_BLOCK)
            end = min(self._pos + length, self._size) - 1
            self._block = self._location.read_range(self._key, self._pos, end)
            self._block_start, offset = self._pos, 0
            want = min(want, len(self._block))
        view[:want] = self._block[offset : offset + want]
        self._pos += want
        return want
