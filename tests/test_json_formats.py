"""X API, X archive, Bluesky, Instagram, LinkedIn and ZIP input, with their faults
(reliability cases T03, T14, T15, T16, T18), on fixtures written here."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from kolmap.errors import InputError
from kolmap.ingest.pipeline import ingest_paths
from kolmap.model import AccountKey

from .conftest import ingest_files, relations, write

V2_PAGE = {
    "data": [
        {
            "id": "10",
            "author_id": "1",
            "text": "Nouvelles données #ASCO26 @nurse_b",
            "created_at": "2026-05-30T09:00:00.000Z",
            "lang": "fr",
            "public_metrics": {"like_count": 40, "retweet_count": 10, "reply_count": 2},
            "entities": {
                "mentions": [{"username": "nurse_b", "id": "2"}],
                "hashtags": [{"tag": "ASCO26"}],
            },
        },
        {
            "id": "11",
            "author_id": "2",
            "text": "RT @DrOnco: Nouvelles données #ASCO26",
            "referenced_tweets": [{"type": "retweeted", "id": "10"}],
        },
        {
            "id": "12",
            "author_id": "3",
            "text": "@DrOnco merci",
            "referenced_tweets": [{"type": "replied_to", "id": "10"}],
            "in_reply_to_user_id": "1",
        },
        {
            "id": "13",
            "author_id": "2",
            "text": "RT @ghost_md: old news",
            "referenced_tweets": [{"type": "retweeted", "id": "99"}],
        },
    ],
    "includes": {
        "users": [
            {
                "id": "1",
                "username": "DrOnco",
                "name": "Dr Onco",
                "description": "Oncologue médical",
                "public_metrics": {"followers_count": 5000},
            },
            {"id": "2", "username": "nurse_b", "description": "Infirmière en cancérologie"},
            {"id": "3", "username": "anna_p", "description": "Breast cancer survivor"},
        ],
        "tweets": [{"id": "10", "author_id": "1", "text": "Nouvelles données #ASCO26 @nurse_b"}],
    },
}


def test_x_api_v2_page(store, tmp_path):
    summary = ingest_files(store, write(tmp_path, "search.json", json.dumps(V2_PAGE)))
    report = summary.files[0]
    assert report.format == "x-api" and report.rows_read == 4
    assert relations(store) == {
        ("1", "2", "MENTIONS"),
        ("2", "1", "REPOSTS"),
        ("3", "1", "REPLIES_TO"),
        ("3", "1", "MENTIONS"),
        ("2", "@ghost_md", "REPOSTS"),
    }
    assert store.accounts([AccountKey("x", "1")]).iloc[0]["role"] == "hcp"
    post = store.sql("SELECT likes, text FROM posts WHERE post_id = '10'").iloc[0]
    assert post["likes"] == 40 and post["text"].startswith("Nouvelles")  # own row wins


def test_a_bad_tweet_in_a_page_is_rejected_alone(store, tmp_path):
    """A tweet without author_id in the middle of a page rejected the whole page from that
    tweet on: the tweets after it were lost without a word."""
    page = json.loads(json.dumps(V2_PAGE))
    del page["data"][1]["author_id"]
    summary = ingest_files(store, write(tmp_path, "search.json", json.dumps(page)))
    report = summary.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (4, 3, 1)
    assert "data[1]: tweet without author_id" in Path(summary.quarantine_path).read_text("utf-8")
    kept = set(store.sql("SELECT post_id FROM posts WHERE author_id <> ''")["post_id"])
    assert {"10", "12", "13"} <= kept


def test_a_response_object_larger_than_detection_reads_is_streamed(store, tmp_path):
    """A paginating script's output of 12 MB, one JSON object: detection sketches it from
    its first 8 MB (it was "not a format kolmap recognises" past that), and the reader
    streams its tweets instead of loading it whole (T17). The records equal those of the
    same response read whole (inside an array)."""
    from kolmap.ingest.formats.spec import ReadOptions
    from kolmap.ingest.formats.x_api import read_x_api

    page = json.loads(json.dumps(V2_PAGE))
    filler = page["data"][0]
    for i in range(12_000):
        page["data"].append({**filler, "id": str(1000 + i), "text": "immunotherapy " * 60})
    path = write(tmp_path, "responses.json", json.dumps(page))
    assert path.stat().st_size > 9 << 20
    whole = write(tmp_path / "whole", "responses.json", json.dumps([page]))
    options = ReadOptions()
    streamed = [(i.line, i.records) for i in read_x_api(path, options)]
    loaded = [(i.line, i.records) for i in read_x_api(whole, options)]
    assert len(streamed) == 12_004 and streamed == loaded
    summary = ingest_files(store, path)
    assert summary.files[0].format == "x-api" and summary.files[0].rows_accepted == 12_004


def test_x_api_jsonl_keeps_going_past_a_bad_line(store, tmp_path):
    v1 = {
        "id_str": "500",
        "full_text": "Heart failure update @cardio_b",
        "lang": "en",
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "favorite_count": 3,
        "user": {
            "id_str": "7",
            "screen_name": "cardio_a",
            "description": "Cardiologist",
            "followers_count": 900,
        },
        "entities": {"user_mentions": [{"screen_name": "cardio_b", "id_str": "8"}], "hashtags": []},
    }
    retweet = {
        "id_str": "501",
        "full_text": "RT @cardio_a: Heart failure update",
        "user": {"id_str": "8", "screen_name": "cardio_b"},
        "retweeted_status": v1,
    }
    lines = [json.dumps(v1), "{not json", json.dumps(retweet)] + [
        json.dumps({**v1, "id_str": str(600 + i)}) for i in range(7)
    ]
    summary = ingest_files(store, write(tmp_path, "stream.jsonl", "\n".join(lines) + "\n"))
    report = summary.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (10, 9, 1)
    qtext = Path(summary.quarantine_path).read_text("utf-8")
    assert ",2,line is not valid JSON" in qtext
    assert {("7", "8", "MENTIONS"), ("8", "7", "REPOSTS")} <= relations(store)
    created = store.sql("SELECT created_at::VARCHAR AS t FROM posts WHERE post_id = '500'")
    assert created["t"].iloc[0].startswith("2018-10-10 20:19:24")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[{"id_str": "1", "user": {"id_str": "2"}, "text": "x"},]', "between bytes 0 and 56"),
        (b'[{"id_str": "1", "user": {"id_str": "2"}, "text": "x"}, {"id_str"', "truncated"),
        (b"[" * 100_000 + b"]" * 100_000, "nested more than 200 levels"),
    ],
)
def test_malformed_json_is_a_clear_error_and_commits_nothing(store, tmp_path, content, message):
    path = tmp_path / "tweets.json"
    path.write_bytes(content)
    before = store.fingerprint()
    with pytest.raises(InputError, match=message):
        ingest_files(store, path, fmt="x-api")
    assert store.fingerprint() == before


def archive(folder: Path, tweets_parts: int = 2) -> Path:
    data = folder / "data"
    write(
        data,
        "account.js",
        'window.YTD.account.part0 = [{"account": {"accountId": "42", '
        '"username": "DrMe", "accountDisplayName": "Dr Me"}}]',
    )
    write(
        data,
        "profile.js",
        'window.YTD.profile.part0 = [{"profile": {"description": '
        '{"bio": "Neurologue, CHU", "website": "", "location": "Lyon"}}}]',
    )
    for part in range(tweets_parts):
        suffix = "" if part == 0 else f"-part{part}"
        tweets = [
            {
                "tweet": {
                    "id_str": str(1000 + part * 10 + i),
                    "full_text": f"Sclérose en plaques #SEP note {part}-{i} @colleague",
                    "created_at": "Mon Nov 02 16:05:48 +0000 2026",
                    "entities": {"user_mentions": [{"screen_name": "colleague", "id_str": "77"}]},
                }
            }
            for i in range(3)
        ]
        write(
            data,
            f"tweets{suffix}.js",
            f"window.YTD.tweets.part{part} = " + json.dumps(tweets, indent=1),
        )
    write(
        data,
        "follower.js",
        'window.YTD.follower.part0 = [{"follower": {"accountId": "77",'
        ' "userLink": "https://twitter.com/intent/user?user_id=77"}}]',
    )
    write(
        data,
        "following.js",
        'window.YTD.following.part0 = [{"following": {"accountId": '
        '"88", "userLink": "https://twitter.com/intent/user?user_id=88"}}]',
    )
    write(data, "like.js", 'window.YTD.like.part0 = [{"like": {"tweetId": "5"}}]')
    return data


def test_x_archive_with_parts_follows_and_owner(store, tmp_path):
    data = archive(tmp_path / "arch")
    summary = ingest_files(store, data)
    formats = {Path(f.path).name: f.format for f in summary.files}
    assert formats["tweets-part1.js"] == "x-archive" and formats["like.js"] == "x-archive"
    assert store.stats()["posts"] == 6
    me = store.accounts([AccountKey("x", "42")]).iloc[0]
    assert me["handle"] == "DrMe" and me["role"] == "hcp" and me["bio"] == "Neurologue, CHU"
    follows = store.sql("SELECT follower_id, followed_id FROM follows ORDER BY 1")
    assert follows.values.tolist() == [["42", "88"], ["77", "42"]]
    assert ("42", "77", "MENTIONS") in relations(store)


def test_truncated_archive_file_commits_nothing(store, tmp_path):
    data = archive(tmp_path / "arch")
    full = (data / "tweets-part1.js").read_bytes()
    (data / "tweets-part1.js").write_bytes(full[: int(len(full) * 0.6)])
    before = store.fingerprint()
    cut = len(full[: int(len(full) * 0.6)])
    with pytest.raises(InputError, match=rf"tweets-part1\.js: the JSON ends at byte {cut:,} "):
        ingest_files(store, data)  # T14: a truncated part is named, with its byte position
    assert store.fingerprint() == before


def test_archive_without_account_js_is_explained(store, tmp_path):
    data = archive(tmp_path / "arch")
    (data / "account.js").unlink()
    with pytest.raises(InputError, match=r"need account\.js"):
        ingest_files(store, data / "tweets.js")


BSKY_FEED = {
    "feed": [
        {
            "post": {
                "uri": "at://did:plc:aaa/app.bsky.feed.post/1",
                "author": {
                    "did": "did:plc:aaa",
                    "handle": "onco.bsky.social",
                    "displayName": "Dr A",
                    "description": "Oncologist",
                },
                "record": {
                    "text": "Breast cancer data, thanks @nurse.bsky.social",
                    "createdAt": "2026-05-01T10:00:00Z",
                    "facets": [
                        {
                            "index": {"byteStart": 27, "byteEnd": 45},
                            "features": [
                                {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bbb"}
                            ],
                        }
                    ],
                },
                "likeCount": 12,
                "repostCount": 3,
            },
            "reason": {
                "$type": "app.bsky.feed.defs#reasonRepost",
                "by": {"did": "did:plc:ccc", "handle": "fan.bsky.social"},
                "indexedAt": "2026-05-02T10:00:00Z",
            },
        },
        {
            "post": {
                "uri": "at://did:plc:bbb/app.bsky.feed.post/2",
                "author": {
                    "did": "did:plc:bbb",
                    "handle": "nurse.bsky.social",
                    "description": "Oncology nurse",
                },
                "record": {
                    "text": "So true",
                    "createdAt": "2026-05-01T11:00:00Z",
                    "reply": {
                        "parent": {"uri": "at://did:plc:aaa/app.bsky.feed.post/1"},
                        "root": {"uri": "at://did:plc:aaa/app.bsky.feed.post/1"},
                    },
                },
            }
        },
    ]
}
BSKY_FOLLOWS = {
    "subject": {"did": "did:plc:bbb", "handle": "nurse.bsky.social"},
    "follows": [{"did": "did:plc:aaa", "handle": "onco.bsky.social"}],
}


def test_bluesky_feed_and_follows(store, tmp_path):
    write(tmp_path / "b", "feed.json", json.dumps(BSKY_FEED))
    write(tmp_path / "b", "follows.json", json.dumps(BSKY_FOLLOWS))
    summary = ingest_files(store, tmp_path / "b")
    assert {f.format for f in summary.files} == {"bluesky"}
    assert relations(store) == {
        ("did:plc:aaa", "did:plc:bbb", "MENTIONS"),
        ("did:plc:ccc", "did:plc:aaa", "REPOSTS"),
        ("did:plc:bbb", "did:plc:aaa", "REPLIES_TO"),
    }
    follows = store.sql("SELECT follower_id, followed_id FROM follows")
    assert follows.values.tolist() == [["did:plc:bbb", "did:plc:aaa"]]
    assert store.stats()["by_platform"] == {"bluesky": 3}


def test_a_feed_page_larger_than_the_detection_head_is_recognised(store, tmp_path):
    """Detection read only the first 64 KB: a 100-post feed page is one JSON object of a
    few hundred KB, and it was "not a format kolmap recognises"."""
    feed = json.loads(json.dumps(BSKY_FEED))
    post = feed["feed"][1]
    for i in range(100):
        copy = json.loads(json.dumps(post))
        copy["post"]["uri"] = f"at://did:plc:bbb/app.bsky.feed.post/{100 + i}"
        copy["post"]["record"]["text"] = f"Note {i}: " + "immunotherapy data " * 60
        feed["feed"].append(copy)
    path = write(tmp_path, "feed.json", json.dumps(feed))
    assert path.stat().st_size > 100_000
    summary = ingest_files(store, path)
    assert summary.files[0].format == "bluesky"
    assert store.stats()["posts"] >= 102


def test_deeply_nested_json_is_refused_during_detection(store, tmp_path):
    """200 KB of "[" used to take 10 GB of memory while its format was detected."""
    path = write(tmp_path, "deep.json", "[" * 200_000)
    with pytest.raises(InputError, match="nested more than 200 levels"):
        ingest_files(store, path)


def test_a_wrong_facet_range_invents_no_handle(store, tmp_path):
    feed = json.loads(json.dumps(BSKY_FEED))
    feed["feed"][0]["post"]["record"]["facets"][0]["index"] = {"byteStart": 33, "byteEnd": 51}
    ingest_files(store, write(tmp_path, "feed.json", json.dumps(feed)))
    assert store.accounts([AccountKey("bluesky", "did:plc:bbb")]).iloc[0]["handle"] == (
        "nurse.bsky.social"
    )  # from its own post, not from the wrong slice
    assert (
        store.sql(
            "SELECT count(*) AS n FROM accounts WHERE handle_lc LIKE '%se.bsky%' "
            "AND handle_lc <> 'nurse.bsky.social'"
        )["n"].iloc[0]
        == 0
    )


def test_instagram_followers_with_mojibake_and_owner(store, tmp_path):
    export = tmp_path / "insta"
    write(
        export / "personal_information",
        "personal_information.json",
        json.dumps({"profile_user": [{"string_map_data": {"Username": {"value": "dr.me"}}}]}),
    )
    followers = [
        {
            "title": "",
            "media_list_data": [],
            "string_list_data": [
                {
                    "href": "https://www.instagram.com/beno\u00c3\u00aet_p",
                    "value": "beno\u00c3\u00aet_p",
                    "timestamp": 1690000000,
                }
            ],
        },
        {
            "title": "",
            "media_list_data": [],
            "string_list_data": [
                {"href": "https://www.instagram.com/radek", "value": "radek", "timestamp": 1}
            ],
        },
    ]
    write(
        export / "connections" / "followers_and_following",
        "followers_1.json",
        json.dumps(followers),
    )
    write(
        export / "connections" / "followers_and_following",
        "following.json",
        json.dumps(
            {
                "relationships_following": [
                    {
                        "title": "",
                        "string_list_data": [
                            {
                                "href": "https://www.instagram.com/radek",
                                "value": "radek",
                                "timestamp": 2,
                            }
                        ],
                    }
                ]
            }
        ),
    )
    summary = ingest_files(store, export / "connections")
    followers_report = next(f for f in summary.files if f.path.endswith("followers_1.json"))
    assert followers_report.format == "instagram" and followers_report.repaired == {"mojibake": 1}
    handles = set(store.sql("SELECT handle FROM accounts")["handle"])
    assert {"benoît_p", "radek", "dr.me"} <= handles
    follows = store.sql("SELECT follower_id, followed_id FROM follows ORDER BY 1, 2")
    assert follows.values.tolist() == [
        ["@benoît_p", "@dr.me"],
        ["@dr.me", "@radek"],
        ["@radek", "@dr.me"],
    ]


def test_instagram_without_owner_is_explained(store, tmp_path):
    path = write(
        tmp_path,
        "followers_1.json",
        json.dumps([{"string_list_data": [{"value": "x", "href": "https://www.instagram.com/x"}]}]),
    )
    with pytest.raises(InputError, match="--owner"):
        ingest_files(store, path)
    summary = ingest_files(store, path, owner="me")
    assert summary.merge["follows"]["added"] == 1


@pytest.mark.parametrize("preamble_lines", [2, 3])
def test_linkedin_connections_with_preambles_and_no_emails(store, tmp_path, preamble_lines):
    notes = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."',
        "",
    ][:preamble_lines]
    rows = [
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
        "Jeanne,Martin,https://www.linkedin.com/in/jeanne-martin-1a2b,jeanne@example.org,"
        "CHU de Lyon,Oncologue médical,01 Jan 2026",
        "Paul,Durand,https://www.linkedin.com/in/paul-durand,,Exemplar Pharma,"
        "Medical Science Liaison,02 Jan 2026",
        "Hidden,Person,,,Somewhere,Something,03 Jan 2026",
    ]
    path = write(tmp_path, "Connections.csv", "\n".join(notes + rows) + "\n")
    summary = ingest_files(store, path, owner="me-lin")
    report = summary.files[0]
    assert report.format == "linkedin"
    assert (report.rows_read, report.rows_quarantined) == (3, 1)
    quarantined = Path(summary.quarantine_path).read_text("utf-8")
    assert f",{preamble_lines + 4}," in quarantined  # the real line number in the file
    jeanne = store.accounts([AccountKey("linkedin", "jeanne-martin-1a2b")]).iloc[0]
    assert jeanne["role"] == "hcp" and jeanne["display_name"] == "Jeanne Martin"
    dump = store.sql("SELECT * FROM accounts").to_csv()
    assert "example.org" not in dump and "@example" not in dump
    assert store.stats()["follows"] == 4  # mutual connections with the owner


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_of_exports_is_read(store, tmp_path):
    data = archive(tmp_path / "arch")
    members = {f"twitter-2026/data/{p.name}": p.read_bytes() for p in data.iterdir()}
    path = make_zip(tmp_path / "twitter-2026.zip", members)
    summary = ingest_files(store, path)
    assert store.stats()["posts"] == 6 and len(summary.files) == 7


def test_two_archives_with_the_same_name_are_both_read(store, tmp_path):
    """jan/export.zip and feb/export.zip both hold accounts.csv: both are read (they used to
    be extracted into one folder, feb's overwriting jan's), each named after its archive,
    in the summary, the records' provenance and the quarantine file."""
    header = "platform,account_id,handle,bio\n"
    jan = make_zip_in(tmp_path / "jan", {"accounts.csv": header + "x,1,a,Nurse\nx,2,b,Dad\n"})
    feb = make_zip_in(tmp_path / "feb", {"accounts.csv": header + "x,3,c,Oncologist\nnot,a,row\n"})
    summary = ingest_paths(store, [jan, feb], quarantine_dir=tmp_path / "q", tolerance="1")
    assert store.stats()["accounts"] == 3
    assert sorted(f.path for f in summary.files) == [
        f"{feb}/accounts.csv",
        f"{jan}/accounts.csv",
    ]
    sources = set(store.accounts()["source_file"])
    assert sources == {f"{jan}/accounts.csv", f"{feb}/accounts.csv"}
    quarantined = Path(summary.quarantine_path).read_text("utf-8")
    assert f"{feb}/accounts.csv" in quarantined and "kolmap-ingest-" not in quarantined


