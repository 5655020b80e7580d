"""The science world: the adversarial world's oncology people given a scientific record, with
planted persons and namesakes, to measure person linking and the KOL × DOL × science
quadrant (docs/science.md).

It writes, beside the adversarial world (whose accounts it reads), files in the formats
users download: ``pubmed.xml`` (PubMed XML), ``medline.nbib`` (the same kind of records as
MEDLINE text), ``studies.json`` (ClinicalTrials.gov v2), ``programme.csv`` (a congress
programme), ``canonical/accounts.csv`` (Bluesky accounts of some X oncologists), and
``truth.json``: the true person of every identity and the planted quadrant groups.

Planted, in oncology:

- **complete leaders**: six oncology KOL/DOL accounts with a strong record (first and last
  authorships, a principal investigator role, congress chairs); the evidence that links them
  varies on purpose: name with town and specialty, an ORCID cited by a Bluesky twin, a twin
  citing the X handle;
- **scientific leaders offline**: six invented oncologists with the same kind of record and
  no account;
- **emerging**: 240 invented co-authors of the leaders' papers (a few authorships each,
  rarely first, never last), fifteen with a poster;
- **digital-only voices**: the other oncology KOLs and DOLs, with no record;
- **a thin link**: an ordinary oncologist's account with two papers, linked by name and specialty
  only (no town, no twin): a true link that should wait for review, not merge;
- **namesakes**: for three accounts and one offline leader, a person with the same name in
  another town and another specialty (cardiology), with works, trials or congress roles of
  their own; none may merge.

Everyone is invented; the same seed gives the same files. It also runs on the bundled sample
(``data/samples``), whose scientific files ``kolmap demo`` imports (``data/samples/science``).

    python -m kolmap.data.worlds.science data/worlds/adversarial OUT
    python -m kolmap.data.worlds.science data/samples data/samples/science
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["write_science_world"]

_SYLLABLES = (
    "ba",
    "ra",
    "mi",
    "lo",
    "ven",
    "dar",
    "sel",
    "tu",
    "qui",
    "no",
    "fa",
    "ren",
    "zo",
    "ka",
    "li",
    "mar",
    "tes",
    "vo",
    "gal",
    "shi",
    "pa",
    "dun",
    "el",
    "ro",
)
_GIVEN = (
    "Camille",
    "Noor",
    "Ilse",
    "Tomas",
    "Leila",
    "Marek",
    "Anouk",
    "Hugo",
    "Sana",
    "Oren",
    "Malia",
    "Ines",
    "Felix",
    "Rosa",
    "Idris",
    "Yara",
    "Lucien",
    "Maren",
    "Theo",
    "Alba",
    "Bruno",
    "Selma",
    "Kofi",
    "Vera",
    "Nils",
    "Aiko",
    "Dario",
)
_TOWNS = (
    "Bordeaux",
    "Rennes",
    "Lyon",
    "Lille",
    "Nantes",
    "Toulouse",
    "Manchester",
    "Leeds",
    "Utrecht",
    "Leuven",
    "Geneva",
    "Porto",
)
_ONCO_DEPTS = (
    "Department of Medical Oncology",
    "Department of Surgical Oncology",
    "Service d'oncologie médicale",
)
_CARDIO_DEPT = "Department of Cardiology"
_ONCO_MESH = (
    "Breast Neoplasms",
    "Lung Neoplasms",
    "Colorectal Neoplasms",
    "Immunotherapy",
    "Antineoplastic Agents",
)
_CARDIO_MESH = ("Heart Failure", "Atrial Fibrillation", "Myocardial Infarction")
_COUNTRY = {
    "Bordeaux": "France",
    "Rennes": "France",
    "Lyon": "France",
    "Lille": "France",
    "Nantes": "France",
    "Toulouse": "France",
    "Manchester": "UK",
    "Leeds": "UK",
    "Utrecht": "Netherlands",
    "Leuven": "Belgium",
    "Geneva": "Switzerland",
    "Porto": "Portugal",
}


class _World:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.works: list[dict[str, Any]] = []
        self.trials: list[dict[str, Any]] = []
        self.programme: list[dict[str, str]] = []
        self.twins: list[dict[str, str]] = []
        self.truth: dict[str, str] = {}  # identity -> true person
        self.pmid = 40_000_000
        self.nct = 6_000_000

    def family(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(3)).title()

    def affiliation(self, dept: str, town: str) -> str:
        return f"{dept}, Institut {town[:3]}val, {town}, {_COUNTRY.get(town, 'France')}."

    def author(self, person: dict[str, Any]) -> dict[str, Any]:
        return {
            "family": person["family"],
            "given": person["given"],
            "aff": person["aff"],
            "orcid": person.get("orcid"),
            "id": person["id"],
        }

    def paper(self, authors: list[dict[str, Any]], mesh: tuple[str, ...], year: int) -> None:
        self.pmid += self.rng.randint(1, 50)
        for a in authors:
            self.truth[_identities(a)["author"]] = a["id"]
        self.works.append(
            {
                "pmid": str(self.pmid),
                "authors": authors,
                "year": year,
                "mesh": self.rng.sample(mesh, 2),
                "title": f"Outcomes of {self.rng.choice(mesh).lower()} care",
            }
        )

    def trial(self, person: dict[str, Any], phase: str, condition: str) -> None:
        self.nct += self.rng.randint(1, 900)
        self.truth[_identities(person)["trial"]] = person["id"]
        self.trials.append(
            {"nct": f"NCT0{self.nct}", "phase": phase, "condition": condition, "official": person}
        )

    def congress(self, person: dict[str, Any], role: str, congress: str, session: str) -> None:
        self.truth[_identities(person)["congress"]] = person["id"]
        self.programme.append(
            {
                "congress": congress,
                "session": session,
                "role": role,
                "person": f"{'Pr ' if role == 'chair' else ''}{person['given']} {person['family']}",
                "affiliation": person["aff"],
                "date": "2026-06-01",
            }
        )


def _identities(person: dict[str, Any]) -> dict[str, str]:
    """The identity strings kolmap gives this person's scientific records."""
    from kolmap.ingest.science.names import author_key

    key = author_key(person["family"], person["given"], orcid=None, affiliation=person["aff"])
    author = (
        author_key(person["family"], person["given"], orcid=person["orcid"], affiliation=None)
        if person.get("orcid")
        else key
    )
    return {"author": f"author:{author}", "trial": f"trial:{key}", "congress": f"congress:{key}"}


