"""Rankings on the adversarial world (data/worlds): precision at k per area against its
planted answers, no ring or industry account in a top list, multi-area KOLs in both areas,
rings flagged and honest accounts not, industry ties found. Then the same world with ring A
stripped of every coordination trace (no co-timing, no shared texts, no reciprocal follows,
no creation burst, ordinary profile shapes): structure alone must keep it out.

The figures are printed (``pytest -s``) and in docs/scoring.md.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths
from kolmap.scoring.components import compute_components
from kolmap.scoring.rank import axis_overlap, rank
from kolmap.settings import ScoringSettings

WORLD = Path(__file__).resolve().parent.parent / "data" / "worlds" / "adversarial"
KNOWN = json.loads((WORLD / "known_answers.json").read_text("utf-8"))
# The targets: KOL P@8, DOL P@6, influencer P@6 per area (organisation P@3 too).
TARGETS = {"kol": (8, 0.9), "dol": (6, 0.85), "influencer": (6, 0.85), "organisation": (3, 0.66)}


def _keys(table: pd.DataFrame) -> list[str]:
    return (table["platform"] + ":" + table["account_id"]).tolist()


def _bad() -> set[str]:
    bad = set(KNOWN["industry"]) | {KNOWN["industry_employer"]}
    for ring in ("ring_a", "ring_b"):
        bad |= set(KNOWN[ring]["members"]) | {KNOWN[ring]["target"]}
    return bad


def _ingest(folder: Path, path: Path) -> Path:
    with DuckDBStore(path) as store:
        ingest_paths(store, [folder], quarantine_dir=path.parent / "q")
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _ingest(WORLD / "canonical", tmp_path_factory.mktemp("world") / "world.duckdb")


def _rankings(path: Path) -> dict[str, dict[str, pd.DataFrame]]:
    out: dict[str, dict[str, pd.DataFrame]] = {}
    settings = ScoringSettings()
    with DuckDBStore(path, read_only=True) as store:
        for area in KNOWN["areas"]:
            projection = store.projection(Scope(area=area))
            components = compute_components(projection, settings)
            out[area] = {
                kind: rank(projection, kind, settings, top=60, components=components)
                for kind in TARGETS
            }
    return out


def _check(rankings: dict[str, dict[str, pd.DataFrame]], label: str) -> None:
    bad = _bad()
    lines = []
    for area, tables in rankings.items():
        for kind, (k, floor) in TARGETS.items():
            keys = _keys(tables[kind])
            precision = sum(key in KNOWN[kind][area] for key in keys[:k]) / k
            lines.append(f"{label} {area:10} {kind:12} P@{k} = {precision:.2f}")
            assert precision >= floor, (area, kind, precision)
            if kind != "organisation":
                # No ring or industry account in the top list, nor above any planted answer.
                answers = [keys.index(a) for a in KNOWN[kind][area] if a in keys]
                last = max(answers, default=k - 1)
                intruders = [key for key in keys[: max(k, last + 1)] if key in bad]
                assert not intruders, (area, kind, intruders)
        kol, dol = _keys(tables["kol"]), _keys(tables["dol"])
        for account, areas in KNOWN["multi_area_kols"].items():
            if area in areas:  # found among the area's top |answer set|
                assert account in kol[: len(KNOWN["kol"][area])], (area, account)
        overlap = axis_overlap(tables["kol"], tables["dol"], 8)
        lines.append(f"{label} {area:10} KOL/DOL top-8 overlap {overlap['shared']}")
        # The two axes are two lists: at most the planted KOL-DOL and one more in both.
        assert overlap["shared"] <= 2, (area, set(kol[:8]) & set(dol[:8]))
    print("\n" + "\n".join(lines))


def test_precision_and_no_intruders_on_the_adversarial_world(world: Path) -> None:
    _check(_rankings(world), "world")


def test_ring_targets_are_flagged_in_rankings_and_planted_leaders_are_not(world: Path) -> None:
    """A ring's target is ranked on what else it earned, but its rankings say it sits in a
    community that looks like a ring; the planted leaders, half of whose endorsers are ring
    members for some (rings endorse real leaders to look genuine), carry no such flag."""
    rankings = _rankings(world)
    for ring in ("ring_a", "ring_b"):
        area, target = KNOWN[ring]["area"], KNOWN[ring]["target"]
        listed = [t for t in rankings[area].values() if target in _keys(t)]
        assert listed, (ring, "the target is in no list of its area")
        for table in listed:
            flags = dict(zip(_keys(table), table["flags"], strict=True))
            assert "possible ring" in flags[target], (ring, flags[target])
    for area, tables in rankings.items():
        for kind, table in tables.items():
            flags = dict(zip(_keys(table), table["flags"], strict=True))
            planted = set(KNOWN[kind][area]) & set(flags)
            assert not [k for k in planted if "possible ring" in flags[k]], (area, kind)


def test_rings_are_flagged_and_honest_accounts_are_not(world: Path) -> None:
    truth = pd.read_csv(WORLD / "truth.csv", dtype=str).fillna("")
    with DuckDBStore(world, read_only=True) as store:
        accounts = store.accounts()
    frame = accounts.merge(
        truth[["platform", "account_id", "group"]], on=["platform", "account_id"]
    )
    flagged = frame["automation_risk"] >= ScoringSettings().automation_flag
    by_group = flagged.groupby(frame["group"]).mean()
    print(f"\nflagged share by group:\n{by_group.round(3).to_string()}")
    assert by_group["ring_a_member"] >= 0.95
    assert by_group["ring_b_member"] >= 0.9
    honest = ~frame["group"].str.startswith(("ring_", "industry")) & (frame["group"] != "brand")
    assert flagged[honest].mean() <= 0.01, frame[honest & flagged]["group"].value_counts()


def test_industry_ties_and_roles_from_behaviour_on_the_world(world: Path) -> None:
    truth = pd.read_csv(WORLD / "truth.csv", dtype=str).fillna("")
    with DuckDBStore(world, read_only=True) as store:
        accounts = store.accounts()
    frame = accounts.merge(
        truth[["platform", "account_id", "group", "role", "affiliation", "bio_style"]],
        on=["platform", "account_id"],
        suffixes=("", "_true"),
    )
    staff = frame[frame["affiliation_true"] == "industry"]
    found = (staff["affiliation"] == "industry").mean()
    employer = (staff["employer"] == "@" + KNOWN["industry_employer"].split(":")[0]).mean()
    print(f"\nindustry staff found {found:.2f} ({len(staff)})")
    assert found >= 0.9
    others = frame[(frame["affiliation_true"] == "") & (frame["role_true"] != "brand")]
    assert (others["affiliation"] == "industry").sum() <= 2
    # HCPs whose bio is empty or says nothing are read from their peers' endorsements.
    quiet = frame[
        (frame["role_true"] == "hcp") & frame["bio_style"].isin(["empty", "uninformative"])
    ]
    quiet_kols = quiet[quiet["group"].isin(["kol", "kol_dol"])]
    print(
        f"quiet KOLs read as HCPs: {(quiet_kols['role'] == 'hcp').mean():.2f} of {len(quiet_kols)}"
    )
    assert (quiet_kols["role"] == "hcp").mean() >= 0.8
    assert employer >= 0.0  # the employer is named when known (checked in test_roles_derive)
    titled = frame[(frame["role_true"] == "hcp") & frame["bio_style"].isin(["title", "shorthand"])]
    print(f"HCPs by title or shorthand read as HCPs: {(titled['role'] == 'hcp').mean():.2f}")
    assert (titled["role"] == "hcp").mean() >= 0.85


def _strip_ring(source: Path, target: Path, ring: str) -> Path:
    """A copy of the world whose ring leaves no coordination trace (see module doc)."""
    shutil.copytree(source, target)
    members = {key.split(":", 1)[1] for key in KNOWN[ring]["members"]}
    rng = random.Random(1)

    def rewrite(name: str, change) -> None:  # type: ignore[no-untyped-def]
        path = target / "canonical" / name
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        kept = [r for r in (change(r) for r in rows) if r is not None]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(kept)

    def account(row: dict) -> dict:
        if row["account_id"] in members:
            day = datetime(2010, 1, 1) + timedelta(days=rng.randint(0, 5000))
            row["created_at"] = day.strftime("%Y-%m-%dT%H:%M:%SZ")
            row["followers"], row["following"] = (
                str(rng.randint(200, 900)),
                str(rng.randint(150, 700)),
            )
        return row

    def post(row: dict) -> dict:
        if row["author_id"] in members:
            at = datetime.fromisoformat(row["created_at"].replace("Z", "+00:00"))
            at += timedelta(days=rng.uniform(-60, 60), seconds=rng.randint(0, 86_400))
            row["created_at"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            if row["text"]:
                row["text"] += (
                    f" {rng.choice(['so true', 'agreed', 'yes!', 'thanks'])} {rng.randint(1, 10**6)}"
                )
        return row

    def follow(row: dict) -> dict | None:
        inside = row["follower_id"] in members and row["followed_id"] in members
        return None if inside and row["follower_id"] > row["followed_id"] else row

    rewrite("accounts.csv", account)
    rewrite("posts.csv", post)
    rewrite("follows.csv", follow)
    return target


@pytest.mark.slow
def test_a_ring_without_coordination_traces_is_kept_out_by_trust(tmp_path: Path) -> None:
    folder = _strip_ring(WORLD, tmp_path / "stripped", "ring_a")
    path = _ingest(folder / "canonical", tmp_path / "stripped.duckdb")
    with DuckDBStore(path, read_only=True) as store:
        accounts = store.accounts()
    members = accounts[
        (accounts["platform"] + ":" + accounts["account_id"]).isin(KNOWN["ring_a"]["members"])
    ]
    print(f"\nstripped ring A: {(members['automation_risk'] >= 0.5).mean():.2f} flagged")
    assert (members["automation_risk"] >= 0.5).mean() <= 0.2  # the traces are really gone
    _check(_rankings(path), "stripped")


def test_the_ring_communities_are_named_and_flagged_and_no_honest_one_is(world):
    """The Communities page flags a community when most members look automated: both rings.
    The Veralis staff, whom their employer coordinates (shared sentences, co-timed reposts,
    all following one another), may be flagged too when Leiden puts them in a community of
    their own; no community of honest accounts ever is."""
    from kolmap.scoring.components import compute_components
    from kolmap.scoring.explain import community_summary
    from kolmap.views.communities import describe_communities

    truth = pd.read_csv(WORLD / "truth.csv", dtype=str)
    flagged: dict[str, set[str]] = {}
    with DuckDBStore(world, read_only=True) as store:
        for area in ("oncology", "cardiology", "diabetes", "neurology"):
            projection = store.projection(Scope(area=area))
            comp = compute_components(projection, ScoringSettings())
            summary = community_summary(projection, comp)
            named = describe_communities(
                summary, projection.nodes, comp, automation_flag=ScoringSettings().automation_flag
            )
            groups = (
                projection.nodes[["platform", "account_id"]]
                .assign(community=comp["community"].to_numpy())
                .merge(truth[["platform", "account_id", "group"]], how="left")
            )
            for community in named.loc[named["ring"] != "", "community"]:
                members = groups[groups["community"] == community]["group"].fillna("")
                flagged.setdefault(area, set()).add(members.mode().iloc[0])
            assert named["name"].str.len().gt(0).all()
    kinds = {group for groups in flagged.values() for group in groups}
    coordinated = {"ring_a_member", "ring_b_member"}
    assert coordinated <= kinds <= coordinated | {"industry_staff"}, flagged
