"""Reddit dumps and YouTube Data API v3 JSON (docs/formats.md): hand-written fixtures of the
public formats, detected without --format, read into accounts, posts and reply relations,
with a rejection per fault (deleted or missing author, unknown item kind, missing ids,
truncated line) counted and quarantined like every other reader."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from kolmap.ingest.formats import detect_format

from .conftest import ingest_files, relations, run

DATA = Path(__file__).parent / "data" / "platforms"


def _copies(tmp_path: Path, *names: str) -> list[Path]:
    """The fixtures copied out of the repository (the quarantine goes beside them)."""
    return [Path(shutil.copy(DATA / n, tmp_path / n)) for n in names]


def _quarantined(summary) -> list[tuple[str, str, str]]:
    """(file name, line, reason) of each rejected row."""
    with open(summary.quarantine_path, encoding="utf-8", newline="") as fh:
        return [(Path(r["file"]).name, r["line"], r["reason"]) for r in csv.DictReader(fh)]


def test_each_file_is_detected_without_a_format() -> None:
    names = {p.name: detect_format(p).name for p in sorted(DATA.iterdir())}
    assert names == {
        "RC_health_extract.ndjson": "reddit",
        "RS_health_extract.ndjson": "reddit",
        "youtube_channels_and_comments.jsonl": "youtube",
        "youtube_videos.json": "youtube",
        "zeeschuimer-export.ndjson": "zeeschuimer",
        "jetstream-ms.jsonl": "jetstream",
    }


def test_reddit_submissions_and_comments(store, tmp_path) -> None:
    files = _copies(tmp_path, "RS_health_extract.ndjson", "RC_health_extract.ndjson")
    summary = ingest_files(store, *files, tolerance="100%")
    rejected = _quarantined(summary)
    reasons = {(f, line): why for f, line, why in rejected}
    assert summary.quarantined == len(rejected) == len(reasons) == 5
    assert "deleted or missing author" in reasons[("RS_health_extract.ndjson", "2")]
    assert "neither a submission" in reasons[("RS_health_extract.ndjson", "4")]
    assert "not valid JSON" in reasons[("RS_health_extract.ndjson", "5")]  # truncated line
    assert "comment without a parent_id" in reasons[("RC_health_extract.ndjson", "3")]
    assert "deleted or missing author" in reasons[("RC_health_extract.ndjson", "4")]
    posts = store.posts()
    assert set(posts["post_id"]) == {"t3_s1", "t3_s3", "t1_c1", "t1_c2"}
    s1 = posts.set_index("post_id").loc["t3_s1"]
    assert s1["text"].startswith("CGM alarms at night") and s1["likes"] == 42
    assert "diabetes" in list(s1["areas"]) and "diabetes" in list(s1["hashtags"])
    # replies become relations once both ends are in the store, in any order
    assert ("endo_kate", "t1d_mum", "REPLIES_TO") in relations(store)
    assert ("t1d_mum", "endo_kate", "REPLIES_TO") in relations(store)
    assert ("t1d_mum", "endo_kate", "MENTIONS") in relations(store)


def test_youtube_channels_videos_and_comment_threads(store, tmp_path) -> None:
    files = _copies(tmp_path, "youtube_videos.json", "youtube_channels_and_comments.jsonl")
    summary = ingest_files(store, *files, tolerance="100%")
    reasons = [why for _f, _line, why in _quarantined(summary)]
    assert summary.quarantined == len(reasons) == 4
    assert any("'youtube#playlist' is not read" in r for r in reasons)
    assert any("video without channelId" in r for r in reasons)
    assert any("without its author's channel id" in r for r in reasons)
    assert any("JSON" in r for r in reasons)  # the truncated last line
    accounts = store.accounts().set_index("account_id")
    doc = accounts.loc["UCexampleasthmadoc0001"]
    assert (doc["handle"], doc["followers"]) == ("drana_respira", 98000)
    assert doc["role"] == "hcp"
    video = store.posts().set_index("post_id").loc["vid00000001"]
    assert video["likes"] == 4100 and "respiratory" in list(video["areas"])
    assert {"asthma", "copd"} <= {t.lower() for t in video["hashtags"]}
    found = relations(store)
    assert ("UCpatientexample00000001", "UCexampleasthmadoc0001", "REPLIES_TO") in found
    assert ("UCexampleasthmadoc0001", "UCpatientexample00000001", "REPLIES_TO") in found


def test_zeeschuimer_captures_of_several_platforms(store, tmp_path) -> None:
    files = _copies(tmp_path, "zeeschuimer-export.ndjson")
    summary = ingest_files(store, *files, tolerance="100%")
    reasons = {line: why for _f, line, why in _quarantined(summary)}
    assert reasons == {
        "5": "an ad, not a post",
        "10": "line without its item (data)",
        "11": "TikTok item without its author",
        "12": reasons["12"],
        "13": reasons["13"],
    }
    assert "'douyin.com' are not read yet" in reasons["12"]
    assert "not valid JSON" in reasons["13"]  # the cut last line
    posts = store.posts().set_index("post_id")
    assert set(posts["platform"]) == {"tiktok", "instagram", "threads", "x", "linkedin"}
    update = posts.loc["7200000000000000001"]
    # LinkedIn shows "2d": the collection time (2024-06-02 03:46 UTC) minus two days
    assert str(update["created_at"])[:16] == "2024-05-31 03:46"
    assert (update["likes"], update["reposts"], update["replies"]) == (312, 9, 28)
    assert "oncology" in list(update["areas"])
    video = posts.loc["7370000000000000001"]
    assert (video["likes"], video["reposts"], video["replies"]) == (5400, 310, 120)
    assert "diabetes" in list(video["areas"])
    accounts = store.accounts().set_index(["platform", "handle"])
    oncologist = accounts.loc[("linkedin", "amara-okonjo-onc")]
    # keyed by the public profile id, as LinkedIn's Connections export keys the same member
    assert oncologist["account_id"] == "amara-okonjo-onc" and oncologist["role"] == "hcp"
    nurse = accounts.loc[("tiktok", "nurse_jo_t1d")]
    assert nurse["followers"] == 48200 and nurse["role"] == "hcp"
    found = relations(store)
    assert ("6600000000000000001", "6600000000000000002", "MENTIONS") in found
    assert ("6600000000000000002", "6600000000000000001", "QUOTES") in found  # the duet
    assert ("900002", "900001", "REPOSTS") in found
    assert ("900001", "900002", "MENTIONS") in found
    assert ("5500000000000000002", "5500000000000000001", "MENTIONS") in found
    assert accounts.loc[("instagram", "heart.health.md")]["account_id"] == "5500000000000000001"


def test_bluesky_jetstream_events(store, tmp_path) -> None:
    files = _copies(tmp_path, "jetstream-ms.jsonl")
    summary = ingest_files(store, *files, tolerance="100%")
    reasons = {line: why for _f, line, why in _quarantined(summary)}
    assert reasons["9"] == "app.bsky.feed.post commit without its record or rkey"
    assert reasons["10"] == "unknown event kind 'labels'"
    assert "not valid JSON" in reasons["11"]
    assert summary.rows_read == 11 and summary.quarantined == 3  # likes and account events read
    doctor = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"
    patient = "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb"
    fan = "did:plc:cccccccccccccccccccccccc"
    handles = store.accounts().set_index("account_id")["handle"]
    assert handles[doctor] == "dr-neuro.example.social"
    found = relations(store)
    assert (patient, doctor, "REPLIES_TO") in found and (patient, doctor, "MENTIONS") in found
    assert (fan, doctor, "REPOSTS") in found
    follows = store.sql("SELECT follower_id, followed_id FROM follows")
    assert list(zip(follows["follower_id"], follows["followed_id"], strict=True)) == [(fan, doctor)]
    first = store.posts().set_index("post_id").loc[f"at://{doctor}/app.bsky.feed.post/3kpost0001"]
    assert "neurology" in list(first["areas"]) and list(first["hashtags"]) == ["mssky"]


def test_formats_lists_the_new_readers(runner) -> None:
    out = run(runner, "formats").output
    for name in ("reddit", "youtube", "zeeschuimer", "jetstream"):
        assert name in out


def test_the_multi_platform_sample_ranks_per_platform(runner, tmp_path) -> None:
    """The sample with its platforms overlay (TikTok and Instagram as a Zeeschuimer capture,
    YouTube as API JSON): each platform's planted account tops its ranking of diabetes
    when the platform filter is on, and the overlay is what its generator makes."""
    from kolmap.data.worlds.platforms import write_platforms

    samples = Path(__file__).resolve().parent.parent / "data" / "samples"
    write_platforms(tmp_path / "made")
    for name in ("zeeschuimer-diabetes.ndjson", "youtube-diabetes.jsonl", "truth.json"):
        made = (tmp_path / "made" / name).read_bytes()
        assert made == (samples / "platforms" / name).read_bytes(), name
    truth = json.loads((samples / "platforms" / "truth.json").read_text("utf-8"))
    store = str(tmp_path / "s.duckdb")
    run(runner, "ingest", str(samples / "canonical"), str(samples / "platforms"), "--store", store)
    for platform, (kind, key) in truth["top"].items():
        out = run(
            runner,
            "rank",
            "--area",
            truth["area"],
            "--kind",
            kind,
            "--platform",
            platform,
            "--format",
            "json",
            "--no-pseudonymise",
            "--store",
            store,
        )
        rows = json.loads(out.stdout)
        assert {r["platform"] for r in rows} == {platform}
        assert f"{rows[0]['platform']}:{rows[0]['account_id']}" == key, platform
    stats = json.loads(run(runner, "stats", "--json", "--store", store).stdout)
    assert {"x", "bluesky", "linkedin", "tiktok", "instagram", "youtube"} <= set(
        stats["by_platform"]
    )
