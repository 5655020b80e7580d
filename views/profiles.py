"""What a profile shows beyond the account's own fields: where it stands in each area and
kind, its place on the KOL × DOL plane, a safe link to it on its platform and its picture.

>>> platform_link("x", "dr_a", None)
'https://x.com/dr_a'
>>> platform_link("linkedin", "ana", "javascript:alert(1)") is None  # never a script link
True
>>> quadrant(8.5, 46.4, kol_best=94.9, dol_best=94.9, threshold=33)  # not "KOL and DOL"
('DOL', 8.96, 48.89)
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import pandas as pd

from kolmap.scoring.science import best_at_100, kol_dol_group

__all__ = [
    "KINDS_BY_ROLE",
    "picture_html",
    "picture_url",
    "platform_link",
    "quadrant",
    "role_evidence_line",
    "standing",
]

# The rankings an account of each role can appear in.
KINDS_BY_ROLE = {
    "hcp": ("kol", "dol"),
    "researcher": ("kol", "dol"),
    "patient": ("influencer",),
    "public": ("influencer",),
    "unknown": ("influencer",),
    "media": ("influencer",),
    "organisation": ("organisation",),
    "brand": ("organisation",),
}
_PROFILE_URLS = {
    "x": "https://x.com/{}",
    "twitter": "https://x.com/{}",
    "bluesky": "https://bsky.app/profile/{}",
    "instagram": "https://www.instagram.com/{}/",
    "tiktok": "https://www.tiktok.com/@{}",
    "youtube": "https://www.youtube.com/@{}",
}


# The hosts of the platforms' own pages (an export's account URL elsewhere is a website).
_PLATFORM_DOMAINS = (
    "x.com",
    "twitter.com",
    "bsky.app",
    "instagram.com",
    "tiktok.com",
    "youtube.com",
    "linkedin.com",
    "threads.net",
    "reddit.com",
)


# Longest picture address shown (platform CDN addresses are a few hundred characters).
_MAX_PICTURE_URL = 2048


def picture_url(value: Any) -> str | None:
    """The account's picture (``avatar_url``, as its export gave it) when it is safe to hand
    to the browser: an ``http(s)`` address with a host, no spaces or quotes, of reasonable
    length; None otherwise (a ``javascript:`` or ``data:`` URL, a relative path, text).

    >>> picture_url("https://pbs.twimg.com/profile_images/1/a_normal.jpg")
    'https://pbs.twimg.com/profile_images/1/a_normal.jpg'
    >>> picture_url("javascript:alert(1)"), picture_url('https://x" onerror="1'), picture_url(None)
    (None, None, None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_PICTURE_URL or any(c in text for c in " \"'<>\\`"):
        return None
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else None


_INITIAL = re.compile(r"\w", re.UNICODE)


def picture_html(url: str, name: Any, size: int = 72) -> str:
    """A round picture of ``size`` pixels from ``url`` (a :func:`picture_url`), drawn over
    the initials of ``name``: when the address no longer answers (old exports, a network
    that blocks the platform), the initials show instead of a broken image. Both are
    escaped; the address can hold no quote, so it cannot leave its ``url('...')``.

    >>> picture_html("https://img.example/a.jpg", "Ana <b>Vel</b>")[:5], "&lt;" in picture_html(
    ...     "https://img.example/a.jpg", "<script>")
    ('<div ', False)
    """
    words = str(name or "").split()
    initials = "".join(m.group(0) for w in words[:2] if (m := _INITIAL.search(w))).upper()
    box = (
        f"width:{size}px;height:{size}px;border-radius:50%;position:relative;overflow:hidden;"
        "background:#e6e9ef;color:#556;display:flex;align-items:center;"
        f"justify-content:center;font:600 {size // 3}px sans-serif"
    )
    layer = f"position:absolute;inset:0;background:url('{url}') center/cover no-repeat"
    return (
        f'<div style="{html.escape(box)}">{html.escape(initials)}'
        f'<div role="img" aria-label="picture" style="{html.escape(layer)}"></div></div>'
    )


def platform_link(platform: str, handle: Any, url: Any) -> str | None:
    """The account's page on its platform: the export's own address when it is on a
    platform (over https), else the platform's profile address for the handle, else the
    export's ``http(s)`` address; None when nothing is known (never another URL scheme).

    An export's account ``url`` is not always the account's page: rtweet and X's API give
    the website the profile links to (``https://t.co/…``), so "Open on x" opened that.

    >>> platform_link("x", "dr_a", "https://t.co/abc"), platform_link("x", "dr_a", "http://twitter.com/dr_a")
    ('https://x.com/dr_a', 'https://twitter.com/dr_a')
    >>> platform_link("linkedin", "ana", "https://www.linkedin.com/in/ana")
    'https://www.linkedin.com/in/ana'
    """
    address = url.strip() if isinstance(url, str) else ""
    parts = urlsplit(address)
    web = parts.scheme in ("http", "https") and bool(parts.netloc)
    host = parts.netloc.lower().split(":")[0]
    if web and any(host == d or host.endswith("." + d) for d in _PLATFORM_DOMAINS):
        return parts._replace(scheme="https").geturl()
    template = _PROFILE_URLS.get(platform, "")
    if template and isinstance(handle, str) and handle:
        return template.format(quote(handle, safe=""))
    return address if web else None


def standing(
    rankings: Mapping[tuple[str, str], pd.DataFrame], platform: str, account_id: str
) -> pd.DataFrame:
    """One row per (area, kind) ranking the account is in: its rank, out of how many, its
    score, both axes (KOL: peers; DOL: lay reach) and the ranking's flags, best rank first.

    >>> table = pd.DataFrame({"platform": ["x", "x"], "account_id": ["1", "2"],
    ...                       "rank": [1, 2], "score": [90.0, 50.0]})
    >>> standing({("oncology", "kol"): table}, "x", "2")[["area", "rank", "of"]].values.tolist()
    [['oncology', 2, 2]]
    """
    rows = []
    for (area, kind), table in rankings.items():
        mine = table[(table["platform"] == platform) & (table["account_id"] == account_id)]
        if mine.empty:
            continue
        first = mine.iloc[0]
        rows.append(
            {
                "area": area or "all data",
                "kind": kind,
                "rank": int(first["rank"]),
                "of": len(table),
                "score": float(first["score"]),
                "kol_score": _number(first.get("kol_score")),
                "dol_score": _number(first.get("dol_score")),
                "flags": str(first.get("flags") or ""),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["area", "kind", "rank", "of", "score", "kol_score", "dol_score", "flags"]
    )
    return frame.sort_values(["rank", "area", "kind"], kind="stable").reset_index(drop=True)


def quadrant(
    kol: float,
    dol: float,
    *,
    kol_best: float,
    dol_best: float,
    threshold: float,
    peers: int | None = None,
    lay: int | None = None,
) -> tuple[str, float, float]:
    """Where a candidate sits on the KOL × DOL plane of its area, by the rule of the Persons
    & science quadrant (:func:`kolmap.scoring.science.is_high`): its scores rescaled so the
    area's best (``kol_best``, ``dol_best``) is 100, each high at or above ``threshold``. The
    group (``KOL``, ``DOL``, ``KOL and DOL`` or ``emerging``) and the two rescaled scores.

    An axis is high only with an endorser behind it, when the counts are given (``peers``
    for KOL, ``lay`` for DOL): a pasted-spam account that nobody endorses was "KOL and DOL"
    of a two-candidate list on a real store.

    >>> quadrant(14.3, 32.1, kol_best=14.3, dol_best=32.1, threshold=33)[0]
    'KOL and DOL'
    >>> quadrant(14.3, 32.1, kol_best=14.3, dol_best=32.1, threshold=33, peers=0, lay=0)[0]
    'emerging'
    """
    kol_100, dol_100 = float(best_at_100(kol, kol_best)), float(best_at_100(dol, dol_best))
    kol_seen = kol_100 if peers is None or peers > 0 else 0.0
    dol_seen = dol_100 if lay is None or lay > 0 else 0.0
    return kol_dol_group(kol_seen, dol_seen, threshold), kol_100, dol_100


# The last item of a role's evidence: what decided it and with what confidence
# (kolmap.ingest.roles.text writes "rules 0.85" or "model:public 0.53").
_DECIDED_BY = re.compile(r"^(rules|model)(?::\S+)? (\d+(?:\.\d+)?)$")


def role_evidence_line(specialty: Any, evidence: Any, confidence: Any) -> str:
    """The profile's "specialty and evidence" line: the specialty when there is one, the
    evidence for the role, and its confidence said once (the evidence's own closing
    ``rules 0.85`` becomes "by the rules, confidence 0.85").

    >>> role_evidence_line(None, "bio:assistant professor; bio:epidemiology; rules 0.85", 0.85)
    'evidence: bio:assistant professor; bio:epidemiology · by the rules, confidence 0.85'
    >>> role_evidence_line("rheumatologist", "model:hcp 0.71", 0.71)
    'rheumatologist · by the model, confidence 0.71'
    >>> role_evidence_line(float("nan"), None, None)
    'no evidence recorded'
    """
    items = [i.strip() for i in str(evidence).split(";")] if _text(evidence) else []
    items = [i for i in items if i]
    known = confidence is not None and not pd.isna(confidence)
    said = f"{float(confidence):.2f}" if known else None
    method = None
    decided = _DECIDED_BY.match(items[-1]) if items else None
    if decided and (said is None or f"{float(decided.group(2)):.2f}" == said):
        items.pop()
        method = "the rules" if decided.group(1) == "rules" else "the model"
        said = said or f"{float(decided.group(2)):.2f}"
    parts = [_text(specialty)] if _text(specialty) else []
    if items:
        parts.append("evidence: " + "; ".join(items))
    if said is not None:
        parts.append(f"by {method}, confidence {said}" if method else f"confidence {said}")
    return " · ".join(parts) or "no evidence recorded"


def _text(value: Any) -> str:
    return (
        "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    )


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
