"""Flat exports (rtweet, Topsy-era, account lists, social-listening CSV/XLSX), on fixtures
written here and on the real files in ../shared/realdata."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from kolmap.errors import ConfigError, InputError
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths
from kolmap.model import AccountKey
from kolmap.scoring.rank import rank
from kolmap.settings import Settings

from .conftest import ingest_files, relations, write

RTWEET = [
    [
        "status_id",
        "user_id",
        "screen_name",
        "name",
        "description",
        "followers_count",
        "friends_count",
        "verified",
        "created_at",
        "text",
        "is_retweet",
        "retweet_status_id",
        "retweet_user_id",
        "retweet_screen_name",
        "retweet_text",
        "reply_to_status_id",
        "reply_to_user_id",
        "reply_to_screen_name",
        "quoted_status_id",
        "quoted_user_id",
        "quoted_screen_name",
        "mentions_screen_name",
        "mentions_user_id",
        "hashtags",
        "favorite_count",
        "retweet_count",
        "lang",
        "location",
    ],
    [
        "100",
        "1",
        "DrOnco",
        "Dr Onco",
        "Oncologue médical",
        "5000",
        "300",
        "TRUE",
        "2026-05-30T09:00:00Z",
        "Nouvelles données #ASCO26 sur le cancer du sein @nurse_b",
        "FALSE",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        '["nurse_b"]',
        '["2"]',
        '["ASCO26"]',
        "40",
        "10",
        "fr",
        "Paris",
    ],
    [
        "101",
        "2",
        "nurse_b",
        "Bea",
        "Infirmière en cancérologie",
        "200",
        "150",
        "FALSE",
        "2026-05-30T10:00:00Z",
        "RT @DrOnco: Nouvelles données #ASCO26 sur le cancer du sein",
        "TRUE",
        "100",
        "1",
        "DrOnco",
        "Nouvelles données #ASCO26 sur le cancer du sein",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        '["ASCO26"]',
        "0",
        "0",
        "fr",
        "",
    ],
    [
        "102",
        "3",
        "anna_p",
        "Anna",
        "Breast cancer survivor",
        "800",
        "400",
        "FALSE",
        "2026-05-31T10:00:00Z",
        "@DrOnco thank you, so useful",
        "FALSE",
        "NA",
        "NA",
        "NA",
        "NA",
        "100",
        "1",
        "DrOnco",
        "NA",
        "NA",
        "NA",
        '["DrOnco"]',
        '["1"]',
        "NA",
        "3",
        "0",
        "en",
        "",
    ],
    [
        "103",
        "4",
        "journo",
        "Santé News",
        "Health news",
        "90000",
        "100",
        "TRUE",
        "2026-06-01T10:00:00Z",
        "Must read on breast cancer",
        "FALSE",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "NA",
        "999",
        "5",
        "ghost_doc",
        "NA",
        "NA",
        "NA",
        "1",
        "1",
        "en",
        "",
    ],
]
TOPSY_HEADER = (
    "hashtags,id,retweeted,content,followers_count,location,retweet_count,"
    "description,user_mentions,lang,firstpost_date,url,trackback_author_nick"
)
TOPSY = (
    "\n".join(
        [
            TOPSY_HEADER,
            'Celiac~glutenfree,9001,False,"Celiac disease: new guideline #Celiac @gi_doc",1000,Rome,'
            "3,Gastroenterologist,gi_doc,en,06/01/14,http://twitter.com/gi_lead/status/9001,gi_lead",
            'Celiac,9002,False,"RT @gi_lead: Celiac disease: new guideline #Celiac @gi_doc",50,,0,'
            "Mum of two,gi_lead~gi_doc,en,06/02/14,http://twitter.com/mum1/status/9002,mum1",
            'Celiac,9003,False,"RT @gi_lead: Celiac disease: new guideline #Celiac @gi_doc",70,,0,'
            "Living with celiac disease,gi_lead~gi_doc,en,06/02/14,"
            "http://twitter.com/mum2/status/9003,mum2",
            'None,9004,False,"no author here",10,,0,,None,en,06/03/14,,',
        ]
    )
    + "\n"
)


def csv_text(rows: list[list[str]]) -> str:
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def test_rtweet_rows_give_posts_authors_and_every_relation(store, tmp_path):
    path = write(tmp_path, "conf_tweets.csv", csv_text(RTWEET))
    summary = ingest_files(store, path)
    report = summary.files[0]
    assert report.format == "rtweet" and report.rows_read == 4 and report.rows_quarantined == 0
    assert relations(store) == {
        ("1", "2", "MENTIONS"),
        ("2", "1", "REPOSTS"),
        ("3", "1", "REPLIES_TO"),
        ("3", "1", "MENTIONS"),
        ("4", "5", "QUOTES"),
    }
    dr = store.accounts([AccountKey("x", "1")]).iloc[0]
    assert dr["role"] == "hcp" and dr["followers"] == 5000 and bool(dr["verified"])
    ghost = store.accounts([AccountKey("x", "5")]).iloc[0]
    assert ghost["handle"] == "ghost_doc"  # known from the quote, by id
    tags = store.sql("SELECT tag FROM post_hashtags WHERE post_id = '100'")
    assert tags["tag"].tolist() == ["asco26"]
    assert store.stats()["stub_accounts"] == 0


def test_old_rtweet_layout_and_handle_keyed_authors_fold_into_real_ids(store, tmp_path):
    old = [
        [
            "screen_name",
            "user_id",
            "created_at",
            "status_id",
            "text",
            "retweet_count",
            "favorite_count",
            "is_retweet",
            "retweet_status_id",
            "mentions_screen_name",
        ],
        [
            "lab_x",
            "77",
            "2017-07-25T10:22:32+00:00",
            "500",
            "RT @bioinfo_y: Slides from my talk are online",
            "2",
            "0",
            "TRUE",
            "400",
            "bioinfo_y",
        ],
    ]
    summary = ingest_files(store, write(tmp_path / "a", "bosc_tweets.csv", csv_text(old)))
    assert summary.files[0].format == "rtweet"
    assert ("77", "@bioinfo_y", "REPOSTS") in relations(store)
    later = [
        ["screen_name", "user_id", "created_at", "status_id", "text"],
        ["Bioinfo_Y", "88", "2017-07-24T09:00:00+00:00", "400", "Slides from my talk are online"],
    ]
    summary = ingest_files(store, write(tmp_path / "b", "more_tweets.csv", csv_text(later)))
    assert summary.merge["stubs_merged"] == 1  # the stored @bioinfo_y folds into 88
    assert ("77", "88", "REPOSTS") in relations(store)
    assert store.accounts([AccountKey("x", "@bioinfo_y")]).empty
    before = store.fingerprint()
    ingest_files(store, tmp_path / "a" / "bosc_tweets.csv")
    assert store.fingerprint() == before  # re-reading the old file changes nothing


def test_handle_keyed_account_is_folded_when_its_id_arrives_later(store, tmp_path):
    ingest_files(store, write(tmp_path / "a", "tweets.csv", TOPSY))
    assert not store.accounts([AccountKey("x", "@gi_lead")]).empty
    users = "user_id\tscreen_name\tfollowers_count\tdescription\n42\tGI_Lead\t12000\tHepatologist\n"
    summary = ingest_files(store, write(tmp_path / "b", "users.csv", users))
    assert summary.files[0].format == "twitter_users"
    assert summary.merge["stubs_merged"] == 1
    lead = store.accounts([AccountKey("x", "42")]).iloc[0]
    assert lead["followers"] == 12000 and lead["location"] == "Rome"  # gaps filled
    posts = store.sql("SELECT post_id FROM posts WHERE author_id = '42' ORDER BY 1")
    assert posts["post_id"].tolist()[:1] == ["9001"]
    assert ("@mum1", "42", "REPOSTS") in relations(store)


def test_topsy_retweets_from_text_lists_and_us_dates(store, tmp_path):
    summary = ingest_files(store, write(tmp_path, "Tweets_Celiac_full.csv", TOPSY))
    report = summary.files[0]
    assert report.format == "topsy"
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (4, 3, 1)
    assert report.repaired == {"retweet-from-text": 2}
    originals = store.sql(
        "SELECT DISTINCT repost_of_post_id FROM posts WHERE repost_of_post_id IS NOT NULL"
    )
    assert len(originals) == 1  # two retweets of one text share one original
    # ... the author's own post, which the file holds: no stand-in beside it.
    assert originals["repost_of_post_id"].tolist() == ["9001"]
    assert store.sql("SELECT count(*) AS n FROM posts WHERE post_id LIKE 'rt:%'")["n"][0] == 0
    assert report.rows_accepted == 3 and summary.merge["posts"]["retweet_originals_folded"] == 1
    created = store.sql("SELECT created_at::VARCHAR AS t FROM posts WHERE post_id = '9001'")
    assert created["t"].iloc[0].startswith("2014-06-01")
    mentioned = store.sql("SELECT account_id FROM post_mentions WHERE post_id = '9001'")
    assert mentioned["account_id"].tolist() == ["@gi_doc"]
    qfile = Path(summary.quarantine_path)
    assert "no author" in qfile.read_text("utf-8")


def test_a_day_only_topsy_time_takes_the_exact_time_its_tweet_id_holds(store, tmp_path):
    """Topsy files give the day ("06/01/14"): every post of a day was at 00:00:00, and to the
    co-action signal all of them were simultaneous. A tweet id ("snowflake") holds the exact
    creation time; an id that disagrees with the day (not a tweet's) changes nothing."""
    rows = [
        TOPSY_HEADER,
        'Cholera,472996358920871936,False,"Cholera vaccines on the way #cholera",10,,0,'
        "Nurse,,en,06/01/14,,nurse_a",
        'Cholera,472996358920871937,False,"Cholera: boil water #cholera",10,,0,'
        "Nurse,,en,03/01/19,,nurse_b",  # the id says 2014: another day
    ]
    summary = ingest_files(store, write(tmp_path, "Tweets_Cholera_full.csv", "\n".join(rows)))
    assert summary.files[0].repaired == {"time-from-id": 1}
    times = dict(
        store.sql("SELECT post_id, strftime(created_at, '%Y-%m-%d %H:%M:%S') FROM posts").values
    )
    assert times == {
        "472996358920871936": "2014-06-01 07:01:34",
        "472996358920871937": "2019-03-01 00:00:00",
    }


def test_a_retweets_stand_in_folds_into_the_original_when_it_arrives_later(store, tmp_path):
    """Retweets known only by their "RT @user: text" get a stand-in original; when a later
    file brings the author's own post of that text, the stand-in folds into it (it was
    counted as a second post of the author's and shown undated on its profile: 422 of 6,774
    posts on the 2014 #Celiac file). Reading the files again changes nothing."""
    lines = TOPSY.splitlines()
    retweets = "\n".join([lines[0], *lines[2:]]) + "\n"  # 9002, 9003 and 9004
    original = "\n".join(lines[:2]) + "\n"  # 9001, the retweeted post
    ingest_files(store, write(tmp_path / "a", "Tweets_Celiac_full.csv", retweets))
    stand_ins = store.sql("SELECT post_id FROM posts WHERE post_id LIKE 'rt:%'")
    assert len(stand_ins) == 1
    summary = ingest_files(store, write(tmp_path / "b", "Tweets_Celiac_more.csv", original))
    assert summary.merge["posts"]["retweet_originals_folded"] == 1
    assert store.sql("SELECT count(*) AS n FROM posts WHERE post_id LIKE 'rt:%'")["n"][0] == 0
    reposts = store.sql("SELECT DISTINCT repost_of_post_id AS o FROM posts WHERE o IS NOT NULL")
    assert reposts["o"].tolist() == ["9001"]
    before = store.fingerprint()
    again = ingest_files(store, tmp_path / "a" / "Tweets_Celiac_full.csv", tmp_path / "b")
    assert store.fingerprint() == before
    assert (again.merge["posts"]["added"], again.merge["posts"]["updated"]) == (0, 0)


def test_a_retweet_cut_at_the_old_length_limit_folds_into_the_post_it_begins(store, tmp_path):
    """Old retweets were cut to fit 140 characters ("RT @user: " ate ten), ending in "…":
    their stand-in matches the author's post that its text begins (479 more of the #Celiac
    file's stand-ins)."""
    text = "Gluten-free labelling rules explained for families and clinicians #celiac"
    rows = [
        TOPSY_HEADER,
        f'celiac,9101,False,"{text}",900,,2,Dietitian,,en,06/01/14,,gi_lead',
        f'celiac,9102,False,"RT @gi_lead: {text[:52]}…",50,,0,Mum of two,,en,06/02/14,,mum1',
        'celiac,9103,False,"RT @gi_lead: Gluten…",50,,0,Mum of two,,en,06/02/14,,mum2',
    ]
    summary = ingest_files(store, write(tmp_path, "Tweets_Celiac_full.csv", "\n".join(rows) + "\n"))
    assert summary.merge["posts"]["retweet_originals_folded"] == 1
    reposts = store.sql("SELECT post_id, repost_of_post_id AS o FROM posts WHERE o IS NOT NULL")
    found = dict(zip(reposts["post_id"], reposts["o"], strict=True))
    assert found["9102"] == "9101"
    assert found["9103"].startswith("rt:")  # six characters say too little to match


def test_brandwatch_style_csv_with_platform_values_and_ids_from_urls(store, tmp_path):
    rows = [
        [
            "Date",
            "Author",
            "Full Name",
            "Full Text",
            "Url",
            "Page Type",
            "Language",
            "Twitter Followers",
            "Likes",
        ],
        [
            "2026-03-01 10:00:00",
            "DrCardio",
            "Dr Cardio",
            "Heart failure: new ESC guideline",
            "https://twitter.com/DrCardio/status/1111",
            "twitter",
            "en",
            "3000",
            "12",
        ],
        [
            "2026-03-01 11:00:00",
            "cardio_fan",
            "Fan",
            "Agree with @DrCardio on heart failure",
            "https://twitter.com/cardio_fan/status/1112",
            "twitter",
            "en",
            "20",
            "0",
        ],
        [
            "2026-03-02 11:00:00",
            "pat.bsky.social",
            "Pat",
            "Heart failure and me",
            "https://bsky.app/profile/pat.bsky.social/post/3kxyz",
            "bluesky",
            "en",
            "50",
            "1",
        ],
    ]
    summary = ingest_files(store, write(tmp_path, "brandwatch-export.csv", csv_text(rows)))
    report = summary.files[0]
    assert report.format == "brandwatch" and report.repaired == {"post-id-from-url": 3}
    assert store.stats()["by_platform"] == {"x": 2, "bluesky": 1}
    assert ("@cardio_fan", "@drcardio", "MENTIONS") in relations(store)
    assert "cardiology" in store.stats()["posts_by_area"]


def test_talkwalker_style_xlsx_and_excel_precision_loss(store, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "published",
            "url",
            "content",
            "source_type",
            "extra_author_attributes.short_name",
            "extra_author_attributes.name",
            "author_followers",
            "external_id",
        ]
    )
    sheet.append(
        [
            "2026-04-02T08:00:00Z",
            "https://x.com/neuro_md/status/2222",
            "Multiple sclerosis: new data #ECTRIMS2026",
            "SOCIALMEDIA_TWITTER",
            "neuro_md",
            "Dr Neuro",
            4000,
            "2222",
        ]
    )
    sheet.append(
        [
            "2026-04-02T09:00:00Z",
            "https://x.com/other/status/1",
            "Sclérose en plaques",
            "SOCIALMEDIA_TWITTER",
            "other",
            "Other",
            10,
            1234567890123456789,
        ]
    )
    path = tmp_path / "talkwalker.xlsx"
    book.save(path)
    summary = ingest_files(store, path)
    report = summary.files[0]
    assert report.format == "talkwalker"
    assert (report.rows_accepted, report.rows_quarantined) == (1, 1)
    assert "more digits than Excel keeps" in Path(summary.quarantine_path).read_text("utf-8")
    assert "neurology" in store.stats()["posts_by_area"]


