"""Ranking on the server: GDS runs the rankings' PageRanks and Leiden, with kolmap's results.

Against the `make neo4j` servers (GDS 2.13 on one, none on the other); nothing is mocked.
The scale issue's bar: the same top 10 of every kind on the sample, and the top 100 in the
same order (Spearman at least 0.99), whether igraph or GDS computes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.stats import spearmanr
from sklearn.metrics import adjusted_rand_score

from kolmap.cli import cli
from kolmap.graph import open_engine
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.neo4j.gds import GdsEngine, server_engine
from kolmap.graph.store import Scope
from kolmap.scoring.centrality import earned_pagerank, pagerank, pageranks
from kolmap.scoring.communities import leiden
from kolmap.scoring.components import compute_components
from kolmap.scoring.rank import RankKind, rank
from kolmap.settings import ScoringSettings

from .conftest import neo4j_env
from .test_store_contract import ACCOUNTS, FOLLOWS, POSTS, ingest, write

pytestmark = pytest.mark.neo4j


@pytest.fixture
def gds_graph(monkeypatch) -> Iterator[Neo4jGraph]:
    info = neo4j_env("gds", monkeypatch)
    with Neo4jGraph.from_uri(info["uri"]) as graph:
        yield graph


@pytest.fixture
def engine(gds_graph) -> GdsEngine:
    found, note = server_engine(gds_graph)
    assert isinstance(found, GdsEngine), note
    assert "GDS 2." in note
    return found


def _random_graph(seed: int, n: int = 400, m: int = 2_000):
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n // 4, m)  # most nodes dangle: their rank must jump like igraph's
    weight = rng.random(m)
    reset = rng.random(n) * (rng.random(n) < 0.3)  # zero jump for most nodes
    return n, src, dst, weight, reset


def test_gds_pagerank_is_kolmaps_weighted_personalised_pagerank(engine):
    n, src, dst, weight, reset = _random_graph(1)
    for jump in (reset, None):
        ours = pagerank(n, src, dst, weight, reset=jump)
        theirs = pagerank(n, src, dst, weight, reset=jump, engine=engine)
        assert theirs.sum() == pytest.approx(1.0)
        assert np.abs(theirs - ours).max() <= 1e-9 * ours.max()
    earned = earned_pagerank(n, src, dst, weight, reset=reset)
    on_server = earned_pagerank(n, src, dst, weight, reset=reset, engine=engine)
    assert np.array_equal(earned > 0, on_server > 0)
    assert np.abs(on_server - earned).max() <= 1e-9 * earned.max()


def test_gds_runs_several_pageranks_on_edges_sent_once(engine, monkeypatch):
    """The runs of one call share one projection; a run over a subset of the edges (weight 0
    for the others), a uniform jump and a zero jump each give what igraph gives alone."""
    n, src, dst, weight, reset = _random_graph(3)
    subset = np.where(np.arange(len(src)) % 3 == 0, weight, 0.0)
    runs = [(weight, reset), (subset, reset), (weight, None), (subset, np.zeros(n))]
    sent: list[str] = []
    run = engine.graph.run
    monkeypatch.setattr(engine.graph, "run", lambda q, **kw: sent.append(q) or run(q, **kw))
    theirs = pageranks(n, src, dst, runs, engine=engine)
    assert sum("gds.graph.project(" in q for q in sent) == 1
    for (w, jump), found in zip(runs, theirs, strict=True):
        ours = pagerank(n, src, dst, w, reset=jump)
        assert found.sum() == pytest.approx(1.0)
        assert np.abs(found - ours).max() <= 1e-9 * ours.max()


def test_a_scopes_components_project_three_times_on_the_server(
    engine, sample_store_path, monkeypatch
):
    """Leiden, then the trust propagation's two PageRanks, then the rankings' four: three
    projections of the scope's edges, where each PageRank once sent them again (seven)."""
    with DuckDBStore(sample_store_path, read_only=True) as store:
        projection = store.projection(Scope(area="oncology"))
    sent: list[str] = []
    run = engine.graph.run
    monkeypatch.setattr(engine.graph, "run", lambda q, **kw: sent.append(q) or run(q, **kw))
    compute_components(projection, ScoringSettings(), engine)
    assert sum("gds.graph.project(" in q for q in sent) == 3
    assert sum("gds.graph.filter(" in q for q in sent) == 6


def test_gds_pagerank_keeps_isolated_nodes_and_an_empty_graph(engine):
    edges = np.array([0, 1]), np.array([2, 2]), np.ones(2)
    ours = pagerank(5, *edges, reset=np.ones(5))
    theirs = pagerank(5, *edges, reset=np.ones(5), engine=engine)
    assert len(theirs) == 5 and np.allclose(theirs, ours)  # nodes 3 and 4 have no edge
    none = np.zeros(0, dtype=np.int64)
    alone = pagerank(3, none, none, np.zeros(0), reset=np.ones(3), engine=engine)
    assert np.allclose(alone, 1 / 3)


