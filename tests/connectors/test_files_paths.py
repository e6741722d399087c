"""Local file sources: confinement to the roots, globs read as one stream, check and discover."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataops.connectors.base import ConnectorContext, FileSpec, ObjectKind, ReadStats, Watermark
from dataops.connectors.errors import (
    EndpointRefusedError,
    InvalidSpecError,
    SourceDataError,
    SourceNotFoundError,
)
from dataops.connectors.files.csv import CsvConnector, CsvSettings
from dataops.connectors.files.parquet import ParquetConnector, ParquetSettings
from tests.contracts.cases_files import orders_table, write_csv


@pytest.fixture
def allowed(tmp_path: Path) -> Path:
    """The allowed root, with a sibling folder outside it holding a secret."""
    root = tmp_path / "allowed"
    (root / "sales").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    write_csv(tmp_path / "outside" / "secret.csv", orders_table(3))
    return root


def csv_source(root: Path, folder: str = "sales", batch_rows: int = 50_000) -> CsvConnector:
    context = ConnectorContext(allowed_roots=(root,), batch_rows=batch_rows)
    return CsvConnector(CsvSettings(root=folder), context)


@pytest.mark.parametrize(
    "path",
    ["../outside/secret.csv", "../../outside/secret.csv", "a/../../../outside/secret.csv"],
)
def test_dotdot_paths_are_refused(allowed: Path, path: str) -> None:
    with pytest.raises(EndpointRefusedError, match="leaves the source's folder"):
        csv_source(allowed).preview(FileSpec(path=path), 5)


def test_an_absolute_path_outside_the_root_is_refused(allowed: Path) -> None:
    secret = allowed.parent / "outside" / "secret.csv"
    with pytest.raises(EndpointRefusedError, match="outside the source's folder"):
        csv_source(allowed).preview(FileSpec(path=str(secret)), 5)


def test_an_absolute_path_inside_the_root_is_read(allowed: Path) -> None:
    write_csv(allowed / "sales" / "a.csv", orders_table(4))
    table = csv_source(allowed).preview(FileSpec(path=str(allowed / "sales" / "a.csv")), 10)
    assert table.num_rows == 4


def test_a_symlinked_file_pointing_out_is_refused(allowed: Path) -> None:
    (allowed / "sales" / "link.csv").symlink_to(allowed.parent / "outside" / "secret.csv")
    with pytest.raises(EndpointRefusedError, match="outside the allowed file roots"):
        csv_source(allowed).preview(FileSpec(path="link.csv"), 5)
    with pytest.raises(EndpointRefusedError, match="outside the allowed file roots"):
        csv_source(allowed).preview(FileSpec(path="*.csv"), 5)  # a glob refuses it too
    assert csv_source(allowed).discover() == []  # discover skips it


def test_a_symlinked_folder_pointing_out_is_refused(allowed: Path) -> None:
    (allowed / "sales" / "elsewhere").symlink_to(allowed.parent / "outside")
    with pytest.raises(EndpointRefusedError):
        csv_source(allowed).preview(FileSpec(path="elsewhere/secret.csv"), 5)
    with pytest.raises(EndpointRefusedError):
        csv_source(allowed).preview(FileSpec(path="elsewhere/*.csv"), 5)


def test_a_root_outside_the_allowed_roots_fails_check_and_reads(allowed: Path) -> None:
    source = csv_source(allowed, folder="../outside")
    result = source.check()
    assert not result.ok
    assert "outside the allowed file roots" in result.message
    with pytest.raises(EndpointRefusedError):
        source.preview(FileSpec(path="secret.csv"), 5)


def test_no_allowed_roots_means_no_file_access(allowed: Path) -> None:
    source = CsvConnector(CsvSettings(root="sales"), ConnectorContext())
    result = source.check()
    assert not result.ok and "no file roots are configured" in result.message


def test_check_reports_a_missing_root(allowed: Path) -> None:
    result = csv_source(allowed, folder="sales/nope").check()
    assert not result.ok
    assert "does not exist" in result.message and result.latency_ms >= 0


def test_a_glob_reads_every_match_as_one_stream(allowed: Path) -> None:
    for month, start in (("01", 0), ("02", 100), ("03", 200)):
        write_csv(allowed / "sales" / "2024" / f"{month}.csv", orders_table(100, start))
    write_csv(allowed / "sales" / "2023" / "12.csv", orders_table(50, 900))
    stats = ReadStats()
    batches = list(
        csv_source(allowed, batch_rows=64).read(FileSpec(path="2024/*.csv"), stats=stats)
    )
    table = pa.Table.from_batches(batches)
    assert table.column("id").to_pylist() == list(range(300))  # files in name order
    assert len({b.schema for b in batches}) == 1
    assert all(b.num_rows <= 64 for b in batches)
    assert stats.rows == 300 and stats.extra["files"] == 3
    recursive = csv_source(allowed).preview(FileSpec(path="**/*.csv"), 1000)
    assert recursive.num_rows == 350


def test_later_files_of_a_glob_are_read_as_the_first_files_types(allowed: Path) -> None:
    (allowed / "sales" / "a.csv").write_text("id,v\n1,10\n")
    (allowed / "sales" / "b.csv").write_text("v,id\n,2\n")  # other order, v empty
    table = csv_source(allowed).preview(FileSpec(path="*.csv"), 10)
    assert table.schema.field("v").type == pa.int64()
    assert table.to_pylist() == [{"id": 1, "v": 10}, {"id": 2, "v": None}]


def test_files_of_a_glob_with_other_columns_fail_clearly(allowed: Path) -> None:
    (allowed / "sales" / "a.csv").write_text("id,v\n1,10\n")
    (allowed / "sales" / "b.csv").write_text("id,w\n2,20\n")
    with pytest.raises(SourceDataError, match=r"b\.csv has columns \(id, w\).*first file"):
        csv_source(allowed).preview(FileSpec(path="*.csv"), 10)


def test_hidden_files_do_not_match_globs(allowed: Path) -> None:
    (allowed / "sales" / "a.csv").write_text("id\n1\n")
    (allowed / "sales" / ".partial.csv").write_text("id\n2\n")
    assert csv_source(allowed).preview(FileSpec(path="*.csv"), 10).num_rows == 1


def test_no_match_and_missing_files_are_not_found(allowed: Path) -> None:
    with pytest.raises(SourceNotFoundError, match=r"no files match '2030/\*\.csv'"):
        csv_source(allowed).preview(FileSpec(path="2030/*.csv"), 5)
    with pytest.raises(SourceNotFoundError, match=r"file 'x\.csv' does not exist"):
        csv_source(allowed).preview(FileSpec(path="x.csv"), 5)


def test_a_folder_is_not_a_file(allowed: Path) -> None:
    (allowed / "sales" / "2024").mkdir()
    with pytest.raises(InvalidSpecError, match="is a folder"):
        csv_source(allowed).preview(FileSpec(path="2024"), 5)


def test_discover_lists_files_with_columns(allowed: Path) -> None:
    write_csv(allowed / "sales" / "2024" / "01.csv", orders_table(10))
    (allowed / "sales" / "notes.txt").write_text("not a csv")
    objects = csv_source(allowed).discover()
    assert [(o.name, o.kind, o.namespace) for o in objects] == [
        ("2024/01.csv", ObjectKind.FILE, "2024")
    ]
    assert objects[0].columns is not None
    assert [c.data_type for c in objects[0].columns] == [
        "int64",
        "string",
        "double",
        "date32[day]",
        "bool",
    ]


def test_a_watermark_reads_only_newer_rows(allowed: Path) -> None:
    write_csv(allowed / "sales" / "o.csv", orders_table(300))
    rows = csv_source(allowed).read(FileSpec(path="o.csv"), cursor=Watermark("id", 249))
    assert pa.Table.from_batches(list(rows)).column("id").to_pylist() == list(range(250, 300))
    with pytest.raises(InvalidSpecError, match=r"watermark column 'nope'"):
        list(csv_source(allowed).read(FileSpec(path="o.csv"), cursor=Watermark("nope", 1)))


def test_other_spec_kinds_are_refused(allowed: Path) -> None:
    from dataops.connectors.base import TableSpec

    with pytest.raises(InvalidSpecError, match="reads files"):
        csv_source(allowed).preview(TableSpec(table="x"), 5)


def test_parquet_discover_is_exact_and_overrides_cast(allowed: Path) -> None:
    pq.write_table(orders_table(300), allowed / "sales" / "o.parquet", row_group_size=100)
    source = ParquetConnector(
        ParquetSettings(root="sales"), ConnectorContext(allowed_roots=(allowed,), batch_rows=70)
    )
    (found,) = source.discover()
    assert found.row_count == 300 and found.columns is not None
    assert [c.name for c in found.columns] == orders_table(1).column_names
    spec = FileSpec(path="o.parquet", column_types={"amount": "decimal128(12,2)", "id": "int32"})
    batches = list(source.read(spec))
    assert batches[0].schema.field("amount").type == pa.decimal128(12, 2)
    assert batches[0].schema.field("id").type == pa.int32()
    assert max(b.num_rows for b in batches) == 70 and sum(b.num_rows for b in batches) == 300


def test_a_file_that_is_not_parquet_is_a_data_error(allowed: Path) -> None:
    (allowed / "sales" / "o.parquet").write_text("id\n1\n")
    source = ParquetConnector(
        ParquetSettings(root="sales"), ConnectorContext(allowed_roots=(allowed,))
    )
    with pytest.raises(SourceDataError, match=r"o\.parquet is not a Parquet file"):
        source.preview(FileSpec(path="o.parquet"), 5)
