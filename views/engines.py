"""Score components computed where the store says: GDS on a Neo4j server that has it.

Every view and command that ranks a store's projection goes through :func:`components_on`,
so a Neo4j store with the Graph Data Science plugin runs the rankings' PageRanks and Leiden
on its server (:class:`kolmap.graph.store.GraphEngine`), and an embedded store in this
process; the components are the same either way (docs/neo4j.md, "Ranking on the server").

>>> from kolmap.graph import open_store
>>> from kolmap.graph.store import Scope
>>> from kolmap.settings import ScoringSettings
>>> with open_store(":memory:") as store:
...     len(components_on(store, store.projection(Scope()), ScoringSettings()))
0
"""

from __future__ import annotations

import pandas as pd

from kolmap.graph.store import GraphStore, Projection, engine_of
from kolmap.scoring.components import compute_components
from kolmap.settings import ScoringSettings

__all__ = ["components_on"]


def components_on(
    store: GraphStore, projection: Projection, settings: ScoringSettings
) -> pd.DataFrame:
    """The score components of ``projection`` (one of ``store``'s), their PageRanks and
    Leiden run by the store's engine when it has one (see module doc)."""
    engine, _note = engine_of(store)
    return compute_components(projection, settings, engine)
