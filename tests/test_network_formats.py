"""Network files (GraphML, GML, edge and contact lists) and canonical edges.csv: imported
relations without posts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths
from kolmap.model import AccountKey
from kolmap.scoring.rank import rank

from .conftest import ingest_files, write

GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="v_name" for="node" attr.name="name" attr.type="string"/>
  <key id="e_w" for="edge" attr.name="weight" attr.type="double"/>
  <graph id="G" edgedefault="directed">
    <node id="n0"><data key="v_name">DrHub</data></node>
    <node id="n1"><data key="v_name">fan_a</data></node>
    <node id="n2"><data key="v_name">fan_b</data></node>
    <edge source="n1" target="n0"><data key="e_w">3</data></edge>
    <edge source="n2" target="n0"/>
    <edge source="n2" target="n0"/>
    <edge source="n0" target="n0"/>
  </graph>
</graphml>
"""


def test_graphml_mentions_become_relations_and_fold_into_real_ids(store, tmp_path):
    summary = ingest_files(store, write(tmp_path, "conf_mentions.graphml", GRAPHML), platform="x")
    report = summary.files[0]
    assert report.format == "graphml"
    assert (report.rows_read, report.rows_quarantined) == (7, 0)
    assert report.repaired == {"self-relation-ignored": 1}
    edges = store.sql("SELECT src_id, dst_id, kind, count FROM edges ORDER BY 1")
    assert edges.values.tolist() == [
        ["@fan_a", "@drhub", "MENTIONS", 3],
        ["@fan_b", "@drhub", "MENTIONS", 2],
    ]
    top = rank(store.projection(Scope()), "any", top=1)
    assert top["handle"].iloc[0] == "DrHub"
    assert store.projection(Scope(area="oncology")).edges.empty  # no topic: untopical only
    ingest_files(
        store,
        write(
            tmp_path / "b",
            "accounts.csv",
            "platform,account_id,handle,bio\nx,900,drhub,Oncologue\n",
        ),
    )
    edges = store.sql("SELECT src_id, dst_id FROM edges ORDER BY 1")
    assert edges.values.tolist() == [["@fan_a", "900"], ["@fan_b", "900"]]
    before = store.fingerprint()
    ingest_files(store, tmp_path / "conf_mentions.graphml", platform="x")
    assert store.fingerprint() == before  # re-import changes nothing, counts not doubled


def test_a_network_of_another_platforms_handles_is_said_to_be(store, tmp_path):
    """A publisher's mention graph ingested with its tweets (the real ISMB/ECCB 2017 files)
    made 2,198 people two accounts each, 'network' and 'x', both ranked. The run says so
    and how to read them as one; a network of other names, or one given its platform, is
    not mentioned; nothing is merged behind the user's back."""
    accounts = "platform,account_id,handle\nx,1,DrHub\nx,2,fan_a\nx,3,someone\n"
    first = ingest_files(store, write(tmp_path / "a", "accounts.csv", accounts))
    assert first.notes == []
    summary = ingest_files(store, write(tmp_path / "b", "conf_mentions.graphml", GRAPHML))
    assert len(summary.notes) == 1, summary.notes
    assert summary.notes[0].startswith("2 of the 3 accounts of network files (platform 'network')")
    assert "--platform x" in summary.notes[0]
    assert store.sql("SELECT count(*) FROM accounts WHERE platform = 'network'").iat[0, 0] == 3
    given = ingest_files(store, tmp_path / "b" / "conf_mentions.graphml", platform="x")
    assert given.notes == []
    other = GRAPHML.replace("DrHub", "nobody_1").replace("fan_a", "nobody_2")
    with DuckDBStore(tmp_path / "other.duckdb") as fresh:
        ingest_files(fresh, write(tmp_path / "c", "accounts.csv", accounts))
        alone = ingest_files(fresh, write(tmp_path / "d", "conf_mentions.graphml", other))
        assert alone.notes == []  # none of its 3 handles is an x account's


def test_gml_undirected_graph_goes_both_ways(store, tmp_path):
    gml = """graph [
  node [ id 0 label "Alpha" ]
  node [ id 1 label "Beta" ]
  node [ id 2 label "Gamma" ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 value 4 ]
]
"""
    summary = ingest_files(store, write(tmp_path, "club.gml", gml))
    assert summary.files[0].format == "gml"
    kinds = store.sql("SELECT DISTINCT platform, kind FROM edges")
    assert kinds.values.tolist() == [["network", "INTERACTS"]]
    assert store.stats()["imported_edges"] == 4
    assert store.sql("SELECT count FROM edges WHERE src_id = '@gamma'")["count"].iloc[0] == 4


def test_contact_list_with_role_metadata(store, tmp_path):
    write(tmp_path / "h", "metadata_ward.dat", "1 MED\n2 NUR\n3 PAT\n4 ADM\n")
    write(tmp_path / "h", "contacts.dat", "20 1 2\n40 1 2\n60 2 3\n80 1 3\n100 4 1\n")
    summary = ingest_files(store, tmp_path / "h" / "contacts.dat")
    assert summary.files[0].format == "edge-list"
    roles = store.accounts()[["account_id", "role"]].values.tolist()
    assert roles == [["1", "hcp"], ["2", "hcp"], ["3", "patient"], ["4", "public"]]
    pair = store.sql("SELECT count FROM edges WHERE src_id = '1' AND dst_id = '2'")
    assert pair["count"].iloc[0] == 2 and store.stats()["imported_edges"] == 8
    kol = rank(store.projection(Scope()), "kol", top=2)
    assert kol["account_id"].tolist()[0] == "1"