def test_an_archive_member_error_names_the_archive(store, tmp_path):
    path = make_zip_in(tmp_path / "mar", {"posts.csv": "platform,post_id\nx,1\n"})
    with pytest.raises(InputError) as raised:
        ingest_paths(store, [path], quarantine_dir=tmp_path / "q")
    assert str(raised.value).startswith(f"{path}/posts.csv")
    assert "kolmap-ingest-" not in str(raised.value)


def make_zip_in(folder: Path, members: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    return make_zip(folder / "export.zip", {k: v.encode() for k, v in members.items()})


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../../evil.txt": b"x"}, "outside the extraction folder"),
        ({"/tmp/x.csv": b"x"}, "outside the extraction folder"),
        ({"inner/nested.zip": b"PK"}, "archive inside the archive"),
        ({"bomb.csv": b"0" * 50_000_000}, "expands"),
    ],
)
def test_hostile_zips_are_refused_before_extraction(store, tmp_path, members, message):
    path = make_zip(tmp_path / "bad.zip", members)
    with pytest.raises(InputError, match=message):
        ingest_files(store, path)
    assert not (tmp_path / "evil.txt").exists()
    assert store.stats()["posts"] == 0


def test_bluesky_profiles_and_x_v2_jsonl(store, tmp_path):
    profiles = {
        "profiles": [
            {
                "did": "did:plc:p1",
                "handle": "doc.bsky.social",
                "description": "Pneumologue",
                "followersCount": 300,
            },
            {"did": "did:plc:p2", "handle": "pat.bsky.social", "description": "Living with asthma"},
        ]
    }
    write(tmp_path / "in", "profiles.json", json.dumps(profiles))
    pages = [
        json.dumps({"data": [t], "includes": {"users": V2_PAGE["includes"]["users"]}})
        for t in V2_PAGE["data"][:2]
    ]
    write(tmp_path / "in", "pages.jsonl", "\n".join(pages) + "\n")
    summary = ingest_files(store, tmp_path / "in")
    assert {Path(f.path).name: f.format for f in summary.files} == {
        "profiles.json": "bluesky",
        "pages.jsonl": "x-api",
    }
    roles = store.accounts(
        [AccountKey("bluesky", "did:plc:p1"), AccountKey("bluesky", "did:plc:p2")]
    )["role"].tolist()
    assert roles == ["hcp", "patient"]
    assert ("2", "1", "REPOSTS") in relations(store)


