"""kolmap: open, explainable maps of who moves healthcare conversations online.

Library first: ``kolmap.ingest`` reads exports into a store, ``kolmap.graph`` holds the
property graph, ``kolmap.scoring`` ranks KOLs, DOLs, influencers and organisations with the
reasons behind each rank. The ``kolmap`` command is a thin layer over these.
"""

__version__ = "0.1.0"
