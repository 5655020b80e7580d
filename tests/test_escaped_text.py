"""Tweet text arrives HTML-escaped (``&amp;``, ``&lt;``, ``&gt;``) from every X source kolmap
reads: rtweet and the 2014 Topsy CSVs, the API's JSON (v1.1 and v2) and Zeeschuimer's
captures. The stored text is what the author typed; bios, which X does not escape, are kept
as given."""

from __future__ import annotations

import json
from pathlib import Path

from kolmap.graph.duckdb import DuckDBStore

from .conftest import ingest_files, write
from .test_flat_formats import csv_text

TYPED = "Screen & treat: HbA1c <7% > 50%"
ESCAPED = "Screen &amp; treat: HbA1c &lt;7% &gt; 50%"


def _texts(store: DuckDBStore) -> dict[str, str]:
    rows = store.sql("SELECT post_id, text FROM posts WHERE text IS NOT NULL")
    return dict(zip(rows["post_id"], rows["text"], strict=True))


def test_rtweet_texts_retweets_and_quotes_are_unescaped_and_bios_kept(store, tmp_path) -> None:
    header = [
        "status_id", "user_id", "screen_name", "description", "text", "is_retweet",
        "retweet_status_id", "retweet_user_id", "retweet_screen_name", "retweet_text",
        "quoted_status_id", "quoted_user_id", "quoted_screen_name", "quoted_text",
    ]  # fmt: skip
    rows = [
        header,
        ["1", "10", "doc_a", "R&amp;D lead & GP", ESCAPED, "FALSE"] + [""] * 8,
        ["2", "11", "doc_b", "Nurse", "RT @doc_c: Tom &amp; Jerry", "TRUE", "3", "12",
         "doc_c", "Tom &amp; Jerry", "", "", "", ""],
        ["4", "11", "doc_b", "Nurse", "Agreed &gt; all", "FALSE", "", "", "", "",
         "5", "13", "doc_d", "A &lt; B"],
    ]  # fmt: skip
    summary = ingest_files(store, write(tmp_path, "tweets.csv", csv_text(rows)))
    assert summary.files[0].format == "rtweet" and summary.files[0].rows_quarantined == 0
    assert _texts(store) == {
        "1": TYPED,
        "2": "RT @doc_c: Tom & Jerry",
        "3": "Tom & Jerry",
        "4": "Agreed > all",
        "5": "A < B",
    }
    bios = store.sql("SELECT account_id, bio FROM accounts WHERE account_id = '10'")
    assert bios["bio"].iloc[0] == "R&amp;D lead & GP"  # bios are not escaped by X


def test_topsy_content_is_unescaped(store, tmp_path) -> None:
    rows = [
        ["id", "content", "trackback_author_nick", "firstpost_date"],
        ["9001", ESCAPED, "gi_doc", "1401600000"],
    ]
    summary = ingest_files(store, write(tmp_path, "Tweets_Celiac_full.csv", csv_text(rows)))
    assert summary.files[0].format == "topsy"
    assert _texts(store) == {"9001": TYPED}


def test_x_api_v1_and_v2_texts_are_unescaped(store, tmp_path) -> None:
    v1 = {
        "id_str": "500",
        "full_text": ESCAPED,
        "user": {"id_str": "7", "screen_name": "cardio_a", "description": "Q&amp;A host"},
    }
    v2 = {
        "data": [
            {"id": "600", "author_id": "8", "text": "RT @cardio_a: Q &amp; A",
             "referenced_tweets": [{"type": "retweeted", "id": "601"}]},
            {"id": "602", "author_id": "8", "text": "x &lt; y"},
        ],
        "includes": {"users": [{"id": "8", "username": "cardio_b"}]},
    }  # fmt: skip
    ingest_files(store, write(tmp_path / "a", "v1.jsonl", json.dumps(v1) + "\n"))
    ingest_files(store, write(tmp_path / "b", "v2.json", json.dumps(v2)))
    texts = _texts(store)
    assert texts["500"] == TYPED and texts["602"] == "x < y"
    assert texts["600"] == "RT @cardio_a: Q & A" and texts["601"] == "Q & A"
    bio = store.sql("SELECT bio FROM accounts WHERE account_id = '7'")["bio"].iloc[0]
    assert bio == "Q&amp;A host"


def test_zeeschuimer_x_text_is_unescaped(store, tmp_path) -> None:
    source = Path(__file__).parent / "data" / "platforms" / "zeeschuimer-export.ndjson"
    lines = source.read_text("utf-8").splitlines()
    item = next(json.loads(line) for line in lines if '"twitter.com"' in line)
    item["data"]["legacy"]["full_text"] = ESCAPED
    ingest_files(store, write(tmp_path, "zeeschuimer.ndjson", json.dumps(item) + "\n"))
    assert _texts(store)[item["item_id"]] == TYPED
