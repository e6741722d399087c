"""Arrow's memory allocator for long-running processes that stream large tables.

pyarrow's default allocator (mimalloc) keeps freed pages: after a load, the process holds the
writer's peak while the next step (a profile scan) allocates anew, so peaks add up. jemalloc with
immediate decay hands freed pages back, and a process's peak is that of its largest step. Measured
on a 1M-row, 13-column load then profile: peak +344 MB instead of +507 MB over the idle server.
"""

from __future__ import annotations

import logging

import pyarrow as pa

log = logging.getLogger(__name__)


def return_freed_memory() -> None:
    """Use jemalloc, returning freed memory at once (when pyarrow was built with it)."""
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # a build without jemalloc: keep the default
        log.info("pyarrow has no jemalloc; keeping the %s allocator", pa.default_memory_pool())
        return
    pa.set_memory_pool(pool)
    pa.jemalloc_set_decay_ms(0)