@pytest.mark.parametrize("layout", ["jsonl", "array"])
def test_lone_surrogates_in_x_json_become_replacement_characters(store, tmp_path, layout):
    """Real X exports hold lone surrogates ("\\ud800"); they failed the whole run with a
    UnicodeEncodeError. They are read as U+FFFD; everything else is kept."""
    tweet = {
        "id_str": "500",
        "full_text": "Heart failure SURROGATE update",
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "user": {"id_str": "7", "screen_name": "cardio_a", "description": "Cardiologist"},
    }
    tweets = [tweet, {**tweet, "id_str": "501", "full_text": "fine"}]
    if layout == "jsonl":
        text = "\n".join(json.dumps(t) for t in tweets) + "\n"
    else:
        text = json.dumps(tweets)
    path = write(tmp_path, f"x.{'jsonl' if layout == 'jsonl' else 'json'}",
                 text.replace("SURROGATE", "\\ud800"))  # fmt: skip
    ingest_files(store, path)
    texts = sorted(store.sql("SELECT text FROM posts")["text"])
    # Lines are parsed by Python's json (U+FFFD); a streamed array by yajl, which gives "?".
    mark = "\ufffd" if layout == "jsonl" else "?"
    assert texts == [f"Heart failure {mark} update", "fine"]
