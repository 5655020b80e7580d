"""Hand-labelled real bios: the labels kolmap keeps, the bios read from ../shared/realdata.

``tests/data/real_bio_labels.csv`` holds, for 734 real accounts, only where to find each
(``source``, ``key``), the role and industry tie a person gave it by reading its bio (see
docs/roles.md for the guide), and its half of the split (``dev``: the rules were grown on
these; ``test``: never looked at while writing rules). The bios stay in
``../shared/realdata``: this module reads them from there.

Sources and keys: ``juanff`` (line of the evaluation sheet), ``ser2018``, ``ser2019``,
``epibookclub2018`` and ``amca19`` (rtweet ``user_id``), ``hashtags2014:<Name>`` (the
``id`` of one of the author's tweets in ``Tweets_<Name>_full.csv``), ``twicovid19``
(``user_id``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

LABELS = Path(__file__).resolve().parent / "data" / "real_bio_labels.csv"
ROLES = ("hcp", "researcher", "patient", "organisation", "brand", "media", "public", "unknown")
_RTWEET = {
    "ser2018": "epidemiology_conference_tweets_ser/ser2018_tweets.csv",
    "ser2019": "epidemiology_conference_tweets_ser/ser2019_tweets.csv",
    "epibookclub2018": "epidemiology_conference_tweets_ser/epibookclub2018_tweets.csv",
    "amca19": "conference_tweets_rtweet_neilfws/amca19_tweets.csv",
}


def _profiles(realdata: Path, source: str, keys: set[str]) -> Iterator[tuple[str, dict[str, str]]]:
    csv.field_size_limit(1 << 30)
    if source == "juanff":
        path = realdata / "healthcare_twitter_bio_labels_juanff"
        sheet = path / "test-healthcare-twitter-user-classifier.tsv"
        rows = csv.reader(sheet.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE)
        for line, row in enumerate(rows, start=1):
            if str(line) in keys and len(row) >= 4:
                yield str(line), {"bio": row[3], "display_name": "", "handle": row[2],
                                  "followers": "", "following": ""}  # fmt: skip
    elif source in _RTWEET:
        with (realdata / _RTWEET[source]).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["user_id"] in keys:
                    keys.discard(row["user_id"])
                    yield (
                        row["user_id"],
                        {
                            "bio": row["description"],
                            "display_name": row["name"],
                            "handle": row["screen_name"],
                            "followers": row["followers_count"],
                            "following": row["friends_count"],
                        },
                    )
    elif source.startswith("hashtags2014:"):
        name = source.split(":", 1)[1]
        path = realdata / "healthcare_hashtag_tweets_2014" / f"Tweets_{name}_full.csv"
        with path.open(encoding="utf-8", errors="replace") as fh:
            for row in csv.DictReader(fh):
                if row["id"] in keys:
                    keys.discard(row["id"])
                    yield (
                        row["id"],
                        {
                            "bio": row["description"],
                            "display_name": "",
                            "handle": row["trackback_author_nick"],
                            "followers": row["followers_count"],
                            "following": "",
                        },
                    )
    elif source == "twicovid19":
        path = realdata / "twicovid19_users" / "covid19_user.csv"
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["user_id"] in keys:
                    keys.discard(row["user_id"])
                    yield (
                        row["user_id"],
                        {
                            "bio": row["description"],
                            "display_name": row["name"],
                            "handle": row["screen_name"],
                            "followers": row["followers_count"],
                            "following": row["friends_count"],
                        },
                    )
    else:
        raise ValueError(f"unknown source {source!r}")


def labelled_bios(realdata: Path) -> pd.DataFrame:
    """Every labelled account with its bio, name and handle read from ``realdata``:
    ``source, key, role, industry, split, bio, display_name, handle, followers,
    following`` (counts empty where the source has none)."""
    labels = pd.read_csv(LABELS, dtype=str)
    found: dict[tuple[str, str], dict[str, str]] = {}
    for source, group in labels.groupby("source"):
        for key, profile in _profiles(realdata, str(source), set(group["key"])):
            found[(str(source), key)] = profile
    missing = [(s, k) for s, k in zip(labels["source"], labels["key"], strict=True)
               if (s, k) not in found]  # fmt: skip
    if missing:
        raise AssertionError(f"{len(missing)} labelled accounts not found, e.g. {missing[:3]}")
    profiles = pd.DataFrame(
        [found[(s, k)] for s, k in zip(labels["source"], labels["key"], strict=True)]
    )
    return pd.concat([labels.reset_index(drop=True), profiles], axis=1)


def role_report(truth: pd.Series, predicted: pd.Series) -> pd.DataFrame:
    """Per-role support, precision, recall and F1, with a ``macro`` row over the roles
    that have at least 5 labelled accounts."""
    rows = []
    for role in ROLES:
        tp = int(((truth == role) & (predicted == role)).sum())
        fp = int(((truth != role) & (predicted == role)).sum())
        fn = int(((truth == role) & (predicted != role)).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"role": role, "n": tp + fn, "precision": p, "recall": r, "f1": f1})
    table = pd.DataFrame(rows)
    counted = table[table["n"] >= 5]
    macro = {
        "role": "macro",
        "n": int(counted["n"].sum()),
        "precision": counted["precision"].mean(),
        "recall": counted["recall"].mean(),
        "f1": counted["f1"].mean(),
    }
    return pd.concat([table, pd.DataFrame([macro])], ignore_index=True).round(3)
