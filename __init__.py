"""kolmap: open, explainable maps of who moves healthcare conversations online.

Library first: ``kolmap.ingest`` reads exports into a store, ``kolmap.graph`` holds the
property graph, ``kolmap.scoring`` ranks KOLs, DOLs, influencers and organisations with the
reasons behind each rank, ``kolmap.views`` decides what a person is shown (privacy on by
default), ``kolmap.export`` writes files. The ``kolmap`` command and the app are thin layers
over these. The names most programs need are here (loaded on first use, so ``import kolmap``
stays cheap):

>>> import kolmap, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "accounts.csv").write_text(
...     "platform,account_id,handle,bio\\nx,1,onc_a,Oncologist\\nx,2,onc_b,Medical oncologist\\n")
>>> _ = (folder / "posts.csv").write_text(
...     "platform,post_id,author_id,text\\nx,10,2,Breast cancer trial data via @onc_a #ASCO\\n")
>>> with kolmap.open_store(":memory:") as store:
...     _ = kolmap.ingest_paths(store, [folder], quarantine_dir=folder / "q")
...     top = kolmap.rank(store.projection(kolmap.Scope(area="oncology")), kolmap.RankKind.KOL)
>>> top["handle"].tolist()[:1]
['onc_a']
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kolmap.graph import open_store
    from kolmap.graph.location import StoreLocation
    from kolmap.graph.store import GraphStore, Scope
    from kolmap.ingest.pipeline import ingest_paths
    from kolmap.scoring.rank import RankKind, rank
    from kolmap.settings import Settings, load_settings
    from kolmap.views.privacy import Privacy

# public name -> the module that defines it
_PUBLIC = {
    "open_store": "kolmap.graph",
    "GraphStore": "kolmap.graph.store",
    "Scope": "kolmap.graph.store",
    "StoreLocation": "kolmap.graph.store",
    "ingest_paths": "kolmap.ingest.pipeline",
    "rank": "kolmap.scoring.rank",
    "RankKind": "kolmap.scoring.rank",
    "Settings": "kolmap.settings",
    "load_settings": "kolmap.settings",
    "Privacy": "kolmap.views.privacy",
}

__all__ = [
    "GraphStore",
    "Privacy",
    "RankKind",
    "Scope",
    "Settings",
    "StoreLocation",
    "__version__",
    "ingest_paths",
    "load_settings",
    "open_store",
    "rank",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kolmap' has no attribute {name!r}")
