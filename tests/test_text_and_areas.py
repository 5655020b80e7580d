import re
from pathlib import Path

import pytest

from kolmap.errors import ConfigError
from kolmap.ingest.areas import REQUIRED_AREAS, load_taxonomy
from kolmap.ingest.formats.column_maps import load_profiles
from kolmap.ingest.text import extract_hashtags, extract_mentions, fold
from kolmap.settings import load_settings


def test_mentions_keep_order_dedupe_case_and_skip_emails():
    text = "@Alice merci ! cc @bob_2, @ALICE et dr@hospital.fr. Vu @carol.bsky.social."
    assert extract_mentions(text) == ["Alice", "bob_2", "carol.bsky.social"]


def test_hashtags_skip_numbers_and_html_entities():
    assert extract_hashtags("#ASCO26 #1 &#39; #Diabète #diabete") == ["ASCO26", "Diabète"]


def test_a_tag_or_handle_cut_by_the_platform_is_neither():
    """A retweet of a long tweet comes cut short with "…" (Topsy, the classic API), often
    inside its last hashtag or handle: fragments such as "cel" were hashtags of a real file."""
    text = "RT @Diet_Doc: gluten free kids #celiac #gf #cel\u2026"
    assert extract_hashtags(text) == ["celiac", "gf"]
    assert extract_mentions("thanks @alice and @jane_r\u2026 https://t.co/Ab12") == ["alice"]
    # Only at the end: an ellipsis inside the text is punctuation.
    middle = "not the end #celiac\u2026 more @bob\u2026 words"
    assert extract_hashtags(middle) == ["celiac"] and extract_mentions(middle) == ["bob"]


def test_fold_makes_fr_and_en_comparable():
    assert fold("Cœur ÉPILEPSIE") == "coeur epilepsie"


def test_fold_expands_ligatures_that_decomposition_or_lower_casing_reveal():
    # Ǽ decomposes to Æ and an acute accent (found by the idempotence property test); ẞ
    # lower-cases to ß. Folding must give the same text when applied twice.
    assert fold("Ǽ") == "ae" == fold(fold("Ǽ"))
    assert fold("ẞ") == "ss" == fold(fold("ẞ"))


def test_taxonomy_has_every_required_area():
    tax = load_taxonomy()
    assert set(REQUIRED_AREAS) <= set(tax.ids)


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Nouvelle étude : cancer du sein métastatique", "oncology"),
        ("Breast cancers in young women", "oncology"),
        ("Vivre avec le diabète de type 1", "diabetes"),
        ("La sclérose en plaques au quotidien", "neurology"),
        ("Heart failure guidelines updated", "cardiology"),
        ("Leucémie aiguë : nouvelles options", "hematology"),
        ("Mucoviscidose et asthme sévère", "respiratory"),
        ("Vaccination against influenza", "infectious-disease"),
        ("Santé mentale des soignants", "mental-health"),
        ("Journée des maladies rares", "rare-disease"),
        ("Psoriasis and atopic dermatitis", "dermatology"),
        ("Maladie de Crohn et MICI", "gastroenterology"),
        ("Polyarthrite rhumatoïde", "immunology"),
    ],
)
def test_keywords_tag_fr_and_en_text(text, area):
    assert area in load_taxonomy().tag_text(text)


def test_a_discipline_across_areas_is_not_an_area():
    """Epidemiology and public health work across every area: their words tagged every post of
    an epidemiology congress as infectious disease (27% of the real SER files)."""
    tax = load_taxonomy()
    assert tax.tag_text("Causal inference in epidemiology: a new épidémiologie course") == {}
    assert tax.tag_hashtags(["EpiTwitter", "PublicHealth"]) == {}
    assert tax.specialty_of("Cardiovascular epidemiologist, PhD") is None
    assert "infectious-disease" in tax.tag_text("An outbreak of cholera, and the vaccine")


def test_words_inside_other_words_do_not_match():
    assert load_taxonomy().tag_text("cancerous? no: precancerousness and tumorigenic") == {}


@pytest.mark.parametrize(
    ("tag", "area"),
    [
        ("BCSM", "oncology"),
        ("T1D", "diabetes"),
        ("SEP", "neurology"),
        ("ASCO26", "oncology"),
        ("ESMO26", "oncology"),
        ("ADA2026", "diabetes"),
        ("ECTRIMS2026", "neurology"),
        ("esc2026", "cardiology"),
    ],
)
def test_disease_and_congress_hashtags(tag, area):
    tax = load_taxonomy()
    assert area in tax.tag_hashtags([tag])


@pytest.mark.parametrize(
    ("tag", "areas"),
    [
        ("WorldCancerDay", {"oncology"}),
        ("PancreaticCancer", {"oncology"}),
        ("cancer_survivors", {"oncology"}),
        ("DeleteBloodCancer", {"hematology"}),  # the longest stem after a qualifier
        ("MultipleMyelomaAwareness", {"hematology"}),
        ("CeliacAwareness", {"gastroenterology"}),
        ("CrohnsDisease", {"gastroenterology"}),
        ("FoodAllergies", {"immunology"}),
        ("T1Diabetes", {"diabetes"}),
        ("StopTB", {"infectious-disease"}),
        ("hncsm", {"oncology"}),
        ("ALS", {"neurology"}),
        # Look-alikes: short abbreviations take no affix, a head needs its whole word.
        ("docs", set()),
        ("doclife", set()),
        ("HIVs", set()),
        ("EnvironmentalHealth", set()),
        ("backstroke", set()),
        ("cancerous", set()),
    ],
)
def test_disease_hashtags_with_campaign_words_and_qualifiers(tag, areas):
    assert set(load_taxonomy().tag_hashtags([tag])) == areas


