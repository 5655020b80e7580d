"""Scoring: PageRank and Leiden against networkx, composite scores, invariants, traps."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kolmap.errors import ScoringError
from kolmap.graph.store import Projection, Scope
from kolmap.scoring.centrality import aggregate_edges, pagerank
from kolmap.scoring.communities import leiden
from kolmap.scoring.components import compute_components
from kolmap.scoring.rank import COMPONENTS, OUTPUT_COLUMNS, RankKind, rank
from kolmap.settings import ScoringSettings


def test_pagerank_matches_networkx_on_a_weighted_graph():
    rng = np.random.default_rng(3)
    n, m = 200, 1500
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    w = rng.uniform(0.1, 3, len(src))
    ours = pagerank(n, src, dst, w)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for s, d, x in zip(*aggregate_edges(src, dst, w), strict=True):
        g.add_edge(int(s), int(d), weight=float(x))
    ref = nx.pagerank(g, weight="weight", tol=1e-12, max_iter=1000)
    assert np.allclose(ours, [ref[i] for i in range(n)], atol=1e-6)


def test_pagerank_runs_prpack_on_one_openmp_thread(monkeypatch):
    """With several OpenMP threads PRPACK's sums change order from run to run (a 100k-account
    store gave PageRanks differing by 2e-11 between two runs); one thread repeats exactly."""
    import igraph as ig
    from threadpoolctl import ThreadpoolController

    seen: list[int] = []
    real = ig.Graph.pagerank

    def recording(self, *args, **kwargs):
        pools = ThreadpoolController().select(user_api="openmp").info()
        seen.extend(pool["num_threads"] for pool in pools)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ig.Graph, "pagerank", recording)
    pagerank(3, np.array([0, 1]), np.array([2, 2]), np.array([1.0, 1.0]))
    assert seen and set(seen) == {1}


def test_personalised_pagerank_matches_networkx():
    src = np.array([0, 1, 2, 3, 3])
    dst = np.array([1, 2, 0, 0, 2])
    w = np.array([1.0, 2.0, 1.0, 1.0, 3.0])
    reset = np.array([0.0, 0.0, 1.0, 3.0])
    ours = pagerank(4, src, dst, w, reset=reset)
    g = nx.DiGraph()
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))
    ref = nx.pagerank(g, personalization={2: 0.25, 3: 0.75}, tol=1e-12, max_iter=10_000)
    assert np.allclose(ours, [ref[i] for i in range(4)], atol=1e-6)


def test_leiden_is_seeded_and_finds_the_football_conferences_quality():
    g = nx.karate_club_graph()
    edges = np.array(g.edges())
    w = np.ones(len(edges))
    first = leiden(34, edges[:, 0], edges[:, 1], w, seed=7)
    again = leiden(34, edges[:, 0], edges[:, 1], w, seed=7)
    assert first.tolist() == again.tolist()
    groups = [set(np.flatnonzero(first == c).tolist()) for c in range(first.max() + 1)]
    assert nx.community.modularity(g, groups) > 0.4
    sizes = [len(x) for x in groups]
    assert sizes == sorted(sizes, reverse=True)


def _projection(nodes: list[dict], edges: list[tuple[int, int, str, int]], scope=None):
    frame = pd.DataFrame(nodes)
    defaults = {
        "platform": "x",
        "specialty": None,
        "person_id": None,
        "lang": "fr",
        "location": None,
        "followers": 1000,
        "verified": False,
        "is_stub": False,
        "has_bio": True,
        "posts_total": 10,
        "posts_in_scope": 5,
        "original_posts_in_scope": 5,
        "bio_in_area": False,
        "likes": 10,
        "reposts": 2,
        "replies": 1,
    }
    for column, value in defaults.items():
        frame[column] = frame[column].fillna(value) if column in frame else value
    frame["display_name"] = frame.get("display_name", frame["handle"])
    e = pd.DataFrame(edges, columns=["src", "dst", "kind", "count"])
    e["first_at"] = pd.NaT
    e["last_at"] = pd.NaT
    return Projection(scope or Scope(area="oncology"), frame, e)


def tiny():
    """Hand-checkable: @onc_star is endorsed by three HCPs, @onc_peer by one; @pushed by six
    no-bio throwaways; @celebrity has huge reach but posts off topic; @brand posts a lot."""
    nodes = [
        {"account_id": "1", "handle": "onc_star", "role": "hcp"},
        {"account_id": "2", "handle": "onc_peer", "role": "hcp"},
        {"account_id": "3", "handle": "hcp_a", "role": "hcp"},
        {"account_id": "4", "handle": "hcp_b", "role": "hcp"},
        {"account_id": "5", "handle": "pushed", "role": "hcp"},
        {
            "account_id": "6",
            "handle": "celebrity",
            "role": "public",
            "followers": 3_000_000,
            "posts_total": 400,
            "posts_in_scope": 1,
            "original_posts_in_scope": 1,
            "likes": 90_000,
        },
        {
            "account_id": "7",
            "handle": "brand",
            "role": "brand",
            "posts_in_scope": 300,
            "posts_total": 300,
            "original_posts_in_scope": 300,
        },
        {"account_id": "8", "handle": "society", "role": "organisation"},
        {"account_id": "9", "handle": "patient_a", "role": "patient"},
    ]
    throwaways = [
        {
            "account_id": str(100 + i),
            "handle": f"tw{i}",
            "role": "unknown",
            "has_bio": False,
            "followers": 1,
            "posts_in_scope": 3,
        }
        for i in range(6)
    ]
    edges = [
        (2, 0, "MENTIONS", 3),
        (3, 0, "REPOSTS", 2),
        (1, 0, "MENTIONS", 1),
        (2, 1, "MENTIONS", 1),
        (0, 7, "MENTIONS", 2),
        (2, 7, "FOLLOWS", 1),
        (8, 5, "MENTIONS", 1),
        (8, 0, "REPOSTS", 1),
        (0, 2, "FOLLOWS", 1),
    ]
    edges += [(9 + i, 4, "MENTIONS", 5) for i in range(6)]
    return _projection(nodes + throwaways, edges)


def test_known_answer_tiny_graph():
    kol = rank(tiny(), "kol")
    assert kol["handle"].tolist()[:2] == ["onc_star", "onc_peer"]
    assert kol["handle"].tolist().index("pushed") > 2
    org = rank(tiny(), "organisation")
    assert org["handle"].tolist()[0] == "society"
    infl = rank(tiny(), "influencer")
    assert "celebrity" in infl["handle"].tolist()
    assert infl.set_index("handle").loc["celebrity", "relevance"] <= 0.05  # 1 post of 400


def test_score_is_reproducible_from_its_components():
    s = ScoringSettings()
    for kind in RankKind:
        table = rank(tiny(), kind, s)
        weights = kind.weights(s)
        for row in table.to_dict(orient="records"):
            combined = sum(w * row[c] for c, w in weights.items()) / sum(weights.values())
            expected = 100 * row["relevance"] ** s.relevance_exponent * combined
            assert row["score"] == pytest.approx(expected, abs=0.02)


def test_output_columns_and_candidates():
    table = rank(tiny(), "kol")
    assert list(table.columns) == OUTPUT_COLUMNS
    assert set(table["role"]) == {"hcp"}
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table["score"].is_monotonic_decreasing
    assert all(table[c].between(0, 1).all() for c in COMPONENTS)
    top = table.iloc[0]
    assert f"endorsed by {top['n_endorsers']} account(s): 3 peer(s)" in top["reasons"]
    assert "@hcp_b" in table.iloc[0]["reasons"]


def test_settings_change_the_result():
    base = rank(tiny(), "organisation")
    tweaked = ScoringSettings(organisation_weights={"engagement": 1.0})
    other = rank(tiny(), "organisation", tweaked)
    assert other["score"].tolist() != base["score"].tolist()
    with pytest.raises(ScoringError, match="unknown components"):
        rank(tiny(), "kol", ScoringSettings(kol_weights={"charisma": 1.0}))
    with pytest.raises(ScoringError, match="unknown kind"):
        rank(tiny(), "guru")


def test_empty_projection_gives_an_empty_table():
    empty = _projection([{"account_id": "1", "handle": "a", "role": "public"}], [])
    assert rank(empty, "kol").empty
    assert list(rank(empty, "kol").columns) == OUTPUT_COLUMNS


random_graph = st.integers(min_value=2, max_value=25).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.sampled_from(["hcp", "patient", "public", "organisation", "unknown"]),
            min_size=n,
            max_size=n,
        ),
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.sampled_from(["MENTIONS", "REPOSTS", "FOLLOWS", "QUOTES"]),
                st.integers(1, 5),
            ),
            max_size=60,
        ),
    )
)


def _from_random(data, order):
    n, roles, edges = data
    nodes = [
        {"account_id": f"a{i}", "handle": f"h{i}", "role": roles[i], "posts_in_scope": 1 + i % 3}
        for i in range(n)
    ]
    edges = [(s, d, k, c) for s, d, k, c in edges if s != d]
    # Present the same graph with nodes in another order.
    pos = {old: new for new, old in enumerate(order)}
    nodes = [nodes[i] for i in order]
    edges = [(pos[s], pos[d], k, c) for s, d, k, c in edges]
    return _projection(nodes, edges)


@settings(max_examples=40, deadline=None)
@given(random_graph, st.randoms(use_true_random=False))
def test_ranking_is_a_permutation_and_ignores_node_order(data, rnd):
    n = data[0]
    order = list(range(n))
    shuffled = order[:]
    rnd.shuffle(shuffled)
    for kind in RankKind:
        a = rank(_from_random(data, order), kind)
        b = rank(_from_random(data, shuffled), kind)
        assert sorted(a["account_id"]) == sorted(set(a["account_id"]))
        assert a["rank"].tolist() == list(range(1, len(a) + 1))
        sa = dict(zip(a["account_id"], a["score"], strict=True))
        sb = dict(zip(b["account_id"], b["score"], strict=True))
        assert sa.keys() == sb.keys()
        for k in sa:
            assert sa[k] == pytest.approx(sb[k], abs=1e-3)


def test_components_are_aligned_with_nodes():
    projection = tiny()
    comp = compute_components(projection, ScoringSettings())
    assert len(comp) == len(projection.nodes)
    assert comp["pagerank"].sum() == pytest.approx(1.0)
    star = projection.nodes.index[projection.nodes["handle"] == "onc_star"][0]
    assert comp.loc[star, "n_peer_endorsers"] == 3


def test_components_computed_once_serve_every_kind_the_map_and_the_congress_view(monkeypatch):
    from kolmap.export.network import graph_bytes
    from kolmap.scoring import components as components_module
    from kolmap.scoring.congress import drivers
    from kolmap.views.maps import build_map
    from kolmap.views.privacy import Privacy

    projection, settings = tiny(), ScoringSettings()
    comp = compute_components(projection, settings)
    expected = {kind: rank(projection, kind, settings) for kind in RankKind}
    expected_drivers = drivers(projection, settings)
    key = Privacy(b"k")
    expected_map = graph_bytes(
        build_map(projection, "kol", settings, seed=3, privacy=key).graph, "gexf"
    )
    calls: list[int] = []
    real = components_module.compute_components

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(components_module, "compute_components", counting)
    for kind in RankKind:
        given = rank(projection, kind, settings, components=comp)
        pd.testing.assert_frame_equal(given, expected[kind])
    pd.testing.assert_frame_equal(drivers(projection, settings, components=comp), expected_drivers)
    mapped = build_map(projection, "kol", settings, seed=3, components=comp, privacy=key)
    assert graph_bytes(mapped.graph, "gexf") == expected_map
    assert calls == []
    build_map(projection, "kol", settings, seed=3)
    assert calls == [1]  # the map's ranking reuses the map's components
    with pytest.raises(ScoringError, match="components for 2 accounts given for a scope of"):
        rank(projection, "kol", settings, components=comp.head(2))


def test_top_endorsers_match_a_plain_python_count():
    """The array version against sums and sorts written out by hand, on a random multigraph
    (repeated pairs, ties in weight, nodes with no endorser)."""
    from kolmap.scoring.components import top_endorsers

    rng = np.random.default_rng(5)
    n = 40
    src = rng.integers(0, n, 600)
    dst = rng.integers(0, n - 5, 600)  # the last five nodes are never endorsed
    weight = rng.choice([0.5, 1.0, 2.0], 600)
    sums: dict[int, dict[int, float]] = {}
    for s, d, w in zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True):
        sums.setdefault(d, {}).setdefault(s, 0.0)
        sums[d][s] += w
    expected = []
    for node in range(n):
        ranked = sorted(sums.get(node, {}).items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        expected.append([s for s, _ in ranked] + [-1] * (3 - len(ranked)))
    assert top_endorsers(n, src, dst, weight).tolist() == expected


def test_tiers_hold_their_share_of_the_full_list_whatever_top_cuts(sample_store):
    from dataclasses import replace

    from kolmap.scoring.rank import tiers

    projection = sample_store.projection(Scope(area="oncology"))
    by_share = replace(ScoringSettings(), tier_min_endorsers={})
    full = rank(projection, "any", by_share)
    n = len(full)
    assert n >= 100
    counts = full["tier"].value_counts()
    assert counts["global"] == n // 100 and counts.get("national", 0) == n * 5 // 100 - n // 100
    assert full["tier"].iloc[0] == "global" and full["tier"].iloc[-1] == "local"
    top3 = rank(projection, "any", by_share, top=3)
    assert top3["tier"].tolist() == full["tier"].head(3).tolist()
    assert tiers(3, {"global": 0.01, "regional": 0.5}) == ["regional", "local", "local"]
    # With the default reach thresholds, every tier's members have its reach, and an account
    # falls no further than the tier its reach allows.
    reached = rank(projection, "any")
    least = ScoringSettings().tier_min_endorsers
    for tier, minimum in least.items():
        members = reached[reached["tier"] == tier]
        assert (members["n_endorsers"] >= minimum).all(), tier
    assert (reached["tier"] != full["tier"]).sum() > 0  # some top accounts lack the reach


def test_congress_weights_and_topic_jump_share_are_settings(sample_store):
    """They used to be constants in the code, out of the settings' reach."""
    from dataclasses import replace

    from kolmap.scoring.congress import drivers

    projection = sample_store.projection(Scope(hashtags=("asco26",)))
    base = ScoringSettings()
    reach_only = replace(base, congress_weights={"audience": 1.0})
    by_reach = drivers(projection, reach_only)
    assert by_reach["score"].tolist() != drivers(projection, base)["score"].tolist()
    comp = compute_components(projection, base)
    audience = np.sqrt(comp["audience"].to_numpy())
    assert by_reach["score"].iloc[0] == 100.0  # audience alone: the largest audience leads
    assert audience.max() > 0
    area = sample_store.projection(Scope(area="oncology"))
    flat = compute_components(area, replace(base, topic_jump_share=0.0))["pagerank"]
    topical = compute_components(area, base)["pagerank"]
    assert not np.allclose(flat.to_numpy(), topical.to_numpy())


