"""The platforms overlay of the bundled sample: diabetes conversations on TikTok, Instagram and
YouTube, written in the formats users collect them in (a Zeeschuimer NDJSON capture and
YouTube Data API JSON), so that the sample spans X, Bluesky, LinkedIn, TikTok, Instagram and
YouTube and every reader runs end to end (docs/formats.md).

Planted, one per platform: a diabetes nurse on TikTok whom 30 patients mention and 6 duet, an
endocrinologist on Instagram whom 25 patients tag, and an endocrinologist's YouTube channel
whose videos 30 patients comment on; each platform also has a handful of other HCPs with
little echo. ``truth.json`` names the top account of each platform (the DOL on TikTok and
YouTube; on Instagram, whose captures carry no bio, the top of all accounts). Everyone is
invented.

    python -m kolmap.data.worlds.platforms data/samples/platforms
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["write_platforms"]

_START = datetime(2026, 2, 1, 9, tzinfo=UTC)
_TOPICS = ("glycémie", "insuline", "diabète de type 1", "capteur de glucose", "hypoglycémie")


def _line(platform: str, data: dict[str, Any]) -> str:
    item_id = data.get("id") or data.get("code")
    return json.dumps(
        {
            "item_id": item_id,
            "source_platform": platform,
            "source_platform_url": f"https://www.{platform}/",
            "timestamp_collected": 1780000000000,
            "data": data,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def write_platforms(out: Path, seed: int = 3) -> dict[str, Any]:
    """Write the overlay into ``out``; returns its truth."""
    rng = random.Random(seed)
    lines: list[str] = []

    def when(i: int) -> int:
        return int((_START + timedelta(days=i % 200, hours=rng.randint(0, 10))).timestamp())

    def tiktok_author(n: int, name: str, bio: str, followers: int) -> dict[str, Any]:
        return {
            "id": f"68{n:08d}",
            "uniqueId": name,
            "nickname": name.replace("_", " ").title(),
            "signature": bio,
        }

    nurse = tiktok_author(
        1, "nurse_amel_diabete", "Infirmière en diabétologie. Pas un avis médical.", 0
    )
    hcps_tt = [tiktok_author(10 + i, f"dr_tt_{i}", "Médecin généraliste", 0) for i in range(4)]
    patients_tt = [
        tiktok_author(100 + i, f"t1d_life_{i}", "DT1 depuis 2012, maman de deux", 0)
        for i in range(30)
    ]
    video = 7500000000000000000
    nurse_videos = []
    for i in range(12):
        video += 1
        nurse_videos.append(str(video))
        lines.append(
            _line(
                "tiktok.com",
                {
                    "id": str(video),
                    "createTime": when(i * 9),
                    "desc": f"{_TOPICS[i % 5].capitalize()} : 3 conseils #diabete #dt1",
                    "author": nurse,
                    "authorStats": {"followerCount": 86000, "followingCount": 120},
                    "stats": {"diggCount": 9000 + i, "shareCount": 400, "commentCount": 150},
                    "textExtra": [{"hashtagName": "diabete"}, {"hashtagName": "dt1"}],
                },
            )
        )
    for i, patient in enumerate(patients_tt):
        video += 1
        extra: dict[str, Any] = {"duetInfo": {"duetFromId": nurse_videos[i % 12]}} if i < 6 else {}
        lines.append(
            _line(
                "tiktok.com",
                {
                    "id": str(video),
                    "createTime": when(i * 5 + 3),
                    "desc": f"Grâce à @{nurse['uniqueId']} je gère mieux mon "
                    f"{_TOPICS[i % 5]} #diabete",
                    "author": patient,
                    "authorStats": {"followerCount": 300 + i * 7, "followingCount": 200},
                    "stats": {"diggCount": 40 + i, "shareCount": 2, "commentCount": 5},
                    "textExtra": [{"hashtagName": "diabete"}, {"userUniqueId": nurse["uniqueId"]}],
                    **extra,
                },
            )
        )
    for i, hcp in enumerate(hcps_tt):
        video += 1
        lines.append(
            _line(
                "tiktok.com",
                {
                    "id": str(video),
                    "createTime": when(i * 31),
                    "desc": f"Le {_TOPICS[i % 5]} expliqué #diabete",
                    "author": hcp,
                    "authorStats": {"followerCount": 900},
                    "stats": {"diggCount": 20},
                    "textExtra": [{"hashtagName": "diabete"}],
                },
            )
        )
    # Instagram: an endocrinologist tagged by 25 patients.
    doc = {
        "pk": "5700000001",
        "username": "dr.ines.endocrino",
        "full_name": "Dr Inès, endocrinologue",
    }
    for i in range(10):
        lines.append(
            _line(
                "instagram.com",
                {
                    "code": f"DIGdoc{i:04d}",
                    "pk": f"57100{i:05d}",
                    "media_type": 1,
                    "taken_at": when(i * 17),
                    "user": doc,
                    "caption": {
                        "text": f"Endocrinologie : le {_TOPICS[i % 5]} en une image #diabete"
                    },
                    "like_count": 2500 + i,
                    "comment_count": 90,
                },
            )
        )
    for i in range(25):
        user = {
            "pk": f"57200{i:05d}",
            "username": f"sucre.et.moi.{i}",
            "full_name": f"Lou {i} | diabète de type 1",
        }
        lines.append(
            _line(
                "instagram.com",
                {
                    "code": f"DIGpat{i:04d}",
                    "pk": f"57300{i:05d}",
                    "media_type": 1,
                    "taken_at": when(i * 7 + 2),
                    "user": user,
                    "caption": {
                        "text": f"Merci @{doc['username']} pour les conseils sur "
                        f"l'{_TOPICS[1]} #diabete"
                    },
                    "like_count": 30 + i,
                    "comment_count": 3,
                },
            )
        )
    (out).mkdir(parents=True, exist_ok=True)
    (out / "zeeschuimer-diabetes.ndjson").write_text("\n".join(lines) + "\n", "utf-8")
    # YouTube: a channel whose videos 30 patients comment on.
    channel = "UCsampleendocrino000001"
    responses = [
        {
            "kind": "youtube#channelListResponse",
            "items": [
                {
                    "kind": "youtube#channel",
                    "id": channel,
                    "snippet": {
                        "title": "Dr Marc, endocrinologue",
                        "description": "Endocrinologue. Le diabète expliqué simplement.",
                        "customUrl": "@drmarc_endocrino",
                        "publishedAt": "2020-01-10T10:00:00Z",
                    },
                    "statistics": {"subscriberCount": "142000"},
                }
            ],
        }
    ]
    videos = []
    for i in range(8):
        vid = f"vidsample{i:03d}"
        videos.append(vid)
        published = datetime.fromtimestamp(when(i * 23), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        responses.append(
            {
                "kind": "youtube#videoListResponse",
                "items": [
                    {
                        "kind": "youtube#video",
                        "id": vid,
                        "snippet": {
                            "publishedAt": published,
                            "channelId": channel,
                            "channelTitle": "Dr Marc, endocrinologue",
                            "title": f"{_TOPICS[i % 5].capitalize()} : tout comprendre",
                            "description": "Le diabète expliqué. #diabete",
                        },
                        "statistics": {"likeCount": str(3000 + i), "commentCount": "200"},
                    }
                ],
            }
        )
    threads = []
    for i in range(30):
        published = datetime.fromtimestamp(when(i * 6 + 1), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        threads.append(
            {
                "kind": "youtube#commentThread",
                "id": f"th{i:03d}",
                "snippet": {
                    "videoId": videos[i % 8],
                    "topLevelComment": {
                        "kind": "youtube#comment",
                        "id": f"cmt{i:03d}",
                        "snippet": {
                            "authorDisplayName": f"@patient_yt_{i}",
                            "authorChannelId": {"value": f"UCpatientsample{i:08d}"},
                            "videoId": videos[i % 8],
                            "textOriginal": f"Merci docteur, mon {_TOPICS[i % 5]} va mieux",
                            "likeCount": 3,
                            "publishedAt": published,
                        },
                    },
                },
            }
        )
    responses.append({"kind": "youtube#commentThreadListResponse", "items": threads})
    (out / "youtube-diabetes.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in responses) + "\n",
        "utf-8",
    )
    truth = {
        "area": "diabetes",
        # platform -> the kind it tops and the account (Instagram captures carry no bio, so
        # the endocrinologist's role stays unknown unless labelled: she tops "any")
        "top": {
            "tiktok": ["dol", f"tiktok:{nurse['id']}"],
            "instagram": ["any", f"instagram:{doc['pk']}"],
            "youtube": ["dol", f"youtube:{channel}"],
        },
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n", "utf-8")
    return truth


if __name__ == "__main__":  # pragma: no cover
    write_platforms(Path(sys.argv[1]))
