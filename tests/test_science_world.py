"""Persons and the scientific axis on the science world (data/worlds/science.py): the links
found against the planted persons (precision ≥ 0.95, recall ≥ 0.85 of true same-person pairs,
no namesake merged), and the quadrant groups recovered. Figures printed with ``-s`` and
written in docs/science.md.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from kolmap.data.worlds.science import write_science_world
from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths
from kolmap.ingest.science.load import import_science
from kolmap.views.persons import person_links, quadrant_table, science_ranking

pytestmark = pytest.mark.slow

ADVERSARIAL = Path(__file__).resolve().parent.parent / "data" / "worlds" / "adversarial"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("science")
    truth = write_science_world(ADVERSARIAL, folder / "files")
    path = folder / "world.duckdb"
    with DuckDBStore(path) as store:
        ingest_paths(
            store,
            [ADVERSARIAL / "canonical", folder / "files" / "canonical"],
            quarantine_dir=folder / "q",
        )
        files = [folder / "files" / n for n in ("pubmed.xml", "medline.nbib", "studies.json",
                                                "programme.csv")]  # fmt: skip
        import_science(store, files, quarantine_dir=folder / "q")
    return path, truth


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}


def test_person_links_match_the_planted_persons(world: tuple[Path, dict]) -> None:
    path, truth = world
    with DuckDBStore(path, read_only=True) as store:
        links = person_links(store)
    members = links.members
    known = truth["identities"]
    in_truth = members[members["identity"].isin(known)]
    assert set(known) <= set(members["identity"]), set(known) - set(members["identity"])
    found: dict[str, list[str]] = {}
    for row in in_truth.itertuples(index=False):
        found.setdefault(row.person_id, []).append(row.identity)
    planted: dict[str, list[str]] = {}
    for identity, person in known.items():
        planted.setdefault(person, []).append(identity)
    predicted, actual = _pairs(found), _pairs(planted)
    precision = len(predicted & actual) / len(predicted) if predicted else 0.0
    recall = len(predicted & actual) / len(actual)
    person_of = dict(zip(members["identity"], members["person_id"], strict=True))
    namesake_merges = 0
    for a, b in truth["namesakes"]:
        ids_a = {i for i, p in known.items() if p == a}
        ids_b = {i for i, p in known.items() if p == b}
        namesake_merges += sum(person_of[x] == person_of[y] for x in ids_a for y in ids_b)
    # Identities outside the truth (other accounts) never join a planted person.
    strays = members[~members["identity"].isin(known)]
    planted_persons = set(in_truth["person_id"])
    assert not (set(strays["person_id"]) & planted_persons)
    print(
        f"\nperson links: {len(actual)} true pairs, {len(predicted)} predicted, "
        f"precision {precision:.3f}, recall {recall:.3f}, namesake merges {namesake_merges}"
    )
    assert namesake_merges == 0
    # the thin true link waits for review: found, not merged
    for person in truth["thin"]:
        ids = sorted(i for i, p in known.items() if p == person)
        queued = links.links[
            links.links["identity_a"].isin(ids) & links.links["identity_b"].isin(ids)
        ]
        assert set(queued["status"]) == {"review"}, queued
    assert precision >= 0.95
    assert recall >= 0.85


def test_quadrant_groups_are_recovered(world: tuple[Path, dict]) -> None:
    path, truth = world
    with DuckDBStore(path, read_only=True) as store:
        table = quadrant_table(store, "oncology")
        links = person_links(store)
        science = science_ranking(store, "oncology")
    person_of = dict(zip(links.members["identity"], links.members["person_id"], strict=True))
    group_of = dict(zip(table["person_id"], table["group"], strict=True))
    ids_of: dict[str, list[str]] = {}
    for identity, person in truth["identities"].items():
        ids_of.setdefault(person, []).append(identity)
    lines = []
    for group, planted in [*truth["groups"].items(), ("emerging", truth["emerging"])]:
        found = []
        for person in planted:
            identity = ids_of.get(person, [person.removeprefix("P:")])[0]
            found.append(group_of.get(person_of.get(identity, "")) == group)
        share = sum(found) / len(found)
        lines.append(f"{group}: {sum(found)}/{len(found)} ({share:.2f})")
        assert share >= 0.8, (group, share)
    print("\nquadrant, oncology: " + "; ".join(lines))
    # The scientific ranking's top is made of planted leaders, with reasons.
    leaders = {
        person_of[ids_of[p][0]]
        for g in ("complete leaders", "scientific leaders offline")
        for p in truth["groups"][g]
    }
    top = science.head(12)
    assert set(top["person_id"]) <= leaders
    assert top["reasons"].str.contains("publication").all()
    print(json.dumps(science.head(3)[["name", "score", "n_works", "reasons"]].to_dict("records")))


def test_a_researchers_dol_stays_blank_on_the_quadrant() -> None:
    """Persons & science showed a researcher's DOL as 0.0 beside a Leaderboard and a Profile
    that leave it blank (DOL lists hold HCPs); a person without any account scores 0."""
    import pandas as pd

    from kolmap.scoring.science import quadrant

    science = pd.DataFrame(
        {"person_id": ["r", "h", "s"], "name": ["R", "H", "S"], "score": [50.0, 20.0, 80.0]}
    )
    digital = pd.DataFrame(
        {
            "person_id": ["r", "h"],
            "name": ["R", "H"],
            "kol_score": [90.0, 30.0],
            "dol_score": [float("nan"), 12.0],
        }
    )
    table = quadrant(science, digital, 33.0).set_index("person_id")
    assert pd.isna(table.loc["r", "dol_score"]) and table.loc["r", "digital_score"] == 100.0
    assert table.loc["h", "dol_score"] == 100.0 and table.loc["s", "dol_score"] == 0.0