def test_platform_option_for_exports_that_do_not_say_it(store, tmp_path):
    rows = [
        ["published", "url", "content"],
        ["2026-04-02T08:00:00Z", "https://example.org/a", "Diabète de type 1"],
    ]
    path = write(tmp_path, "listening.csv", csv_text(rows))
    with pytest.raises(InputError, match=r"rows were rejected"):
        ingest_files(store, path, tolerance="0")
    assert store.stats()["posts"] == 0
    # Talkwalker-style rows without an author are rejected even with a platform.
    summary = ingest_files(store, path, platform="web", tolerance="100%")
    assert summary.files[0].rows_quarantined == 1


def test_unknown_layouts_are_explained_or_skipped(store, tmp_path):
    odd = write(tmp_path / "in", "random.csv", "foo,bar\n1,2\n")
    write(tmp_path / "in", "README.md", "notes")
    with pytest.raises(InputError, match="cannot tell which format"):
        ingest_files(store, odd)
    write(tmp_path / "in", "accounts.csv", "platform,account_id\nx,1\n")
    summary = ingest_files(store, tmp_path / "in")
    assert {Path(p).name for p, _why in summary.skipped} == {"random.csv", "README.md"}


def test_user_column_maps_add_a_layout(store, tmp_path):
    maps = write(
        tmp_path,
        "maps.toml",
        """
[profiles.mytool]
description = "My listening tool"
platform = "x"
match = ["post_ref", "writer", "body"]
[profiles.mytool.columns]
post_id = ["post_ref"]
handle = ["writer"]
text = ["body"]
created_at = ["when"]
""",
    )
    settings = Settings.from_mapping({"ingest": {"column_maps": str(maps)}})
    path = write(
        tmp_path, "mytool.csv", "post_ref,writer,body,when\n7,doc,Asthme sévère,2026-01-01\n"
    )
    summary = ingest_files(store, path, settings=settings)
    assert summary.files[0].format == "mytool" and summary.merge["posts"]["added"] == 1
    bad = write(
        tmp_path, "bad.toml", "[profiles.x]\nmatch = ['a']\n[profiles.x.columns]\nsize = ['b']\n"
    )
    with pytest.raises(ConfigError, match="unknown fields"):
        ingest_files(
            store, path, settings=Settings.from_mapping({"ingest": {"column_maps": str(bad)}})
        )


