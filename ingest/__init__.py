"""Reading exports into a store: validation, quarantine, roles, therapeutic areas.

>>> from kolmap.ingest import load_taxonomy
>>> "oncology" in load_taxonomy().ids
True
"""

from kolmap.ingest.areas import Taxonomy, load_taxonomy
from kolmap.ingest.pipeline import IngestSummary, ingest_paths
from kolmap.ingest.roles import TextRole, classify

__all__ = [
    "IngestSummary",
    "Taxonomy",
    "TextRole",
    "classify",
    "ingest_paths",
    "load_taxonomy",
]
