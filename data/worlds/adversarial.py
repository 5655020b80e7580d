"""Seeded generator of an adversarial but realistic healthcare social network (no real people).

Three areas (oncology, diabetes, cardiology), X and some Bluesky, French and English, posts
from 2026-01-05 to 2026-11-01. Each area has planted KOLs (peer-endorsed specialists whose
bios are as varied and unhelpful as real ones), DOLs (clinicians with a lay audience, one a
TV doctor), patient influencers and lead organisations, among ordinary HCPs, researchers,
patients, caregivers and the public. The traps: a pharma brand whose 12 staff and paid
partners endorse each other, two coordinated rings pushing modest accounts (one blatant, one
stealthy), a celebrity with two viral oncology posts, and KOLs active in two areas.

``truth.csv`` holds every account's true role and group, ``known_answers.json`` the planted
answers; data/worlds/README.md describes both. The same seed and scale always give
byte-identical files. The accounts are made by ``_population``, their behaviour by
``_activity``, on the primitives of ``_build``.

>>> world = generate(seed=7, scale=0.05)
>>> len(world.known["kol"]["oncology"]), world.known["areas"]
(10, ['oncology', 'diabetes', 'cardiology'])
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from kolmap.data.worlds import _activity
from kolmap.data.worlds._build import END, START, Acct, Builder, World
from kolmap.data.worlds._population import Population, populate
from kolmap.data.worlds._texts import AREAS
from kolmap.model import ACCOUNT_COLUMNS, FOLLOW_COLUMNS, POST_COLUMNS

__all__ = ["AREAS", "END", "START", "TRUTH_COLUMNS", "World", "generate", "write_world"]

TRUTH_COLUMNS = (
    "platform",
    "account_id",
    "role",
    "affiliation",
    "employer",
    "group",
    "areas",
    "bio_style",
)


def _keys(accts: list[Acct]) -> list[str]:
    return [a.key for a in accts]


def _known(pop: Population, seed: int, scale: float) -> dict[str, Any]:
    areas = pop.areas.values()
    return {
        "seed": seed,
        "scale": scale,
        "areas": list(AREAS),
        "kol": {a.name: _keys(a.kols + a.visitors) for a in areas},
        "dol": {a.name: _keys([*a.dols, a.kol_dol]) for a in areas},
        "influencer": {a.name: _keys(a.influencers) for a in areas},
        "organisation": {a.name: _keys(a.orgs) for a in areas},
        "multi_area_kols": {
            k.key: list(k.areas) for a in areas for k in a.kols if len(k.areas) > 1
        },
        "ring_a": {"members": _keys(pop.ring_a), "target": pop.target_a.key, "area": "oncology"},
        "ring_b": {"members": _keys(pop.ring_b), "target": pop.target_b.key, "area": "diabetes"},
        "industry": _keys([acct for acct, _kind in pop.staff]),
        "industry_employer": pop.veralis.key,
        "celebrity": pop.celebrity.key,
        "tv_doctor": pop.tv_doctor.key,
    }


def generate(seed: int = 7, scale: float = 1.0) -> World:
    """Build the world; ``scale=1`` gives about 5,000 accounts and 50,000 posts. The planted
    answers and the industry cluster do not scale; the rank and file and the rings do."""
    b = Builder(seed)
    pop = populate(b, scale)
    _activity.run(b, pop)
    world = World()
    b.render(world)
    world.known = _known(pop, seed, scale)
    return world


_FILES = {"accounts": ACCOUNT_COLUMNS, "follows": FOLLOW_COLUMNS, "posts": POST_COLUMNS}


def write_world(world: World, folder: str | Path) -> Path:
    """Write ``canonical/*.csv``, ``truth.csv`` and ``known_answers.json`` under ``folder``;
    returns the ``canonical`` folder (the one to ingest)."""
    root = Path(folder)
    canonical = root / "canonical"
    canonical.mkdir(parents=True, exist_ok=True)
    tables = {"accounts": world.accounts, "follows": world.follows, "posts": world.posts}
    for name, columns in _FILES.items():
        with (canonical / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(tables[name])
    with (root / "truth.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, TRUTH_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(world.truth)
    text = json.dumps(world.known, indent=2, ensure_ascii=False) + "\n"
    (root / "known_answers.json").write_text(text, "utf-8")
    return canonical


def main(argv: list[str] | None = None) -> None:
    """``python -m kolmap.data.worlds.adversarial OUT [--seed N] [--scale X]``."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    write_world(generate(args.seed, args.scale), args.out)


if __name__ == "__main__":
    main()