# -- the real files ---------------------------------------------------------------------------
REAL_TWEETS = [
    "epidemiology_conference_tweets_ser/ser2019_tweets.csv",
    "epidemiology_conference_tweets_ser/ser2018_tweets.csv",
    "epidemiology_conference_tweets_ser/epibookclub2018_tweets.csv",
    "conference_tweets_rtweet_neilfws/amca19_tweets.csv",
    "conference_tweets_rtweet_neilfws/abacbs17_tweets.csv",
    "conference_tweets_rtweet_neilfws/bosc17_tweets.csv",
    "conference_tweets_rtweet_neilfws/ismbeccb2017_tweets.csv",
    "conference_tweets_rtweet_neilfws/sbrs17_tweets.csv",
    "conference_tweets_rtweet_neilfws/vizbi17_tweets.csv",
    "healthcare_hashtag_tweets_2014/Tweets_Celiac_full.csv",
    "healthcare_hashtag_tweets_2014/Tweets_Cholera_full.csv",
    "healthcare_hashtag_tweets_2014/Tweets_CancerChat_full.csv",
    "healthcare_hashtag_tweets_2014/Tweets_RareDiseaseDay_full.csv",
    "healthcare_hashtag_tweets_2014/Tweets_BleedingDisorders_full.csv",
    "healthcare_hashtag_tweets_2014/Tweets_BleedingDisorders_usermention.csv",
    "healthcare_hashtag_tweets_2014/bigtweet_file002.csv",
    "twicovid19_users/covid19_user.csv",
]


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize("relative", REAL_TWEETS)
def test_real_exports_ingest_and_every_row_is_accounted_for(realdata, tmp_path, relative):
    path = realdata / relative
    with path.open(encoding="utf-8", newline="") as fh:
        first = fh.readline()
        fh.seek(0)
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        data_rows = sum(1 for row in csv.reader(fh, delimiter=delimiter) if any(row)) - 1
    with DuckDBStore(tmp_path / "real.duckdb") as store:
        summary = ingest_paths(store, [path], quarantine_dir=tmp_path / "q")
        report = summary.files[0]
        assert report.rows_read == data_rows
        assert report.rows_accepted + report.rows_quarantined == report.rows_read
        assert report.rows_quarantined <= 0.01 * report.rows_read
        stats = store.stats()
        assert stats["accounts"] > 0
        if report.format != "twitter_users":
            # Retweet stand-ins folded into their original were stored posts before the fold.
            folded = summary.merge["posts"]["retweet_originals_folded"]
            assert stats["posts"] + folded >= report.rows_accepted * 0.9
            tables = [
                rank(store.projection(Scope()), kind, top=10)
                for kind in ("kol", "dol", "influencer", "organisation", "any")
            ]
            assert any(len(t) for t in tables)
        summary_json = json.dumps(summary.to_dict(), default=str)
        assert '"quarantined"' in summary_json


