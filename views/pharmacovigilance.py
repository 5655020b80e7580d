"""Pharmacovigilance: find posts that may report an adverse event, and queue them for the
safety team (reliability case T32).

The user supplies the products to watch (a CSV: ``product,generic,company,aliases``, aliases
separated by ``|``); kolmap ships a FR/EN vocabulary of reactions, first-person words,
general drug words and vague complaints (``ingest/rules/adverse_events.toml``, editable).
A post is queued when it names a watched product together with a reaction (or a vague
complaint), or a drug in general together with a complaint. For each item kolmap records
whether the four minimum criteria of a valid individual case report seem present:

- an identifiable **reporter**: the author is a real account (not only a mentioned handle);
- an identifiable **patient**: the author writes in the first person or of someone close;
- a suspect **product**: a watched product is named;
- a suspect **reaction**: a reaction term is present.

All four: ``valid minimum criteria``; otherwise ``possible, incomplete``. The reporter is
stored as a pseudonym; the item keeps the post's text and a permalink as they were when
found.

>>> vocab = load_vocabulary()
>>> products = [Product("Ocrevimab", "ocrevimab", "Exemplar", ())]
>>> found = assess("After my 2nd dose of Ocrevimab I had a seizure", products, vocab)
>>> found.product, found.reactions, found.assessment
('Ocrevimab', ['seizure'], 'valid minimum criteria')
>>> assess("this drug is awful", products, vocab).assessment
'possible, incomplete'
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from kolmap.errors import InputError
from kolmap.graph.store import GraphStore
from kolmap.ingest.text import fold
from kolmap.views.privacy import pseudonym

__all__ = [
    "Finding",
    "Product",
    "Vocabulary",
    "assess",
    "load_products",
    "load_vocabulary",
    "permalink",
    "scan",
]

VALID = "valid minimum criteria"
INCOMPLETE = "possible, incomplete"


@dataclass(frozen=True)
class Product:
    """A product to watch, with the names it goes by."""

    name: str
    generic: str
    company: str
    aliases: tuple[str, ...]

    def names(self) -> list[str]:
        return [n for n in (self.name, self.generic, *self.aliases) if n]


@dataclass(frozen=True)
class Vocabulary:
    """The folded terms of each list of the adverse-event vocabulary."""

    reactions: tuple[str, ...]
    patient: tuple[str, ...]
    any_drug: tuple[str, ...]
    complaints: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """What a post holds of a possible adverse event."""

    product: str
    reactions: list[str]
    criteria: dict[str, bool]
    assessment: str


def load_products(path: str | Path) -> list[Product]:
    """Read a product list; an error names the file, the line and the problem."""
    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{where}: cannot read the product list ({err})") from None
    rows = csv.DictReader(text.splitlines())
    missing = {"product", "generic", "company", "aliases"} - set(rows.fieldnames or [])
    if missing:
        raise InputError(
            f"{where} line 1: the product list lacks column(s) {', '.join(sorted(missing))}; "
            "expected product,generic,company,aliases"
        )
    products = []
    for line, row in enumerate(rows, start=2):
        name = (row.get("product") or "").strip()
        if not name:
            raise InputError(f"{where} line {line}: no product name")
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        generic = (row.get("generic") or "").strip()
        products.append(Product(name, generic, (row.get("company") or "").strip(), aliases))
    if not products:
        raise InputError(f"{where}: the product list has no products")
    return products


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """The adverse-event vocabulary (the shipped one unless ``path``)."""
    if path is None:
        text = resources.files("kolmap.ingest.rules").joinpath("adverse_events.toml").read_text()
        source = "adverse_events.toml"
    else:
        text, source = Path(path).read_text(encoding="utf-8"), str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{source}: not valid TOML ({err})") from None
    lists: dict[str, tuple[str, ...]] = {}
    for name in ("reactions", "patient", "any_drug", "complaints"):
        terms = data.get(name)
        if not isinstance(terms, list) or not all(isinstance(t, str) and t for t in terms):
            raise InputError(f"{source}: {name} must be a list of words or phrases")
        lists[name] = tuple(sorted({fold(t) for t in terms}))
    return Vocabulary(**lists)


def _found(terms: tuple[str, ...] | list[str], folded: str) -> list[str]:
    return [t for t in terms if re.search(rf"(?<![\w']){re.escape(t)}(?![\w'])", folded)]


def assess(text: str, products: list[Product], vocab: Vocabulary) -> Finding | None:
    """The possible adverse event in ``text``, or None (see the module doc); the author's
    identifiability is the caller's (:func:`scan`) and assumed here."""
    folded = fold(text)
    named = [p for p in products if _found([fold(n) for n in p.names()], folded)]
    reactions = _found(vocab.reactions, folded)
    complaint = bool(_found(vocab.complaints, folded))
    drug = bool(named) or bool(_found(vocab.any_drug, folded))
    if not (named and (reactions or complaint)) and not (drug and complaint):
        return None
    criteria = {
        "reporter": True,
        "patient": bool(_found(vocab.patient, folded)),
        "product": bool(named),
        "reaction": bool(reactions),
    }
    return Finding(
        named[0].name if named else "",
        reactions,
        criteria,
        VALID if all(criteria.values()) else INCOMPLETE,
    )


def permalink(platform: str, post_id: str) -> str:
    """A link to the post that names no one (X and Bluesky need no handle for it)."""
    if platform == "x":
        return f"https://x.com/i/web/status/{post_id}"
    if platform == "bluesky" and post_id.startswith("at://"):
        did, _, rkey = post_id.removeprefix("at://").partition("/app.bsky.feed.post/")
        return f"https://bsky.app/profile/{did}/post/{rkey}"
    return f"{platform}:{post_id}"


def scan(
    store: GraphStore, products: list[Product], vocab: Vocabulary, key: bytes
) -> dict[str, Any]:
    """Scan the store's posts and queue what may report an adverse event; returns the
    reconciliation counts (posts read, found, queued now, already queued, by assessment)."""
    terms = sorted({fold(n) for p in products for n in p.names()} | set(vocab.any_drug))
    candidates = store.posts_naming(terms)
    now = datetime.now(UTC)
    rows = []
    for post in candidates.to_dict(orient="records"):
        finding = assess(str(post["text"]), products, vocab)
        if finding is None:
            continue
        criteria = {**finding.criteria, "reporter": not bool(post["is_stub"])}
        platform, post_id = str(post["platform"]), str(post["post_id"])
        rows.append(
            {
                "item_id": f"{platform}:{post_id}",
                "detected_at": now,
                "platform": platform,
                "post_id": post_id,
                "permalink": permalink(platform, post_id),
                "posted_at": post["created_at"],
                "reporter": pseudonym(key, platform, str(post["author_id"])),
                "product": finding.product or None,
                "reactions": ", ".join(finding.reactions) or None,
                "text": str(post["text"]),
                "criteria": json.dumps(criteria, sort_keys=True),
                "assessment": VALID if all(criteria.values()) else INCOMPLETE,
                "status": "new",
                "status_by": None,
                "status_at": None,
                "note": None,
            }
        )
    table = pd.DataFrame(rows)
    queued = store.add_pv_items(table) if rows else 0
    by = table["assessment"].value_counts().to_dict() if rows else {}
    return {
        "posts_scanned": len(candidates),
        "found": len(rows),
        "queued": queued,
        "already_queued": len(rows) - queued,
        "by_assessment": {str(k): int(v) for k, v in by.items()},
    }
