"""prefetched: same items in the same order, errors where they happened, and a clean stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from kolmap.ingest.fast.prefetch import prefetched


def test_items_come_in_order_from_another_thread() -> None:
    threads: list[str] = []

    def numbers() -> Iterator[int]:
        for i in range(100):
            threads.append(threading.current_thread().name)
            yield i

    assert list(prefetched(numbers(), ahead=3)) == list(range(100))
    assert set(threads) == {"kolmap-prefetch"}


def test_an_error_is_raised_at_the_item_it_replaced() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("bad batch")

    seen = []
    with pytest.raises(ValueError, match="bad batch"):
        for item in prefetched(failing()):
            seen.append(item)
    assert seen == [1, 2]


def test_stopping_early_closes_the_source_and_ends_the_thread() -> None:
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()

    before = threading.active_count()
    items = prefetched(endless())
    assert [next(items) for _ in range(5)] == [0, 1, 2, 3, 4]
    items.close()  # as a for loop left by break or an exception does
    assert closed.is_set()
    assert threading.active_count() == before