def test_meltwater_style_csv(store, tmp_path):
    rows = [
        [
            "Date",
            "Headline",
            "URL",
            "Hit Sentence",
            "Source",
            "Influencer",
            "Country",
            "Reach",
            "Language",
        ],
        [
            "01-Mar-2026 10:00AM",
            "",
            "https://twitter.com/derm_doc/status/3333",
            "Psoriasis: the new biologics",
            "Twitter",
            "@derm_doc",
            "France",
            "5000",
            "fr",
        ],
    ]
    summary = ingest_files(store, write(tmp_path, "meltwater.csv", csv_text(rows)))
    report = summary.files[0]
    assert report.format == "meltwater" and report.rows_accepted == 1
    assert store.sql("SELECT post_id FROM posts")["post_id"].tolist() == ["3333"]
    assert "dermatology" in store.stats()["posts_by_area"]


# -- hand-checked classifier sheets (labelled-bios) --------------------------------------------
LABELLED = (
    "Pass\tDoctor\tDrAmina\tCardiologue, CHU de Lyon\n"
    'Pass\tNews source\tHealthWire\t"Breaking" health news, every day\n'
    "Fail\tProfessional\tstock_guy\tSwing trader, biotech tickers\n"
    "Pass\tGeneric\tsomeone\tLoves hiking\n"
    "Pass\tDoctor\tbroken row\twith a space in the handle\n"
    "Pass\tDoctor\tno_bio_here\n"
)