def test_institution_thresholds_are_settings():
    from dataclasses import replace

    from kolmap.ingest.roles.behaviour import institution_like
    from kolmap.settings import RoleSettings

    nodes = pd.DataFrame({"followers": [60_000, 60_000], "following": [10, 1_000]})
    assert institution_like(nodes, RoleSettings()).tolist() == [True, False]
    looser = replace(RoleSettings(), institution_follower_ratio=50.0)
    assert institution_like(nodes, looser).tolist() == [True, True]


def _reference_community_summary(projection, components, posts=None):
    """community_summary as first written: a pandas groupby, hashtags counted post by post
    (the oracle the faster one must match byte for byte)."""
    from collections import Counter

    from kolmap.scoring.components import PEER_ROLES
    from kolmap.scoring.explain import MENTIONED_ONLY

    table = projection.nodes[["platform", "account_id", "handle", "role"]].copy()
    table["peer"] = table["role"].isin(PEER_ROLES)
    # Accounts known only from mentions are counted apart from the roles of profiles.
    table["role"] = table["role"].where(~projection.nodes["is_stub"].astype(bool), MENTIONED_ONLY)
    table["community"] = components["community"].to_numpy()
    table["pagerank"] = components["pagerank"].to_numpy()
    tags: dict[int, Counter[str]] = {}
    if posts is not None and not posts.empty:
        where = dict(
            zip(
                zip(table["platform"], table["account_id"], strict=True),
                table["community"],
                strict=True,
            )
        )
        for platform, author, hashtags in zip(
            posts["platform"], posts["author_id"], posts["hashtags"], strict=True
        ):
            community = where.get((platform, author))
            if community is not None and len(hashtags):
                tags.setdefault(int(community), Counter()).update(hashtags)
    rows = []
    for label, group in table.groupby("community"):
        community = int(str(label))
        group = group.sort_values("pagerank", ascending=False)
        roles = group["role"].value_counts()
        rows.append(
            {
                "community": community,
                "size": len(group),
                "roles": ", ".join(f"{r} {n}" for r, n in roles.items()),
                "peer_share": round(float(group["peer"].mean()), 3),
                "leaders": [
                    (str(p), str(a), str(h) if isinstance(h, str) else str(a))
                    for p, a, h in zip(
                        group["platform"].head(10),
                        group["account_id"].head(10),
                        group["handle"].head(10),
                        strict=True,
                    )
                ],
                "top_hashtags": [
                    "#" + t for t, _n in tags.get(community, Counter()).most_common(8)
                ],
                "influence": round(float(group["pagerank"].sum()), 4),
            }
        )
    return pd.DataFrame(rows).sort_values(
        ["size", "community"], ascending=[False, True], ignore_index=True
    )


