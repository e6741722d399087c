"""Amazon S3 and S3-compatible stores (MinIO, Ceph, R2...): files of one format under a prefix.

The formats are the local ones (:mod:`dataops.connectors.files`), read over
:class:`~dataops.connectors.files.objectstore.S3Location`; a custom ``endpoint_url`` is checked
with :func:`~dataops.connectors.safety.check_endpoint` before any request.
"""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import Field, SecretStr, model_validator

from dataops.connectors.base import Category, ConnectorSettings
from dataops.connectors.files.connector import FileConnector
from dataops.connectors.files.csv import CsvFormat, CsvOptions
from dataops.connectors.files.excel import ExcelFormat
from dataops.connectors.files.jsonfile import JsonFormat, JsonOptions
from dataops.connectors.files.location import Location
from dataops.connectors.files.objectstore import S3Access, S3Location
from dataops.connectors.files.parquet import ParquetFormat
from dataops.connectors.files.stream import FileFormat

FileFormatName = Literal["csv", "json", "jsonl", "parquet", "excel"]


class S3Settings(ConnectorSettings):
    """A bucket prefix holding files of one format."""

    bucket: str = Field(
        min_length=3,
        max_length=255,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$",
        description="Bucket name.",
    )
    prefix: str = Field(
        default="", max_length=1024, description="Folder in the bucket; read paths are below it."
    )
    region: str = Field(
        default="us-east-1", pattern=r"^[a-z0-9\-]{2,40}$", description="Bucket region."
    )
    endpoint_url: str | None = Field(
        default=None,
        max_length=2048,
        description="S3-compatible endpoint (http(s)://host:port); empty for AWS. Private "
        "addresses need DATAOPS_SOURCES__ALLOW_PRIVATE_ENDPOINTS.",
    )
    access_key_id: str | None = Field(
        default=None, max_length=256, description="Access key id; empty for anonymous access."
    )
    secret_access_key: SecretStr | None = Field(default=None, description="Secret access key.")
    session_token: SecretStr | None = Field(
        default=None, description="Session token of temporary credentials (optional)."
    )
    format: FileFormatName = Field(description="Format of the files read.")
    csv_options: CsvOptions = Field(default_factory=CsvOptions, description="CSV format options.")
    json_options: JsonOptions = Field(
        default_factory=JsonOptions, description="JSON format options ('json' format)."
    )

    @model_validator(mode="after")
    def _key_pair(self) -> Self:
        if bool(self.access_key_id) != bool(self.secret_access_key):
            raise ValueError("give both access_key_id and secret_access_key, or neither")
        return self


class S3Connector(FileConnector[S3Settings]):
    """Files of one format under an S3 bucket prefix."""

    type_name: ClassVar[str] = "s3"
    title: ClassVar[str] = "Amazon S3 / S3-compatible"
    category: ClassVar[Category] = Category.OBJECT_STORE
    settings_model: ClassVar[type[ConnectorSettings]] = S3Settings

    def _make_location(self) -> Location:
        s = self.settings
        access = S3Access(
            bucket=s.bucket,
            prefix=s.prefix,
            region=s.region,
            endpoint_url=s.endpoint_url or None,
            access_key_id=s.access_key_id or None,
            secret_access_key=s.secret_access_key,
            session_token=s.session_token,
        )
        return S3Location(access, self.context)

    def _make_format(self) -> FileFormat:
        s = self.settings
        if s.format == "csv":
            return CsvFormat(s.csv_options)
        if s.format == "jsonl":
            return JsonFormat(JsonOptions(layout="lines"))
        if s.format == "json":
            return JsonFormat(s.json_options)
        if s.format == "parquet":
            return ParquetFormat()
        return ExcelFormat()
