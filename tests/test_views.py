"""The views layer: privacy on by default, a thread-safe seeded map, logged downloads."""

from __future__ import annotations

import ast
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kolmap.export.downloads import export_download, map_download, table_download
from kolmap.graph.store import Scope
from kolmap.scoring.communities import leiden
from kolmap.settings import ScoringSettings
from kolmap.views.maps import build_map
from kolmap.views.privacy import Privacy, load_key

REPO = Path(__file__).resolve().parent.parent


def test_a_map_built_without_privacy_protects_private_individuals(sample_store):
    projection = sample_store.projection(Scope(area="oncology"))
    private = projection.nodes[projection.nodes["role"].isin(["patient", "public", "unknown"])]
    assert len(private) > 0
    graph = build_map(projection, "influencer", ScoringSettings(), top=None).graph
    shown = {str(a.get("account_id")) for _, a in graph.nodes(data=True)}
    handles = {str(a.get("handle")) for _, a in graph.nodes(data=True)}
    assert not set(private["account_id"].astype(str)) & shown
    assert not set(private["handle"].dropna().astype(str)) & handles
    identities = [a["identity"] for _, a in graph.nodes(data=True)]
    assert identities.count("pseudonym") >= len(private) - projection.nodes["is_stub"].sum() - 5
    revealed = build_map(projection, "influencer", ScoringSettings(), top=None,
                         privacy=Privacy.revealed()).graph  # fmt: skip
    assert {a["identity"] for _, a in revealed.nodes(data=True)} == {"named"}


def test_the_key_file_setting_is_used(tmp_path, monkeypatch):
    from kolmap.settings import PrivacySettings

    monkeypatch.delenv("KOLMAP_PSEUDONYM_KEY", raising=False)
    chosen = tmp_path / "keys" / "team.key"
    key = load_key(tmp_path / "s.duckdb", PrivacySettings(key_file=str(chosen)))
    assert chosen.read_text().strip().encode() == key
    assert chosen.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "s.pseudonym.key").exists()
    assert load_key(tmp_path / "s.duckdb") != key  # the default file beside the store


