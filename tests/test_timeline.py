"""Congresses and time on the bundled sample with its timeline overlay (data/worlds/
timeline.py): the newcomer is the top rising star, brand shares are the planted ones within
a point, rankings compared between windows, the congress registry and report, and the
overlay's files are what its generator makes. The real SER files are in
test_realdata_congress.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kolmap.data.worlds.timeline import write_timeline
from kolmap.errors import ConfigError
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.congresses import load_registry
from kolmap.ingest.pipeline import ingest_paths

from .conftest import run, write

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
TRUTH = json.loads((SAMPLES / "timeline" / "truth.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("timeline")
    path = folder / "s.duckdb"
    with DuckDBStore(path) as store:
        ingest_paths(
            store,
            [SAMPLES / "canonical", SAMPLES / "timeline" / "canonical"],
            quarantine_dir=folder / "q",
        )
    return path


def test_the_overlay_is_what_its_generator_makes(tmp_path: Path) -> None:
    write_timeline(SAMPLES, tmp_path)
    for name in ("brands.csv", "truth.json", "canonical/accounts.csv", "canonical/posts.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLES / "timeline" / name).read_bytes(), name


def test_the_newcomer_is_the_top_rising_star(runner, store_path: Path) -> None:
    (earlier_from, earlier_to), (later_from, later_to) = (
        TRUTH["windows"]["earlier"],
        TRUTH["windows"]["later"],
    )
    out = run(
        runner,
        "rising",
        "--area",
        "oncology",
        "--since",
        later_from,
        "--until",
        later_to,
        "--compare-since",
        earlier_from,
        "--compare-until",
        earlier_to,
        "--format",
        "json",
        "--store",
        str(store_path),
    )
    stars = json.loads(out.stdout)
    assert f"{stars[0]['platform']}:{stars[0]['account_id']}" == TRUTH["newcomer"]
    assert stars[0]["reasons"].startswith("new:")
    # The rule keeps small counts out: every star has the minimum of endorsers.
    assert all(s["n_endorsers"] >= 5 for s in stars)


def test_rising_without_windows_parts_them_at_the_median_post(runner, store_path: Path) -> None:
    """`kolmap rising --area oncology` stopped with "give the earlier window"; the app's
    Trends page parts the windows at the area's median post, and so does the command now."""
    from kolmap.scoring.timeline import post_days

    with DuckDBStore(store_path, read_only=True) as store:
        days = post_days(store.posts(Scope(area="oncology"))["created_at"])
    assert days is not None and days[0] < days[1] < days[2]
    day = days[1]
    out = run(runner, "rising", "--area", "oncology", "--store", str(store_path))
    text = " ".join(out.output.split())
    assert f"earlier window: to {day:%Y-%m-%d}; later: from " in text
    stars = run(runner, "rising", "--area", "oncology", "--since", TRUTH["windows"]["later"][0],
                "--format", "json", "--store", str(store_path))  # fmt: skip
    assert f"earlier window: before {TRUTH['windows']['later'][0][:10]}" in stars.output
    assert json.loads(stars.stdout)[0]["reasons"]
    strict = store_path.parent / "strict.toml"
    strict.write_text("[scoring]\nrising_min_endorsers = 100000\n", "utf-8")
    none = run(runner, "--config", str(strict), "rising", "--area", "oncology",
               "--store", str(store_path))  # fmt: skip
    assert "has the 100000 endorsers a rising star needs" in " ".join(none.output.split())
    empty = run(runner, "rising", "--area", "dermatology", "--store", str(store_path), code=2)
    assert "has no dated post to part windows at" in empty.output


def test_rankings_compare_two_windows(runner, store_path: Path) -> None:
    out = run(
        runner,
        "rank",
        "--area",
        "oncology",
        "--since",
        "2026-06-01",
        "--compare-until",
        "2026-06-01",
        "--top",
        "10",
        "--format",
        "json",
        "--store",
        str(store_path),
    )
    rows = json.loads(out.stdout)
    newcomer = [r for r in rows if f"{r['platform']}:{r['account_id']}" == TRUTH["newcomer"]]
    assert newcomer and newcomer[0]["movement"] == "new"
    moved = [r for r in rows if r["movement"] != "new"]
    for r in moved:
        assert r["rank_change"] == r["previous_rank"] - r["rank"]
        assert abs(r["score_change"] - (r["score"] - r["previous_score"])) < 0.01
    out = run(
        runner,
        "export",
        "--area",
        "oncology",
        "--since",
        "2026-06-01",
        "--compare-until",
        "2026-06-01",
        "--format",
        "csv",
        "--out",
        "c.csv",
        "--store",
        str(store_path),
    )
    header = Path("c.csv").read_text("utf-8-sig").splitlines()[0]
    assert "rank_change" in header and "score_change" in header


