"""The timeline overlay of the bundled sample: a rising newcomer and brand mentions with known
shares, to measure rankings over time and share of voice (docs/congress.md).

It writes, beside the sample (whose accounts it reads), ``canonical/accounts.csv`` (the
newcomer), ``canonical/posts.csv`` (the newcomer's posts, the endorsements it receives, and
posts naming brands), ``brands.csv`` (the brand list a user would give) and ``truth.json``:

- **a rising newcomer**: an oncologist whose account opens on 1 May 2026 and who, from June,
  posts on oncology and is mentioned or replied to by 45 of the sample's oncology HCPs; before
  June nobody knows them. Between January–May and June–October they are the top rising star
  of the oncology KOL ranking.
- **brand mentions with known shares**: three invented oncology brands named in 100 posts
  (50, 30, 20: shares of 50%, 30%, 20%), with 60%, 40% and 20% of each brand's mentions
  written by HCPs, and two diabetes brands (70, 30: 70%, 30%), all spread over the months.

Everyone and every brand is invented; the same seed gives the same files.

    python -m kolmap.data.worlds.timeline data/samples data/samples/timeline
"""

from __future__ import annotations

import csv
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["BRANDS", "write_timeline"]

NEWCOMER = {
    "platform": "x",
    "account_id": "190001",
    "handle": "dr_ilan_roveski",
    "display_name": "Dr Ilan Roveski",
    "bio": "Oncologue médical, CHU. Immunothérapie et cancer du poumon.",
    "followers": "640",
    "following": "310",
    "location": "",
    "lang": "fr",
    "url": "",
    "verified": "false",
    "created_at": "2026-05-01T09:00:00Z",
}
# brand, company, aliases, area, mentions, HCP share of its mentions
BRANDS: tuple[tuple[str, str, str, str, int, float], ...] = (
    ("Onkavir", "Exemplar Pharma", "onkavirumab|@onkavir", "oncology", 50, 0.6),
    ("Tremlida", "Northwind Bio", "tremlidex", "oncology", 30, 0.4),
    ("Zelvora", "Contoso Oncology", "zelvoranib|Zelvora®", "oncology", 20, 0.2),
    ("Glucavan", "Exemplar Pharma", "glucavanide", "diabetes", 70, 0.5),
    ("Insulora", "Fabrikam Health", "insulora-x", "diabetes", 30, 0.5),
)
_AREA_WORDS = {"oncology": "cancer du poumon", "diabetes": "diabète de type 2"}
_START = datetime(2026, 1, 10, 9, tzinfo=UTC)


def _accounts(sample: Path) -> dict[tuple[str, str], list[str]]:
    """(role, area) -> the sample's account ids of planted ordinary people."""
    out: dict[tuple[str, str], list[str]] = {}
    with (sample / "truth.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["tier"] == "base" and row["platform"] == "x":
                out.setdefault((row["role"], row["area"]), []).append(row["account_id"])
    return out


def write_timeline(sample: Path, out: Path, seed: int = 5) -> dict[str, Any]:
    """Write the overlay into ``out``; returns its truth."""
    rng = random.Random(seed)
    people = _accounts(sample)
    posts: list[dict[str, str]] = []

    def post(author: str, when: datetime, text: str, reply_to: str = "") -> str:
        post_id = f"9{len(posts) + 1:06d}"
        posts.append(
            {
                "platform": "x",
                "post_id": post_id,
                "author_id": author,
                "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "text": text,
                "reply_to_post_id": reply_to,
                "repost_of_post_id": "",
                "quote_of_post_id": "",
                "likes": str(rng.randint(0, 12)),
                "reposts": str(rng.randint(0, 3)),
                "replies": "0",
                "lang": "fr",
            }
        )
        return post_id

    # The newcomer: quiet until June, then endorsed by 45 oncology HCPs.
    june = datetime(2026, 6, 1, 8, tzinfo=UTC)
    own = [
        post(
            NEWCOMER["account_id"],
            june + timedelta(days=3 * i, hours=rng.randint(0, 9)),
            f"Immunothérapie et cancer du poumon : ce que change l'essai du mois ({i + 1})",
        )
        for i in range(30)
    ]
    endorsers = rng.sample(people[("hcp", "oncology")], 45)
    for i, hcp in enumerate(endorsers):
        when = june + timedelta(days=2 + i * 2, hours=rng.randint(0, 9))
        if i % 2:
            post(hcp, when, f"@{NEWCOMER['handle']} très juste sur le cancer du poumon, merci")
        else:
            post(hcp, when, "Bien vu, immunothérapie du cancer du poumon", reply_to=own[i % 30])
    # Brand mentions: exact counts and HCP shares, over the months.
    truth_shares: dict[str, dict[str, dict[str, float]]] = {}
    for brand, _company, aliases, area, count, hcp_share in BRANDS:
        names = [brand, *aliases.split("|")]
        n_hcp = round(count * hcp_share)
        authors = rng.sample(people[("hcp", area)], n_hcp) + rng.sample(
            people[("patient", area)], count - n_hcp
        )
        for i, author in enumerate(authors):
            when = _START + timedelta(days=rng.randint(0, 290), hours=rng.randint(0, 10))
            name = names[i % len(names)]
            post(author, when, f"{name} et {_AREA_WORDS[area]} : retour d'expérience ({i})")
        total = sum(c for _b, _c, _a, ar, c, _h in BRANDS if ar == area)
        truth_shares.setdefault(area, {})[brand] = {
            "mentions": count,
            "share": round(100.0 * count / total, 1),
            "hcp_share": round(100.0 * n_hcp / count, 1),
        }
    (out / "canonical").mkdir(parents=True, exist_ok=True)
    with (out / "canonical" / "accounts.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(NEWCOMER))
        writer.writeheader()
        writer.writerow(NEWCOMER)
    with (out / "canonical" / "posts.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(posts[0]))
        writer.writeheader()
        writer.writerows(sorted(posts, key=lambda p: p["post_id"]))
    with (out / "brands.csv").open("w", encoding="utf-8", newline="") as fh:
        rows = csv.writer(fh)
        rows.writerow(["brand", "company", "aliases"])
        rows.writerows((b, c, a) for b, c, a, _ar, _n, _h in BRANDS)
    truth = {
        "newcomer": f"x:{NEWCOMER['account_id']}",
        "windows": {"earlier": ["2026-01-01", "2026-06-01"], "later": ["2026-06-01", "2026-11-01"]},
        "shares": truth_shares,
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n", "utf-8")
    return truth


if __name__ == "__main__":  # pragma: no cover
    write_timeline(Path(sys.argv[1]), Path(sys.argv[2]))
