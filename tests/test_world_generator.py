"""The adversarial world generator: deterministic, committed files current, and the world is
what data/worlds/README.md says it is (groups, answers, links, times). Rankings are not
checked here: this file only holds the generator to its own description."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from kolmap.data.worlds.adversarial import (
    END,
    START,
    TRUTH_COLUMNS,
    generate,
    main,
    write_world,
)
from kolmap.model import ACCOUNT_COLUMNS, FOLLOW_COLUMNS, POST_COLUMNS

COMMITTED = Path(__file__).resolve().parent.parent / "data" / "worlds" / "adversarial"
FILES = (
    "canonical/accounts.csv",
    "canonical/follows.csv",
    "canonical/posts.csv",
    "truth.csv",
    "known_answers.json",
)
AREAS = ("oncology", "diabetes", "cardiology")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class World:
    """The committed world, read back from its files."""

    def __init__(self, root: Path) -> None:
        self.accounts = _rows(root / "canonical" / "accounts.csv")
        self.follows = _rows(root / "canonical" / "follows.csv")
        self.posts = _rows(root / "canonical" / "posts.csv")
        self.truth = _rows(root / "truth.csv")
        self.known = json.loads((root / "known_answers.json").read_text("utf-8"))
        self.account = {f"{a['platform']}:{a['account_id']}": a for a in self.accounts}
        self.group = {f"{t['platform']}:{t['account_id']}": t for t in self.truth}
        self.post = {(p["platform"], p["post_id"]): p for p in self.posts}
        self.by_handle = {(a["platform"], a["handle"].lower()): k for k, a in self.account.items()}
        self.following = {(f["platform"], f["follower_id"], f["followed_id"]) for f in self.follows}

    def author(self, post: dict[str, str]) -> str:
        return f"{post['platform']}:{post['author_id']}"

    def keys(self, group: str) -> list[str]:
        return [k for k, t in self.group.items() if t["group"] == group]

    def endorsers(self) -> dict[str, set[str]]:
        """Who replied to, reposted, quoted or mentioned whom (any topic)."""
        out: dict[str, set[str]] = defaultdict(set)
        for p in self.posts:
            src = self.author(p)
            for field in ("reply_to_post_id", "repost_of_post_id", "quote_of_post_id"):
                if p[field]:
                    out[self.author(self.post[(p["platform"], p[field])])].add(src)
            if not p["repost_of_post_id"]:
                for word in p["text"].split():
                    if word.startswith("@"):
                        handle = word[1:].rstrip(".,!?:;'’").lower()
                        dst = self.by_handle.get((p["platform"], handle))
                        if dst:
                            out[dst].add(src)
        for dst in out:
            out[dst].discard(dst)
        return out


@pytest.fixture(scope="module")
def world() -> World:
    return World(COMMITTED)


@pytest.fixture(scope="module")
def endorsers(world: World) -> dict[str, set[str]]:
    return world.endorsers()


def test_same_seed_and_scale_give_identical_files(tmp_path):
    write_world(generate(seed=3, scale=0.1), tmp_path / "a")
    write_world(generate(seed=3, scale=0.1), tmp_path / "b")
    main([str(tmp_path / "c"), "--seed", "4", "--scale", "0.1"])
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / FILES[2]).read_bytes() != (tmp_path / "c" / FILES[2]).read_bytes()


def test_committed_files_are_what_the_generator_makes(tmp_path):
    write_world(generate(), tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (COMMITTED / name).read_bytes(), name


def test_columns_and_size(world):
    assert list(world.accounts[0]) == list(ACCOUNT_COLUMNS)
    assert list(world.follows[0]) == list(FOLLOW_COLUMNS)
    assert list(world.posts[0]) == list(POST_COLUMNS)
    assert list(world.truth[0]) == list(TRUTH_COLUMNS)
    assert 5000 <= len(world.accounts) <= 6000
    assert 50_000 <= len(world.posts) <= 70_000
    size = sum((COMMITTED / name).stat().st_size for name in FILES)
    assert size < 7 * 2**20


def test_counts_per_group(world):
    counts = Counter(t["group"] for t in world.truth)
    assert counts == {
        "kol": 27,
        "kol_dol": 3,
        "dol": 23,
        "tv_doctor": 1,
        "influencer": 18,
        "caregiver_influencer": 6,
        "society": 3,
        "public_body": 5,
        "patient_association": 3,
        "hospital": 6,
        "ngo": 2,
        "clinical_service": 1,
        "university": 2,
        "base_hcp": 450,
        "researcher": 120,
        "patient": 1050,
        "caregiver": 180,
        "public": 1500,
        "lurker": 1300,
        "media": 12,
        "brand": 4,
        "industry_staff": 10,
        "industry_partner": 2,
        "celebrity": 1,
        "ring_a_member": 250,
        "ring_a_target": 1,
        "ring_b_member": 120,
        "ring_b_target": 1,
    }
    roles = Counter(t["role"] for t in world.truth)
    assert set(roles) == {
        "hcp",
        "researcher",
        "patient",
        "organisation",
        "brand",
        "media",
        "public",
    }


def test_truth_and_accounts_hold_the_same_accounts(world):
    assert [(t["platform"], t["account_id"]) for t in world.truth] == [
        (a["platform"], a["account_id"]) for a in world.accounts
    ]
    assert len(world.account) == len(world.accounts)
    handles = Counter(a["handle"].lower() for a in world.accounts)
    assert max(handles.values()) == 1


def test_known_answers_name_real_accounts_of_the_right_groups(world):
    known = world.known
    assert known["seed"] == 7 and known["scale"] == 1.0 and known["areas"] == list(AREAS)
    group = {k: t["group"] for k, t in world.group.items()}
    multi = known["multi_area_kols"]
    assert len(multi) == 2
    for key, areas in multi.items():
        assert len(areas) == 2 and world.group[key]["areas"] == "|".join(areas)
        assert all(key in known["kol"][a] for a in areas)
    for area in AREAS:
        kols = known["kol"][area]
        visitors = [k for k in kols if k in multi and multi[k][0] != area]
        assert len(kols) == 10 + len(visitors)
        assert Counter(group[k] for k in kols) == {"kol": 9 + len(visitors), "kol_dol": 1}
        assert sum(world.group[k]["role"] == "researcher" for k in kols) >= 1
        own = [k for k in kols if k not in visitors]
        styles = Counter(world.group[k]["bio_style"] for k in own)
        assert styles == {"full": 4, "title": 3, "shorthand": 1, "empty": 2}
        dols = known["dol"][area]
        assert len(dols) == 9 and set(dols) & set(kols) == {
            k for k in kols if group[k] == "kol_dol"
        }
        assert Counter(world.group[k]["role"] for k in dols) == {"hcp": 9}
        assert sum(world.group[k]["bio_style"] == "title" for k in dols if group[k] == "dol") >= 1
        influencers = known["influencer"][area]
        assert len(influencers) == 8
        assert {world.group[k]["role"] for k in influencers} == {"patient"}
        orgs = known["organisation"][area]
        assert [group[k] for k in orgs] == ["society", "public_body", "patient_association"]
        assert {world.group[k]["role"] for k in orgs} == {"organisation"}
    assert (
        group[known["tv_doctor"]] == "tv_doctor" and known["tv_doctor"] in known["dol"]["oncology"]
    )
    assert int(world.account[known["tv_doctor"]]["followers"]) > 1_000_000
    assert group[known["celebrity"]] == "celebrity"
    assert int(world.account[known["celebrity"]]["followers"]) > 2_000_000
    assert known["ring_a"]["area"] == "oncology" and known["ring_b"]["area"] == "diabetes"
    assert {group[k] for k in known["ring_a"]["members"]} == {"ring_a_member"}
    assert group[known["ring_a"]["target"]] == "ring_a_target"
    assert {group[k] for k in known["ring_b"]["members"]} == {"ring_b_member"}
    assert group[known["ring_b"]["target"]] == "ring_b_target"


def test_industry_staff_are_labelled_with_their_employer(world):
    brand = world.known["industry_employer"]
    assert world.group[brand]["role"] == "brand"
    handle = world.account[brand]["handle"]
    staff = world.known["industry"]
    assert len(staff) == 12
    for key in staff:
        assert world.group[key]["affiliation"] == "industry"
        assert world.group[key]["employer"] == handle
    assert Counter(world.group[k]["role"] for k in staff) == {
        "hcp": 8,
        "researcher": 2,
        "public": 2,
    }
    others = {k for k, t in world.group.items() if t["affiliation"] or t["employer"]}
    assert others == set(staff)
    # The cluster: everyone follows the brand and each other.
    for key in staff:
        platform, ident = key.split(":", 1)
        assert (platform, ident, brand.split(":", 1)[1]) in world.following
        for other in staff:
            if other != key:
                assert (platform, ident, other.split(":", 1)[1]) in world.following
    ads = [
        p
        for p in world.posts
        if world.group[world.author(p)]["group"] == "industry_partner"
        and ("#ad" in p["text"] or "#partenariat" in p["text"])
    ]
    assert len(ads) > 20 and all(f"@{handle}" in p["text"] for p in ads)


def test_every_reference_resolves_and_follows_after_its_parent(world):
    for p in world.posts:
        assert world.author(p) in world.account
        when = _time(p["created_at"])
        for field in ("reply_to_post_id", "repost_of_post_id", "quote_of_post_id"):
            if p[field]:
                parent = world.post[(p["platform"], p[field])]
                assert _time(parent["created_at"]) < when
        if p["repost_of_post_id"]:
            assert p["text"] == ""
    for platform, src, dst in world.following:
        assert src != dst
        assert f"{platform}:{src}" in world.account and f"{platform}:{dst}" in world.account
    assert len(world.following) == len(world.follows)


def test_times_inside_the_window_and_after_account_creation(world):
    created = {k: _time(a["created_at"]) for k, a in world.account.items()}
    for p in world.posts:
        when = _time(p["created_at"])
        assert START <= when < END
        assert created[world.author(p)] < when
    assert all(c < END for c in created.values())


def test_ring_a_is_dense_fast_and_made_in_three_days(world):
    ring = world.known["ring_a"]["members"]
    target = world.known["ring_a"]["target"]
    members = {k.split(":", 1)[1] for k in ring}
    created = sorted(_time(world.account[k]["created_at"]) for k in ring)
    assert created[-1] - created[0] <= timedelta(days=3)
    inside = [(s, d) for _p, s, d in world.following if s in members and d in members]
    assert len(inside) >= 0.08 * len(members) * (len(members) - 1)
    assert all((d, s) in set(inside) for s, d in inside)  # all reciprocal
    tid = target.split(":", 1)[1]
    assert all(("x", m, tid) in world.following for m in members)
    delays = [
        _time(p["created_at"]) - _time(world.post[("x", p["repost_of_post_id"])]["created_at"])
        for p in world.posts
        if p["repost_of_post_id"]
        and p["author_id"] in members
        and world.post[("x", p["repost_of_post_id"])]["author_id"] == tid
    ]
    assert len(delays) > 5 * len(members) and max(delays) <= timedelta(minutes=5)
    for k in ring:
        assert world.group[k]["bio_style"] == "template"
        assert 5 <= int(world.account[k]["followers"]) <= 150


def test_ring_b_is_sparser_and_staggered(world):
    ring = world.known["ring_b"]["members"]
    members = {k.split(":", 1)[1] for k in ring}
    tid = world.known["ring_b"]["target"].split(":", 1)[1]
    created = sorted(_time(world.account[k]["created_at"]) for k in ring)
    assert timedelta(days=40) <= created[-1] - created[0] <= timedelta(days=62)
    inside = {(s, d) for _p, s, d in world.following if s in members and d in members}
    assert all((d, s) in inside for s, d in inside)
    assert 0.05 * len(members) ** 2 <= len(inside) <= 0.2 * len(members) ** 2
    by_parent: dict[str, list[datetime]] = defaultdict(list)
    for p in world.posts:
        parent = p["repost_of_post_id"]
        if parent and p["author_id"] in members and world.post[("x", parent)]["author_id"] == tid:
            by_parent[parent].append(_time(p["created_at"]))
    assert len(by_parent) >= 30
    for times in by_parent.values():
        times.sort()
        gaps = [b - a for a, b in pairwise(times)]
        assert all(timedelta(minutes=5) <= g <= timedelta(minutes=90) for g in gaps)


def test_kols_are_endorsed_by_a_quarter_to_three_fifths_of_their_peers(world, endorsers):
    for area in AREAS:
        peers = {
            k
            for k, t in world.group.items()
            if t["group"] in ("base_hcp", "researcher") and area in t["areas"].split("|")
        }
        shares = {}
        for key in world.known["kol"][area]:
            shares[key] = len(endorsers[key] & peers) / len(peers)
            assert 0.25 <= shares[key] <= 0.65, (area, key, shares[key])
        kol_audience = sorted(len(endorsers[k]) for k in world.known["kol"][area])
        typical_kol = kol_audience[len(kol_audience) // 2]
        for key in world.known["dol"][area]:
            if world.group[key]["group"] != "dol":
                continue
            assert len(endorsers[key] & peers) / len(peers) < min(shares.values())
            assert len(endorsers[key]) >= 1.6 * typical_kol


def test_celebrity_has_two_oncology_posts_among_200(world):
    celebrity = world.known["celebrity"]
    own = [
        p
        for p in world.posts
        if world.author(p) == celebrity and not p["reply_to_post_id"] and not p["repost_of_post_id"]
    ]
    assert len(own) == 200
    onco = [p for p in own if "#cancer" in p["text"]]
    assert len(onco) == 2
    usual = sorted(int(p["likes"]) for p in own if p not in onco)
    assert min(int(p["likes"]) for p in onco) > 10 * usual[len(usual) // 2]


def test_readme_lists_every_answer_of_the_committed_world(world):
    readme = (COMMITTED.parent / "README.md").read_text("utf-8")
    known = world.known
    keys = {known["industry_employer"], known["celebrity"], known["tv_doctor"]}
    keys |= {known["ring_a"]["target"], known["ring_b"]["target"], *known["industry"]}
    for kind in ("kol", "dol", "influencer", "organisation"):
        keys |= {k for area in AREAS for k in known[kind][area]}
    for key in sorted(keys):
        assert f"`{key}`" in readme, key
        assert f"@{world.account[key]['handle']}" in readme, key
    assert f"{len(world.accounts):,}" in readme and f"{len(world.posts):,}" in readme
