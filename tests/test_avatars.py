"""Account pictures (``avatar_url``): read from every export that carries one, kept in the
store, shown on the profile of an account shown by name, and never for a private individual
or from an unsafe address (docs/formats.md, docs/ui.md)."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest

from kolmap.model import AccountKey

from .conftest import ingest_files, write
from .test_json_formats import V2_PAGE
from .test_ui import app_store  # noqa: F401  (the app's store fixture)

DATA = Path(__file__).parent / "data" / "platforms"


def _pictures(store) -> dict[str, str]:
    frame = store.sql(
        "SELECT platform || ':' || account_id AS k, avatar_url FROM accounts "
        "WHERE avatar_url IS NOT NULL"
    )
    return dict(zip(frame["k"], frame["avatar_url"], strict=True))


def test_each_export_with_a_picture_gives_it_to_its_account(store, tmp_path):
    page = copy.deepcopy(V2_PAGE)
    page["includes"]["users"][0]["profile_image_url"] = "https://pbs.twimg.example/1_normal.jpg"
    write(tmp_path / "in", "search.json", json.dumps(page))
    profiles = {"profiles": [{"did": "did:plc:p1", "handle": "doc.bsky.social",
                              "description": "Pneumologue",
                              "avatar": "https://cdn.bsky.example/img/avatar/p1@jpeg"}]}  # fmt: skip
    write(tmp_path / "in", "profiles.json", json.dumps(profiles))
    rtweet = (
        "status_id,user_id,screen_name,text,created_at,profile_image_url\n"
        "900,77,epi_ann,Cohort results #SER2019,2019-06-18 10:00:00,"
        "http://pbs.twimg.example/77_normal.png\n"
    )
    write(tmp_path / "in", "ser_tweets.csv", rtweet)
    canonical = (
        "platform,account_id,handle,bio,avatar_url\n"
        "linkedin,li-5,ana_cardio,Cardiologist,https://media.licdn.example/ana.jpg\n"
        "linkedin,li-6,no_picture,Nurse,\n"
    )
    write(tmp_path / "in", "accounts.csv", canonical)
    v1 = {"id_str": "500", "full_text": "Heart failure update", "user": {
        "id_str": "7", "screen_name": "cardio_a", "description": "Cardiologist",
        "profile_image_url": "http://pbs.twimg.example/7_normal.jpg",
        "profile_image_url_https": "https://pbs.twimg.example/7_normal.jpg"}}  # fmt: skip
    write(tmp_path / "in", "stream.jsonl", json.dumps(v1) + "\n")
    for name in ("zeeschuimer-export.ndjson", "youtube_channels_and_comments.jsonl"):
        shutil.copy(DATA / name, tmp_path / "in" / name)
    ingest_files(store, tmp_path / "in")  # (the fixtures' faulty rows are quarantined)
    pictures = _pictures(store)
    assert pictures == {
        "x:1": "https://pbs.twimg.example/1_normal.jpg",  # X API v2
        "x:7": "https://pbs.twimg.example/7_normal.jpg",  # X API v1.1: the https one
        "bluesky:did:plc:p1": "https://cdn.bsky.example/img/avatar/p1@jpeg",
        "x:77": "http://pbs.twimg.example/77_normal.png",  # rtweet CSV
        "linkedin:li-5": "https://media.licdn.example/ana.jpg",  # canonical CSV
        "tiktok:6600000000000000002": "https://p16-sign.tiktokcdn.example/dr_endo_lee~100x100.jpeg",
        "instagram:5500000000000000001": "https://scontent.cdninstagram.example/heart_health_md_150.jpg",
        "threads:5500000000000000001": "https://scontent.cdninstagram.example/heart_health_md_150.jpg",
        "x:" + _x_author(store, "DrAmaraOnc"): "https://pbs.twimg.example/profile_images/1/amara_normal.jpg",
        "youtube:UCexampleasthmadoc0001": "https://yt3.ggpht.example/drana=s88",
    }  # fmt: skip
    # A later export without a picture keeps the one known; one with a new picture replaces it.
    write(tmp_path / "again", "accounts.csv", "platform,account_id,handle,avatar_url\n"
          "linkedin,li-5,ana_cardio,\nx,1,DrOnco,https://pbs.twimg.example/1_new.jpg\n")  # fmt: skip
    ingest_files(store, tmp_path / "again")
    pictures = _pictures(store)
    assert pictures["linkedin:li-5"] == "https://media.licdn.example/ana.jpg"
    assert pictures["x:1"] == "https://pbs.twimg.example/1_new.jpg"
    assert store.accounts([AccountKey("x", "1")]).iloc[0]["avatar_url"].endswith("1_new.jpg")


def _x_author(store, handle: str) -> str:
    return str(store.sql(f"SELECT account_id FROM accounts WHERE handle = '{handle}'").iloc[0, 0])


def test_the_row_by_row_reader_keeps_the_picture_too(store, tmp_path, monkeypatch):
    monkeypatch.setenv("KOLMAP_INGEST_BULK_CSV", "false")
    from kolmap.settings import load_settings

    settings = load_settings()
    assert not settings.ingest.bulk_csv
    path = write(tmp_path, "accounts.csv", "platform,account_id,handle,avatar_url\n"
                 "x,5,dr_e,https://pbs.twimg.example/5.jpg\n")  # fmt: skip
    ingest_files(store, path, settings=settings)
    assert _pictures(store) == {"x:5": "https://pbs.twimg.example/5.jpg"}


@pytest.fixture
def pictured_store(request):
    """The sample's store (the app's) with pictures for an HCP, a patient and, at a hostile
    address, another HCP, as an export could give them."""
    from kolmap.graph.duckdb import DuckDBStore

    path = request.getfixturevalue("app_store")
    with DuckDBStore(path) as store:
        accounts = store.accounts()
        hcp = accounts[(accounts["role"] == "hcp") & ~accounts["is_stub"]].iloc[0]
        patient = accounts[(accounts["role"] == "patient") & ~accounts["is_stub"]].iloc[0]
        hostile = accounts[(accounts["role"] == "hcp") & ~accounts["is_stub"]].iloc[1]
        for row, url in (
            (hcp, "https://pbs.twimg.example/hcp_normal.jpg"),
            (patient, "https://pbs.twimg.example/patient_normal.jpg"),
            (hostile, "javascript:alert(document.cookie)"),
        ):
            store.db.execute(
                "UPDATE accounts SET avatar_url = ? WHERE platform = ? AND account_id = ?",
                [url, row["platform"], row["account_id"]],
            )
    return {
        "hcp": f"{hcp['platform']}:{hcp['account_id']}",
        "patient": f"{patient['platform']}:{patient['account_id']}",
        "hostile": f"{hostile['platform']}:{hostile['account_id']}",
    }


def _profile_images(key: str, monkeypatch) -> list[str]:
    from streamlit.testing.v1 import AppTest

    from .test_ui import APP

    monkeypatch.setenv("KOLMAP_PRIVACY_ALLOW_IDENTITIES", "false")
    from kolmap.ui import state

    state.settings.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/profile.py")
    at.query_params["account"] = key
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header, "the profile did not open"
    # The picture is drawn over the initials (st.html): the address is in its style.
    bodies = [element.proto.body for element in at.get("html")]
    return [url for body in bodies for url in re.findall(r"url\(&#x27;([^&]+)&#x27;\)", body)]


def test_the_profile_shows_the_picture_of_an_account_shown_by_name(pictured_store, monkeypatch):
    assert _profile_images(pictured_store["hcp"], monkeypatch) == [
        "https://pbs.twimg.example/hcp_normal.jpg"
    ]


def test_no_picture_for_a_private_individual_or_from_an_unsafe_address(pictured_store, monkeypatch):
    from kolmap.model import AccountKey
    from kolmap.ui import state

    # A private individual's profile opens by pseudonym only (never by the real id).
    key = AccountKey.parse(pictured_store["patient"])
    name = state.privacy().pseudonym(key.platform, key.account_id)
    assert _profile_images(f"{key.platform}:{name}", monkeypatch) == []
    assert _profile_images(pictured_store["hostile"], monkeypatch) == []
