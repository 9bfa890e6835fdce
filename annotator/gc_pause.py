"""Pause Python's cyclic garbage collector while a bulk load allocates.

Used by the core's read of a document's annotations and around the window's whole open of
a document (the read and the view's and table's fill). Opening a document makes ~10^5
small objects (records, and what the table, view and links keep of them) that nearly all
live on. Each 700 allocations start a collection, and every tenth of those a deeper one:
measured on 1 MB / 10,000 annotations, ~40 collections per open, including full ones of
the whole heap (~30 ms each), an eighth of the open's time. Paused, what survives is
examined once, by the first collection after the load; nothing that is garbage is kept for
long (reference counting frees the acyclic rest at once). Nested pauses and pauses in
other threads at most leave the collector on for part of a load, never off after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collections off inside the block; back as they were after it, even on error."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
