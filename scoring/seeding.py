"""One seeded igraph random generator at a time, safe under threads.

igraph draws from one process-wide generator, and Streamlit serves sessions from threads:
two sessions seeding it at once would mix their draws and give different communities or
layouts for the same seed. ``igraph_seeded`` installs a local ``random.Random(seed)`` for the
duration of a block and holds a lock meanwhile, so each seeded computation sees only its own
generator; the module-level ``random`` is restored afterwards.

>>> import igraph as ig
>>> with igraph_seeded(7):
...     a = ig.Graph.Erdos_Renyi(n=20, m=30).get_edgelist()
>>> with igraph_seeded(7):
...     b = ig.Graph.Erdos_Renyi(n=20, m=30).get_edgelist()
>>> a == b
True
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import igraph as ig

__all__ = ["igraph_seeded"]

_LOCK = threading.RLock()


@contextmanager
def igraph_seeded(seed: int) -> Iterator[random.Random]:
    """Run the block with igraph drawing from ``random.Random(seed)`` and no other thread."""
    generator = random.Random(seed)
    with _LOCK:
        ig.set_random_number_generator(generator)
        try:
            yield generator
        finally:
            ig.set_random_number_generator(random)
