"""The command line of persons and the scientific axis: science import, persons (list,
review with decisions, link from persons.csv, unlink), rank --kind science, rank and export
--by person, and the quadrant on screen and as a logged export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import run, write

SCIENCE = Path(__file__).parent / "data" / "science"
ACCOUNTS = (
    "platform,account_id,handle,display_name,bio,location\n"
    'x,501,drcdubois,Pr Claire Dubois,Rhumatologue au CHU de Bordeaux,"Bordeaux, France"\n'
    "bluesky,did:plc:cd1,drcdubois.bsky.social,Claire Dubois,Rhumatologue · also @drcdubois on X,\n"
    "x,502,claire_neuro,Claire Dubois,Neurologue. Sclérose en plaques.,Rennes\n"
)


POSTS = (
    "platform,post_id,author_id,created_at,text\n"
    "x,1,502,2026-03-01T10:00:00Z,@drcdubois great lupus talk\n"
    "x,2,501,2026-03-02T10:00:00Z,Rheumatoid arthritis update\n"
    "bluesky,3,did:plc:cd1,2026-03-03T10:00:00Z,Rheumatoid arthritis: tapering biologics\n"
)


def _store(runner, tmp_path: Path) -> str:
    accounts = write(tmp_path / "in", "accounts.csv", ACCOUNTS)
    posts = write(tmp_path / "in", "posts.csv", POSTS)
    run(runner, "ingest", str(accounts), str(posts), "--store", "s.duckdb")
    files = [str(SCIENCE / n) for n in ("pubmed.xml", "medline.nbib", "studies.json",
                                         "programme.csv")]  # fmt: skip
    out = run(runner, "science", "import", *files, "--tolerance", "50%", "--store", "s.duckdb")
    summaries = json.loads(out.output)
    assert [s["format"] for s in summaries] == [
        "pubmed-xml", "medline-nbib", "clinicaltrials-v2", "congress-programme"
    ]  # fmt: skip
    return "s.duckdb"


def test_persons_list_review_link_and_unlink(runner, tmp_path):
    store = _store(runner, tmp_path)
    listed = json.loads(run(runner, "persons", "--format", "json", "--store", store).output)
    bordeaux = next(p for p in listed if "x:501" in p["identities"])
    for identity in (
        "bluesky:did:plc:cd1",
        "author:orcid:0000-0002-1825-0097",
        "trial:name:dubois|c|bordeaux",
        "congress:name:dubois|c|bordeaux",
    ):
        assert identity in bordeaux["identities"]  # fmt: skip
    assert "x:502" not in bordeaux["identities"]
    assert "ORCID" in bordeaux["links"] or "town: Bordeaux" in bordeaux["links"]
    # Undo one merge; the review queue then lists what remains to decide.
    run(runner, "persons", "unlink", "bluesky:did:plc:cd1", "x:501", "--store", store)
    listed = json.loads(run(runner, "persons", "--format", "json", "--store", store).output)
    bordeaux = next(p for p in listed if "x:501" in p["identities"])
    assert "bluesky:did:plc:cd1" not in bordeaux["identities"]
    # A persons.csv joins what no evidence would.
    links = write(tmp_path, "persons.csv", "person_id,identity\nP-okafor,author:name:okafor|n|leeds\n"
                  "P-okafor,trial:name:okafor|n|leeds\n")  # fmt: skip
    out = run(runner, "persons", "link", str(links), "--store", store)
    assert "linked 1 pair(s) of identities for 1 person(s)" in out.output
    bad = write(tmp_path, "bad.csv", "person_id,identity\nP1,nonsense\n")
    out = run(runner, "persons", "link", str(bad), "--store", store, code=1)
    assert "bad.csv line 2" in out.output
    out = run(runner, "persons", "review", "--accept", "bluesky:did:plc:cd1", "x:501",
              "--note", "checked", "--store", store)  # fmt: skip
    assert "recorded 1 same-person" in out.output
    queue = run(runner, "persons", "review", "--format", "csv", "--store", store).output
    assert "bluesky:did:plc:cd1" not in queue
    audit = run(runner, "audit", "--store", store).output
    assert "person-decision" in audit


def test_science_ranking_quadrant_and_exports_by_person(runner, tmp_path):
    store = _store(runner, tmp_path)
    ranked = json.loads(
        run(runner, "rank", "--kind", "science", "--area", "immunology", "--format", "json",
            "--store", store).output
    )  # fmt: skip
    assert ranked[0]["name"].endswith("Dubois") and ranked[0]["n_works"] == 2
    assert ranked[0]["n_trials"] == 1 and "publication" in ranked[0]["reasons"]
    out = run(runner, "quadrant", "--area", "immunology", "--format", "csv", "--store", store)
    rows = list(csv.DictReader(io.StringIO(out.output.lstrip("\ufeff"))))
    assert {"science_score", "kol_score", "dol_score", "group"} <= set(rows[0])
    out = run(runner, "quadrant", "--area", "immunology", "--out", "q.xlsx", "--store", store)
    assert "wrote q.xlsx" in out.output and Path("q.xlsx").exists()
    out = run(runner, "export", "--kind", "science", "--format", "csv", "--out", "s.csv",
              "--store", store)  # fmt: skip
    assert "persons" in out.output
    logged = run(runner, "exports", "--store", store).output
    assert "q.xlsx" in logged and "s.csv" in logged
    out = run(runner, "export", "--kind", "science", "--format", "gexf", "--out", "s.gexf",
              "--store", store, code=2)  # fmt: skip
    assert "csv or xlsx" in out.output
    by_person = json.loads(
        run(runner, "rank", "--by", "person", "--format", "json", "--store", store).stdout
    )
    bordeaux = [r for r in by_person if "x:501" in r["accounts"]]
    assert len(bordeaux) == 1 and "bluesky:did:plc:cd1" in bordeaux[0]["accounts"]
    assert [r["rank"] for r in by_person] == list(range(1, len(by_person) + 1))
    out = run(runner, "export", "--by", "person", "--format", "csv", "--out", "p.csv",
              "--store", store)  # fmt: skip
    exported = list(csv.DictReader(io.StringIO(Path("p.csv").read_text("utf-8-sig"))))
    assert len(exported) == len(by_person) and "person_id" in exported[0]


def test_science_ranking_of_an_area_without_records_is_empty_not_an_error(runner, tmp_path):
    """The record is rheumatology: an oncology ranking has no trial or congress role, and
    weighing no trial official failed ("Can only string multiply by an integer": the app's
    Persons & science page on such an area)."""
    store = _store(runner, tmp_path)
    out = run(runner, "rank", "--kind", "science", "--area", "oncology", "--format", "json",
              "--store", store)  # fmt: skip
    assert json.loads(out.output) == []