@pytest.mark.parametrize(
    "scope",
    [
        Scope(),
        Scope(area="oncology"),
        Scope(area="diabetes", platforms=("x",)),
        Scope(hashtags=("asco26",)),
    ],
    ids=["all", "oncology", "diabetes-x", "hashtag"],
)
def test_community_summary_and_its_hashtags_in_sql_match_the_plain_count(sample_store, scope):
    import pickle

    from kolmap.scoring.explain import community_hashtags, community_summary

    proj = sample_store.projection(scope)
    comp = compute_components(proj, ScoringSettings())
    posts = sample_store.posts(scope)
    expected = _reference_community_summary(proj, comp, posts)
    groups = proj.nodes[["platform", "account_id"]].assign(group=comp["community"].to_numpy())
    from_sql = community_summary(
        proj, comp, hashtags=community_hashtags(sample_store.top_hashtags_by_group(scope, groups))
    )
    assert expected["top_hashtags"].map(len).sum() > 0
    for found in (from_sql, community_summary(proj, comp, posts)):
        assert pickle.dumps(found) == pickle.dumps(expected)
    without = community_summary(proj, comp)
    assert pickle.dumps(without) == pickle.dumps(_reference_community_summary(proj, comp))
    if proj.nodes["is_stub"].any():  # counted apart, not as "unknown" (browser check)
        assert from_sql["roles"].str.contains("mentioned only").any()


