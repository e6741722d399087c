"""Stream a 1M-row x 8-column CSV and Parquet file through the file connectors' ``read()``.

Four cases, local folder and S3 (a ``moto_server`` on a free loopback port), each measured in a
fresh child process so its peak RSS is its own:

    uv run python benchmarks/files_read.py              # 1,000,000 rows
    uv run python benchmarks/files_read.py --rows 200000 --batch-rows 10000

Prints rows/s, MB/s of source bytes, and peak RSS (and the RSS after imports, before reading,
so the reading's own cost is the difference). Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = ("csv-local", "parquet-local", "csv-s3", "parquet-s3")
KEY, SECRET, BUCKET = "bench", "bench-secret", "bench-files"


def make_files(folder: Path, rows: int) -> None:
    """big.csv and big.parquet: ids, strings, floats, ints, timestamps, dates, booleans."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    ids = pa.array(range(rows), pa.int64())
    table = pa.table(
        {
            "id": ids,
            "customer": pc.binary_join_element_wise(
                "customer-", pc.cast(pc.divide(ids, 7), pa.string()), ""
            ),
            "amount": pc.round(pc.multiply(pc.random(rows, initializer=1), 1000), 2),
            "qty": pc.cast(pc.floor(pc.multiply(pc.random(rows, initializer=2), 100)), pa.int64()),
            "ordered_at": pc.cast(pc.add(pc.multiply(ids, 37), 1_704_067_200), pa.timestamp("s")),
            "ship_date": pc.cast(
                pc.add(pc.divide(ids, 5000), 19_723).cast(pa.int32()), pa.date32()
            ),
            "paid": pc.greater(pc.random(rows, initializer=3), 0.5),
            "country": pc.take(pa.array(["FR", "DE", "US", "GB", "JP"]), pc.bit_wise_and(ids, 3)),
        }
    )
    pacsv.write_csv(table, folder / "big.csv")
    pq.write_table(table, folder / "big.parquet")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    import boto3
    import httpx

    port = free_port()
    script = Path(sys.executable).with_name("moto_server")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "moto.server"]
    env = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}
    with (folder / "moto.log").open("wb") as log:
        process = subprocess.Popen(
            [*command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log, env=env
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(url + "/moto-api/", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    s3 = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
    )
    s3.create_bucket(Bucket=BUCKET)
    for name in ("big.csv", "big.parquet"):
        s3.upload_file(str(folder / name), BUCKET, f"bench/{name}")
    s3.close()
    return process, url


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited across fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(case: str, folder: Path, endpoint: str, batch_rows: int) -> dict[str, object]:
    """One measurement, in this (child) process."""
    from dataops.connectors.base import ConnectorContext, FileSpec, ReadStats
    from dataops.connectors.files.csv import CsvConnector, CsvSettings
    from dataops.connectors.files.parquet import ParquetConnector, ParquetSettings
    from dataops.connectors.s3 import S3Connector, S3Settings

    fmt, where = case.split("-")
    context = ConnectorContext(
        allowed_roots=(folder,), allow_private_endpoints=True, batch_rows=batch_rows
    )
    connector: CsvConnector | ParquetConnector | S3Connector
    if where == "local":
        connector = (
            CsvConnector(CsvSettings(root="."), context)
            if fmt == "csv"
            else ParquetConnector(ParquetSettings(root="."), context)
        )
        path = f"big.{fmt}"
    else:
        settings = S3Settings(
            bucket=BUCKET,
            prefix="bench",
            endpoint_url=endpoint,
            format=fmt,  # type: ignore[arg-type]
            access_key_id=KEY,
            secret_access_key=SECRET,  # type: ignore[arg-type]
        )
        connector = S3Connector(settings, context)
        path = f"big.{fmt}"
    rss_before = peak_rss_mb()
    stats = ReadStats()
    started = time.perf_counter()
    rows = batches = largest = 0
    for batch in connector.read(FileSpec(path=path), stats=stats):
        rows += batch.num_rows
        batches += 1
        largest = max(largest, batch.num_rows)
    seconds = time.perf_counter() - started
    connector.close()
    return {
        "case": case,
        "rows": rows,
        "batches": batches,
        "largest_batch": largest,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds),
        "mb_per_s": round(stats.bytes / seconds / 1e6, 1),
        "source_mb": round(stats.bytes / 1e6, 1),
        "rss_after_imports_mb": round(rss_before),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-rows", type=int, default=50_000)
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.dir, args.endpoint, args.batch_rows)))
        return
    with tempfile.TemporaryDirectory(prefix="dataops-bench-") as tmp:
        folder = Path(tmp)
        make_files(folder, args.rows)
        moto, endpoint = start_moto(folder)
        try:
            results = []
            for case in CASES:
                output = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        case,
                        "--dir",
                        str(folder),
                        "--endpoint",
                        endpoint,
                        "--batch-rows",
                        str(args.batch_rows),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                results.append(json.loads(output.strip().splitlines()[-1]))
        finally:
            moto.terminate()
            moto.wait(10)
    header = (
        f"{'case':<14}{'rows':>10}{'s':>8}{'rows/s':>12}{'MB/s':>8}{'RSS base':>10}{'RSS peak':>10}"
    )
    print(f"{args.rows:,} rows x 8 columns, batch_rows={args.batch_rows:,}")
    print(header)
    for r in results:
        print(
            f"{r['case']:<14}{r['rows']:>10,}{r['seconds']:>8}{r['rows_per_s']:>12,}"
            f"{r['mb_per_s']:>8}{r['rss_after_imports_mb']:>9}M{r['peak_rss_mb']:>9}M"
        )


if __name__ == "__main__":
    main()
