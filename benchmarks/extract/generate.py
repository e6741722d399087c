"""The benchmark's data: a 13-column PostgreSQL table and the same rows as a CSV file.

The table (``public.bench_<rows>``) is filled server-side with ``generate_series`` (two sessions,
one per half, as the machine has two cores), then gets its primary key and a
``VACUUM (FREEZE, ANALYZE)`` so no reader pays for hint bits. Values are deterministic functions
of the row number: the same ``--rows`` always gives the same table.

=============  ================  ==========================================================
column         type              values
=============  ================  ==========================================================
id             bigint            1..rows (primary key)
qty            int               0..99,999
amount         numeric(12,2)     -200,000.00..799,999.99 (exact decimals, 2 places)
price          double precision  fractional
title          text              unicode: accents, CJK, Cyrillic, Greek, emoji + the id
code           varchar(32)       'C-' + 8 hex digits
active         boolean           2/3 true
day            date              2020-01-01 + 0..1999 days
created_at     timestamptz       2020-01-01 + 7 s per row, microseconds
uid            uuid              md5 of the id
attrs          jsonb             small object: {"k": int, "ok": bool, "tag": text}
note           text, nullable    every 10th row NULL, else short text with a unicode mark
updated_at     timestamptz       2024-01-01 + up to 11.6 days, microseconds
=============  ================  ==========================================================

The CSV (``bench_<rows>.csv``, written by ``COPY ... TO STDOUT (FORMAT csv, HEADER)`` through
psycopg) has the same 13 columns and rows, with two formatting choices so that CSV readers can
type them without hints: timestamps as ISO 8601 UTC with a ``Z`` (``2020-01-01T00:00:07.000001Z``;
PostgreSQL's own ``+00`` suffix is not ISO 8601), booleans as ``true``/``false`` (not ``t``/``f``).
NULL is an empty unquoted field; jsonb is its text (quoted, with doubled quotes).

    .venv/bin/python -m benchmarks.extract.generate --rows 1000000   # table + CSV
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.extract.postgres import PostgresServer

COLUMNS = (
    "id", "qty", "amount", "price", "title", "code", "active", "day", "created_at", "uid",
    "attrs", "note", "updated_at",
)  # fmt: skip

DDL = """
CREATE TABLE public.{table} (
    id          bigint        NOT NULL,
    qty         integer       NOT NULL,
    amount      numeric(12,2) NOT NULL,
    price       double precision NOT NULL,
    title       text          NOT NULL,
    code        varchar(32)   NOT NULL,
    active      boolean       NOT NULL,
    day         date          NOT NULL,
    created_at  timestamptz   NOT NULL,
    uid         uuid          NOT NULL,
    attrs       jsonb         NOT NULL,
    note        text,
    updated_at  timestamptz   NOT NULL
)
"""

FILL = """
INSERT INTO public.{table}
SELECT
    g,
    (g * 7919) % 100000,
    ((((g * 104729) % 100000000) - 20000000) / 100.0)::numeric(12,2),
    (g % 100003)::float8 * 1.000001 / 3.0,
    (ARRAY['Zoë Ångström', 'naïve café', '東京タワー', 'Привет мир', 'Ελληνικά',
           'straße', '😀 emoji ✓', 'plain ascii'])[1 + g % 8] || ' #' || g,
    'C-' || lpad(to_hex((g * 2654435761) % 4294967296), 8, '0'),
    g % 3 <> 0,
    date '2020-01-01' + (g % 2000)::int,
    timestamptz '2020-01-01 00:00:00+00' + g * interval '7 seconds'
        + (g % 1000000) * interval '1 microsecond',
    md5(g::text)::uuid,
    jsonb_build_object('k', g % 100, 'tag', 't' || (g % 7), 'ok', g % 2 = 0),
    CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || (g % 9973) || ' ✎' END,
    timestamptz '2024-01-01 00:00:00+00' + (g % 1000003) * interval '1 second'
        + (g % 999983) * interval '1 microsecond'
FROM generate_series({first}::bigint, {last}::bigint) AS g
"""

CSV_SELECT = """
SELECT id, qty, amount, price, title, code,
    CASE WHEN active THEN 'true' ELSE 'false' END AS active,
    day,
    to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
    uid, attrs, note,
    to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at
FROM public.{table} ORDER BY id
"""


def table_name(rows: int) -> str:
    return f"bench_{rows}"


def csv_name(rows: int) -> str:
    return f"bench_{rows}.csv"


def _count(server: PostgresServer, table: str) -> int | None:
    import psycopg

    with psycopg.connect(server.conninfo(), autocommit=True) as connection:
        found = connection.execute("SELECT to_regclass(%s)", (f"public.{table}",)).fetchone()
        if not found or not found[0]:
            return None
        count = connection.execute(f"SELECT count(*) FROM public.{table}").fetchone()
        return int(count[0]) if count else 0


def make_table(server: PostgresServer, rows: int, *, force: bool = False) -> float:
    """Create ``public.bench_<rows>`` unless it is there with ``rows`` rows; seconds spent."""
    import psycopg

    table = table_name(rows)
    if not force and _count(server, table) == rows:
        return 0.0
    started = time.perf_counter()
    with psycopg.connect(server.conninfo(), autocommit=True) as connection:
        connection.execute(f"DROP TABLE IF EXISTS public.{table}")
        connection.execute(DDL.format(table=table))
    half = rows // 2

    def fill(first: int, last: int) -> None:
        if first > last:
            return
        with psycopg.connect(server.conninfo(), autocommit=True) as session:
            session.execute(FILL.format(table=table, first=first, last=last))

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(fill, (1, half + 1), (half, rows)))
    with psycopg.connect(server.conninfo(), autocommit=True) as connection:
        connection.execute(f"ALTER TABLE public.{table} ADD PRIMARY KEY (id)")
        connection.execute(f"VACUUM (FREEZE, ANALYZE) public.{table}")
    return time.perf_counter() - started


def make_csv(server: PostgresServer, rows: int, folder: Path, *, force: bool = False) -> float:
    """Write ``folder/bench_<rows>.csv`` from the table unless it exists; seconds spent."""
    import psycopg

    path = folder / csv_name(rows)
    if path.exists() and not force:
        return 0.0
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    partial = path.with_suffix(".csv.partial")
    query = CSV_SELECT.format(table=table_name(rows))
    with (
        psycopg.connect(server.conninfo(), autocommit=True) as connection,
        connection.cursor() as cursor,
        cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER)") as copy,
        partial.open("wb") as sink,
    ):
        for block in copy:
            sink.write(block)
    partial.rename(path)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/dataops-bench-extract"),
        help="PostgreSQL data folder, CSV files and outputs (reused between runs)",
    )
    parser.add_argument("--force", action="store_true", help="recreate the table and the CSV")
    args = parser.parse_args()
    server = PostgresServer(args.workdir / "pg").start()
    try:
        seconds = make_table(server, args.rows, force=args.force)
        print(f"table public.{table_name(args.rows)}: {seconds:.1f} s")
        seconds = make_csv(server, args.rows, args.workdir / "files", force=args.force)
        print(f"csv {args.workdir / 'files' / csv_name(args.rows)}: {seconds:.1f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