def write_science_world(adversarial: Path, out: Path, seed: int = 11) -> dict[str, Any]:
    """Write the science world into ``out``; returns its truth."""
    known = json.loads((adversarial / "known_answers.json").read_text("utf-8"))
    with (adversarial / "canonical" / "accounts.csv").open(encoding="utf-8") as fh:
        accounts = {f"{r['platform']}:{r['account_id']}": r for r in csv.DictReader(fh)}
    w = _World(seed)
    onco = list(dict.fromkeys(known["kol"]["oncology"] + known["dol"]["oncology"]))
    named = []
    for key in onco:
        words = [x for x in accounts[key]["display_name"].replace("Dr ", "").split() if x]
        if len(words) == 2 and key not in known.get("multi_area_kols", {}):
            named.append((key, words[0], words[1]))
    leaders_social = named[:6]
    leaders: list[dict[str, Any]] = []
    for i, (key, given, family) in enumerate(leaders_social):
        account = accounts[key]
        town = (account["location"] or "").split(",")[0].strip()
        has_town = bool(town) and town not in ("France", "USA", "UK", "Canada")
        town = town if has_town else _TOWNS[i]
        person = {
            "given": given,
            "family": family,
            "town": town,
            "aff": w.affiliation(_ONCO_DEPTS[i % 3], town),
            "id": f"P:{key}",
        }
        if not has_town:
            # No town to match on: a Bluesky twin cites the X handle and the ORCID.
            person["orcid"] = f"0000-0002-{1000 + i:04d}-{200 + i:03d}X"
            twin = f"did:plc:sciencetwin{i:02d}"
            orcid = f"orcid.org/{person['orcid']}"
            w.twins.append(
                {
                    "platform": "bluesky",
                    "account_id": twin,
                    "handle": f"{account['handle']}-onc.bsky.social",
                    "display_name": f"Dr {given} {family}",
                    "bio": f"Oncologist · also @{account['handle']} on X"
                    + ("" if i % 2 else f" · {orcid}"),
                    "followers": "120",
                    "following": "80",
                    "location": "",
                    "lang": "en",
                    "url": f"https://{orcid}" if i % 2 else "",
                    "verified": "false",
                    "created_at": "2024-02-01T10:00:00Z",
                }
            )
            w.truth[f"bluesky:{twin}"] = person["id"]
        w.truth[key] = person["id"]
        leaders.append(person)
    offline = []
    used = {(p["given"], p["family"]) for p in leaders}
    for i in range(6):
        given, family = _GIVEN[i], w.family()
        town = _TOWNS[i]
        person = {
            "given": given,
            "family": family,
            "town": town,
            "aff": w.affiliation(_ONCO_DEPTS[i % 3], town),
            "id": f"P:offline{i}",
        }
        offline.append(person)
        used.add((given, family))
    emerging = []
    for i in range(240):
        town = _TOWNS[(i + 3) % len(_TOWNS)]
        person = {
            "given": _GIVEN[(i + 6) % len(_GIVEN)],
            "family": w.family(),
            "town": town,
            "aff": w.affiliation(_ONCO_DEPTS[i % 3], town),
            "id": f"P:emerging{i}",
        }
        emerging.append(person)
    # Namesakes: same name, another town, cardiology.
    namesakes = []
    for i, base in enumerate([*leaders[:3], offline[0]]):
        town = next(t for t in _TOWNS[::-1] if t != base["town"])
        person = {
            "given": base["given"],
            "family": base["family"],
            "town": town,
            "aff": w.affiliation(_CARDIO_DEPT, town),
            "id": f"P:namesake{i}",
        }
        namesakes.append(person)
    # A true link with thin evidence: an oncologist's account with no town and no twin, and
    # a few papers of theirs; name and specialty put it in the review queue, not a merge.
    thin = []
    with (adversarial / "truth.csv").open(encoding="utf-8") as fh:
        ordinary = [
            f"{r['platform']}:{r['account_id']}"
            for r in csv.DictReader(fh)
            if r.get("group") == "base_hcp" and "oncology" in r.get("areas", "")
        ]
    candidates = []
    for key in ordinary:
        words = accounts[key]["display_name"].replace("Dr ", "").split()
        account = accounts[key]
        if len(words) == 2 and "oncolog" in account["bio"].lower() and not account["location"]:
            candidates.append((key, words[0], words[1]))
    for key, given, family in candidates[:1]:
        town = _TOWNS[7]
        thin.append(
            {
                "given": given,
                "family": family,
                "town": town,
                "aff": w.affiliation(_ONCO_DEPTS[0], town),
                "id": f"P:{key}",
            }
        )
        w.truth[key] = f"P:{key}"
    # Records.
    for person in [*leaders, *offline]:
        for j in range(w.rng.randint(7, 10)):
            crowd = [w.author(c) for c in w.rng.sample(emerging, 3)]
            lead = w.author(person)
            # The leader first or last; the crowd in the middle (co-authors, not leaders).
            authors = [lead, *crowd] if j % 2 else [*crowd, lead]
            w.paper(authors, _ONCO_MESH, 2021 + j % 5)
        w.trial(person, "PHASE3", "Breast Cancer")
        w.congress(person, "chair", "ESMO 2026", "Breast cancer: new standards")
        w.congress(person, "speaker", "ESMO 2026", "Immunotherapy beyond progression")
    for person in thin:
        for j in range(2):
            w.paper(
                [*(w.author(c) for c in w.rng.sample(emerging, 2)), w.author(person)],
                _ONCO_MESH,
                2024 + j,
            )
    for person in emerging[:15]:
        w.congress(person, "poster", "ESMO 2026", "Poster session: lung cancer")
    for i, person in enumerate(namesakes):
        coauthors = [w.author(c) for c in w.rng.sample(emerging, 2)]
        for j in range(3):
            w.paper([w.author(person), *coauthors], _CARDIO_MESH, 2023 + j)
        if i % 2:
            w.trial(person, "PHASE2", "Heart Failure")
        w.congress(person, "speaker", "ESC 2026", "Heart failure update")
    _write(w, out)
    truth = {
        "identities": w.truth,
        "groups": {
            "complete leaders": [p["id"] for p in leaders],
            "scientific leaders offline": [p["id"] for p in offline],
            "digital-only voices": [
                f"P:{k}" for k in onco if f"P:{k}" not in {p["id"] for p in leaders}
            ],
        },
        "thin": [p["id"] for p in thin],
        "emerging": sorted({p for p in w.truth.values() if p.startswith("P:emerging")}),
        "namesakes": [
            [p["id"], n["id"]] for p, n in zip([*leaders[:3], offline[0]], namesakes, strict=True)
        ],
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n", "utf-8")
    return truth


def _write(w: _World, out: Path) -> None:
    (out / "canonical").mkdir(parents=True, exist_ok=True)
    columns = [
        "platform",
        "account_id",
        "handle",
        "display_name",
        "bio",
        "followers",
        "following",
        "location",
        "lang",
        "url",
        "verified",
        "created_at",
    ]
    with (out / "canonical" / "accounts.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(w.twins)
    half = len(w.works) // 2
    parts = [
        '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle,'
        ' 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
        "<PubmedArticleSet>\n"
    ]
    for work in w.works[:half]:
        authors = "".join(
            f'<Author ValidYN="Y"><LastName>{escape(a["family"])}</LastName>'
            f"<ForeName>{escape(a['given'])}</ForeName><Initials>{a['given'][0]}</Initials>"
            + (
                f'<Identifier Source="ORCID">https://orcid.org/{a["orcid"]}</Identifier>'
                if a.get("orcid")
                else ""
            )
            + f"<AffiliationInfo><Affiliation>{escape(a['aff'])}</Affiliation></AffiliationInfo>"
            "</Author>"
            for a in work["authors"]
        )
        mesh = "".join(
            f'<MeshHeading><DescriptorName UI="D0" MajorTopicYN="N">{m}</DescriptorName>'
            "</MeshHeading>"
            for m in work["mesh"]
        )
        parts.append(
            f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
            f'<PMID Version="1">{work["pmid"]}</PMID><Article PubModel="Print">'
            f"<Journal><Title>Journal of Invented Oncology</Title><JournalIssue><PubDate>"
            f"<Year>{work['year']}</Year><Month>Mar</Month></PubDate></JournalIssue></Journal>"
            f"<ArticleTitle>{escape(work['title'])}.</ArticleTitle>"
            f'<AuthorList CompleteYN="Y">{authors}</AuthorList><PublicationTypeList>'
            f'<PublicationType UI="D016428">Journal Article</PublicationType>'
            f"</PublicationTypeList></Article><MeshHeadingList>{mesh}</MeshHeadingList>"
            f"</MedlineCitation><PubmedData><ArticleIdList>"
            f'<ArticleId IdType="pubmed">{work["pmid"]}</ArticleId></ArticleIdList></PubmedData>'
            "</PubmedArticle>\n"
        )
    parts.append("</PubmedArticleSet>\n")
    (out / "pubmed.xml").write_text("".join(parts), "utf-8")
    lines = []
    for work in w.works[half:]:
        lines += [f"PMID- {work['pmid']}", f"TI  - {work['title']}.", f"DP  - {work['year']} Mar"]
        for a in work["authors"]:
            lines += [f"FAU - {a['family']}, {a['given']}", f"AU  - {a['family']} {a['given'][0]}"]
            if a.get("orcid"):
                lines.append(f"AUID- ORCID: {a['orcid']}")
            lines.append(f"AD  - {a['aff']}")
        lines += [f"MH  - {m}" for m in work["mesh"]]
        lines += ["PT  - Journal Article", "JT  - Journal of Invented Oncology", ""]
    (out / "medline.nbib").write_text("\n".join(lines), "utf-8")
    studies = [
        {
            "protocolSection": {
                "identificationModule": {
                    "nctId": t["nct"],
                    "briefTitle": f"{t['condition']} study",
                },
                "statusModule": {
                    "overallStatus": "RECRUITING",
                    "startDateStruct": {"date": "2025-03"},
                },
                "sponsorCollaboratorsModule": {
                    "leadSponsor": {"name": "Invented Cooperative Group", "class": "OTHER"}
                },
                "conditionsModule": {"conditions": [t["condition"]]},
                "designModule": {"phases": [t["phase"]]},
                "contactsLocationsModule": {
                    "overallOfficials": [
                        {
                            "name": f"{t['official']['given']} {t['official']['family']}, MD",
                            "affiliation": t["official"]["aff"],
                            "role": "PRINCIPAL_INVESTIGATOR",
                        }
                    ]
                },
            }
        }
        for t in w.trials
    ]
    (out / "studies.json").write_text(json.dumps({"studies": studies}, indent=1), "utf-8")
    with (out / "programme.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, ["congress", "session", "role", "person", "affiliation", "date"]
        )
        writer.writeheader()
        writer.writerows(w.programme)


if __name__ == "__main__":  # pragma: no cover
    write_science_world(Path(sys.argv[1]), Path(sys.argv[2]))
