"""Produce the next items of an iterator in a background thread while the caller works.

Reading a file in bulk is a DuckDB query, staging what it gave is another; both release
the GIL, so running the query for batch n + 1 while batch n is staged uses the second core
that staging alone leaves idle.

>>> list(prefetched(iter(range(5))))
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["prefetched"]

T = TypeVar("T")
_END = object()


def prefetched(items: Iterator[T], ahead: int = 1) -> Iterator[T]:
    """The items of ``items``, in order, produced by a background thread at most ``ahead``
    items in advance. An exception in ``items`` is raised here, at the item it replaced.
    If the caller stops early, the thread stops too and ``items`` is closed there (a
    generator's ``finally`` runs in the thread that drives it)."""
    slots: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                slots.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, _END))
        except BaseException as err:  # handed to the caller, raised there
            put((False, err))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="kolmap-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            ok, value = slots.get()
            if ok:
                yield value  # type: ignore[misc]
            elif value is _END:
                return
            else:
                assert isinstance(value, BaseException)
                raise value
    finally:
        stop.set()
        thread.join()