def test_share_of_voice_recovers_the_planted_shares(runner, store_path: Path) -> None:
    out = run(
        runner,
        "share-of-voice",
        "--brands",
        str(SAMPLES / "timeline" / "brands.csv"),
        "--period",
        "all",
        "--format",
        "csv",
        "--store",
        str(store_path),
    )
    rows = list(csv.DictReader(io.StringIO(out.stdout.lstrip("\ufeff"))))
    found = {(r["area"], r["brand"]): r for r in rows}
    for area, brands in TRUTH["shares"].items():
        for brand, planted in brands.items():
            row = found[(area, brand)]
            assert abs(float(row["share"]) - planted["share"]) <= 1.0, (area, brand)
            assert int(row["mentions"]) == planted["mentions"]
            # The HCP share rests on inferred roles (10% of the sample's HCPs give no title).
            assert abs(float(row["hcp_share"]) - planted["hcp_share"]) <= 10.0, (area, brand)
    monthly = run(
        runner,
        "share-of-voice",
        "--brands",
        str(SAMPLES / "timeline" / "brands.csv"),
        "--area",
        "oncology",
        "--format",
        "json",
        "--store",
        str(store_path),
    )
    periods = {r["period"] for r in json.loads(monthly.stdout)}
    assert len(periods) >= 6 and all(p.startswith("2026-") for p in periods)
    drivers = run(
        runner,
        "share-of-voice",
        "--brands",
        str(SAMPLES / "timeline" / "brands.csv"),
        "--area",
        "oncology",
        "--drivers",
        "--format",
        "json",
        "--store",
        str(store_path),
    )
    table = json.loads(drivers.stdout)
    patients = [d for d in table if d["role"] == "patient"]
    assert patients and all(d["handle"].startswith("anon-") for d in patients)
    bad = write(Path("."), "brands.csv", "brand,company,aliases\nOnkavir,A,\nonkavir,B,\n")
    out = run(runner, "share-of-voice", "--brands", str(bad), "--store", str(store_path), code=1)
    assert "line 3" in out.output and "already on line 2" in out.output


def test_congress_report_on_the_sample(runner, store_path: Path) -> None:
    out = run(runner, "congress", "ASCO26", "--store", str(store_path))
    assert "ASCO Annual Meeting 2026: 2026-05-29 to 2026-06-02 (registry dates)" in out.stdout
    summary = json.loads(
        run(
            runner,
            "congress",
            "asco",
            "--table",
            "summary",
            "--format",
            "json",
            "--store",
            str(store_path),
        ).stdout
    )
    phases = {r["phase"]: r for r in summary}
    during_per_day = phases["during"]["posts"] / 5
    assert during_per_day > 3 * phases["before"]["posts"] / 14  # the congress peaks on its days
    drivers = json.loads(
        run(
            runner,
            "congress",
            "asco",
            "--table",
            "drivers",
            "--format",
            "json",
            "--store",
            str(store_path),
        ).stdout
    )
    assert not [d for d in drivers if d["role"] in ("brand", "media")]
    everyone = json.loads(
        run(
            runner,
            "congress",
            "asco",
            "--all-voices",
            "--table",
            "authors",
            "--format",
            "json",
            "--store",
            str(store_path),
        ).stdout
    )
    assert any(a["role"] == "brand" for a in everyone)
    out = run(runner, "congress", "asco", "--out", "asco.gexf", "--store", str(store_path))
    assert "wrote asco.gexf" in out.stdout and Path("asco.gexf").stat().st_size > 1000
    out = run(
        runner,
        "congress",
        "asco",
        "--table",
        "volume",
        "--out",
        "v.xlsx",
        "--store",
        str(store_path),
    )
    assert "wrote v.xlsx" in out.stdout
    out = run(runner, "congress", "nosuchcongress", "--store", str(store_path), code=1)
    assert "no congress 'nosuchcongress' in the registry" in out.output


def test_the_registry_can_be_completed_by_a_user_file(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "mine.toml",
        """
[congresses.asco]
editions = [{ year = 2027, start = 2027-06-04, end = 2027-06-08, city = "Chicago" }]
[congresses.jfr]
name = "Journées Francophones de Radiologie"
hashtags = ["JFR"]
areas = ["oncology"]
""",
    )
    registry = load_registry(extra)
    assert registry.find("asco26").edition(2026).city == "Chicago"  # built-in kept
    assert str(registry.find("ASCO").edition(2027).start) == "2027-06-04"
    assert registry.find("#JFR2026").name == "Journées Francophones de Radiologie"
    from kolmap.ingest.areas import load_taxonomy

    assert "oncology" in load_taxonomy(congresses=extra).tag_hashtags(["JFR2026"])
    bad = write(
        tmp_path, "bad.toml", "[congresses.x]\neditions = [{ year = 2026, start = 2026-02-01 }]\n"
    )
    with pytest.raises(ConfigError, match="start and end"):
        load_registry(bad)