def test_labelled_bios_keep_confirmed_tags_as_labels_and_reject_bad_rows(store, tmp_path):
    summary = ingest_files(store, write(tmp_path, "checked.tsv", LABELLED))
    report = summary.files[0]
    assert report.format == "labelled-bios"
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (6, 4, 2)
    assert report.records == {"accounts": 4, "labels": 2}
    accounts = store.accounts()
    roles = dict(zip(accounts["handle"], accounts["role"], strict=True))
    labelled = dict(zip(accounts["handle"], accounts["role_from_label"], strict=True))
    # confirmed tags are labels; a Fail row and a tag without a role are left to inference
    assert roles["DrAmina"] == "hcp" and roles["HealthWire"] == "media"
    assert labelled == {"DrAmina": True, "HealthWire": True, "stock_guy": False, "someone": False}
    assert roles["stock_guy"] != "hcp"
    bios = dict(zip(accounts["handle"], accounts["bio"], strict=True))
    assert bios["HealthWire"] == '"Breaking" health news, every day'  # quotes are text in TSV
    with open(summary.quarantine_path, encoding="utf-8") as fh:
        quarantine = list(csv.DictReader(fh))
    reasons = sorted(r["reason"] for r in quarantine)
    assert reasons[0].startswith("expected 4 tab-separated fields") and "not 3" in reasons[0]
    assert reasons[1] == "not an X handle: 'broken row'"
    assert [r["line"] for r in quarantine] == ["5", "6"]


