"""The property graph's stores behind one narrow interface (see docs/data-model.md).

>>> from kolmap.graph import open_store, Scope
>>> Scope(area="oncology").describe()
'area=oncology'
"""

from kolmap.graph.store import GraphStore, Projection, RunInfo, Scope, open_store

__all__ = ["GraphStore", "Projection", "RunInfo", "Scope", "open_store"]
