"""Batches parked on local disk between two steps that cannot stream into each other (a MERGE
whose commit needs something known only after the last row): an LZ4-compressed Arrow IPC file,
read back memory-mapped, a batch at a time, and removed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc


@contextmanager
def staged(
    folder: Path | None, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
) -> Iterator[pa.RecordBatchReader]:
    """``batches`` written to a file under ``folder`` (None: the system's temp folder), then
    read back as a stream; the file is gone when the block ends."""
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix="staged-") as tmp:
        path = str(Path(tmp) / "batches.arrow")
        options = ipc.IpcWriteOptions(compression="lz4")
        with ipc.new_file(path, schema, options=options) as writer:
            for batch in batches:
                writer.write_batch(batch)
        with pa.memory_map(path) as mapped:
            file = ipc.open_file(mapped)
            yield pa.RecordBatchReader.from_batches(
                schema, (file.get_batch(i) for i in range(file.num_record_batches))
            )
