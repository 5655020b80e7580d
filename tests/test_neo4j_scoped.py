"""A topical scope's projection read from Neo4j's rows for it (graph/neo4j/scoped.py) is the
projection of the whole store, frame for frame; and a second user whose copy is behind ranks
a scope nobody kept without copying the graph.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pandas as pd
import pytest

from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.mirror import Neo4jMirror
from kolmap.graph.neo4j.scoped import scoped_projection, scoped_rows
from kolmap.graph.neo4j.shared import is_kept, shared_key
from kolmap.graph.neo4j.transfer import to_neo4j
from kolmap.graph.store import Scope
from kolmap.ingest.payments import import_payments
from kolmap.ingest.pipeline import ingest_paths

from .conftest import neo4j_env
from .test_compliance import OPEN_PAYMENTS, TRANSPARENCE_SANTE

pytestmark = pytest.mark.neo4j


@pytest.fixture
def plain(monkeypatch) -> Iterator[Neo4jGraph]:
    info = neo4j_env("plain", monkeypatch)
    with Neo4jGraph.from_uri(info["uri"]) as graph:
        graph.clear()
        yield graph
        graph.clear()


def _scopes(store) -> list[Scope]:
    tags = store.top_hashtags(Scope(area="oncology"), limit=3)["tag"].tolist()
    assert len(tags) == 3
    may, july = datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    return [
        Scope(area="oncology"),
        Scope(area="cardiology", platforms=("x",)),
        Scope(area="oncology", since=may, until=july),
        Scope(hashtags=(tags[0],)),
        Scope(area="oncology", hashtags=tuple(tags[1:])),
        Scope(area="no-such-area"),
    ]


def test_a_scope_read_from_its_rows_is_the_whole_stores_projection(sample_store, plain):
    to_neo4j(sample_store.replica, plain)
    for scope in _scopes(sample_store):
        whole = sample_store.projection(scope)
        scoped = scoped_projection(plain, scope)
        pd.testing.assert_frame_equal(scoped.nodes, whole.nodes, obj=f"nodes {scope}")
        pd.testing.assert_frame_equal(scoped.edges, whole.edges, obj=f"edges {scope}")
    rows = scoped_rows(plain, Scope(area="cardiology"))
    read = sum(1 for _ in rows["posts"])  # streamed
    assert 0 < read < sample_store.replica.row_count("posts") / 2
    with pytest.raises(ValueError, match="topical"):
        scoped_rows(plain, Scope())


def test_a_second_user_ranks_an_area_nobody_kept_without_copying_the_graph(
    sample_dir, plain, tmp_path
):
    """The projection and the declared payments a ranking reads come from the rows the
    graph holds for them; the second user's copy stays empty, and what it read is kept for
    the next user."""
    payments = tmp_path / "payments"
    payments.mkdir()
    (payments / "OP_DTL_GNRL_PGYR2023_P01302025.csv").write_text(OPEN_PAYMENTS, "utf-8")
    (payments / "declaration_avantage_2021_06_30_04_00.csv").write_text(TRANSPARENCE_SANTE, "utf-8")
    with Neo4jMirror(Neo4jGraph.from_uri(plain.uri), cache_dir=tmp_path / "first") as first:
        ingest_paths(first, [sample_dir], quarantine_dir=tmp_path / "q")
        import_payments(
            first, sorted(payments.iterdir()), quarantine_dir=tmp_path / "q", tolerance="1"
        )
        first.link_registry([("x", "1", "npi", "1234567893"), ("x", "2", "RPPS", "10101010101")])
        expected = first.cache.projection(Scope(area="diabetes"))
        expected_coi = first.cache.coi()
    assert len(expected_coi) == 2
    with Neo4jMirror(Neo4jGraph.from_uri(plain.uri), cache_dir=tmp_path / "second") as second:
        found = second.projection(Scope(area="diabetes"))
        found_coi = second.coi()
        assert second._copy.row_count("posts") == 0  # no copy was made
        version = second.lease.version()
    pd.testing.assert_frame_equal(found.nodes, expected.nodes)
    pd.testing.assert_frame_equal(found.edges, expected.edges)
    pd.testing.assert_frame_equal(found_coi, expected_coi)
    fields = dataclasses.asdict(Scope(area="diabetes"))
    assert is_kept(plain, shared_key(str(version), "projection", fields))