def test_monthly_activity_counts_reposts_as_activity_without_their_engagement():
    """A repost carries the original post's counts in most exports: it is the account's
    activity, not engagement it earned (the profile chart once summed them)."""
    from kolmap.scoring.explain import monthly_activity

    posts = pd.DataFrame(
        {
            "created_at": pd.to_datetime(
                ["2019-06-18T10:00Z", "2019-06-19T10:00Z", "2019-08-01T10:00Z"]
            ),
            "likes": [5, 900, 1],
            "reposts": [2, 300, 0],
            "replies": [1, None, 0],
            "repost_of_post_id": [None, "77", None],
        }
    )
    activity = monthly_activity(posts)
    assert activity["month"].dt.strftime("%Y-%m").tolist() == ["2019-06", "2019-07", "2019-08"]
    assert activity["posts"].tolist() == [2, 0, 1]
    assert activity["engagement"].tolist() == [8, 0, 1]


def test_monthly_activity_marks_the_months_the_data_covers_in_part():
    """A real 2014 file ends on 1 July: its July held a few hours of posts and the chart
    read as a collapse from 25 posts to 1 (browser check on the #Celiac file)."""
    from datetime import date

    from kolmap.scoring.explain import monthly_activity

    posts = pd.DataFrame(
        {
            "created_at": pd.to_datetime(
                ["2014-02-04T20:00Z", "2014-04-10T10:00Z", "2014-06-20T10:00Z", "2014-07-01T06:00Z"]
            ),
            "likes": [1, 1, 1, 1],
            "reposts": [0, 0, 0, 0],
            "replies": [0, 0, 0, 0],
        }
    )
    covered = monthly_activity(posts, (date(2014, 2, 4), date(2014, 7, 1)))
    assert covered["partial"].tolist() == [True, False, False, False, False, True]
    whole = monthly_activity(posts, (date(2014, 1, 1), date(2014, 7, 31)))
    assert not whole["partial"].any()
    assert not monthly_activity(posts)["partial"].any()  # coverage unknown: nothing marked