@pytest.mark.realdata
def test_real_labelled_bios_ingest_with_every_row_accounted_for(realdata, tmp_path):
    folder = realdata / "healthcare_twitter_bio_labels_juanff"
    with DuckDBStore(tmp_path / "real.duckdb") as store:
        summary = ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")
        (report,) = summary.files
        assert report.format == "labelled-bios"
        assert report.rows_read == 174 == report.rows_accepted + report.rows_quarantined
        assert report.records["labels"] == 109  # the hand-confirmed rows with a role tag
        stats = store.stats()
        assert stats["accounts"] == 169  # five handles appear twice
        assert summary.merge["accounts"]["duplicates"] == 5


def test_posts_known_only_from_others_are_not_their_authors_posts(store, tmp_path):
    """A quoted, replied-to or retweeted post missing from the file is kept for its relations
    (no text, no date), but it was not written here: it used to count as its author's
    original post in whole-store scopes and dragged their engagement average down."""
    path = write(tmp_path, "conf_tweets.csv", csv_text(RTWEET))
    ingest_files(store, path)
    nodes = store.projection(Scope()).nodes.set_index("account_id")
    ghost = nodes.loc["5"]  # known from a quote of its post 999 only
    assert (ghost["posts_total"], ghost["posts_in_scope"], ghost["original_posts_in_scope"]) == (
        0,
        0,
        0,
    )
    assert nodes.loc["1", "original_posts_in_scope"] == 1
    assert "999" not in set(store.posts(Scope())["post_id"])
    assert ("4", "5", "QUOTES") in relations(store)  # the relation stays


