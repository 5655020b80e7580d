"""The Neo4j backend: a team's graph in a Neo4j database.

Modules: :mod:`.maps` (tables as nodes and relationships; no driver), :mod:`.driver`
(:class:`~.driver.Neo4jGraph`, the only importer of the ``neo4j`` driver), :mod:`.lease`
(the version stamp and the writer's claim), :mod:`.gds` (Graph Data Science algorithms),
:mod:`.transfer` (whole-store copies) and :mod:`.mirror` (:class:`~.mirror.Neo4jMirror`, the
:class:`~kolmap.graph.store.GraphStore` on Neo4j, a DuckDB store mirrored there).
"""