def test_a_dol_list_scores_each_hcp_by_the_dol_axis_printed_beside_it():
    """A DOL list holds HCPs only, while both axes are scaled among all peers (HCPs and
    researchers). Scaled among its own candidates, the list's score differed from the DOL
    axis wherever a researcher led a component: on SER 2019 an HCP scored 55.2 on the DOL
    list with a DOL axis of 25.0."""
    nodes = [
        {"account_id": "1", "handle": "hcp_a", "role": "hcp"},
        {"account_id": "2", "handle": "hcp_b", "role": "hcp"},
        {"account_id": "3", "handle": "star_researcher", "role": "researcher"},
    ] + [{"account_id": str(10 + i), "handle": f"fan{i}", "role": "patient"} for i in range(12)]
    edges = [(3 + i, 2, "MENTIONS", 1) for i in range(12)]  # the researcher's wide lay audience
    edges += [(3 + i, 0, "MENTIONS", 1) for i in range(4)]
    edges += [(3 + i, 1, "REPOSTS", 1) for i in range(2)]
    edges += [(0, 1, "MENTIONS", 1), (1, 0, "MENTIONS", 1)]
    projection = _projection(nodes, edges)
    dol = rank(projection, "dol")
    assert set(dol["role"]) == {"hcp"}
    assert dol["score"].tolist() == dol["dol_score"].tolist()
    kol = rank(projection, "kol")
    assert kol["score"].tolist() == kol["kol_score"].tolist()
    # Scaled among the peers, an HCP does not reach 100 when a researcher leads.
    assert dol["score"].max() < 100
    # The researcher's DOL score is blank beside the KOL list: no DOL list can hold them.
    by_role = kol.set_index("role")
    assert pd.isna(by_role.loc["researcher", "dol_score"])
    assert kol.loc[kol["role"] == "hcp", "dol_score"].notna().all()


