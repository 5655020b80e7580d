"""Reading exports into a store: validation, quarantine, roles, therapeutic areas.

>>> from kolmap.ingest import load_taxonomy
>>> "oncology" in load_taxonomy().ids
True
"""

from kolmap.ingest.areas import Taxonomy, load_taxonomy
from kolmap.ingest.classify import Classification, classify
from kolmap.ingest.pipeline import IngestSummary, ingest_paths

__all__ = [
    "Classification",
    "IngestSummary",
    "Taxonomy",
    "classify",
    "ingest_paths",
    "load_taxonomy",
]