def test_gds_leiden_finds_kolmaps_communities(engine):
    # Three cliques of six, joined by one weak edge each.
    src, dst = [], []
    for base in (0, 6, 12):
        for i in range(6):
            for j in range(i + 1, 6):
                src.append(base + i)
                dst.append(base + j)
    src += [5, 11]
    dst += [6, 12]
    s, d = np.array(src), np.array(dst)
    w = np.where(np.arange(len(src)) >= len(src) - 2, 0.1, 1.0)
    ours = leiden(19, s, d, w, seed=7)  # node 18 has no edge: a community of its own
    theirs = leiden(19, s, d, w, seed=7, engine=engine)
    assert theirs.tolist() == ours.tolist()
    assert len(set(theirs[:18].tolist())) == 3 and theirs[18] not in theirs[:18]
    empty = np.zeros(0, dtype=np.int64)
    assert leiden(3, empty, empty, np.zeros(0), seed=7, engine=engine).tolist() == [0, 1, 2]


def test_components_on_the_server_rank_as_in_process(engine, sample_store_path):
    settings = ScoringSettings()
    with DuckDBStore(sample_store_path, read_only=True) as store:
        for scope in (Scope(), Scope(area="oncology"), Scope(area="diabetes")):
            projection = store.projection(scope)
            here = compute_components(projection, settings)
            there = compute_components(projection, settings, engine)
            # Two Leiden implementations: on the sample's areas the same communities, on all
            # data similar ones (adjusted Rand 0.79; trust then moves for 74 of 2,643).
            assert adjusted_rand_score(here["community"], there["community"]) >= 0.6
            if here["community"].tolist() == there["community"].tolist():
                for column in ("trust", "pagerank", "peer_pagerank", "lay_pagerank"):
                    gap = np.abs(there[column] - here[column]).max()
                    assert gap <= 1e-6 * max(here[column].max(), 1e-12), (scope, column)
            for kind in RankKind:
                ours = rank(projection, kind, settings, top=100, components=here)
                theirs = rank(projection, kind, settings, top=100, components=there)
                assert ours["handle"][:10].tolist() == theirs["handle"][:10].tolist(), kind
                both = ours.merge(theirs, on=["platform", "account_id"])
                assert len(both) >= 0.95 * len(ours)
                if len(both) > 2:
                    assert spearmanr(both["score_x"], both["score_y"]).statistic >= 0.99


@pytest.mark.parametrize("name", ["gds", "plain"])
def test_rank_on_a_neo4j_store_says_where_the_algorithms_run(name, tmp_path, monkeypatch):
    info = neo4j_env(name, monkeypatch)
    monkeypatch.setenv("KOLMAP_NEO4J_CACHE_DIR", str(tmp_path / "copies"))
    monkeypatch.chdir(tmp_path)
    with Neo4jGraph.from_uri(info["uri"]) as g:
        g.clear()
    folder = tmp_path / "in"
    write(folder, "accounts.csv", ACCOUNTS)
    write(folder, "posts.csv", POSTS)
    write(folder, "follows.csv", FOLLOWS)
    runner = CliRunner()

    def ranked() -> tuple[str, str]:
        out = runner.invoke(cli, ["rank", "--store", info["uri"], "--format", "csv"])
        assert out.exit_code == 0, out.output
        return out.stdout, out.stderr

    assert runner.invoke(cli, ["ingest", str(folder), "--store", info["uri"]]).exit_code == 0
    table, said = ranked()
    if name == "gds":
        assert "PageRank and Leiden computed by GDS 2." in said
    else:
        assert "no Graph Data Science plugin" in said
    assert "computed by GDS" not in table and table.count("\n") > 1  # the CSV stays clean
    monkeypatch.setenv("KOLMAP_NEO4J_SERVER_ALGORITHMS", "false")
    table_here, said = ranked()
    assert "neo4j.server_algorithms is off" in said
    assert table_here == table  # the same ranking, wherever it was computed
    with open_engine(info["uri"]) as (found, _note):
        assert found is None  # the setting holds for the app too


def test_an_embedded_store_has_no_engine_and_says_nothing(tmp_path):
    with open_engine(tmp_path / "k.duckdb") as (found, note):
        assert (found, note) == (None, "")
    assert not (tmp_path / "k.duckdb").exists()  # nothing opened


def test_the_app_computes_a_neo4j_scope_with_gds(gds_graph, tmp_path):
    from kolmap.views.scope_cache import ScopeCache

    settings = ScoringSettings()
    used: list[str] = []

    @contextmanager
    def opener():
        with open_engine(gds_graph.uri) as found:
            used.append(found[1])
            yield found

    cache = ScopeCache(tmp_path / "scopes", settings, opener)
    with DuckDBStore(":memory:") as store:
        folder = tmp_path / "in"
        write(folder, "accounts.csv", ACCOUNTS)
        write(folder, "posts.csv", POSTS)
        write(folder, "follows.csv", FOLLOWS)
        ingest(store, folder)
        projection = store.projection(Scope())
        found = cache.components("v1", Scope(), lambda: projection)
    assert used and "computed by GDS" in used[0]
    here = compute_components(projection, settings)
    assert np.allclose(found["pagerank"], here["pagerank"], rtol=1e-6, atol=1e-12)
    assert found["community"].tolist() == here["community"].tolist()


def test_gds_graphs_are_dropped_after_each_call(engine, gds_graph):
    n, src, dst, weight, reset = _random_graph(2, n=50, m=200)
    pagerank(n, src, dst, weight, reset=reset, engine=engine)
    leiden(n, src, dst, weight, seed=1, engine=engine)
    names = gds_graph.run_values("CALL gds.graph.list() YIELD graphName RETURN graphName")
    # The engine's graphs (kolmap-<uuid>) and the filtered ones made from them (…-w0, …).
    assert not [x for (x,) in names if re.match(r"kolmap-[0-9a-f]{32}", str(x))]