def test_seeded_communities_are_the_same_in_every_thread():
    """Before the lock, two threads seeding igraph's one generator mixed their draws
    (63 of 480 runs differed here)."""
    rng = np.random.default_rng(0)
    n, m = 300, 1200
    src, dst, w = rng.integers(0, n, m), rng.integers(0, n, m), np.ones(m)
    expected = {s: leiden(n, src, dst, w, seed=s).tolist() for s in range(4)}
    wrong: list[int] = []

    def work(seed: int) -> None:
        for _ in range(30):
            if leiden(n, src, dst, w, seed=seed).tolist() != expected[seed]:
                wrong.append(seed)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(i % 4,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []


def test_downloads_are_logged_only_when_logged_and_say_what_they_hold(sample_store):
    before = len(sample_store.export_log())
    ranking = export_download(
        sample_store, Scope(area="oncology"), kind="kol", fmt="csv", file_name="k.csv", top=10
    )
    table = table_download(pd.DataFrame({"a": [1, 2]}), "xlsx", "s.xlsx", about={},
                           filters={"shortlist": 2}, pseudonymised=True)  # fmt: skip
    graph = build_map(sample_store.projection(Scope(area="oncology")), "kol", ScoringSettings())
    gexf = map_download(graph.graph, "gexf", "m.gexf", title="t", filters={}, pseudonymised=True)
    assert len(sample_store.export_log()) == before  # nothing logged until downloaded
    assert ranking.rows == 10 and ranking.data.count(b"\n") == 11 and ranking.pseudonymised
    assert table.data[:2] == b"PK" and gexf.data.startswith(b"<?xml")
    for download in (ranking, table, gexf):
        download.log(sample_store)
    log = sample_store.export_log().head(3).iloc[::-1]  # newest first
    assert log["path"].tolist() == ["download:k.csv", "download:s.xlsx", "download:m.gexf"]
    assert log["sha256"].tolist() == [d.sha256 for d in (ranking, table, gexf)]
    assert log["rows"].tolist() == [10, 2, graph.graph.number_of_nodes()]


def _calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("page", sorted((REPO / "ui" / "app_pages").glob("*.py")), ids=str)
def test_pages_neither_offer_files_nor_handle_keys_themselves(page):
    """Every download goes through widgets.download_button (which logs it), and privacy is
    decided in ui/state.py only."""
    assert "download_button" not in _calls(page) or "widgets" in page.read_text()
    text = page.read_text("utf-8")
    assert ".download_button(" not in text.replace("widgets.download_button(", "")
    assert not {i for i in _imports(page) if i.startswith("kolmap.views.privacy")}
    assert "load_key" not in text


def test_one_account_is_private_exactly_when_the_column_rule_says_so():
    """Privacy.is_private (one account, used to name thousands) agrees with private_mask."""
    from kolmap.model import Role
    from kolmap.views.privacy import private_mask

    roles = pd.Series([*(r.value for r in Role), None, float("nan")] * 2, dtype=object)
    stubs = pd.Series([False] * (len(roles) // 2) + [True] * (len(roles) // 2))
    shown = Privacy(b"k")
    one = [shown.is_private(r, bool(s)) for r, s in zip(roles, stubs, strict=True)]
    assert one == private_mask(roles, stubs).tolist() == shown.hidden(roles, stubs).tolist()
    assert not any(
        Privacy.revealed().is_private(r, bool(s)) for r, s in zip(roles, stubs, strict=True)
    )
    assert not Privacy.revealed().hidden(roles, stubs).any()


@pytest.mark.realdata
def test_the_congress_page_proposes_a_real_conferences_own_hashtag(realdata, tmp_path):
    """On the 2019 epidemiology-conference file the taxonomy's congress list found only
    #ASCO19 and #AIDS (a post each); the conference's own #SER2019 comes first now."""
    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.ingest.areas import load_taxonomy
    from kolmap.ingest.pipeline import ingest_paths
    from kolmap.views.congresses import congress_candidates

    source = realdata / "epidemiology_conference_tweets_ser" / "ser2019_tweets.csv"
    with DuckDBStore(tmp_path / "ser.duckdb") as store:
        ingest_paths(store, [source], quarantine_dir=tmp_path / "q")
        tags = store.top_hashtags(limit=500)["tag"]
    assert congress_candidates(tags, load_taxonomy())[:2] == ["ser2019", "sper2019"]


def test_community_names_leave_out_the_hashtags_every_community_shares():
    """On a congress file every community's top hashtag is the congress's: names built on
    it were all alike. They use the hashtags that tell communities apart."""
    from kolmap.views.communities import describe_communities

    summary = pd.DataFrame(
        {
            "community": [0, 1, 2],
            "top_hashtags": [
                ["#ser2019", "#causalinference"],
                ["#ser2019", "#epitwitter", "#healthequity"],
                ["#ser2019", "#epitwitter", "#injuryprevention"],
            ],
        }
    )
    nodes = pd.DataFrame({"role": ["researcher"] * 6, "specialty": [None] * 6})
    components = pd.DataFrame({"community": [0, 0, 1, 1, 2, 2], "automation_risk": [0.0] * 6})
    names = describe_communities(summary, nodes, components, automation_flag=0.6)["name"]
    assert names.tolist() == [
        "researchers · #causalinference",
        "researchers · #healthequity",  # #epitwitter: in two of the three, more than half
        "researchers · #injuryprevention",
    ]


def test_communities_the_words_cannot_tell_apart_are_numbered():
    """Three communities of a real congress file read "unidentified accounts · #ismbeccb
    #ismb2017" alike in the table and the picker (a browser check)."""
    from kolmap.views.communities import describe_communities

    summary = pd.DataFrame({"community": [0, 1, 2], "top_hashtags": [["#ismb"]] * 3})
    nodes = pd.DataFrame({"role": ["unknown"] * 6, "specialty": [None] * 6})
    components = pd.DataFrame({"community": [0, 0, 1, 1, 2, 2], "automation_risk": [0.0] * 6})
    names = describe_communities(summary, nodes, components, automation_flag=0.6)["name"]
    first = names.iloc[0]
    assert names.tolist() == [first, f"{first} (2)", f"{first} (3)"]


def test_a_person_without_a_display_name_is_named_by_handle_not_nan(sample_store, tmp_path):
    """Accounts known only by handle (2014 Topsy-era files) have no display name: the
    person's name is ``@handle on x``, never ``nan (@handle on x)``, in the persons table and
    the quadrant."""
    from kolmap.ingest.pipeline import ingest_paths
    from kolmap.views.persons import person_links, persons_table, quadrant_table

    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "accounts.csv").write_text(
        "platform,account_id,handle,display_name,bio\n"
        "x,9101,drnoname,,Rheumatologist at a university hospital\n"
        "x,9102,drnamed,Ana Named,Rheumatologist at a university hospital\n"
    )
    ingest_paths(sample_store, [folder], quarantine_dir=tmp_path / "q")
    table = persons_table(person_links(sample_store))
    names = dict(zip(table["person_id"], table["name"], strict=True))
    assert names["person:x:9101"] == "@drnoname on x"
    assert names["person:x:9102"] == "Ana Named (@drnamed on x)"
    quadrant = quadrant_table(sample_store, None)
    for shown in (table["name"], quadrant["name"]):
        bad = shown[shown.isna() | shown.astype(str).str.contains(r"\b(?:nan|None)\b")]
        assert bad.empty, bad.tolist()


def test_no_candidates_note_names_inactive_candidates_apart_from_missing_roles():
    from kolmap.views.coverage import no_candidates_note

    nodes = pd.DataFrame({"role": ["hcp", "public", "hcp"], "is_stub": [False, False, True]})
    note = no_candidates_note(nodes, "dol", "oncology")
    assert note.startswith("No DOL candidates in oncology: its 1 HCPs neither post nor")
    none = no_candidates_note(nodes.iloc[0:0], "kol", "oncology")
    assert none == "No KOL candidates in oncology: it holds no account."
    only_stub = no_candidates_note(nodes.iloc[[2]], "kol", "all areas")
    assert only_stub == "No KOL candidates in all areas: it holds no account."