def test_edge_list_with_header_and_node_names(store, tmp_path):
    write(tmp_path / "e", "node_names.csv", "node_id,name\n1,alice\n2,bob\n3,carol\n")
    write(tmp_path / "e", "retweets.txt", "3 4\n1 2\n3 2\n2 2\nx y\n")
    summary = ingest_files(store, tmp_path / "e" / "retweets.txt", platform="x")
    report = summary.files[0]
    assert (report.rows_read, report.rows_quarantined) == (4, 1)  # 'x y'
    assert report.repaired == {"self-relation-ignored": 1}
    edges = store.sql("SELECT src_id, dst_id, kind FROM edges ORDER BY 1")
    assert edges.values.tolist() == [["@alice", "@bob", "REPOSTS"], ["@carol", "@bob", "REPOSTS"]]


def test_a_folder_says_its_node_names_file_was_read_with_the_edge_list(store, tmp_path):
    """Given the folder, node_names.csv was listed as "not a format kolmap recognises",
    although the edge list had read it (a real retweet-network dataset)."""
    write(tmp_path / "e", "node_names.csv", "node_id,name\n1,alice\n2,bob\n")
    write(tmp_path / "e", "metadata_ward.dat", "1 MED\n2 NUR\n")
    write(tmp_path / "e", "retweets.txt", "1 2\n2 1\n")
    write(tmp_path / "e", "README.md", "About this dataset\n")
    summary = ingest_files(store, tmp_path / "e", platform="x")
    reasons = {Path(path).name: reason for path, reason in summary.skipped}
    edges = str(tmp_path / "e" / "retweets.txt")
    assert reasons == {
        "node_names.csv": f"not read alone: {edges} reads it as its node names",
        "metadata_ward.dat": f"not read alone: {edges} reads it as its node roles",
        "README.md": "not a format kolmap recognises",
    }
    assert set(store.accounts()["handle"]) == {"alice", "bob"}


def test_canonical_edges_csv(store, tmp_path):
    write(
        tmp_path,
        "nodexl_edges.csv",
        "platform,src_id,dst_id,kind,count\nx,1,2,mentions,3\nx,2,1,follows,\nx,1,3,,\nx,1,1,,\n",
    )
    summary = ingest_files(store, tmp_path / "nodexl_edges.csv")
    assert summary.files[0].format == "canonical"
    assert summary.files[0].records == {"edges": 2, "follows": 1}
    assert store.stats()["follows"] == 1
    kinds = dict(
        zip(
            store.sql("SELECT dst_id, kind FROM edges")["dst_id"],
            store.sql("SELECT dst_id, kind FROM edges")["kind"],
            strict=True,
        )
    )
    assert kinds == {"2": "MENTIONS", "3": "INTERACTS"}
    assert store.erase([AccountKey("x", "1")])["edges"] == 2


REAL_NETWORKS = [
    ("conference_tweets_rtweet_neilfws/abacbs2017_mentions.graphml", "x"),
    ("conference_tweets_rtweet_neilfws/abacbs2017_replies.graphml", "x"),
    ("conference_tweets_rtweet_neilfws/amca19_mentions_k3.graphml", "x"),
    ("conference_tweets_rtweet_neilfws/amca19_replies.graphml", "x"),
    ("conference_tweets_rtweet_neilfws/ismbeccb2017_mentions.graphml", "x"),
    ("conference_tweets_rtweet_neilfws/ismbeccb2017_replies.graphml", "x"),
    ("conference_tweets_rtweet_neilfws/lorne_mentions.graphml", "x"),
    ("conference_tweets_rtweet_neilfws/lorne_replies.graphml", "x"),
    ("classic_gml_communities/dolphins.gml", None),
    ("classic_gml_communities/football.gml", None),
    ("classic_gml_communities/polbooks.gml", None),
    ("classic_gml_communities/polblogs.gml", None),
    ("ahca_healthcare_retweet_network/dataset_twitter.txt", "x"),
    ("email_eu_core/email-Eu-core.txt", None),
    ("sociopatterns_hospital_lyon/tij_hospital.dat", None),
]


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize(("relative", "platform"), REAL_NETWORKS)
def test_real_networks_ingest_and_rank(realdata, tmp_path, relative, platform):
    with DuckDBStore(tmp_path / "net.duckdb") as store:
        summary = ingest_paths(
            store, [realdata / relative], quarantine_dir=tmp_path / "q", platform=platform
        )
        report = summary.files[0]
        assert report.rows_accepted + report.rows_quarantined == report.rows_read
        assert report.rows_quarantined <= 0.05 * report.rows_read  # self-loops only
        assert store.stats()["imported_edges"] > 0
        assert len(rank(store.projection(Scope()), "any", top=10)) == 10
