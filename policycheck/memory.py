"""Pause Python's cyclic garbage collector while one file is read and checked."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector paused, then restore it as it was.

    Reading a 700-page manual makes hundreds of thousands of small objects that all live
    until its report is written, and each full collection walks every one of them: on the
    La Grange manual the collections cost about a tenth of the check. Reference counting
    still frees everything else at once; the few cycles made meanwhile wait for the next
    collection after the block.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
