"""The Profile page's own lines, under AppTest on a copy of the sample store."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")

from . import test_ui
from .test_ui import add_accounts, open_page, opened

app_store = test_ui.app_store  # the app's store fixture: a copy of the sample


def test_the_specialty_and_evidence_line_reads_cleanly(app_store, tmp_path):
    """A researcher has no specialty and the rules' evidence ends with their confidence: the
    line read "— · evidence: bio:…; rules 0.85 (0.85 confidence)"."""
    add_accounts(
        app_store,
        tmp_path,
        "bio,location\nx,9201,epi_prof,Epi Prof,Assistant professor of epidemiology,Leeds\n",
    )
    at = open_page("profile")
    at.text_input(key="profile_search").set_value("epi_prof").run()
    assert not at.exception, [e.value for e in at.exception]
    line = next(t.value for t in at.text if "confidence" in t.value)
    assert line.startswith("evidence: bio:"), line
    assert "—" not in line and "rules 0." not in line, line
    confidence = line.rsplit("confidence ", 1)[1]
    assert line.count(confidence) == 1 and line.endswith(f"by the rules, confidence {confidence}")


def _private_account(app_store):
    """A private individual of the sample (a patient), with the pseudonym the app shows."""
    from kolmap.ui import state

    with opened(app_store) as store:
        every = store.accounts()
    row = every[(every["role"] == "patient") & ~every["is_stub"]].iloc[0]
    name = state.privacy().pseudonym(str(row["platform"]), str(row["account_id"]))
    return row, name


def test_a_private_individual_is_found_by_pseudonym_never_by_hidden_handle(app_store):
    """Searching a patient's real handle showed the pseudonym it hides behind (a real store,
    December 2026); a link names them by pseudonym, and it opens their profile."""
    from streamlit.testing.v1 import AppTest

    at = open_page("profile")
    row, name = _private_account(app_store)
    at.text_input(key="profile_search").set_value(str(row["handle"])).run()
    assert not at.exception, [e.value for e in at.exception]
    picks = [b for b in at.selectbox if b.key == "profile_pick"]
    assert not picks or not any(str(o).startswith(name) for o in picks[0].options)
    at.text_input(key="profile_search").set_value(name).run()
    assert at.selectbox(key="profile_pick").value.startswith(name)
    linked = AppTest.from_file(test_ui.APP, default_timeout=120)
    linked.query_params["account"] = f"{row['platform']}:{name}"
    linked.run()
    linked.switch_page("app_pages/profile.py").run()
    assert not linked.exception, [e.value for e in linked.exception]
    assert linked.selectbox(key="profile_pick").value.startswith(name)
    assert str(row["handle"]) not in " ".join(h.value for h in linked.header)


def test_a_profile_link_opens_in_the_area_it_names(app_store):
    """A Leaderboard in an area linked to a profile on all data: other scores than the
    ones clicked."""
    from streamlit.testing.v1 import AppTest

    with opened(app_store) as store:
        every = store.accounts()
    hcp = every[(every["role"] == "hcp") & ~every["is_stub"]].iloc[0]
    at = AppTest.from_file(test_ui.APP, default_timeout=120)
    at.query_params.update(
        {"account": f"{hcp['platform']}:{hcp['account_id']}", "area": "oncology"}
    )
    at.run()
    at.switch_page("app_pages/profile.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="profile_area").value == "oncology"


def test_a_researchers_profile_says_they_have_no_dol_score(app_store):
    """DOL lists hold HCPs only; a researcher's Profile showed "DOL score 0.0" as if they
    ranked last in one."""
    from kolmap.graph.store import Scope
    from kolmap.scoring.rank import rank

    with opened(app_store) as store:
        kol = rank(store.projection(Scope()), "kol")
    researcher = kol[kol["role"] == "researcher"].iloc[0]
    at = open_page("profile")
    at.text_input(key="profile_search").set_value(str(researcher["handle"])).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["DOL score (lay reach)"] == "none", metrics
    assert metrics["KOL score (peers)"] != "none"
    assert any("drawn at DOL 0: they have no DOL score" in c.value for c in at.caption)


def test_the_label_search_finds_a_private_individual_by_pseudonym_only(app_store):
    """The Ingest page's "Correct a label" search matched a patient's real handle and
    answered "anon-… — now patient": anyone trying handles could unmask a pseudonym. It
    follows the Profile search's rule now."""
    at = open_page("ingest")
    row, name = _private_account(app_store)
    at.text_input(key="lab_search").set_value(str(row["handle"])).run()
    assert not at.exception, [e.value for e in at.exception]
    picks = [b for b in at.selectbox if b.key == "lab_pick"]
    assert not picks or not any(str(o).startswith(name) for o in picks[0].options), picks
    at.text_input(key="lab_search").set_value(name).run()
    pick = at.selectbox(key="lab_pick")
    assert pick.format_func(pick.value).startswith(name)


@pytest.mark.realdata
def test_the_posts_chart_says_what_it_leaves_undated(realdata, tmp_path, monkeypatch):
    """Retweets rebuilt from a 2014 file's text have no time: a Profile's "Posts over time"
    drew 16 of an account's 21 posts with no word of the other 5."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.ingest.pipeline import ingest_paths

    path = tmp_path / "cholera.duckdb"
    source = realdata / "healthcare_hashtag_tweets_2014" / "Tweets_Cholera_full.csv"
    with DuckDBStore(path) as store:
        ingest_paths(store, [source], quarantine_dir=tmp_path / "q")
        (handle, undated, total), *_ = store.db.rows(
            """SELECT a.handle, count(*) FILTER (WHERE p.created_at IS NULL), count(*)
               FROM posts p JOIN accounts a
                 ON a.platform = p.platform AND a.account_id = p.author_id
               WHERE a.inferred_role = 'organisation'
               GROUP BY a.handle HAVING count(*) FILTER (WHERE p.created_at IS NULL) > 0
                  AND count(*) FILTER (WHERE p.created_at IS NOT NULL) > 0
               ORDER BY a.handle"""
        )
    monkeypatch.setenv("KOLMAP_STORE", str(path))
    monkeypatch.setenv("KOLMAP_PSEUDONYM_KEY", "test-key")
    at = AppTest.from_file(str(Path(test_ui.APP)), default_timeout=120)
    at.run()
    at.switch_page("app_pages/profile.py").run()
    at.text_input(key="profile_search").set_value(handle).run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"{undated:,} of {total:,} posts have no date and are not drawn." in [
        c.value for c in at.caption
    ]