def test_rtweet_keeps_the_quoted_and_retweeted_originals_counts_and_lists_unread_columns(
    store, tmp_path
):
    """The 88-column layout carries the quoted and retweeted originals' own date and counts;
    they were dropped while the summary reported no ignored columns."""
    extra = {"quoted_created_at": "2026-05-20T08:00:00Z", "quoted_favorite_count": "77",
             "quoted_retweet_count": "9", "source": "Twitter Web App"}  # fmt: skip
    rows = [RTWEET[0] + list(extra)]
    for row in RTWEET[1:]:
        quoting = row[0] == "103"
        rows.append(row + [extra[k] if quoting or k == "source" else "NA" for k in extra])
    summary = ingest_files(store, write(tmp_path, "conf_tweets.csv", csv_text(rows)))
    assert summary.files[0].ignored_columns == ["source"]
    quoted = store.sql("SELECT likes, reposts, created_at FROM posts WHERE post_id = '999'")
    assert quoted.iloc[0]["likes"] == 77 and quoted.iloc[0]["reposts"] == 9
    assert str(quoted.iloc[0]["created_at"]).startswith("2026-05-20 08:00:00")
    ghost = store.projection(Scope()).nodes.set_index("account_id").loc["5"]
    assert (ghost["original_posts_in_scope"], ghost["likes"]) == (1, 77)  # a known post now


def test_people_are_counted_with_the_researchers(store, tmp_path):
    """The Overview's "people" count used to leave researchers out (it predates the role)."""
    accounts = (
        "platform,account_id,handle,display_name,bio\n"
        "x,1,epi_ana,Ana Vel,Epidemiologist | PhD in biostatistics\n"
        "x,2,cardio_bo,Dr Bo Lin,Consultant cardiologist\n"
        "x,3,gen_hosp,General Hospital,Official account of General Hospital\n"
    )
    ingest_files(store, write(tmp_path / "in", "accounts.csv", accounts))
    assert store.stats()["persons"] == 2
