"""The Persons & science page and the profile's scientific record, under AppTest on a real
store: the quadrant with its groups and downloads, the scientific ranking, the review queue
(a decision recorded and applied), and the record beside the social one."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("streamlit")

from kolmap.ingest.science.load import import_science

from . import test_ui
from .test_ui import add_accounts, open_page, opened

app_store = test_ui.app_store  # the app's store fixture: a copy of the sample

SCIENCE = Path(__file__).parent / "data" / "science"


def _with_science(app_store: Path, tmp_path: Path) -> None:
    add_accounts(
        app_store,
        tmp_path,
        "bio,location\n"
        'x,9001,drcdubois,Pr Claire Dubois,Rhumatologue au CHU de Bordeaux,"Bordeaux, France"\n'
        "x,9002,nokafor,Ngozi Okafor,Rheumatologist,Leeds\n",
    )
    with opened(app_store) as store:
        files = [SCIENCE / n for n in ("pubmed.xml", "medline.nbib", "studies.json",
                                        "programme.csv")]  # fmt: skip
        import_science(store, files, quarantine_dir=tmp_path / "q", tolerance="100%")


def test_persons_page_quadrant_ranking_and_review(app_store, tmp_path):
    _with_science(app_store, tmp_path)
    at = open_page("persons")
    at.selectbox(key="persons_area").set_value("immunology").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("vega_lite_chart")  # the quadrant
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {"Complete leaders", "Scientific leaders offline",
                            "Digital-only voices", "Emerging"}  # fmt: skip
    ranking = next(d.value for d in at.dataframe if "n_works" in d.value.columns)
    assert ranking.iloc[0]["name"].startswith(("Claire", "Pr Claire"))
    assert "publication" in ranking.iloc[0]["reasons"]
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download XLSX"]
    # The merged Bordeaux identities can be pulled apart, and the decision is kept.
    links = at.selectbox(key="persons_link")
    pick = next(o for o in links.options if "trial:name:dubois|c|bordeaux" in o and "orcid" in o)
    links.set_value(pick).run()
    at.text_input(key="persons_note").set_value("registry check").run()
    at.button(key="persons_different").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with opened(app_store) as store:
        decisions = store.science_tables()["person_decisions"]
    assert decisions[["decision", "note"]].values.tolist() == [["different", "registry check"]]


def test_persons_page_draws_no_quadrant_without_a_scientific_record(app_store):
    """Without any publication, trial or congress role everyone sat at 0 on the science axis,
    under the threshold line, counted as digital-only voices (browser check on a real store)."""
    at = open_page("persons")
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value for i in at.info if "scientific record" in i.value] == [
        next(i.value for i in at.info if i.value.startswith("No scientific record yet"))
    ]  # said once
    assert not at.metric  # no group counts
    assert not at.get("vega_lite_chart")  # the quadrant is the page's only chart


def test_persons_page_draws_no_quadrant_for_an_area_without_a_scientific_record(
    app_store, tmp_path
):
    _with_science(app_store, tmp_path)  # rheumatology papers and trials: none in oncology
    at = open_page("persons")
    at.selectbox(key="persons_area").set_value("oncology").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("no science axis" in i.value for i in at.info)
    assert not at.metric and not at.get("vega_lite_chart")


def test_profile_shows_the_scientific_record(app_store, tmp_path):
    _with_science(app_store, tmp_path)
    at = open_page("profile")
    at.text_input(key="profile_search").set_value("drcdubois").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Scientific record" in [h.value for h in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Publications"], metrics["Trials"], metrics["Congress roles"]) == (
        "2",
        "1",
        "1",
    )
    titles = next(d.value for d in at.dataframe if "journal" in d.value.columns)["title"]
    assert titles.str.contains("rheumatoid arthritis", case=False).all()


def test_persons_page_keeps_its_area_in_the_address(app_store, tmp_path):
    """Every page with an area read it from the address (?area=…) but this one, so a link
    or a reload opened it on all data."""
    from streamlit.testing.v1 import AppTest

    _with_science(app_store, tmp_path)  # without any record the page stops at saying so

    at = AppTest.from_file(test_ui.APP, default_timeout=120)
    at.query_params["area"] = "oncology"
    at.run()
    at.switch_page("app_pages/persons.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="persons_area").value == "oncology"
    at.selectbox(key="persons_area").set_value("cardiology").run()
    assert at.query_params["area"] in ("cardiology", ["cardiology"])
    at.selectbox(key="persons_area").set_value("").run()
    assert "area" not in at.query_params  # all data, the default, is left out


def test_profile_and_persons_place_an_account_by_the_same_quadrant_rule(app_store):
    """The sample's pr_céline_lur (synthetic) in oncology: KOL 27.2 and DOL 85.8 on the
    Leaderboard, i.e. 28 and 87 with the area's best at 100. Profile called it "KOL and DOL"
    (both above the area's medians, 10.6 and 15.4) while Persons & science, high from 33, did
    not count it high on KOL; both now use scoring.science.is_high."""
    from kolmap.scoring.science import is_high
    from kolmap.views.persons import quadrant_table

    with opened(app_store) as store:
        persons = quadrant_table(store, "oncology")
    mine = persons[persons["name"].str.contains("@pr_céline_lur on x", regex=False)]
    assert len(mine) == 1
    kol_100, dol_100 = float(mine["kol_score"].iloc[0]), float(mine["dol_score"].iloc[0])
    assert not is_high(kol_100, 33) and is_high(dol_100, 33)
    at = open_page("profile")
    at.text_input(key="profile_search").set_value("pr_céline_lur").run()
    at.selectbox(key="profile_area").set_value("oncology").run()
    assert not at.exception, [e.value for e in at.exception]
    quadrant = next(m for m in at.metric if m.label == "Quadrant")
    assert quadrant.value == "DOL"
    assert f"KOL {kol_100:.1f} and DOL {dol_100:.1f}" in quadrant.help


def test_the_persons_quadrant_table_says_its_scores_are_rescaled(app_store, tmp_path):
    """Persons & science rescales the KOL and DOL scores so the area's best is 100, under the
    Leaderboard's column names: the same person read 94.9 there and 100 here."""
    import json

    _with_science(app_store, tmp_path)
    at = open_page("persons")  # all data: the science record and the sample's KOLs
    assert not at.exception, [e.value for e in at.exception]
    table = next(d for d in at.dataframe if "digital_score" in d.value.columns)
    assert table.value["kol_score"].max() == 100.0
    labels = {name: c.get("label") for name, c in json.loads(table.proto.columns).items()}
    for column, axis in (("kol_score", "KOL"), ("dol_score", "DOL"), ("science_score", "Science")):
        assert labels.get(column) == f"{axis} (area best = 100)", labels


def test_a_researchers_missing_dol_score_is_blank_in_the_persons_table(app_store, tmp_path):
    """A researcher has no DOL score (DOL lists hold HCPs): the quadrant's table drew it as
    Streamlit's grey "None" (browser check on a real congress file)."""
    _with_science(app_store, tmp_path)
    at = open_page("persons")
    assert not at.exception, [e.value for e in at.exception]
    table = next(d for d in at.dataframe if "digital_score" in d.value.columns)
    assert table.value["dol_score"].isna().any()  # the sample's researchers
    assert test_ui.missing_shown_as(table) == ""
