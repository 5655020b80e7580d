"""The app, page by page, under Streamlit's AppTest: a real flow on each page, on a real store."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.location import StoreLocation
from kolmap.graph.store import Scope
from kolmap.model import AccountKey

from .conftest import settle

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


@pytest.fixture
def app_store(sample_store_path: Path, tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "ui.duckdb"
    shutil.copy(sample_store_path, path)
    monkeypatch.setenv("KOLMAP_STORE", str(path))
    monkeypatch.setenv("KOLMAP_PSEUDONYM_KEY", "test-key")
    # The tests that reveal identities need a project that allows it; the app reads its
    # settings once per process.
    monkeypatch.setenv("KOLMAP_PRIVACY_ALLOW_IDENTITIES", "true")
    from kolmap.ui import state

    state.settings.clear()
    return path


def opened(path: Path) -> DuckDBStore:
    """The app's store, opened by the test once the app's background warm-up is done (in
    this process it holds the file while it projects a scope)."""
    settle()
    return DuckDBStore(path)


def add_accounts(app_store: Path, tmp_path: Path, rows: str) -> None:
    """Ingest accounts into the app's store as the command line would (``rows``: the header
    after ``platform,account_id,handle,display_name,`` and the rows)."""
    from kolmap.ingest.pipeline import ingest_paths

    folder = tmp_path / "more"
    folder.mkdir(exist_ok=True)
    (folder / "accounts.csv").write_text("platform,account_id,handle,display_name," + rows)
    with opened(app_store) as store:
        ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")


def open_page(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_shows_what_is_in_the_store(app_store):
    at = open_page()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Accounts"] == "2,641" and metrics["Posts"] == "23,079"
    assert any("0 quarantined" in s.value for s in at.success)
    # Times read as times: "2026-01-05 00:28 UTC", not "2026-01-05 00:28:11+00".
    shown = [c.value for c in at.caption] + [s.value for s in at.success]
    shown += at.dataframe[-1].value["finished"].astype(str).tolist()
    assert not [text for text in shown if "+00" in text], shown
    assert any(text.startswith("Posts from ") and " UTC to " in text for text in shown)


def test_leaderboard_to_shortlist_to_export(app_store, tmp_path, known_answers):
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("oncology").run()
    table = at.dataframe[0].value
    # The KOL list ranks HCPs and researchers ("Into immunotherapy research. Coffee
    # addict." reads as a researcher, at 0.5).
    assert len(table) > 20 and table["role"].isin(["hcp", "researcher"]).all()
    top5 = set(table["handle"].head(5))
    with opened(app_store) as store:
        planted = store.accounts([AccountKey.parse(k) for k in known_answers["kol"]["oncology"]])
    assert top5 == set(planted["handle"])
    picks = at.multiselect(key="lb_pick").options[:2]
    at.multiselect(key="lb_pick").set_value(picks).run()
    at.button(key="lb_add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with opened(app_store) as store:
        saved = store.shortlist("Shortlist")
    assert len(saved) == 2 and set(saved["added_from"]) == {"leaderboard"}
    # A missing specialty is saved as missing, not as the text "nan".
    assert "nan" not in saved["specialty"].astype(str).str.lower().tolist(), saved["specialty"]
    # The sidebar counts them in the same click (it used to say 0 until the next one).
    assert any("Shortlist “Shortlist”: 2 account(s)" in c.value for c in at.sidebar.caption)
    assert at.multiselect(key="lb_pick").value == []  # the picker starts empty again
    # Why this rank: endorsers, components and the reasons sentence for the chosen account.
    assert any("endorsed by" in t.value for t in at.text)
    endorsers = at.dataframe[1].value
    assert len(endorsers) > 10
    # A withheld name is blank on screen, not Streamlit's grey "None".
    assert not endorsers["display_name"].isna().any(), endorsers["display_name"]

    # A reload (a new session) finds the list in the store.
    at = open_page("shortlist")
    editor = at.dataframe[0].value  # the editable shortlist
    assert len(editor) == 2 and set(editor.columns) >= {"handle", "role", "note", "status"}
    target = tmp_path / "shortlist.csv"
    at.text_input(key="sl_path").set_value(str(target)).run()
    at.button(key="sl_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    assert {r["handle"] for r in rows} == {p.split(". ", 1)[1] for p in picks}
    with opened(app_store) as store:
        entry = store.export_log().iloc[0]
    assert entry["rows"] == 2 and entry["format"] == "csv" and bool(entry["pseudonymised"])
    assert entry["path"] == str(target.resolve())
    assert entry["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", entry["export_id"])
    book_path = tmp_path / "shortlist.xlsx"
    at.text_input(key="sl_path").set_value(str(book_path)).run()
    at.button(key="sl_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    sheet = load_workbook(book_path, read_only=True)["shortlist"]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        r["handle"] for r in rows
    ]


def test_influencers_are_pseudonymised_unless_the_user_opts_in(app_store):
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("oncology").run()
    at.selectbox(key="lb_kind").set_value("influencer").run()
    table = at.dataframe[0].value
    assert table["handle"].str.startswith("anon-").all()
    # Withheld: blank on every row, so the compact table leaves the column out; All columns
    # shows it, blank.
    assert "display_name" not in table
    at.toggle(key="lb_all_columns").set_value(True).run()
    assert (at.dataframe[0].value["display_name"].fillna("") == "").all()
    at.toggle(key="show_private").set_value(True).run()
    table = at.dataframe[0].value
    assert not table["handle"].str.startswith("anon-").any()


def test_a_leaderboard_filter_with_nothing_to_choose_says_so(app_store):
    """The organisation list has no specialty (a 2014 file gives no account a language): the
    filter is shown disabled, saying why, instead of opening on "No results"."""
    at = open_page("leaderboard")
    assert not at.multiselect(key="lb_specialty").disabled  # the KOL list has specialties
    at.selectbox(key="lb_kind").set_value("organisation").run()
    assert not at.exception, [e.value for e in at.exception]
    specialty = at.multiselect(key="lb_specialty")
    assert specialty.disabled and specialty.placeholder == "None in this list"
    assert not at.multiselect(key="lb_lang").disabled  # the sample's accounts have languages


def test_network_map_page(app_store):
    at = open_page("network")
    at.selectbox(key="map_area").set_value("diabetes").run()
    at.slider(key="map_top").set_value(100).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "100 accounts and" in captions


def test_the_network_map_counts_stubs_apart_as_the_overview_does(app_store, tmp_path):
    """The Overview's Accounts leave out the stubs; the map said "of 3,969 accounts" for a
    store whose Overview says 3,332 (637 stubs), with nothing to say why."""
    from .conftest import ingest_files, write

    with opened(app_store) as store:
        ingest_files(
            store,
            write(tmp_path / "m", "posts.csv", "platform,post_id,author_id,text\n"
                  "x,880001,onc_kol_1,Thanks @someone_new_here and @another_new_one\n"),
        )  # fmt: skip
        stubs = store.stats()["stub_accounts"]
    assert stubs >= 2
    at = open_page("network")
    captions = " ".join(c.value for c in at.caption)
    assert f"{stubs:,} known only from a mention or an id" in captions, captions


def test_profile_page_search_and_ego_network(app_store, known_answers):
    with opened(app_store) as store:
        kol = store.accounts([AccountKey.parse(known_answers["kol"]["neurology"][0])]).iloc[0]
    at = open_page("profile")
    at.text_input(key="profile_search").set_value(kol["handle"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value.replace("\\", "").endswith(kol["handle"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Role"] == "hcp"
    # Where it stands: ranked among the KOLs of its busiest areas (a planted KOL: top ranks).
    at.toggle(key="profile_standing_on").set_value(True).run()
    ranks = next(d.value for d in at.dataframe if "of" in d.value.columns)
    assert {"area", "kind", "rank", "of", "score"} <= set(ranks.columns)
    assert ranks["rank"].min() <= 5 and set(ranks["kind"]) <= {"kol", "dol"}
    # Areas by name, as elsewhere (a slug, "neurology", before).
    assert "Neurology" in set(ranks["area"]) and "neurology" not in set(ranks["area"]), ranks
    bio_areas = next(t.value for t in at.text if t.value.startswith("From the bio"))
    assert "Neurology" in bio_areas and "neurology" not in bio_areas, bio_areas
    assert [b.proto.label for b in at.get("link_button")] == [f"Open on {kol['platform']}"]
    at.selectbox(key="profile_area").set_value("neurology").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Quadrant"] in ("KOL", "KOL and DOL")
    assert len(at.dataframe) >= 2  # who interacts with them / whom they interact with
    latest = next(d.value for d in at.dataframe if {"kind", "text"} <= set(d.value.columns))
    assert set(latest["kind"]) <= {"post", "reply", "quote", "repost"}
    reposts = latest[latest["kind"] == "repost"]
    assert reposts[["likes", "reposts", "replies"]].isna().all().all()  # the original's counts


def test_the_activity_chart_gives_posts_and_engagement_their_own_axes():
    """On one axis a hundred posts a month lay flat under 3,500 likes (the Leaderboard's and
    the Profile's chart, browser check on a real store)."""
    import pandas as pd

    from kolmap.ui.widgets import activity_chart

    drawn = []

    class Container:
        def vega_lite_chart(self, data, spec, **_options):
            drawn.append((data, spec))

    activity = pd.DataFrame(
        {
            "month": pd.to_datetime(["2018-05-01", "2018-06-01"]),
            "posts": [3, 100],
            "engagement": [40, 3500],
        }
    )
    activity_chart(Container(), activity, key="k")
    ((data, spec),) = drawn
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    assert spec["encoding"]["row"]["field"] == "series" and set(data["series"]) == {
        "posts",
        "engagement",
    }


def test_the_activity_chart_draws_a_partial_month_dashed_and_names_it():
    import pandas as pd

    from kolmap.ui.widgets import activity_chart

    drawn, captions = [], []

    class Container:
        def vega_lite_chart(self, data, spec, **_options):
            drawn.append((data, spec))

        def caption(self, text):
            captions.append(text)

    activity = pd.DataFrame(
        {
            "month": pd.to_datetime(["2014-05-01", "2014-06-01", "2014-07-01"]),
            "posts": [20, 25, 1],
            "engagement": [40, 50, 2],
            "partial": [False, False, True],
        }
    )
    activity_chart(Container(), activity, key="k")
    ((data, spec),) = drawn
    assert spec["encoding"]["strokeDash"]["field"] == "part"
    dashed = data[data["part"] == "partial month"]
    # July and, to join the lines, June: for posts and for engagement.
    assert sorted(set(dashed["month"])) == ["2014-06-01", "2014-07-01"] and len(dashed) == 4
    assert set(data.loc[data["month"] == "2014-05-01", "part"]) == {"whole month"}
    assert captions and "July 2014" in captions[0]


def test_a_ring_target_s_profile_shows_the_flag_of_its_rankings(app_store, known_answers):
    """The sample's HCP pushed by 250 throwaway accounts: its profile said nothing of it."""
    with opened(app_store) as store:
        pushed = store.accounts([AccountKey.parse(known_answers["traps"]["pushed"])]).iloc[0]
    at = open_page("profile")
    at.text_input(key="profile_search").set_value(pushed["handle"]).run()
    at.toggle(key="profile_standing_on").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    ranks = next(d.value for d in at.dataframe if "of" in d.value.columns)
    assert ranks["flags"].str.contains("possible ring").any(), ranks


def test_a_profile_link_to_an_unknown_account_says_so(app_store):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["account"] = "x:999999999"
    at.run()
    at.switch_page("app_pages/profile.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("No account x:999999999 in this store" in w.value for w in at.warning)
    at.text_input(key="profile_search").set_value("zznobodyzz").run()
    assert any("zznobodyzz" in w.value for w in at.warning)


def test_a_profile_link_naming_a_private_individual_by_handle_opens_nothing(
    app_store, known_answers
):
    """A browser check on a real store opened `/profile?account=x:@<handle>` of a member of
    the public and got their pseudonymised profile: anyone guessing handles could map them to
    pseudonyms. Such an address now opens nothing, as the search finds nothing; the
    pseudonym opens the profile."""
    from kolmap.ui import state

    with opened(app_store) as store:
        key = AccountKey.parse(known_answers["influencer"]["oncology"][0])
        person = store.accounts([key]).iloc[0]
    platform, handle = str(person["platform"]), str(person["handle"])
    for wanted in (f"{platform}:@{handle}", f"{platform}:{person['account_id']}"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["account"] = wanted
        at.run()
        at.switch_page("app_pages/profile.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("No account" in w.value for w in at.warning), wanted
        assert "profile_pick" not in [b.key for b in at.selectbox], wanted
    name = state.privacy().pseudonym(platform, str(person["account_id"]))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["account"] = f"{platform}:{name}"
    at.run()
    at.switch_page("app_pages/profile.py").run()
    assert name in at.selectbox(key="profile_pick").value


def test_quoted_posts_name_the_private_individuals_they_mention_by_pseudonym(
    app_store, known_answers
):
    """A public account's Profile quoted its posts word for word, naming the patients it
    answered by their real handles (browser check on a real store: 31 on one profile)."""
    from kolmap.ui import state

    with opened(app_store) as store:
        kol = store.accounts([AccountKey.parse(known_answers["kol"]["oncology"][0])]).iloc[0]
        person = store.accounts(
            [AccountKey.parse(known_answers["influencer"]["oncology"][0])]
        ).iloc[0]
        post = store.sql(
            "SELECT post_id FROM posts WHERE author_id = ? AND repost_of_post_id IS NULL "
            "ORDER BY created_at DESC LIMIT 1",
            [str(kol["account_id"])],
        )["post_id"].iloc[0]
        store.db.execute(
            "UPDATE posts SET text = ? WHERE post_id = ?",
            [f"Thank you @{person['handle']} for sharing your story", str(post)],
        )
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["account"] = f"{kol['platform']}:{kol['account_id']}"
    at.run()
    at.switch_page("app_pages/profile.py").run()
    assert not at.exception, [e.value for e in at.exception]
    posts = next(d.value for d in at.dataframe if "text" in d.value.columns)
    texts = " ".join(posts["text"].astype(str))
    name = state.privacy().pseudonym(str(person["platform"]), str(person["account_id"]))
    assert f"@{name} for sharing" in texts
    assert f"@{person['handle']}" not in texts


def test_communities_page(app_store):
    at = open_page("communities")
    # Area, platforms and time window fill the filter row: no blank where a kind would be.
    assert [round(c.weight * 7) for c in at.main.columns[:3]] == [2, 2, 3]  # weights of 7
    at.selectbox(key="com_area").set_value("oncology").run()
    summary = at.dataframe[0].value
    assert len(summary) >= 2 and summary["size"].iloc[0] >= summary["size"].iloc[-1]
    # Roles add up to the size, accounts known only from mentions apart from "unknown".
    for roles, size in zip(summary["roles"], summary["size"], strict=True):
        assert sum(int(part.rsplit(" ", 1)[1]) for part in roles.split(", ")) == size
    at.button(key="com_add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with opened(app_store) as store:
        listed = store.shortlist("Shortlist")
    assert len(listed) == 10
    # On the 0-100 scale of the other pages' scores (it was PageRank x 100: 0.1 to 0.7).
    assert listed["score"].between(0, 100).all() and listed["score"].max() > 1


def _congress_days(at):
    """The congress days input (one per choice of hashtags, so each opens on its own days)."""
    (days,) = [d for d in at.date_input if d.key.startswith("cg_days_")]
    return days


def test_congress_page(app_store):
    at = open_page("congress")
    # The registry's congresses found in the store come first; ASCO opens on its 2026 days.
    options = set(at.selectbox(key="cg_congress").options)
    assert {"ASCO Annual Meeting", "ESMO Congress", "ESC Congress"} <= options
    at.selectbox(key="cg_congress").set_value("asco").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _congress_days(at).value == (date(2026, 5, 29), date(2026, 6, 2))
    assert any("(registry dates)" in c.value for c in at.caption)
    at.button(key="cg_add").click().run()  # an oncology congress: saved under oncology
    with opened(app_store) as store:
        saved = store.shortlist("Shortlist")
    assert len(saved) == 10 and set(saved["area"]) == {"oncology"}, saved["area"]
    assert set(saved["kind"]) == {"congress"}
    at.selectbox(key="cg_congress").set_value("Other hashtags").run()
    at.multiselect(key="cg_tags").set_value(["asco26", "esmo26"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("the four days when its hashtags peak" in c.value for c in at.caption)
    assert any("accounts flagged as automated are left out of the drivers" in c.value
               for c in at.caption)  # fmt: skip
    assert [s.value for s in at.subheader] == [
        "Before",
        "During",
        "After",
        "Most engaging posts during the congress",
    ]
    during = at.dataframe[1].value
    assert not during.empty and not during["role"].isin(["brand", "media"]).any()
    # The score before the role: a page too narrow for the third cuts a word, not a number.
    assert list(during.columns) == ["rank", "handle", "score", "role"]
    # The congress days default to where the hashtags peak; the timeline covers every phase.
    first, last = _congress_days(at).value
    assert (last - first).days == 3
    with opened(app_store) as store:
        tagged = store.posts(Scope(hashtags=("asco26", "esmo26")))
    days = tagged["created_at"].dt.date.value_counts()
    inside = days[(days.index >= first) & (days.index <= last)].sum()
    assert inside == max(
        days[(days.index >= d) & (days.index <= d + timedelta(days=3))].sum() for d in days.index
    )
    posts = at.dataframe[3].value
    assert 0 < len(posts) <= 10
    assert not posts["role"].isin(["patient", "public", "unknown", "brand", "media"]).any()
    assert any("counted but not quoted" in c.value for c in at.caption)
    # How many brand and media posts the non-commercial view leaves out, not only that it
    # does (a real store's table was empty with no word of why).
    assert any(re.search(r"; \d+ by brands and media are left out", c.value) for c in at.caption)
    assert any("setting scoring.congress_weights" in c.value for c in at.caption)


def test_congress_editions_are_those_with_posts_of_their_own(app_store, tmp_path):
    """Posts at a congress name other editions ("see you at #ASCO27"; a look back at
    #ASCO2009): the Edition picker offered 2027 and 2009, and picking one analysed the 2026
    posts on their 2026 peak days, without a word. Only editions with posts dated in their
    own time are offered; the others are named as not offered; the report refuses them."""
    from kolmap.ingest.congresses import load_registry
    from kolmap.settings import Settings
    from kolmap.views.congress_report import congress_report
    from kolmap.views.privacy import Privacy

    from .conftest import ingest_files, write

    with opened(app_store) as store:
        author = str(store.posts(Scope(hashtags=("asco26",)), limit=1)["author_id"].iloc[0])
        rows = "".join(
            f"x,99100{i},{author},2026-05-3{i % 2}T1{i}:00:00Z,See you next year {tag}\n"
            for i, tag in enumerate(["#ASCO27"] * 6 + ["#ASCO2009"] * 3)
        )
        ingest_files(
            store,
            write(
                tmp_path / "later",
                "posts.csv",
                "platform,post_id,author_id,created_at,text\n" + rows,
            ),
        )
    at = open_page("congress")
    at.selectbox(key="cg_congress").set_value("asco").run()
    assert not at.exception, [e.value for e in at.exception]
    years = at.selectbox(key="cg_year_asco").options
    assert "2026" in years and "2027" not in years and "2009" not in years, years
    assert any(
        "Not offered: 2009 (3 posts name it), 2027 (6 posts name it)" in c.value for c in at.caption
    ), [c.value for c in at.caption]
    assert _congress_days(at).value == (date(2026, 5, 29), date(2026, 6, 2))
    asco = load_registry().congresses["asco"]
    settings = Settings().scoring
    with opened(app_store) as store:
        privacy = Privacy.for_store(str(app_store), Settings().privacy, reveal=False)
        assert congress_report(store, asco, settings, privacy, year=2026).first_day == date(
            2026, 5, 29
        )
        with pytest.raises(LookupError, match="no post of ASCO Annual Meeting 2027"):
            congress_report(store, asco, settings, privacy, year=2027)


def test_a_rerun_opens_the_store_once_and_sees_what_another_process_ingested(
    app_store, tmp_path, monkeypatch
):
    from kolmap.ui import state

    opens: list[str] = []
    real_open = state.open_store

    def counting_open(location, **kwargs):
        opens.append(str(location))
        return real_open(location, **kwargs)

    at = open_page()
    assert {m.label: m.value for m in at.metric}["Accounts"] == "2,641"
    at.switch_page("app_pages/leaderboard.py").run()
    first = at.dataframe[0].value
    settle()
    monkeypatch.setattr(state, "open_store", counting_open)
    at.run()
    assert opens == [str(app_store)]  # the version, read once; every result is cached
    assert at.dataframe[0].value.equals(first)
    # Meanwhile the command line ingests one more account into the same file.
    add_accounts(app_store, tmp_path, "bio\nx,990001,fresh_voice,,Patient advocate\n")
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Accounts"] == "2,642"


def test_a_rerun_recomputes_nothing_on_any_page(app_store, monkeypatch):
    from kolmap.ui import state
    from kolmap.views import scope_cache

    calls: list[str] = []
    for module, name in (
        (state, "rank"),
        (state, "compute_components"),
        (scope_cache, "compute_components"),  # scopes kept on disk beside the store
        (state, "community_summary"),
        (state, "endorsers_of"),
    ):
        real = getattr(module, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    at = open_page()
    settle()
    for page in ("leaderboard", "network", "communities", "congress", "persons"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        first = list(calls)
        at.run()
        assert calls == first, (page, calls[len(first) :])
    assert {"rank", "compute_components", "community_summary", "endorsers_of"} <= set(calls)


def test_ingest_page_corrects_a_label(app_store, known_answers):
    key = known_answers["kol"]["oncology"][0]
    with opened(app_store) as store:
        handle = store.accounts([AccountKey.parse(key)]).iloc[0]["handle"]
    at = open_page("ingest")
    at.text_input(key="lab_search").set_value(handle).run()
    at.selectbox(key="lab_role").set_value("organisation").run()
    at.button(key="lab_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with opened(app_store) as store:
        row = store.accounts([AccountKey.parse(key)]).iloc[0]
    assert row["role"] == "organisation" and bool(row["role_from_label"])
    # The picker shows the new role at once (it used to keep the old one until a new search).
    assert at.selectbox(key="lab_pick").format_func(key).endswith("now organisation")


def test_uploads_are_validated_like_the_command_line(app_store, monkeypatch):
    from streamlit.testing.v1 import AppTest as _  # noqa: F401  (streamlit present)

    from kolmap.errors import KolmapError
    from kolmap.ui import state
    from kolmap.ui.uploads import ingest_uploads

    monkeypatch.setattr(state, "clear_caches", lambda: None)
    good = b"platform,account_id,handle,bio\nx,777000,new_onco,Oncologue\nx,,bad,\n"
    summary = ingest_uploads([("accounts.csv", good)], tolerance="50%", encoding="auto")
    assert summary["quarantined"] == 1 and summary["merge"]["accounts"]["added"] == 1
    with pytest.raises(KolmapError, match="missing required column"):
        ingest_uploads([("follows.csv", b"a,b\n1,2\n")], tolerance="5%", encoding="auto")
    # Errors name the file as uploaded and the page's fields, not a temporary folder or a flag.
    latin = "platform,account_id,handle,bio\nx,1,a,Cardiologue à Créteil\n".encode("cp1252")
    with pytest.raises(KolmapError) as err:
        ingest_uploads([("accounts.csv", latin)], tolerance="0", encoding="utf-8")
    message = str(err.value)
    assert message.startswith("accounts.csv") and "/tmp" not in message and "--" not in message
    bad = b"platform,account_id,handle,bio\nx,,a,no id\nx,2,b,ok\n"
    with pytest.raises(KolmapError) as err:
        ingest_uploads([("accounts.csv", bad)], tolerance="0", encoding="auto")
    kept = Path(err.value.quarantine_path).read_text("utf-8")
    assert "accounts.csv" in kept and "kolmap-upload-" not in kept
    # Any format kolmap reads can be uploaded: an edge list, by its chosen format.
    edges = ingest_uploads([("net.txt", b"1 2\n2 3\n")], tolerance="0",
                                 encoding="auto", fmt="edge-list", platform="x")  # fmt: skip
    assert edges["files"][0]["path"] == "net.txt"
    # Two uploads with one name are both read, each named apart, and so is their provenance.
    other = b"platform,account_id,handle,bio\nx,778000,second_file,Nurse\n"
    both = ingest_uploads([("accounts.csv", good), ("accounts.csv", other)],
                          tolerance="50%", encoding="auto")  # fmt: skip
    assert [f["path"] for f in both["files"]] == ["accounts.csv (upload 1)",
                                                 "accounts.csv (upload 2)"]  # fmt: skip
    assert [f["rows_read"] for f in both["files"]] == [2, 1]
    with opened(app_store) as store:
        sources = set(store.accounts()["source_file"])
    # (the sample's own rows name its folder, wherever the repository lives)
    uploaded = {s for s in sources if "data/samples/canonical" not in s}
    assert "accounts.csv (upload 2)" in uploaded
    assert not any("kolmap-upload-" in s or s.startswith("/") for s in uploaded)


def test_an_ingest_from_the_page_scores_all_data_for_the_next_page(app_store, monkeypatch):
    """As `kolmap ingest` does: the Ingest page ends by computing the all-data scope of the
    new store version and keeping it on disk, so the page opened next reads it (the very
    first load of an unscored store took 7-8 s at 100k accounts, docs/benchmarks.md)."""
    from kolmap.graph import Scope, StoreLocation
    from kolmap.settings import load_settings
    from kolmap.ui import state
    from kolmap.views.scope_cache import ScopeCache

    # Without the background warm-up, which would compute it later anyway.
    monkeypatch.setattr(state, "warm", lambda: None)
    at = open_page("ingest")
    upload = b"platform,account_id,handle,bio\nx,779000,scored_next,Oncologist\n"
    at.file_uploader(key="ing_files").set_value(("accounts.csv", upload, "text/csv")).run()
    at.button(key="ing_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["ing_last"]["merge"]["accounts"]["added"] == 1
    with opened(app_store) as store:
        version = store.version()
    disk = ScopeCache(StoreLocation.resolve(str(app_store)).cache_dir(), load_settings().scoring)

    def computed_again() -> None:
        raise AssertionError("the all-data scope was not kept by the ingest")

    # Kept for the store version the upload made (read back, not computed again).
    assert not disk.components(version, Scope(), computed_again).empty


def test_leaderboard_exports_every_format_like_the_cli(app_store):
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("cardiology").run()
    for fmt in ("xlsx", "gexf", "html"):
        at.selectbox(key="lb_fmt").set_value(fmt).run()
        at.button(key="lb_export").click().run()
        assert not at.exception, [e.value for e in at.exception]
        prepared = at.session_state["lb_file"]
        assert prepared.file_name.endswith("." + fmt) and len(prepared.data) > 1000
        assert prepared.rows > 0 and prepared.pseudonymised
    with opened(app_store) as store:
        # A prepared file is logged when the browser downloads it (tests/test_browser.py).
        assert store.export_log().empty
        prepared.log(store)
        log = store.export_log()
    assert list(log["format"]) == ["html"] and log["path"].iloc[0].startswith("download:")


def test_leaderboard_caption_shows_the_configured_relevance_exponent(app_store, monkeypatch):
    """The caption used to print relevance^½ whatever the setting said."""
    import streamlit as st

    monkeypatch.setenv("KOLMAP_SCORING_RELEVANCE_EXPONENT", "0.75")
    st.cache_resource.clear()  # settings() is cached per process
    try:
        at = open_page("leaderboard")
        captions = " ".join(c.value for c in at.caption)
        assert "relevance^0.75" in captions and "½" not in captions
    finally:
        st.cache_resource.clear()


def test_leaderboard_export_carries_exactly_the_rows_on_screen(app_store):
    """The file used to ignore the Language and Location filters."""
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("oncology").run()
    at.multiselect(key="lb_lang").set_value(["fr"]).run()
    screen = at.dataframe[0].value
    at.selectbox(key="lb_fmt").set_value("csv").run()
    at.button(key="lb_export").click().run()
    assert not at.exception, [e.value for e in at.exception]
    prepared = at.session_state["lb_file"]
    rows = list(csv.DictReader(prepared.data.decode("utf-8-sig").splitlines()))
    assert [r["handle"] for r in rows] == screen["handle"].tolist()
    assert rows and {r["lang"] for r in rows} == {"fr"}
    assert prepared.filters["language"] == "fr" and prepared.rows == len(screen)


def test_shortlists_are_named_annotated_and_kept_in_the_address(app_store):
    from kolmap.graph.store import ShortlistEdit

    with opened(app_store) as store:
        rows = store.accounts()
        rows = rows[~rows["is_stub"] & rows["role"].eq("hcp")].head(2)
        items = [dict(r, score=50.0, added_from="test") for r in rows.to_dict("records")]
        store.edit_shortlist(ShortlistEdit("ASCO 2027", "ana", add=items))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["list"] = "ASCO 2027"
    at.run()
    at.switch_page("app_pages/shortlist.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="sl_pick_list").value == "ASCO 2027"
    editor = at.dataframe[0].value
    assert editor["handle"].tolist() == rows["handle"].tolist()
    assert editor["status"].tolist() == ["proposed", "proposed"]
    # Another list is empty and says how to fill it.
    at.selectbox(key="sl_pick_list").set_value("Shortlist").run()
    assert any("is empty" in i.value for i in at.info)


def test_filters_live_in_the_address(app_store):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"area": "oncology", "kind": "dol", "platform": "x"})
    at.run()
    at.switch_page("app_pages/leaderboard.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="lb_area").value == "oncology"
    assert at.selectbox(key="lb_kind").value == "dol"
    assert at.multiselect(key="lb_platforms").value == ["x"]
    at.selectbox(key="lb_area").set_value("cardiology").run()
    at.selectbox(key="lb_kind").set_value("kol").run()
    assert at.query_params["area"] in ("cardiology", ["cardiology"])
    assert "kind" not in at.query_params  # the default is left out of the address


def test_an_unknown_area_in_the_address_is_said(app_store):
    """``?area=epidemiology`` (no such area) showed all data and dropped the parameter
    without a word; every page that reads the area from its address says so now."""
    for page, key in (("leaderboard", "lb_area"), ("trends", "tr_area")):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"area": "epidemiology"})
        at.run()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.selectbox(key=key).value == ""
        (warning,) = [w.value for w in at.warning if "epidemiology" in w.value]
        assert warning.startswith("No area 'epidemiology' in the taxonomy; showing All data.")
        assert "oncology" in warning and "cardiology" in warning
    # A known area says nothing.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"area": "oncology"})
    at.run()
    at.switch_page("app_pages/leaderboard.py").run()
    assert at.selectbox(key="lb_area").value == "oncology"
    assert not [w for w in at.warning if "No area" in w.value]


def test_a_link_or_back_changes_the_filters_and_a_return_keeps_them(app_store):
    """A saved view clicked on the page it names, or the browser's Back, changes the address
    of a page already open: its filters follow (they kept the widgets' values and wrote them
    back over the address). Leaving for another page and coming back from the sidebar (no
    filters in the address) keeps them (they reset to all data)."""
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("cardiology").run()
    # A saved view's link (or Back) opens the same page with other filters in the address.
    at.query_params.clear()
    at.query_params.update({"area": "oncology", "kind": "dol"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="lb_area").value == "oncology"
    assert at.selectbox(key="lb_kind").value == "dol"
    # One with no filters is all data again.
    at.query_params.clear()
    at.run()
    assert at.selectbox(key="lb_area").value == ""
    assert at.selectbox(key="lb_kind").value == "kol"
    # Away and back from the sidebar, the address empty: the filters the page was left with.
    at.selectbox(key="lb_area").set_value("oncology").run()
    at.selectbox(key="lb_kind").set_value("dol").run()
    at.switch_page("app_pages/overview.py").run()
    at.query_params.clear()
    at.switch_page("app_pages/leaderboard.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="lb_area").value == "oncology"
    assert at.selectbox(key="lb_kind").value == "dol"
    assert at.query_params["area"] in ("oncology", ["oncology"])


def test_a_pick_made_while_the_page_first_draws_is_kept(app_store):
    """An area picked on Trends before its first run had drawn it (about 13 s on a Neo4j
    store) cut that run short before it wrote its address; the next run applied the address
    the page was opened with (none: all data) over the pick. Simulated: the pick is in the
    session, the page has written no address yet."""
    for page, key in (("trends", "tr_area"), ("leaderboard", "lb_area")):
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        at.session_state[key] = "oncology"  # what the browser sends with the cut-short run
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.selectbox(key=key).value == "oncology", page
        assert at.query_params["area"] in ("oncology", ["oncology"]), page


def test_trends_windows_do_not_overlap_and_live_in_the_address(app_store):
    """Both windows include their last day: the later one started on the earlier one's last
    day, so that day counted in both. Trends' filters were not in the address at all."""
    at = open_page("trends")
    earlier, later = at.date_input(key="tr_earlier").value, at.date_input(key="tr_later").value
    assert later[0] > earlier[1]
    at.selectbox(key="tr_area").set_value("oncology").run()
    at.selectbox(key="tr_kind").set_value("dol").run()
    assert at.query_params["area"] in ("oncology", ["oncology"])
    assert at.query_params["kind"] in ("dol", ["dol"])
    span = f"{earlier[0].isoformat()}..{earlier[0].isoformat()}"
    again = AppTest.from_file(APP, default_timeout=120)
    again.query_params.update({"area": "oncology", "kind": "dol", "earlier": span})
    again.run()
    again.switch_page("app_pages/trends.py").run()
    assert not again.exception, [e.value for e in again.exception]
    assert again.selectbox(key="tr_area").value == "oncology"
    assert again.selectbox(key="tr_kind").value == "dol"
    assert again.date_input(key="tr_earlier").value == (earlier[0], earlier[0])


def test_trends_default_windows_part_at_the_chosen_areas_median(app_store):
    """Rising stars parted its windows at the median post of all data whatever the area (a
    browser check: the Leaderboard's comparison parted gastroenterology elsewhere). Windows
    left at their defaults now follow the area; a window the user chose stays."""
    from kolmap.scoring.timeline import split_windows
    from kolmap.ui import dates

    at = open_page("trends")
    first, _last = dates.date_bounds()
    days = {a: dates.post_days(Scope(area=a or None)) for a in ("", "diabetes", "oncology")}
    area = next(a for a in ("diabetes", "oncology") if days[a][1] != days[""][1])
    at.selectbox(key="tr_area").set_value(area).run()
    # From the area's first post to its last (the later window ran years past a 2014 area's
    # last post on a store that also held 2019 files), parted at its median.
    earlier, later = split_windows(*days[area][::2], days[area][1])
    assert at.date_input(key="tr_earlier").value == earlier
    assert at.date_input(key="tr_later").value == later
    mine = (first, first + timedelta(days=20))
    at.date_input(key="tr_earlier").set_value(mine).run()
    at.selectbox(key="tr_area").set_value("").run()
    assert at.date_input(key="tr_earlier").value == mine  # chosen: kept
    assert at.date_input(key="tr_later").value == split_windows(*days[""][::2], days[""][1])[1]


def test_trends_says_why_no_account_rises(app_store, monkeypatch):
    """An empty list said "No account's standing grew between these windows" when no
    account had the endorsers a rising star needs (a browser check on a real store)."""
    from kolmap.ui import state

    monkeypatch.setenv("KOLMAP_SCORING_RISING_MIN_ENDORSERS", "100000")
    state.settings.clear()
    try:
        at = open_page("trends")
    finally:
        state.settings.clear()  # the next test reads the defaults again
    notes = " ".join(i.value for i in at.info)
    assert "No account of all areas" in notes and "has the 100000 endorsers" in notes, notes


def test_default_earlier_window_parts_at_the_median_post(app_store, tmp_path):
    """The default earlier window was the calendar's first half: on a store whose posts
    crowd near its end (a congress), the earlier window held almost none and every account
    read "new". Trends' windows and the Leaderboard's comparison now part at the median post:
    the earlier window ends on its day, the later one starts the day after."""
    from .conftest import ingest_files, write

    with opened(app_store) as store:
        posts = store.posts(Scope())
    stamps = posts["created_at"].dropna()
    first, last = stamps.min().date(), stamps.max().date()
    busy = last - timedelta(days=10)  # a congress near the end of the data
    author = str(posts["author_id"].iloc[0])
    rows = "".join(
        f"x,98{i:06d},{author},{busy.isoformat()}T12:00:00Z,At the congress today\n"
        for i in range(len(stamps) + 10)
    )
    with opened(app_store) as store:
        ingest_files(
            store,
            write(
                tmp_path / "busy",
                "posts.csv",
                "platform,post_id,author_id,created_at,text\n" + rows,
            ),
        )
    assert busy > first + (last - first) / 2 + timedelta(days=1)  # not the calendar's half
    at = open_page("trends")
    assert at.date_input(key="tr_earlier").value == (first, busy)
    assert at.date_input(key="tr_later").value == (busy + timedelta(days=1), last)
    assert "earlier" not in at.query_params  # the default stays out of the address
    at.switch_page("app_pages/leaderboard.py").run()
    at.toggle(key="lb_compare").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="lb_compare_days").value == (first, busy)


def test_leaderboard_is_compact_by_default_with_tiers_and_a_specialty_filter(app_store):
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("oncology").run()
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "rank", "handle", "display_name", "role", "specialty", "score", "tier", "kol_score",
        "dol_score", "flags", "reasons",
    ]  # fmt: skip
    assert table["tier"].iloc[0] in ("global", "national", "regional")
    at.toggle(key="lb_all_columns").set_value(True).run()
    assert {"pagerank", "peer_endorsers", "trust"} <= set(at.dataframe[0].value.columns)
    # Trust and components are shares: two decimals each ("1" beside "0.6889" before).
    formats = json.loads(at.dataframe[0].proto.columns)
    for name in ("trust", "pagerank", "peer_endorsers"):
        assert formats[name]["type_config"]["format"] == "%.2f", name
    # Headers in words, not code; the data keeps its names.
    assert formats["display_name"]["label"] == "name"
    assert formats["posts_in_scope"]["label"] == "posts in scope"
    specialty = next(s for s in table["specialty"] if isinstance(s, str) and s)
    at.multiselect(key="lb_specialty").set_value([specialty]).run()
    assert set(at.dataframe[0].value["specialty"]) == {specialty}
    assert set(at.multiselect(key="lb_role").options) == {"hcp", "researcher"}  # KOL roles
    at.selectbox(key="lb_kind").set_value("dol").run()
    assert "lb_role" not in [m.key for m in at.multiselect]  # a DOL list has one role


def test_the_organisation_list_can_keep_institutions_only(app_store):
    """The organisation list ranks institutions, brands and media together (a browser check
    on a real store found media atop gastroenterology's); a role filter keeps one kind, each
    row keeping its rank in the whole list."""
    at = open_page("leaderboard")
    at.selectbox(key="lb_kind").set_value("organisation").run()
    whole = at.dataframe[0].value
    assert {"organisation", "media"} <= set(whole["role"])
    at.multiselect(key="lb_role").set_value(["organisation"]).run()
    kept = at.dataframe[0].value
    assert set(kept["role"]) == {"organisation"}
    assert any("matching the filters" in c.value for c in at.caption)  # says how many
    ranks = whole.set_index("handle")["rank"]
    assert len(kept) and all(
        ranks[h] == r for h, r in zip(kept["handle"], kept["rank"], strict=True)
    )


def test_the_cached_community_summary_is_the_plain_one(app_store):
    import pickle

    from kolmap.graph.store import Scope
    from kolmap.scoring.components import compute_components
    from kolmap.scoring.explain import community_summary
    from kolmap.ui import state

    scope = Scope(area="oncology")
    cached = state._communities("test-version", state.scope_key_of(scope), True)
    with opened(app_store) as store:
        proj = store.projection(scope)
        posts = store.posts(scope)
    expected = community_summary(proj, compute_components(proj, state.settings().scoring), posts)
    assert pickle.dumps(cached) == pickle.dumps(expected)


def test_pages_handle_an_area_without_data(app_store):
    """An area of the taxonomy that has no posts in the store is offered too."""
    from kolmap.ingest.areas import load_taxonomy

    with opened(app_store) as store:
        busy = set(store.stats()["posts_by_area"])
    empty = next(a for a in load_taxonomy().ids if a not in busy)
    for page, key in (
        ("communities", "com_area"),
        ("leaderboard", "lb_area"),
        ("network", "map_area"),
    ):
        at = open_page(page)
        at.selectbox(key=key).set_value(empty).run()
        assert not at.exception, (page, [e.value for e in at.exception])


def test_overview_of_a_store_without_dated_posts(tmp_path, monkeypatch):
    """It used to say "Posts from None to None"."""
    from kolmap.ingest.pipeline import ingest_paths

    from .conftest import write

    folder = tmp_path / "in"
    write(folder, "accounts.csv", "platform,account_id,handle,bio\nx,1,a,Oncologist\nx,2,b,Nurse\n")
    write(folder, "follows.csv", "platform,follower_id,followed_id\nx,2,1\n")
    path = tmp_path / "undated.duckdb"
    with DuckDBStore(path) as store:
        ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")
    monkeypatch.setenv("KOLMAP_STORE", str(path))
    monkeypatch.setenv("KOLMAP_PSEUDONYM_KEY", "k")
    at = open_page()
    captions = " ".join(c.value for c in at.caption)
    assert "None" not in captions and "No dated posts" in captions


def test_the_leaderboard_warns_when_most_accounts_have_no_role(tmp_path, monkeypatch):
    """An export without bios leaves most accounts unknown: the KOL list then holds only the
    few whose handle says MD, and the page says so (the sample's does not, below)."""
    from kolmap.ingest.pipeline import ingest_paths

    from .conftest import write

    lines = ["platform,post_id,author_id,created_at,text"]
    names = ["AnaVelMD", "BenOkMD"] + [f"user{i}" for i in range(8)]
    for i, name in enumerate(names):
        for j, other in enumerate(names[:3]):
            if other != name:
                lines.append(
                    f"x,{i * 10 + j},{name},2026-03-0{j + 1}T10:00:00Z,Great talk @{other}"
                )
    folder = tmp_path / "in"
    write(folder, "posts.csv", "\n".join(lines) + "\n")
    write(
        folder,
        "accounts.csv",
        "platform,account_id,handle\n" + "".join(f"x,{n},{n}\n" for n in names),
    )
    path = tmp_path / "nobios.duckdb"
    with DuckDBStore(path) as store:
        ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")
    monkeypatch.setenv("KOLMAP_STORE", str(path))
    monkeypatch.setenv("KOLMAP_PSEUDONYM_KEY", "k")
    at = open_page("leaderboard")
    warnings = " ".join(w.value for w in at.warning)
    assert "8 of 10 accounts (80%) have no role" in warnings, warnings
    # It names the list's own roles and candidates ("KOL and DOL lists rank only the 7
    # accounts read as HCPs or researchers" stood above 3 DOL candidates).
    at.selectbox(key="lb_kind").set_value("dol").run()
    warnings = " ".join(w.value for w in at.warning)
    assert "DOL lists rank only the 2 accounts read as HCPs." in warnings, warnings


def test_the_sample_leaderboard_does_not_warn_about_roles(app_store):
    at = open_page("leaderboard")
    assert not any("have no role" in w.value for w in at.warning)


def test_the_leaderboard_says_which_listed_accounts_nobody_endorses(app_store):
    """The sample's organisation list holds accounts that only post: no other account of
    the scope endorses them, and their rank rests on relevance, reach and engagement."""
    at = open_page("leaderboard")
    at.selectbox(key="lb_kind").set_value("organisation").run()
    notes = " ".join(i.value for i in at.info)
    assert re.search(
        r"No other account in this scope endorses \d+ of the \d+ accounts listed", notes
    )


def test_a_restarted_app_reads_its_scopes_from_disk(app_store, monkeypatch):
    """The all-data scope and each area are computed once per store version (in the
    background at the first visit) and kept beside the store: a restarted app (every
    in-memory cache empty) shows the same leaderboard without projecting or scoring."""
    import streamlit as st

    from kolmap.views import scope_cache

    at = open_page("leaderboard")
    settle()
    before = at.dataframe[0].value
    assert any(StoreLocation(str(app_store)).cache_dir().iterdir())
    st.cache_resource.clear()
    st.cache_data.clear()
    computed: list[str] = []
    real_projection = DuckDBStore.projection

    def projecting(self, scope):
        computed.append("projection")
        return real_projection(self, scope)

    def scoring(*args, **kwargs):
        computed.append("components")
        raise AssertionError("components computed again")

    monkeypatch.setattr(DuckDBStore, "projection", projecting)
    monkeypatch.setattr(scope_cache, "compute_components", scoring)
    again = open_page("leaderboard")
    settle()
    assert computed == []
    assert again.dataframe[0].value.equals(before)
    # An area was warmed too.
    again.selectbox(key="lb_area").set_value("oncology").run()
    assert not again.exception, [e.value for e in again.exception]
    assert computed == []


def test_a_page_with_its_filters_is_saved_as_a_named_view(app_store):
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("oncology").run()
    at.selectbox(key="lb_kind").set_value("dol").run()
    at.text_input(key="view_name").set_value("Onco DOLs").run()
    at.button(key="view_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with opened(app_store) as store:
        saved = store.saved_views()
    assert saved["name"].tolist() == ["Onco DOLs"] and saved["page"].tolist() == ["leaderboard"]
    assert {"area": "oncology", "kind": "dol"}.items() <= saved["params"][0].items()
    # Every page's sidebar links to it, with its filters.
    at.switch_page("app_pages/overview.py").run()
    links = [e.proto for e in at.sidebar.get("page_link")]
    link = next(p for p in links if p.label == "Onco DOLs")
    assert "area=oncology" in link.query_string and "kind=dol" in link.query_string
    assert link.page.endswith("leaderboard")
    at.selectbox(key="view_pick").set_value("Onco DOLs")
    at.button(key="view_delete").click().run()
    with opened(app_store) as store:
        assert store.saved_views().empty
    assert not [e for e in at.sidebar.get("page_link") if e.proto.label == "Onco DOLs"]


def test_profile_of_a_stub_account(app_store):
    """An account known only from mentions has no bio, so its areas are a missing value:
    its profile used to fail with "'NAType' object is not iterable"."""
    import duckdb

    settle()
    with duckdb.connect(str(app_store), read_only=True) as db:
        rows = db.sql("SELECT platform, account_id FROM accounts WHERE is_stub LIMIT 1").fetchall()
    row = rows[0] if rows else None
    assert row is not None, "the sample has stub accounts"
    from kolmap.ui import state

    # A stub is shown as a pseudonym, and opened by it (never by its real id).
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["account"] = f"{row[0]}:{state.privacy().pseudonym(row[0], row[1])}"
    at.run()
    at.switch_page("app_pages/profile.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("From the bio and specialty: none" in t.value for t in at.text)


def test_profile_of_an_account_without_a_follower_count(app_store, tmp_path):
    """Exports often lack follower counts; the Profile page used to fail on them with
    "boolean value of NA is ambiguous"."""
    add_accounts(app_store, tmp_path, "bio\nx,990002,no_count,Dr No Count,Cardiologist\n")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["account"] = "x:990002"
    at.run()
    at.switch_page("app_pages/profile.py").run()
    assert not at.exception, [e.value for e in at.exception]
    followers = next(m for m in at.metric if m.label == "Followers")
    assert followers.value == "unknown"  # a word that fits the box ("not in the ex…")
    assert "no follower count" in followers.proto.help


def test_the_app_keeps_answering_while_another_process_writes(app_store):
    """A command-line ingest holds the store's file; every page used to show "Could not set
    lock on file". The app reads its copy of the last committed version, says so, and
    refuses changes until the file is free."""
    import subprocess
    import sys

    at = open_page("leaderboard")
    before = at.dataframe[0].value
    settle()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('holding', flush=True); sys.stdin.read()", str(app_store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().startswith("holding")
        with pytest.raises(Exception, match="lock"):
            DuckDBStore(app_store)  # the file really is held
        import streamlit as st

        st.cache_resource.clear()  # nothing cached: every page reads the copy
        st.cache_data.clear()
        again = open_page("leaderboard")
        assert any("writing to the store" in i.value for i in again.info)
        assert again.dataframe[0].value.equals(before)
        for page in ("overview", "network", "communities", "profile", "shortlist"):
            again.switch_page(f"app_pages/{page}.py").run()
            assert not again.exception, (page, [e.value for e in again.exception])
            assert not again.error, (page, [e.value for e in again.error])
        # A change waits: it is refused with a word, not a traceback.
        again.text_input(key="view_name").set_value("While busy").run()
        again.button(key="view_save").click().run()
        assert not again.exception, [e.value for e in again.exception]
        assert any("This change was not made" in w.value for w in again.warning)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    settle()


def test_roles_gate_the_app_and_only_an_admin_reveals_identities(app_store):
    """Review: the "show identities" switch was open to anyone who reached the app. A store
    with users asks who you are; an analyst keeps pseudonyms whatever the switch says; an
    admin may reveal them, and each reveal is in the audit trail."""
    from kolmap.views.access import hash_password

    with opened(app_store) as store:
        for name, role in (("ana", "analyst"), ("ada", "admin")):
            store.set_app_user(name, role, *hash_password(f"{name}-passphrase"))

    def sign_in(name: str, password: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        assert [t.value for t in at.title] == ["Sign in"] and not at.metric
        at.text_input(key="signin_name").set_value(name)
        at.text_input(key="signin_password").set_value(password)
        at.button[0].click().run()
        return at

    refused = sign_in("ana", "wrong")
    assert [e.value for e in refused.error] == ["Unknown name or wrong password."]
    analyst = sign_in("ana", "ana-passphrase")
    assert analyst.metric and analyst.toggle(key="show_private").disabled
    assert analyst.toggle(key="show_private").help.endswith(
        "Only an admin may (`kolmap users add NAME --role admin`)."
    )
    analyst.switch_page("app_pages/leaderboard.py").run()
    analyst.selectbox(key="lb_area").set_value("oncology").run()
    analyst.selectbox(key="lb_kind").set_value("influencer").run()
    analyst.session_state["show_private"] = True  # forced: still not revealed
    analyst.run()
    assert analyst.dataframe[0].value["handle"].str.startswith("anon-").all()
    admin = sign_in("ada", "ada-passphrase")
    admin.switch_page("app_pages/leaderboard.py").run()
    admin.selectbox(key="lb_area").set_value("oncology").run()
    admin.selectbox(key="lb_kind").set_value("influencer").run()
    admin.toggle(key="show_private").set_value(True).run()
    assert not admin.dataframe[0].value["handle"].str.startswith("anon-").any()
    with opened(app_store) as store:
        reveal = store.audit_log("reveal-identities").iloc[0]
    assert json.loads(reveal["facts"]) == {"user": "ada", "role": "admin"}


def test_the_identities_switch_says_the_project_keeps_them_hidden(app_store, monkeypatch):
    """A single-user store's sidebar said "Single-user store (admin)" above a switch whose
    help said "Only an admin may": the project's setting was the reason, and says so now."""
    from kolmap.ui import state

    monkeypatch.setenv("KOLMAP_PRIVACY_ALLOW_IDENTITIES", "false")
    state.settings.clear()
    at = open_page()
    switch = at.toggle(key="show_private")
    assert switch.disabled and "privacy.allow_identities = false" in switch.help
    assert "Only an admin" not in switch.help


def test_safety_page_reviews_the_queue_and_shows_payments_only_for_compliance(
    app_store, tmp_path, monkeypatch
):
    """The pharmacovigilance queue is reviewed in the app (who and when are kept), and
    declared payments show only when the project's purpose is compliance."""
    from kolmap.views.pharmacovigilance import Product, load_vocabulary, scan

    with opened(app_store) as store:
        posts = store.sql("SELECT post_id, author_id FROM posts WHERE text IS NOT NULL LIMIT 1")
        post_id = str(posts["post_id"].iloc[0])
        store.db.execute(
            "UPDATE posts SET text = 'after my 2nd dose of Ocrevimab I had a seizure' "
            "WHERE post_id = ?",
            [post_id],
        )
        found = scan(store, [Product("Ocrevimab", "", "", ())], load_vocabulary(), b"k")
        assert found["queued"] == 1
    at = open_page("safety")
    assert (
        at.dataframe[0].value["item_id"].tolist() == [f"x:{post_id}"]
        or len(at.dataframe[0].value) == 1
    )
    at.text_input(key="pv_note").set_value("sent to the QPPV").run()
    at.button(key="pv_forwarded").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with opened(app_store) as store:
        item = store.pv_items().iloc[0]
    assert item["status"] == "forwarded" and item["note"] == "sent to the QPPV"
    assert any("shown to compliance and medical-affairs projects only" in i.value for i in at.info)
    config = tmp_path / "kolmap.toml"
    config.write_text('[privacy]\npurpose = "compliance"\n', "utf-8")
    monkeypatch.setenv("KOLMAP_CONFIG", str(config))
    from kolmap.ui import state

    state.settings.clear()  # the app reads its settings once per process
    try:
        at = open_page("safety")
        assert any("None linked yet" in i.value for i in at.info)
    finally:
        state.settings.clear()


def test_an_erasure_empties_the_apps_cached_results(app_store, monkeypatch):
    """T29: the running app cached results (projections, rankings) holding an account erased
    since; it read them no more (the store version changed) but kept them in memory."""
    from kolmap.ui import state

    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("oncology").run()
    settle()
    drops: list[int] = []
    real = state._drop_cached_results
    monkeypatch.setattr(state, "_drop_cached_results", lambda: (drops.append(1), real()))
    at.run()
    assert drops == []  # nothing changed: the cached results stay
    handle = str(at.dataframe[0].value["handle"].iloc[0])
    with opened(app_store) as store:
        key = store.accounts(search=handle, limit=1).iloc[0]
        store.erase([AccountKey(str(key["platform"]), str(key["account_id"]))])
    at.run()
    assert drops == [1] and handle not in at.dataframe[0].value["handle"].tolist()


def test_leaderboard_compares_with_an_earlier_window(app_store):
    at = open_page("leaderboard")
    at.toggle(key="lb_compare").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert {"rank_change", "score_change", "movement"} <= set(table.columns)
    assert set(table["movement"]) <= {"up", "down", "same", "new"}
    moved = table[table["movement"] != "new"]
    assert len(moved) and (moved["rank_change"].abs() >= 0).all()


def test_leaderboard_filters_by_platform_on_the_multi_platform_sample(app_store, tmp_path):
    from kolmap.ingest.pipeline import ingest_paths

    overlay = Path(__file__).resolve().parent.parent / "data" / "samples" / "platforms"
    with opened(app_store) as store:
        ingest_paths(store, [overlay], quarantine_dir=tmp_path / "q")
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("diabetes").run()
    at.selectbox(key="lb_kind").set_value("dol").run()
    at.multiselect(key="lb_platforms").set_value(["tiktok"]).run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert table.iloc[0]["handle"] == "nurse_amel_diabete"
    at.multiselect(key="lb_platforms").set_value(["youtube"]).run()
    assert at.dataframe[0].value.iloc[0]["handle"] == "drmarc_endocrino"


def test_scores_show_one_decimal_on_trends_and_congress_as_on_the_leaderboard(app_store):
    """Congress and Trends printed scores as 98.642 beside the Leaderboard's 94.9."""
    at = open_page("trends")
    at.selectbox(key="tr_area").set_value("oncology").run()
    start = at.date_input(key="tr_earlier").value[0]
    at.date_input(key="tr_earlier").set_value((start, start + timedelta(days=14))).run()
    (stars,) = [d for d in at.dataframe if "previous_score" in d.value.columns]
    columns = json.loads(stars.proto.columns)
    for name in ("score", "previous_score"):
        assert columns[name]["type_config"]["format"] == "%.1f", columns
    at = open_page("congress")
    at.selectbox(key="cg_congress").set_value("asco").run()
    ranked = [d for d in at.dataframe if {"rank", "score"} <= set(d.value.columns)]
    assert ranked
    for table in ranked:
        assert json.loads(table.proto.columns)["score"]["type_config"]["format"] == "%.1f"


def missing_shown_as(table) -> str:
    """What the data grid draws in a missing cell of ``table``: its placeholder, else
    Streamlit's grey "None"."""
    return table.proto.placeholder if table.proto.HasField("placeholder") else "None"


def _map_data(at) -> dict:
    """The data (nodes, edges, legend) of the map on the Network map page."""
    (frame,) = at.get("iframe")
    found = re.search(
        r'<script type="application/json"[^>]*>(.*?)</script>', frame.proto.srcdoc, re.S
    )
    assert found
    return json.loads(found.group(1))


def test_the_map_legend_names_only_the_communities_the_communities_page_lists(app_store):
    """The map's community legend gave communities of one or two accounts their own colour
    and entry ("community 19 · 1 account"), where the Communities page lists only those of
    three or more: a number on the map had no row there. They share the grey entry now."""
    from kolmap.views.maps import OTHER_COMMUNITIES

    at = open_page("communities")
    at.selectbox(key="com_area").set_value("oncology").run()
    listed = {str(c) for c in at.dataframe[0].value["community"]}
    at = open_page("network")
    at.selectbox(key="map_area").set_value("oncology").run()
    at.radio(key="map_colour").set_value("community").run()
    assert not at.exception, [e.value for e in at.exception]
    data = _map_data(at)
    entries = {e["key"]: e for e in data["legend"]["entries"]}
    assert set(entries) - {"other"} <= listed, sorted(set(entries) - listed, key=str)
    assert "small" in entries["other"]["label"]
    on_map = {str(n["details"]["community"]) for n in data["nodes"]}
    assert on_map - listed  # the scope has small communities on the map
    for node in data["nodes"]:
        if str(node["details"]["community"]) not in listed:
            assert node["group"] == "other" and node["color"] == OTHER_COMMUNITIES, node
    assert sum(e["count"] for e in entries.values()) == len(data["nodes"])


def test_unknown_reply_counts_are_blank_on_congress_and_profile(app_store, tmp_path, known_answers):
    """An export without reply counts (rtweet's CSV has no reply_count) leaves the replies
    missing, and the data grid drew them as a grey "None"; they are blank now, and still
    missing rather than 0 (unknown is not zero), the counts still numbers."""
    from .conftest import ingest_files, write

    with opened(app_store) as store:
        kol = store.accounts([AccountKey.parse(known_answers["kol"]["oncology"][0])]).iloc[0]
        ingest_files(
            store,
            write(
                tmp_path / "rtweet_like",
                "posts.csv",
                "platform,post_id,author_id,created_at,text,likes,reposts\n"
                f"x,990001,{kol['account_id']},2026-05-30T12:00:00Z,"
                "Practice-changing data today #ASCO26,90000,9000\n",
            ),
        )
    at = open_page("congress")
    at.selectbox(key="cg_congress").set_value("asco").run()
    assert not at.exception, [e.value for e in at.exception]
    top = next(d for d in at.dataframe if "replies" in d.value.columns)
    ours = top.value[top.value["text"].str.startswith("Practice-changing data today")]
    assert len(ours) == 1 and ours["replies"].isna().all()  # unknown, not 0
    assert ours["likes"].iloc[0] == 90000 and top.value["likes"].dtype.kind in "iuf"
    assert missing_shown_as(top) == ""
    at = open_page("profile")
    at.text_input(key="profile_search").set_value(kol["handle"]).run()
    assert not at.exception, [e.value for e in at.exception]
    latest = next(d for d in at.dataframe if {"kind", "text"} <= set(d.value.columns))
    ours = latest.value[latest.value["text"].str.startswith("Practice-changing data today")]
    assert len(ours) == 1 and ours["replies"].isna().all()
    assert latest.value["likes"].dtype.kind in "iuf"
    assert missing_shown_as(latest) == ""


def test_rising_stars_show_new_entrants_as_new_with_a_blank_previous_score(app_store):
    """An account not ranked in the earlier window has no previous score: the table drew a
    grey "None" there and only the reasons said it was new."""
    at = open_page("trends")
    at.selectbox(key="tr_area").set_value("oncology").run()
    start = at.date_input(key="tr_earlier").value[0]
    # A short earlier window: accounts ranked in the later one were not ranked yet.
    at.date_input(key="tr_earlier").set_value((start, start + timedelta(days=14))).run()
    assert not at.exception, [e.value for e in at.exception]
    (stars,) = [d for d in at.dataframe if "previous_score" in d.value.columns]
    table = stars.value
    new = table["reasons"].str.startswith("new:")
    assert new.any() and table.loc[new, "previous_score"].isna().all()
    assert missing_shown_as(stars) == ""
    assert (table.loc[new, "movement"] == "new").all()
    assert not (table.loc[~new, "movement"] == "new").any()
    assert table["previous_score"].dtype.kind == "f"  # still sorts as a number


def test_leaderboard_comparison_shows_new_accounts_as_new_with_blank_changes(app_store):
    """An account not ranked in the earlier window has no previous rank, so no Δ rank or
    Δ score: the comparison drew grey "None" in those cells. They are blank now, the
    movement says new, and the columns stay numbers that sort."""
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("oncology").run()
    at.toggle(key="lb_compare").set_value(True).run()
    start = at.date_input(key="lb_compare_days").value[0]
    # A short earlier window: accounts ranked in the whole one were not ranked yet.
    at.date_input(key="lb_compare_days").set_value((start, start + timedelta(days=14))).run()
    assert not at.exception, [e.value for e in at.exception]
    for detailed in (False, True):  # the compact table and, with All columns, previous_rank
        at.toggle(key="lb_all_columns").set_value(detailed).run()
        assert not at.exception, [e.value for e in at.exception]
        ranking = at.dataframe[0]
        table = ranking.value
        new = table["movement"] == "new"
        assert new.any() and (~new).any(), table["movement"].value_counts()
        changes = ["rank_change", "score_change"] + (["previous_rank"] if detailed else [])
        assert table.loc[new, changes].isna().all().all()
        assert table.loc[~new, "rank_change"].notna().all()
        assert all(table[c].dtype.kind in "iuf" for c in changes)  # still sort as numbers
        assert missing_shown_as(ranking) == ""


def test_profile_interactions_both_ways_show_withheld_names_blank(app_store, known_answers):
    """ "Who interacts with them" blanked a withheld name (a private individual's) but its
    twin "Whom they interact with" did not: a patient the DOL replies to showed a grey
    "None" as its name. Both tables are drawn the same way now."""
    with opened(app_store) as store:
        dol = store.accounts([AccountKey.parse(known_answers["dol"]["oncology"][0])]).iloc[0]
    at = open_page("profile")
    at.text_input(key="profile_search").set_value(dol["handle"]).run()
    assert not at.exception, [e.value for e in at.exception]
    incoming, outgoing = [d.value for d in at.dataframe if "relations" in d.value.columns]
    for table in (incoming, outgoing):
        private = table["role"].isin(["patient", "caregiver", "public"])
        assert private.any(), table["role"].value_counts()  # names withheld in both
        assert (table.loc[private, "display_name"] == "").all(), table["display_name"]
        assert table["handle"].str.startswith("anon-")[private].all()
        assert not table.select_dtypes(exclude="number").isna().any().any()
        assert table["weight"].dtype.kind == "f" and table["count"].dtype.kind in "iuf"
    # Who, as what, how and how much, in half a page: no platform or id (which repeated the
    # handle and pushed relations, counts and weights out of view in a browser).
    for table in (d for d in at.dataframe if "relations" in d.value.columns):
        shown = list(table.proto.column_order)
        assert shown == ["handle", "display_name", "role", "relations", "count", "weight"]


def test_community_members_show_withheld_follower_counts_blank(app_store):
    """A private individual's follower count is withheld (and exports often lack it): the
    clickable member tables drew it as a grey "None"; blank now, the column still numbers."""
    at = open_page("communities")
    at.selectbox(key="com_area").set_value("oncology").run()
    assert not at.exception, [e.value for e in at.exception]
    members = next(d for d in at.dataframe if "followers" in d.value.columns)
    assert members.value["followers"].isna().any()
    assert members.value["followers"].dtype.kind in "iuf"
    assert missing_shown_as(members) == ""


def test_an_influencers_standing_leaves_the_kol_and_dol_scores_blank(app_store, known_answers):
    """An influencer is ranked without KOL and DOL scores: the Profile's Standing table
    drew them as a grey "None"."""
    with opened(app_store) as store:
        key = AccountKey.parse(known_answers["influencer"]["oncology"][0])
        influencer = store.accounts([key]).iloc[0]
    at = open_page("profile")
    from kolmap.ui import state

    # A private individual: found by the pseudonym the app shows, not by the hidden handle.
    name = state.privacy().pseudonym(str(influencer["platform"]), str(influencer["account_id"]))
    at.text_input(key="profile_search").set_value(name).run()
    at.toggle(key="profile_standing_on").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    standing = next(d for d in at.dataframe if "of" in d.value.columns)
    influencer_rows = standing.value[standing.value["kind"] == "influencer"]
    assert len(influencer_rows) and influencer_rows["kol_score"].isna().all()
    assert standing.value["score"].dtype.kind == "f"
    assert missing_shown_as(standing) == ""


def test_the_shortlist_trail_names_removed_accounts_and_removing_many_asks_first(app_store):
    """A browser check removed a named researcher: the Activity trail showed an anon-
    pseudonym for both the add and the removal (accounts off the list had no known role), and
    one keypress in the multiselect ("Select all", Enter) emptied a 25-account list."""
    at = open_page("leaderboard")
    at.selectbox(key="lb_area").set_value("oncology").run()
    picks = at.multiselect(key="lb_pick").options[:5]
    at.multiselect(key="lb_pick").set_value(picks).run()
    at.button(key="lb_add").click().run()
    handles = [p.split(". ", 1)[1] for p in picks]
    at = open_page("shortlist")
    listed = at.dataframe[0].value
    assert listed["score"].is_monotonic_decreasing  # a batch is listed best first
    at.multiselect(key="sl_remove").set_value(handles[:4]).run()
    assert at.button(key="sl_remove_btn").disabled  # four: asks to be sure first
    at.checkbox(key="sl_remove_sure").check().run()
    at.button(key="sl_remove_btn").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe[0].value) == 1
    at.multiselect(key="sl_remove").set_value(handles[4:]).run()
    assert not at.button(key="sl_remove_btn").disabled  # one: no question
    trail = next(d.value for d in at.dataframe if "action" in d.value.columns)
    removed = trail[trail["action"] == "removed"]
    assert set(removed["account"]) == set(handles[:4])  # KOLs, public: named, not anon-


def test_the_shortlist_shows_a_missing_name_specialty_or_score_blank(app_store, known_answers):
    """An account added from its profile has no score (nor, often, a specialty; a private
    individual's name is withheld): the shortlist's editor drew such cells as a grey "None"."""
    from kolmap.ui import state

    with opened(app_store) as store:
        unknown = store.sql(
            "SELECT platform, account_id FROM account_view WHERE role = 'unknown' "
            "AND NOT is_stub ORDER BY platform, account_id LIMIT 1"
        ).iloc[0]
    at = open_page("profile")
    name = state.privacy().pseudonym(str(unknown["platform"]), str(unknown["account_id"]))
    at.text_input(key="profile_search").set_value(name).run()  # in no list: no score
    at.button(key="profile_add").click().run()
    at = open_page("shortlist")
    assert not at.exception, [e.value for e in at.exception]
    editor = next(d for d in at.dataframe if "note" in d.value.columns)
    table = editor.value
    assert table["score"].isna().any() and table["score"].dtype.kind == "f"
    assert missing_shown_as(editor) == ""


def test_adding_from_a_profile_keeps_the_area_list_and_score_it_was_opened_with(
    app_store, known_answers
):
    """A browser check opened a KOL from the gastroenterology Leaderboard and added her from
    her profile: the shortlist said area "all", kind "profile", no score; added from the
    Leaderboard it said gastroenterology, kol, 58.3."""
    from kolmap.ui import state

    with opened(app_store) as store:
        kol = store.accounts([AccountKey.parse(known_answers["kol"]["oncology"][0])]).iloc[0]
    ranked = state.ranking(Scope(area="oncology"), "kol")
    mine = ranked[ranked["account_id"] == kol["account_id"]].iloc[0]
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(
        {"account": f"{kol['platform']}:{kol['account_id']}", "area": "oncology"}
    )
    at.run()
    at.switch_page("app_pages/profile.py").run()
    at.button(key="profile_add").click().run()
    with opened(app_store) as store:
        items = store.sql("SELECT * FROM shortlists")
    item = items[items["account_id"] == kol["account_id"]].iloc[0]
    assert (item["area"], item["kind"]) == ("oncology", "kol")
    assert float(item["score"]) == float(mine["score"])


def test_a_safety_item_not_reviewed_yet_shows_no_reviewer_blank(app_store):
    """A new pharmacovigilance item has no reviewer, review time or note yet: the queue drew
    them as a grey "None"."""
    from kolmap.views.pharmacovigilance import Product, load_vocabulary, scan

    with opened(app_store) as store:
        posts = store.sql("SELECT post_id FROM posts WHERE text IS NOT NULL LIMIT 1")
        store.db.execute(
            "UPDATE posts SET text = 'after my 2nd dose of Ocrevimab I had a seizure' "
            "WHERE post_id = ?",
            [str(posts["post_id"].iloc[0])],
        )
        assert scan(store, [Product("Ocrevimab", "", "", ())], load_vocabulary(), b"k")["queued"]
    at = open_page("safety")
    queue = next(d for d in at.dataframe if "status_by" in d.value.columns)
    assert queue.value[["status_by", "status_at", "note"]].isna().all().all()
    assert missing_shown_as(queue) == ""


def test_the_ingest_summary_leaves_counts_a_kind_does_not_have_blank(app_store):
    """The merge summary has a row per kind (accounts, posts, follows, labels) and not every
    kind has every count (only accounts complete stubs): those cells were a grey "None"."""
    at = open_page("ingest")
    upload = b"platform,account_id,handle,bio\nx,779001,blank_counts,Oncologist\n"
    at.file_uploader(key="ing_files").set_value(("accounts.csv", upload, "text/csv")).run()
    at.button(key="ing_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    merge = next(d for d in at.dataframe if "kind" in d.value.columns)
    assert merge.value.drop(columns="kind").isna().any().any()
    assert merge.value["added"].dtype.kind in "iuf"
    assert missing_shown_as(merge) == ""
    # Per-file counts read "accounts: 1", not raw JSON ({"accounts":1}, {}).
    files = next(d for d in at.dataframe if "path" in d.value.columns).value
    cells = [v for c in files.columns for v in files[c]]
    assert not any(isinstance(v, dict) or str(v).startswith("{") for v in cells), files
    assert "accounts: 1" in cells


def test_a_neo4j_store_that_does_not_answer_is_a_readable_error(tmp_path, monkeypatch):
    """The sidebar asks a Neo4j server where its rankings compute (GDS or this process); a
    server that does not answer stops the app first with a readable error naming it, and
    no traceback."""
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    monkeypatch.setenv("KOLMAP_STORE", f"bolt://127.0.0.1:{port}")
    monkeypatch.setenv("KOLMAP_NEO4J_PASSWORD", "x")
    monkeypatch.setenv("KOLMAP_NEO4J_CACHE_DIR", str(tmp_path / "copies"))
    from kolmap.ui import state

    state.settings.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"127.0.0.1:{port}: cannot reach" in e.value for e in at.error), [
        e.value for e in at.error
    ]


def test_the_leaderboard_names_score_components_in_words(app_store):
    """The caption read "peer_pagerank 0.5, peer_endorsers 0.3, …" (code, to a medical
    affairs reader); the components are named in words, their column names kept as help."""
    at = open_page("leaderboard")
    caption = next(c.value for c in at.caption if "candidate(s)" in c.value)
    assert "standing among peers 0.5, peer endorsers 0.3, influence 0.1, engagement 0.1" in caption
    assert "peer_pagerank" not in caption
    at.toggle(key="lb_all_columns").set_value(True).run()
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["peer_pagerank"]["label"] == "standing among peers"
    assert columns["peer_pagerank"]["help"] == "peer_pagerank"


def test_the_leaderboard_leaves_out_a_name_or_specialty_column_blank_on_every_row(app_store):
    """On a real 2014 file without display names the Leaderboard kept an empty name column
    (a browser check), and an organisation list an empty specialty column: the room went
    from the reasons. A column with one value stays."""
    at = open_page("leaderboard")
    kol = at.dataframe[0].value
    assert {"display_name", "specialty"} <= set(kol.columns)
    at.selectbox(key="lb_kind").set_value("organisation").run()
    orgs = at.dataframe[0].value
    assert "specialty" not in orgs.columns and "display_name" in orgs.columns, orgs.columns
    at.toggle(key="lb_all_columns").set_value(True).run()
    assert "specialty" in at.dataframe[0].value.columns  # every column, when asked


def test_accounts_without_a_handle_are_shown_and_found_by_their_id(tmp_path, monkeypatch):
    """A contact list's nodes have ids only; their Leaderboard rows named no one, and the
    Profile's search (handle or name) found none of them."""
    from kolmap.ingest.pipeline import ingest_paths
    from kolmap.ui import state

    from .conftest import write

    write(tmp_path / "h", "metadata_ward.dat", "1 MED\n2 NUR\n3 PAT\n4 ADM\n")
    write(tmp_path / "h", "contacts.dat", "20 1 2\n40 1 2\n60 2 3\n80 1 3\n100 4 1\n")
    path = tmp_path / "ward.duckdb"
    with DuckDBStore(path) as store:
        ingest_paths(store, [tmp_path / "h"], quarantine_dir=tmp_path / "q")
    monkeypatch.setenv("KOLMAP_STORE", str(path))
    monkeypatch.setenv("KOLMAP_PSEUDONYM_KEY", "test-key")
    state.settings.clear()
    at = open_page("leaderboard")
    handles = at.dataframe[0].value["handle"]
    assert len(handles) and set(handles) <= {"1", "2"}, handles
    # ... and the Profile page finds them by their id, whole ("1" is not "100").
    at = open_page("profile")
    at.text_input(key="profile_search").set_value("2").run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert at.selectbox(key="profile_pick").options == ["2 (network, hcp)"]
