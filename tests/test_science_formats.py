"""The scientific formats on small hand-written fixtures of each public format
(tests/data/science): what each reads, what it rejects (with line and reason, into the
quarantine), malformed files as one clear error, and the namesakes that must stay apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kolmap.errors import InputError, RejectedRowsError
from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.persons import identities_frame, link_persons
from kolmap.ingest.science import detect_science_format
from kolmap.ingest.science.load import import_science
from kolmap.ingest.science.names import person_name, place_of
from kolmap.ingest.science.pubmed import parse_date

from .conftest import ingest_files, write

DATA = Path(__file__).parent / "data" / "science"


def _import(store: DuckDBStore, tmp_path: Path, *names: str, tolerance: str = "100%") -> list:
    return import_science(
        store, [DATA / n for n in names], quarantine_dir=tmp_path / "q", tolerance=tolerance
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("pubmed.xml", "pubmed-xml"),
        ("medline.nbib", "medline-nbib"),
        ("openalex_works.json", "openalex"),
        ("openalex_snapshot.jsonl", "openalex"),
        ("studies.json", "clinicaltrials-v2"),
        ("programme.csv", "congress-programme"),
    ],
)
def test_each_format_is_recognised(name: str, fmt: str) -> None:
    assert detect_science_format(DATA / name) == fmt


def test_pubmed_xml_reads_articles_authors_orcid_mesh_and_rejects_a_bad_pmid(
    store: DuckDBStore, tmp_path: Path
) -> None:
    summary = _import(store, tmp_path, "pubmed.xml")[0]
    assert (summary["rows_read"], summary["quarantined"]) == (3, 1)
    assert summary["written"] == {"works": 2, "authorships": 5}
    tables = store.science_tables()
    works = tables["works"].set_index("work_key")
    first = works.loc["pmid:39000001"]
    assert first["doi"] == "10.5555/jir.2025.001"
    assert first["title"].startswith("Treat-to-target in early rheumatoid arthritis")
    assert list(first["mesh"]) == ["Arthritis, Rheumatoid", "Humans"]
    assert list(first["areas"]) == ["immunology"]
    assert first["published_on"].date().isoformat() == "2025-03-14"
    assert works.loc["pmid:39000002", "published_on"].date().isoformat() == "2024-11-01"
    assert list(works.loc["pmid:39000002", "areas"]) == ["neurology"]
    authors = tables["authorships"].sort_values(["work_key", "author_rank"])
    dubois = authors.iloc[0]
    assert dubois["author_key"] == "orcid:0000-0002-1825-0097"
    assert (dubois["position"], dubois["author_count"]) == ("first", 3)  # the group is no person
    # the e-mail in Okafor's affiliation is not the town
    assert authors.iloc[1]["author_key"] == "name:okafor|n|leeds"
    quarantine = Path(summary["quarantine_file"]).read_text("utf-8")
    assert "PMID not-a-number" in quarantine and "pubmed.xml" in quarantine


def test_nbib_joins_continuation_lines_and_rejects_a_record_without_authors(
    store: DuckDBStore, tmp_path: Path
) -> None:
    summary = _import(store, tmp_path, "medline.nbib")[0]
    assert (summary["rows_read"], summary["quarantined"]) == (2, 1)
    work = store.science_tables()["works"].iloc[0]
    assert work["title"].endswith("that continues on the next line.")
    assert work["doi"] == "10.5555/jir.2025.014"
    assert "Arthritis, Rheumatoid" in list(work["mesh"])
    assert list(work["pub_types"]) == ["Journal Article", "Randomized Controlled Trial"]
    keys = store.science_tables()["authorships"]["author_key"].tolist()
    assert keys == ["orcid:0000-0002-1825-0097", "name:okafor|n|leeds"]
    assert "medline.nbib,29,record: no named author" in Path(summary["quarantine_file"]).read_text(
        "utf-8"
    )


def test_openalex_works_meet_the_same_pubmed_article_and_authors_get_profiles(
    store: DuckDBStore, tmp_path: Path
) -> None:
    summaries = _import(store, tmp_path, "pubmed.xml", "openalex_works.json")
    assert summaries[1]["quarantined"] == 1  # the institution
    works = store.science_tables()["works"]
    # the OpenAlex record of PMID 39000001 replaced the PubMed one: one work, not two
    assert sorted(works["work_key"]) == ["openalex:W4390000009", "pmid:39000001", "pmid:39000002"]
    snapshot = _import(store, tmp_path, "openalex_snapshot.jsonl")[0]
    assert snapshot["written"] == {"works": 1, "authorships": 1, "author_profiles": 1}
    assert snapshot["quarantined"] == 1
    quarantine = Path(snapshot["quarantine_file"]).read_text("utf-8")
    assert "line 3" in quarantine and "not JSON" in quarantine
    profile = store.science_tables()["author_profiles"].iloc[0]
    assert (profile["author_key"], profile["h_index"]) == ("orcid:0000-0002-1825-0097", 18)
    areas = store.science_tables()["works"].set_index("work_key").loc["openalex:W4390000010"]
    assert list(areas["areas"]) == ["cardiology"]


def test_clinicaltrials_v2_reads_officials_and_rejects_a_study_without_nct(
    store: DuckDBStore, tmp_path: Path
) -> None:
    summary = _import(store, tmp_path, "studies.json")[0]
    assert (summary["rows_read"], summary["quarantined"]) == (2, 1)
    tables = store.science_tables()
    trial = tables["trials"].iloc[0]
    assert (trial["trial_id"], trial["phase"], trial["sponsor_class"]) == (
        "NCT09000001",
        "PHASE3",
        "OTHER",
    )
    assert list(trial["areas"]) == ["immunology"]
    officials = tables["trial_officials"].sort_values("author_rank")
    assert officials["official_key"].tolist() == ["name:dubois|c|bordeaux", "name:okafor|n|leeds"]
    assert officials["official_role"].tolist() == ["PRINCIPAL_INVESTIGATOR", "STUDY_CHAIR"]
    assert "studies[1]" in Path(summary["quarantine_file"]).read_text("utf-8")


def test_programme_reads_french_roles_and_day_first_dates(
    store: DuckDBStore, tmp_path: Path
) -> None:
    summary = _import(store, tmp_path, "programme.csv")[0]
    assert (summary["rows_read"], summary["quarantined"]) == (5, 2)
    roles = store.science_tables()["congress_roles"].sort_values("source_line")
    assert roles["congress_role"].tolist() == ["chair", "speaker", "poster"]
    assert roles["speaker_key"].tolist()[0] == "name:dubois|c|bordeaux"
    assert roles["held_on"].iloc[0].date().isoformat() == "2026-12-08"
    assert list(roles["areas"].iloc[0]) == ["immunology"]
    text = Path(summary["quarantine_file"]).read_text("utf-8")
    assert "Photographer" in text and "is not a full name" in text


def test_too_many_rejections_write_nothing(store: DuckDBStore, tmp_path: Path) -> None:
    with pytest.raises(RejectedRowsError, match="1 of 3 records were rejected"):
        _import(store, tmp_path, "pubmed.xml", tolerance="0")
    assert store.science_tables()["works"].empty


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("cut.xml", "<PubmedArticleSet>\n<PubmedArticle>\n<MedlineCitation>", r"cut\.xml line"),
        (
            "bomb.xml",
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<PubmedArticleSet>&a;'
            "</PubmedArticleSet>",
            "refused XML construct",
        ),
        ("bad.nbib", "PMID- 1\nTI  - ok\nthis is no tag\n", r"bad\.nbib line 3"),
        ("studies.json", '{"studies": [', r"studies\.json line 1: not valid JSON"),
        ("empty.json", '{"studies": []}', "no records"),
        (
            "programme.csv",
            "congress,role,affiliation\nX,chair,Y\n",
            r"programme\.csv line 1: a congress programme needs",
        ),
        ("notes.txt", "hello\n", "not a scientific file kolmap reads"),
    ],
)
def test_malformed_files_are_one_clear_error(
    store: DuckDBStore, tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = write(tmp_path, name, text)
    fmt = "congress-programme" if name == "programme.csv" else None
    with pytest.raises(InputError, match=message):
        import_science(store, [path], quarantine_dir=tmp_path / "q", fmt=fmt)
    assert all(frame.empty for frame in store.science_tables().values())


def test_names_and_places() -> None:
    assert person_name("DUBOIS Claire") == ("claire", "dubois")
    assert person_name("Prof. Dr. Jan van der Berg, FRCP") == ("jan", "van der berg")
    assert person_name("Cancer Centre") == ("cancer", "centre")
    assert person_name("Prince") is None
    assert place_of("Dept of Cardiology, Invented Hospital, Utrecht, Netherlands") == "utrecht"
    assert place_of("CHU de Bordeaux") == ""
    assert parse_date("2023 Winter").date().isoformat() == "2023-01-01"


def test_two_claire_dubois_stay_apart_and_the_true_match_merges(
    store: DuckDBStore, tmp_path: Path
) -> None:
    """A rheumatologist in Bordeaux (an X account, papers, a trial, a chair) and a
    neurologist in Rennes (a paper, a poster) share a name: never one person."""
    accounts = write(
        tmp_path,
        "accounts.csv",
        "platform,account_id,handle,display_name,bio,location\n"
        'x,501,drcdubois,Pr Claire Dubois,Rhumatologue au CHU de Bordeaux,"Bordeaux, France"\n'
        "x,502,claire_neuro,Claire Dubois,Neurologue. Sclérose en plaques.,Rennes\n",
    )
    ingest_files(store, accounts)
    _import(store, tmp_path, "pubmed.xml", "medline.nbib", "studies.json", "programme.csv")
    from kolmap.views.persons import identity_rows

    result = link_persons(identities_frame(identity_rows(store)))
    person = dict(zip(result.members["identity"], result.members["person_id"], strict=True))
    bordeaux = [
        "x:501",
        "author:orcid:0000-0002-1825-0097",
        "trial:name:dubois|c|bordeaux",
        "congress:name:dubois|c|bordeaux",
    ]
    rennes = ["x:502", "author:name:dubois|c|rennes", "congress:name:dubois|c|rennes"]
    assert len({person[i] for i in bordeaux}) == 1
    assert len({person[i] for i in rennes}) == 1
    assert person["x:501"] != person["x:502"]
    links = result.links.set_index(["identity_a", "identity_b"])
    # the namesakes' pairs are not even candidates (different towns and specialties)
    assert ("author:name:dubois|c|rennes", "x:501") not in links.index
    assert ("author:orcid:0000-0002-1825-0097", "x:502") not in links.index
    evidence = links.loc[("author:orcid:0000-0002-1825-0097", "x:501"), "evidence"]
    assert "town: Bordeaux" in evidence and "specialty: immunology" in evidence


def test_user_decisions_undo_a_merge_and_link_across_names(
    store: DuckDBStore, tmp_path: Path
) -> None:
    _import(store, tmp_path, "pubmed.xml", "studies.json")
    from kolmap.views.persons import person_links

    def same(a: str, b: str) -> bool:
        members = person_links(store).members
        person = dict(zip(members["identity"], members["person_id"], strict=True))
        return person[a] == person[b]

    orcid, trial = "author:orcid:0000-0002-1825-0097", "trial:name:dubois|c|bordeaux"
    assert same(orcid, trial)
    store.decide_persons([(trial, orcid)], "different", note="two people after all")
    assert not same(orcid, trial)
    # a user can join what no evidence would: Okafor's author and the Rennes Dubois
    other = "author:name:le goff|y|rennes"
    store.decide_persons([(other, "author:name:dubois|c|rennes")], "same")
    assert same(other, "author:name:dubois|c|rennes")
    decisions = store.science_tables()["person_decisions"]
    assert set(decisions["decision"]) == {"same", "different"}
    assert json.loads(store.audit_log("person-decision")["facts"].iloc[0])["pairs"] == 1


def test_a_store_from_before_the_science_tables_reads_as_empty_without_being_changed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.duckdb"
    with DuckDBStore(path) as store:
        for table in ("works", "authorships", "person_decisions"):
            store.db.execute(f"DROP TABLE {table}")
        store.db.execute("DELETE FROM meta WHERE key = 'schema_sql'")
    before = path.read_bytes()
    with DuckDBStore(path, read_only=True) as store:
        tables = store.science_tables()
        assert tables["works"].empty and next(iter(tables["works"].columns)) == "work_key"
    assert path.read_bytes() == before
    with DuckDBStore(path) as store:  # the next write declares them
        assert store.science_tables()["person_decisions"].empty


def test_the_samples_scientific_files_are_what_the_generator_makes(tmp_path: Path) -> None:
    from kolmap.data.worlds.science import write_science_world

    samples = Path(__file__).resolve().parent.parent / "data" / "samples"
    write_science_world(samples, tmp_path)
    committed = samples / "science"
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    for name in made:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


def test_a_shared_institution_word_is_evidence_and_a_name_alone_is_not() -> None:
    rows = [
        {"identity": "x:1", "kind": "account", "name": "Yann Le Goff", "platform": "x",
         "text": "Neurologue au CHU Pontchaillou. Avis personnels."},
        {"identity": "author:name:le goff|y|rennes", "kind": "author", "name": "Yann Le Goff",
         "place": "Département de neurologie, CHU Pontchaillou, Rennes, France."},
        {"identity": "author:name:le goff|y|brest", "kind": "author", "name": "Yann Le Goff",
         "place": "Service de pneumologie, CHU Cavale Blanche, Brest, France."},
        *({"identity": f"author:other{i}", "kind": "author", "name": f"Ana Roy{i}x",
           "place": f"Service de neurologie, Hôpital Nord, Ville{i}, France."} for i in range(40)),
    ]  # fmt: skip
    result = link_persons(identities_frame(rows))
    links = result.links.set_index(["identity_a", "identity_b"])
    found = links.loc[("author:name:le goff|y|rennes", "x:1")]
    assert found["status"] == "merged"
    assert "institution: Pontchaillou" in found["evidence"]
    assert "specialty: neurology" in found["evidence"]
    # the Brest namesake: another specialty; never a candidate
    assert ("author:name:le goff|y|brest", "x:1") not in links.index
