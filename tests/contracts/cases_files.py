"""Contract cases of the file connectors: real files in temporary roots, a real S3 emulator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from dataops.connectors.base import ConnectorContext, FileSpec
from tests.contracts.case import ConnectorCase
from tests.fixtures.moto import MotoServer
from tests.fixtures.ports import free_port

ROWS = 300
COLUMNS = ["id", "customer", "amount", "ordered_on", "paid"]


def orders_table(rows: int = ROWS, start: int = 0) -> pa.Table:
    """``rows`` orders with an int, a string, a float, a date and a boolean column."""
    ids = range(start, start + rows)
    return pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "customer": [f"customer-{i % 17}" for i in ids],
            "amount": [round(i * 1.25 + 0.5, 2) for i in ids],
            "ordered_on": [dt.date(2024, 1, 1) + dt.timedelta(days=i % 365) for i in ids],
            "paid": [i % 3 == 0 for i in ids],
        }
    )


def write_csv(path: Path, table: pa.Table) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, path)
    return path


def write_xlsx(path: Path, sheets: dict[str, pa.Table]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(table.column_names)
        for row in table.to_pylist():
            sheet.append(list(row.values()))
    workbook.save(path)
    return path


def write_jsonl(path: Path, table: pa.Table) -> Path:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        for row in table.to_pylist():
            out.write(json.dumps(row, default=str) + "\n")
    return path


def local_context(root: Path) -> ConnectorContext:
    return ConnectorContext(allowed_roots=(root,), timeout_seconds=5.0)


def _local_case(
    type_name: str, root: Path, key: str, spec: FileSpec, object_name: str
) -> ConnectorCase:
    return ConnectorCase(
        type_name=type_name,
        settings={"root": "sales"},
        spec=spec,
        expected_rows=ROWS,
        expected_columns=COLUMNS,
        object_name=object_name,
        bad_credentials=None,
        unreachable={"root": "sales/missing-folder"},
        silent=None,
        context=local_context(root),
    )


@pytest.fixture
def csv_case(tmp_path: Path) -> ConnectorCase:
    write_csv(tmp_path / "sales" / "2024" / "orders.csv", orders_table())
    spec = FileSpec(path="2024/orders.csv")
    return _local_case("csv", tmp_path, "2024/orders.csv", spec, "2024/orders.csv")


@pytest.fixture
def excel_case(tmp_path: Path) -> ConnectorCase:
    notes = pa.table({"note": ["not the sheet read"]})
    write_xlsx(tmp_path / "sales" / "book.xlsx", {"notes": notes, "orders": orders_table()})
    spec = FileSpec(path="book.xlsx", sheet="orders")
    return _local_case("excel", tmp_path, "book.xlsx", spec, "book.xlsx#orders")


@pytest.fixture
def json_case(tmp_path: Path) -> ConnectorCase:
    write_jsonl(tmp_path / "sales" / "orders.jsonl", orders_table())
    return _local_case(
        "json", tmp_path, "orders.jsonl", FileSpec(path="orders.jsonl"), "orders.jsonl"
    )


@pytest.fixture
def parquet_case(tmp_path: Path) -> ConnectorCase:
    (tmp_path / "sales").mkdir()
    pq.write_table(orders_table(), tmp_path / "sales" / "orders.parquet", row_group_size=128)
    spec = FileSpec(path="orders.parquet")
    return _local_case("parquet", tmp_path, "orders.parquet", spec, "orders.parquet")


@pytest.fixture
def s3_case(moto_server: MotoServer, blackhole_port: int, tmp_path: Path) -> ConnectorCase:
    bucket = moto_server.create_bucket()
    moto_server.put(
        bucket, "landing/2024/orders.csv", write_csv(tmp_path / "o.csv", orders_table())
    )
    settings = {
        "bucket": bucket,
        "prefix": "landing",
        "region": moto_server.region,
        "endpoint_url": moto_server.endpoint_url,
        "access_key_id": moto_server.access_key_id,
        "secret_access_key": moto_server.secret_access_key,
        "format": "csv",
    }
    return ConnectorCase(
        type_name="s3",
        settings=settings,
        spec=FileSpec(path="2024/orders.csv"),
        expected_rows=ROWS,
        expected_columns=COLUMNS,
        object_name="2024/orders.csv",
        bad_credentials={**settings, "secret_access_key": "not-the-secret"},
        unreachable={**settings, "endpoint_url": f"http://127.0.0.1:{free_port()}"},
        silent={**settings, "endpoint_url": f"http://127.0.0.1:{blackhole_port}"},
        context=ConnectorContext(allow_private_endpoints=True, timeout_seconds=5.0),
    )
