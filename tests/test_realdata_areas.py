"""Areas on real disease hashtags (../shared/realdata; read, never copied).

``healthcare_hashtag_tweets_2014/DiseaseHashtags.csv`` lists 451 disease hashtags people used
on Twitter in 2014, each filed under an organ-system group by the researchers who collected
them. kolmap's areas are specialties, not organ systems, so each group is matched to the
areas that treat its diseases (:data:`GROUP_AREAS`: lymphomas are "Lymphatic" there and
hematology here; #HIV is "Immune" there and infectious disease here); groups with no area
("Reproductive", "Injury", "Multiple" ...) are left out. Before the December 2026 rule for
disease hashtags (docs/scoring.md) kolmap tagged 19% of them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kolmap.ingest.areas import load_taxonomy

pytestmark = pytest.mark.realdata

_ALL = frozenset(load_taxonomy().ids)
# Organ-system group -> the kolmap areas that treat its diseases.
GROUP_AREAS: dict[str, frozenset[str]] = {
    "Cancer": frozenset({"oncology", "hematology", "dermatology"}),
    "Lymphatic": frozenset({"hematology", "oncology"}),
    "Blood": frozenset({"hematology", "infectious-disease", "rare-disease"}),
    "Immune": frozenset(
        {
            "immunology",
            "infectious-disease",
            "hematology",
            "gastroenterology",
            "respiratory",
            "dermatology",
        }
    ),
    "Digestive": frozenset({"gastroenterology", "oncology", "infectious-disease"}),
    "Respiratory": frozenset({"respiratory", "infectious-disease", "oncology"}),
    "Neurological": frozenset(
        {"neurology", "mental-health", "oncology", "infectious-disease", "rare-disease"}
    ),
    "Rare Diseases": _ALL,  # a rare disease is also a disease of some specialty
    "Skin": frozenset(
        {"dermatology", "oncology", "infectious-disease", "immunology", "rare-disease"}
    ),
    "Cardiovascular": frozenset({"cardiology", "hematology"}),
    "Endocrine": frozenset({"diabetes", "immunology", "oncology", "rare-disease"}),
    "Metabolic": frozenset({"diabetes", "rare-disease"}),
    "Infectious Disease": frozenset(
        {"infectious-disease", "respiratory", "gastroenterology", "dermatology"}
    ),
    "Psych": frozenset({"mental-health"}),
    "Musculoskeletal": frozenset({"immunology"}),
}
# What the areas reach today (2 December 2026), less a margin: a change that loses disease
# hashtags, or files them under the wrong area, fails.
FLOORS = {"tagged": 0.70, "agreeing": 0.98}


def test_real_disease_hashtags_are_tagged_with_the_area_that_treats_them(realdata: Path) -> None:
    path = realdata / "healthcare_hashtag_tweets_2014" / "DiseaseHashtags.csv"
    with path.open(encoding="utf-8", errors="replace") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Hashtags"] and r["Sub-Group"] in GROUP_AREAS]
    taxonomy = load_taxonomy()
    found = [
        (set(taxonomy.tag_hashtags([r["Hashtags"]])), GROUP_AREAS[r["Sub-Group"]]) for r in rows
    ]
    tagged = [(areas, wanted) for areas, wanted in found if areas]
    agreeing = sum(bool(areas & wanted) for areas, wanted in tagged)
    share, right = len(tagged) / len(rows), agreeing / max(len(tagged), 1)
    print(f"\n{len(rows)} disease hashtags: {share:.3f} tagged, {right:.3f} of those agreeing")
    assert len(rows) > 300
    assert share >= FLOORS["tagged"]
    assert right >= FLOORS["agreeing"]