def test_text_keywords_leave_out_words_other_languages_use():
    """German "als", a first name, a surname, roofs: hashtags only."""
    tax = load_taxonomy()
    assert tax.tag_text("Mehr als Gerd Hashimoto über shingles") == {}
    assert set(tax.tag_hashtags(["ALS", "GERD", "Hashimoto", "Shingles"])) == {
        "neurology", "gastroenterology", "diabetes", "dermatology", "infectious-disease"
    }  # fmt: skip


def test_congress_detection():
    tax = load_taxonomy()
    assert tax.is_congress_hashtag("ASCO2026")
    assert not tax.is_congress_hashtag("ASCOT")


def test_user_extension_adds_keywords_and_areas(tmp_path: Path):
    extra = tmp_path / "extra.toml"
    extra.write_text(
        """
[areas.oncology]
keywords = ["onco-pédiatrie"]
[areas.ophthalmology]
name = "Ophthalmology"
keywords = ["glaucome", "glaucoma"]
hashtags = ["glaucoma"]
""",
        "utf-8",
    )
    tax = load_taxonomy(extra)
    assert "ophthalmology" in tax.tag_text("Le glaucome, cette maladie silencieuse")
    assert "oncology" in tax.tag_text("Service d'onco-pédiatrie")
    assert "oncology" in tax.tag_text("cancer")  # the built-in words are still there


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[areas.Bad_Id]\nname='x'", "must be lower-case"),
        ("[areas.x1]\nkeywords='cancer'", "must be a list of strings"),
        ("[areas.x1]\nkeyword=['a']", "unknown keys"),
        ("areas = 3", r"expected an \[areas"),
        ("[areas.x1", "not a valid TOML taxonomy"),
        # An empty keyword tagged every post on the row reader and crashed the bulk one.
        ("[areas.x1]\nkeywords=['cancer', '']", r"keywords: entry 2 is empty"),
        ("[areas.x1]\nhashtags=['#']", r"hashtags: entry 1 is empty"),
        ("[areas.x1]\nspecialty_shorthand=['gi doc']", r"specialty_shorthand must map"),
        ("[areas.x1]\nspecialty_shorthand={'gi doc' = ''}", r"specialty_shorthand must map"),
    ],
)
def test_bad_taxonomy_files_are_refused_with_the_reason(tmp_path: Path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_taxonomy(path)


def test_missing_taxonomy_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        load_taxonomy(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("load", "what"),
    [(load_settings, "config"), (load_taxonomy, "taxonomy"), (load_profiles, "column maps")],
)
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "{what} file not found"),
        (b"[areas\n", "not a valid TOML {what}"),
        ("name = 'Médecine'\n".encode("latin-1"), "not a valid TOML {what}"),
    ],
)
def test_every_user_toml_file_fails_with_its_name_and_kind(
    tmp_path: Path, load, what, content, message
):
    path = tmp_path / "user.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError, match=re.escape(f"{path}: {message.format(what=what)}")):
        load(path)


def test_a_handle_run_on_by_another_script_is_nobodys_mention():
    """ "@DRMARTİN" (a Turkish dotted capital I) was cut at the İ and credited to @DRMART, and
    a 120-character run to its first 100 characters; both routes now agree that they are
    no mention at all (tests/test_bulk_csv.py compares the SQL route on the same text)."""
    from kolmap.ingest.text import extract_mentions

    text = "@DRMARTİN thanks @DrMartin @drmartinéz @" + "h" * 120 + " @ok_1."
    assert extract_mentions(text) == ["DrMartin", "ok_1"]


def test_a_specialtys_shorthand_is_shown_by_the_specialtys_name(tmp_path: Path):
    """ "Gastro doc" and "GI doc" were the specialty shown and filtered beside
    "gastroenterologist" on the Leaderboard of a real #Celiac file: one specialty, three
    names. A shorthand gives the area and the specialty's name; a user's file adds its own,
    and the taxonomy's digest (behind stored text roles) changes with it."""
    builtin = load_taxonomy()
    assert builtin.specialty_of("GI doc | runner") == ("gastroenterology", "gastroenterologist")
    assert builtin.specialty_of("Gastro doc") == ("gastroenterology", "gastroenterologist")
    assert builtin.specialty_of("Gastroentérologue") == ("gastroenterology", "gastroenterologue")
    extra = tmp_path / "extra.toml"
    extra.write_text('[areas.cardiology]\nspecialty_shorthand = { "heart doc" = "cardiologist" }')
    mine = load_taxonomy(extra)
    assert mine.specialty_of("Heart doc, dad") == ("cardiology", "cardiologist")
    assert mine.specialty_of("GI doc") == ("gastroenterology", "gastroenterologist")
    assert mine.digest != builtin.digest
