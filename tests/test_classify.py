"""Role inference: the issue's FR/EN cues, accuracy on the labelled sample and on real bios."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from kolmap.ingest.areas import load_taxonomy
from kolmap.ingest.classify import classify
from kolmap.ingest.labelled_bios import TAG_ROLES
from kolmap.model import Role

TAX = load_taxonomy()


@pytest.mark.parametrize(
    ("bio", "name", "role"),
    [
        ("Oncologue médical, CHU de Bordeaux", "Camille R.", Role.HCP),
        ("Diabétologue", "", Role.HCP),
        ("Infirmière en cancérologie", "Léa", Role.HCP),
        ("MD PhD, clinical trials", "Alex", Role.HCP),
        ("Neurologist and epilepsy researcher", "Sam", Role.HCP),
        ("Views my own", "Dr Jordan Vel", Role.HCP),
        ("Breast cancer survivor", "Anna", Role.PATIENT),
        ("Patiente SEP, maman de deux enfants", "Julie", Role.PATIENT),
        ("Aidante de mon fils atteint de mucoviscidose", "Sophie", Role.PATIENT),
        ("Living with type 1 diabetes since 2009", "Tom", Role.PATIENT),
        ("Compte officiel de la Société Française de Cardiologie", "SFC", Role.ORGANISATION),
        ("Centre hospitalier universitaire", "Hôpital Nord", Role.ORGANISATION),
        ("Patient association for rare diseases", "Alliance Maladies Rares", Role.ORGANISATION),
        ("Laboratoire pharmaceutique engagé en oncologie", "Exemplar France", Role.BRAND),
        ("Compte officiel du laboratoire pharmaceutique Exemplar", "Exemplar", Role.BRAND),
        ("L'actualité santé au quotidien", "Santé News", Role.MEDIA),
        ("Journalist covering health policy", "Kim", Role.MEDIA),
        ("Runner, foodie, dad", "Chris", Role.PUBLIC),
    ],
)
def test_fr_and_en_cues(bio, name, role):
    found = classify(bio, name, taxonomy=TAX)
    assert found.role is role, found
    assert found.evidence or role is Role.PUBLIC


def test_no_text_means_unknown_and_evidence_is_recorded():
    assert classify(None, None).role is Role.UNKNOWN
    found = classify("Cardiologue interventionnel", "Dr X", taxonomy=TAX)
    assert "cardiologue" in found.evidence
    assert found.specialty_area == "cardiology"
    assert found.confidence == "high"


def test_behaviour_big_audience_following_nobody_is_institutional():
    assert classify(None, "Zorblat", followers=400_000, following=12).role is Role.ORGANISATION
    assert classify(None, "Zorblat", followers=400, following=12).role is Role.UNKNOWN


def test_accuracy_on_the_labelled_synthetic_sample():
    """Inferred roles against the generator's truth, over accounts that have a bio.

    The sample deliberately holds hard cases (HCPs without a title, patients who never
    mention their condition), so 100% is neither expected nor wanted.
    """
    root = Path(__file__).resolve().parent.parent / "data" / "samples"
    truth = {
        (r["platform"], r["account_id"]): r["role"]
        for r in csv.DictReader((root / "truth.csv").open(encoding="utf-8"))
    }
    hits = Counter()
    totals = Counter()
    for row in csv.DictReader((root / "canonical" / "accounts.csv").open(encoding="utf-8")):
        expected = truth[(row["platform"], row["account_id"])]
        if expected == "unknown" or not row["bio"]:
            continue
        got = classify(
            row["bio"] or None,
            row["display_name"] or None,
            taxonomy=TAX,
            followers=int(row["followers"]),
            following=int(row["following"]),
        )
        totals[expected] += 1
        hits[expected] += got.role.value == expected
    overall = sum(hits.values()) / sum(totals.values())
    per_role = {r: hits[r] / totals[r] for r in totals}
    print(f"sample role accuracy {overall:.3f} per role {per_role}")
    assert overall >= 0.85, per_role
    assert per_role["hcp"] >= 0.9, per_role
    assert per_role["patient"] >= 0.75, per_role
    assert per_role["organisation"] >= 0.95, per_role
    assert per_role["media"] >= 0.95, per_role


@pytest.mark.realdata
def test_precision_on_hand_labelled_real_bios(realdata: Path):
    """Real bios whose label a person confirmed ("Pass"); roles mapped to kolmap's."""
    path = (
        realdata
        / "healthcare_twitter_bio_labels_juanff"
        / "test-healthcare-twitter-user-classifier.tsv"
    )
    rows = [r for r in csv.reader(path.open(encoding="utf-8"), delimiter="\t") if len(r) >= 4]
    pairs = [(TAG_ROLES[r[1]], r[3]) for r in rows if r[0] == "Pass" and r[1] in TAG_ROLES]
    assert len(pairs) >= 80
    predicted = [(truth, classify(bio, None, taxonomy=TAX).role.value) for truth, bio in pairs]
    hcp = [p for t, p in predicted if t == "hcp"]
    said_hcp = [t for t, p in predicted if p == "hcp"]
    recall_hcp = hcp.count("hcp") / len(hcp)
    precision_hcp = said_hcp.count("hcp") / len(said_hcp)
    accuracy = sum(t == p for t, p in predicted) / len(predicted)
    print(
        f"real bios: n={len(predicted)} accuracy={accuracy:.2f} "
        f"hcp recall={recall_hcp:.2f} hcp precision={precision_hcp:.2f}"
    )
    assert precision_hcp >= 0.95
    assert recall_hcp >= 0.8
    assert accuracy >= 0.75