def test_an_hcp_no_peer_endorses_has_no_standing_among_peers():
    """The random jump alone gave an unendorsed HCP a third of the leader's peer PageRank in
    a small area (a real 2014 #Celiac file: #6 of the KOL list with no peer endorser). The
    axis PageRanks count what arrives through edges only."""
    nodes = [
        {"account_id": "a", "handle": "star", "role": "hcp"},
        {"account_id": "b", "handle": "peer", "role": "hcp"},
        {"account_id": "c", "handle": "alone", "role": "hcp", "likes": 500},
        {"account_id": "d", "handle": "fan", "role": "patient"},
    ]
    edges = [(1, 0, "MENTIONS", 3), (0, 1, "REPOSTS", 1), (3, 2, "REPOSTS", 2)]
    comp = compute_components(_projection(nodes, edges), ScoringSettings())
    assert comp.loc[2, "peer_pagerank"] == 0.0
    assert comp.loc[0, "peer_pagerank"] > 0 and comp.loc[1, "peer_pagerank"] > 0
    assert comp.loc[2, "lay_pagerank"] > 0  # the patient's repost is lay reach
    kol = rank(_projection(nodes, edges), "kol").set_index("handle")
    assert kol.loc["alone", "score"] < 0.25 * kol.loc["peer", "score"]


def test_the_reasons_say_when_few_posts_hold_relevance_down():
    """ "16/16 posts in scope (relevance 0.84)" beside "1/1 (relevance 0.25)" read as a
    contradiction on a real store: the reasons now say the few posts held it down."""
    nodes = [
        {
            "account_id": "1",
            "handle": "steady",
            "role": "hcp",
            "posts_total": 16,
            "posts_in_scope": 16,
        },
        {"account_id": "2", "handle": "once", "role": "hcp", "posts_total": 1, "posts_in_scope": 1},
    ] + [{"account_id": str(10 + i), "handle": f"peer{i}", "role": "hcp"} for i in range(4)]
    edges = [(2 + i, 0, "MENTIONS", 1) for i in range(4)] + [(2, 1, "MENTIONS", 1)]
    table = rank(_projection(nodes, edges), "kol").set_index("handle")
    assert (
        "1/1 posts in scope (relevance 0.25: few posts, less evidence)"
        in (table.loc["once", "reasons"])
    ), table.loc["once", "reasons"]
    assert "16/16 posts in scope (relevance 0.84)" in table.loc["steady", "reasons"]
