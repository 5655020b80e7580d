"""Roles, industry ties and automation risk derived after an ingest run, on a real DuckDB
file: behaviour reads HCPs whose bio says nothing, coordination signals flag a ring, paid
partnerships and a named brand handle make industry ties, and user labels win and survive
re-ingest."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths, write_labels
from kolmap.model import ACCOUNT_COLUMNS, FOLLOW_COLUMNS, POST_COLUMNS

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _write(folder: Path, name: str, columns: tuple[str, ...], rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: r.get(c, "") for c in columns} for r in rows)


class World:
    """A small hand-built world: accounts, posts and follows with readable ids."""

    def __init__(self) -> None:
        self.accounts: list[dict] = []
        self.posts: list[dict] = []
        self.follows: list[dict] = []
        self._post = 0

    def account(self, account_id: str, bio: str = "", **fields: object) -> str:
        row = {"platform": "x", "account_id": account_id, "handle": account_id, "bio": bio}
        row.setdefault("followers", 300)
        row.setdefault("following", 200)
        # Accounts opened over the years, as an X export says (the ring overrides this).
        row.setdefault(
            "created_at",
            f"{2012 + len(self.accounts) % 12}-0{1 + len(self.accounts) % 9}-15T08:00:00Z",
        )
        row.update({k: str(v) for k, v in fields.items()})
        self.accounts.append(row)
        return account_id

    def post(self, author: str, text: str, at: datetime, **refs: str) -> str:
        self._post += 1
        post_id = str(1000 + self._post)
        row = {"platform": "x", "post_id": post_id, "author_id": author, "text": text}
        row["created_at"] = at.isoformat()
        row.update(refs)
        self.posts.append(row)
        return post_id

    def follow(self, a: str, b: str) -> None:
        self.follows.append({"platform": "x", "follower_id": a, "followed_id": b})

    def write(self, folder: Path) -> Path:
        _write(folder, "accounts.csv", ACCOUNT_COLUMNS, self.accounts)
        _write(folder, "posts.csv", POST_COLUMNS, self.posts)
        _write(folder, "follows.csv", FOLLOW_COLUMNS, self.follows)
        return folder


def _world() -> World:
    w = World()
    # An HCP whose bio says nothing, vouched for by eight cardiologists, posting cardiology.
    hcps = [w.account(f"card{i}", "Cardiologist, university hospital") for i in range(8)]
    quiet = w.account("quiet_doc", "")
    for i in range(12):
        w.post(quiet, f"Heart failure update {i}: new data on SGLT2", T0 + timedelta(days=i))
    for i, h in enumerate(hcps):
        for j in range(2):
            w.post(
                h,
                f"Great point @quiet_doc on heart failure, day {i}-{j}",
                T0 + timedelta(days=i, hours=j),
            )
    # The same shape, but vouched for by the public only: behaviour says nothing.
    fans = [w.account(f"fan{i}", "Runner, dad and coffee lover, from Lyon") for i in range(8)]
    lonely = w.account("lonely", "")
    for i in range(12):
        w.post(lonely, f"Heart failure thoughts {i}", T0 + timedelta(days=i))
    for i, f in enumerate(fans):
        w.post(f, f"Love this @lonely number {i}", T0 + timedelta(days=i))
    # A ring: created the same day, following each other, reposting the target in seconds.
    target = w.account("target", "Wellness and natural heart health", followers=900)
    ring = [
        w.account(f"ring{i}", "MD | health tips", followers=20, following=900,
                  created_at="2026-02-01T10:00:00Z")
        for i in range(14)
    ]  # fmt: skip
    for a in ring:
        for b in ring:
            if a != b:
                w.follow(a, b)
    for k in range(5):
        original = w.post(
            target,
            f"Heart tip number {k} for a healthy cardiology life",
            T0 + timedelta(days=20 + k),
        )
        for i, a in enumerate(ring):
            w.post(
                a, "", T0 + timedelta(days=20 + k, seconds=3 * i + 1), repost_of_post_id=original
            )
            w.post(
                a,
                f"Must read from @target, {('now', 'today', 'again', 'here', 'always')[k]}! #cardiology",
                T0 + timedelta(days=20 + k, minutes=5, seconds=i),
            )
    # Live-tweeters at a congress: each posts about sixty things over two weeks, and during
    # four talks all of them mention the speaker within the same minute. A crowd, not a ring.
    crowd = [w.account(f"live{i}", "Cardiologist. Live from #ESCCongress") for i in range(6)]
    speakers = [w.account(f"speaker{k}", "Cardiologist, heart failure trials") for k in range(4)]
    for i, a in enumerate(crowd):
        for j in range(60):
            w.post(
                a,
                f"Reading @topic_{i}_{j} on heart failure, note {i}-{j}",
                T0 + timedelta(hours=5 * j + i),
            )
        for k, speaker in enumerate(speakers):
            at = T0 + timedelta(days=40 + k, seconds=5 * i)
            w.post(a, f"Now on stage: @{speaker} on heart failure", at)
    # Industry: a brand, an MSL, a paid partner, an employee named by the brand's handle.
    w.account(
        "veralis",
        "Official account of Veralis Pharma. Prescribing information: veralis.example",
        followers=40_000,
        following=30,
    )
    w.account("msl_one", "MSL oncology, PharmD. Views my own")
    partner = w.account("partner_doc", "Oncologist in Lyon")
    w.account("staffer", "Product specialist at @veralis, oncology")
    for k in range(3):
        w.post(
            partner,
            f"Proud to work with @veralis on patient education #ad #oncology {k}",
            T0 + timedelta(days=30 + k),
        )
    return w


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("derive")
    folder = _world().write(root / "in")
    path = root / "store.duckdb"
    with DuckDBStore(path) as store:
        summary = ingest_paths(store, [folder], quarantine_dir=root / "q")
        assert summary.merge["derived"]["text_classified"] == len(_world().accounts)
    return path, folder


def _view(path: Path) -> pd.DataFrame:
    with DuckDBStore(path, read_only=True) as store:
        return store.accounts().set_index("account_id")


def test_behaviour_reads_the_hcp_whose_bio_says_nothing(derived) -> None:
    view = _view(derived[0])
    quiet = view.loc["quiet_doc"]
    assert quiet["role"] == "hcp" and quiet["role_source"] == "behaviour"
    assert "8 of 8 identified endorsers are HCPs" in quiet["role_evidence"]
    assert 0.5 < quiet["role_confidence"] <= 0.8
    lonely = view.loc["lonely"]
    assert lonely["role"] == "unknown" and lonely["role_source"] == "text"


def test_a_coordinated_ring_is_flagged_with_its_evidence(derived) -> None:
    view = _view(derived[0])
    ring = view.loc[[f"ring{i}" for i in range(14)]]
    assert (ring["automation_risk"] >= 0.9).all(), ring["automation_risk"]
    evidence = ring["automation_evidence"].iloc[0]
    for signal in ("co-acted within a minute", "same texts", "mutual follows", "created with"):
        assert signal in evidence, evidence
    honest = view.loc[[f"card{i}" for i in range(8)] + ["quiet_doc", "target"]]
    assert (honest["automation_risk"] < 0.3).all(), honest["automation_risk"]


def test_a_crowd_live_tweeting_the_same_talks_is_not_a_ring(derived) -> None:
    """Four co-timed mentions among some sixty targets each: the crowd at a talk. Counted
    as co-action partners, each of them had five and a risk of 0.85 (the live-tweeters of
    real 2017 conference files were flagged so)."""
    view = _view(derived[0])
    crowd = view.loc[[f"live{i}" for i in range(6)]]
    assert (crowd["automation_risk"] < 0.3).all(), crowd["automation_evidence"]
    assert not crowd["automation_evidence"].fillna("").str.contains("co-acted").any()


def test_industry_ties_from_text_partnerships_and_a_named_brand(derived) -> None:
    view = _view(derived[0])
    assert view.loc["veralis", "role"] == "brand" and pd.isna(view.loc["veralis", "affiliation"])
    assert view.loc["msl_one", "affiliation"] == "industry"
    partner = view.loc["partner_doc"]
    assert partner["role"] == "hcp" and partner["affiliation"] == "industry"
    assert partner["employer"] == "@veralis" and "paid-partnership" in partner["role_evidence"]
    staffer = view.loc["staffer"]
    assert staffer["affiliation"] == "industry" and staffer["employer"] == "@veralis"
    assert pd.isna(view.loc["card0", "affiliation"])


def test_labels_win_and_survive_reingest(derived, tmp_path: Path) -> None:
    path, folder = derived
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(path.read_bytes())
    with DuckDBStore(copy) as store:
        write_labels(
            store,
            [
                {"platform": "x", "account_id": "quiet_doc", "role": "patient"},
                {"platform": "x", "account_id": "msl_one", "affiliation": "none"},
                {"platform": "x", "account_id": "card1", "affiliation": "industry",
                 "employer": "@veralis"},
            ],
        )  # fmt: skip
        ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")
        view = store.accounts().set_index("account_id")
    assert view.loc["quiet_doc", "role"] == "patient"
    assert view.loc["quiet_doc", "role_source"] == "label"
    assert view.loc["quiet_doc", "role_confidence"] == 1.0
    assert pd.isna(view.loc["msl_one", "affiliation"])
    assert view.loc["card1", "affiliation"] == "industry"
    assert view.loc["card1", "employer"] == "@veralis"


def test_reingest_changes_nothing_and_classifies_nothing_again(derived, tmp_path: Path) -> None:
    path, folder = derived
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(path.read_bytes())
    with DuckDBStore(copy) as store:
        before = store.fingerprint(provenance=False)
        summary = ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")
        assert store.fingerprint(provenance=False) == before
    assert summary.merge["derived"]["text_classified"] == 0
    assert summary.merge["derived"]["accounts_changed"] == 0


def test_a_changed_taxonomy_classifies_every_profile_again(derived, tmp_path: Path) -> None:
    """Text roles read the taxonomy (specialties, the areas a bio names): stored ones made
    with another taxonomy are recomputed."""
    from kolmap.ingest.areas import load_taxonomy

    path, folder = derived
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(path.read_bytes())
    extra = tmp_path / "areas.toml"
    extra.write_text('[areas.oncology]\nspecialties = ["tumour whisperer"]\n', "utf-8")
    with DuckDBStore(copy) as store:
        summary = ingest_paths(
            store, [folder], quarantine_dir=tmp_path / "q", taxonomy=load_taxonomy(extra)
        )
    assert summary.merge["derived"]["text_classified"] == len(_world().accounts)


def test_erasing_an_account_removes_its_text_roles(derived, tmp_path: Path) -> None:
    from kolmap.model import AccountKey

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(derived[0].read_bytes())
    with DuckDBStore(copy) as store:
        store.erase([AccountKey("x", "msl_one")])
        left = store.db.raw.execute(
            "SELECT count(*) FROM text_roles WHERE account_id = 'msl_one'"
        ).fetchone()
    assert left == (0,)


def test_text_hashes_follow_every_change_to_the_posts(derived, tmp_path: Path) -> None:
    """The normalised texts are hashed once and kept: a run that adds a few posts to a large
    store hashes those only. What is kept must give the pairs a computation from nothing
    gives, after a post's text changes, a post goes and an account is erased."""
    from kolmap.graph.duckdb.derive import DuckDBDerivation
    from kolmap.model import AccountKey
    from kolmap.settings import RoleSettings

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(derived[0].read_bytes())
    roles = RoleSettings()
    args = (roles.template_min_chars, roles.template_max_authors, roles.template_min_shared)

    def pairs_now_and_from_nothing(store: DuckDBStore) -> tuple[pd.DataFrame, pd.DataFrame]:
        # Each derivation brings the hashes up to date once: a run, then another.
        kept = DuckDBDerivation(store.db, "run-a").shared_texts(*args)
        store.db.execute("DELETE FROM text_hashes")
        return kept, DuckDBDerivation(store.db, "run-b").shared_texts(*args)

    with DuckDBStore(copy) as store:
        reads = DuckDBDerivation(store.db, "check")
        assert reads.refresh_text_hashes() == (0, 0)  # the ingest left them current
        before = reads.shared_texts(*args)
        assert before["a"].str.startswith("ring").any(), before
        ring_post = store.db.scalar(
            "SELECT min(post_id) FROM posts WHERE author_id = 'ring0' AND text IS NOT NULL "
            "AND repost_of_post_id IS NULL"
        )
        store.db.execute("UPDATE posts SET text = 'quite another text, long enough to count' "
                         "WHERE post_id = ?", [ring_post])  # fmt: skip
        store.db.execute("DELETE FROM posts WHERE author_id = 'ring1'")
        assert reads.refresh_text_hashes() == (0, 0)  # once per derivation
        assert DuckDBDerivation(store.db, "next").refresh_text_hashes()[0] > 1
        kept, fresh = pairs_now_and_from_nothing(store)
        pd.testing.assert_frame_equal(kept, fresh)
        assert not kept.isin(["ring1"]).any().any() and not kept.equals(before)
        store.erase([AccountKey("x", "ring2")])
        assert store.db.scalar("SELECT count(*) FROM text_hashes WHERE author_id = 'ring2'") == 0
        kept, fresh = pairs_now_and_from_nothing(store)
        pd.testing.assert_frame_equal(kept, fresh)


def test_shared_texts_counted_in_passes_give_the_same_pairs(
    derived, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting every candidate pair at once ran out of the ingest's 512 MB at 10M edges
    (the run lost); in passes bounded by the memory limit, the pairs are the same, and
    the reads leave no scratch table behind."""
    from kolmap.graph.duckdb import derive
    from kolmap.settings import RoleSettings

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(derived[0].read_bytes())
    roles = RoleSettings()
    args = (roles.template_min_chars, roles.template_max_authors, roles.template_min_shared)
    with DuckDBStore(copy) as store:
        whole = derive.DuckDBDerivation(store.db, "one").shared_texts(*args)
        seen = []
        frame = store.db.frame
        monkeypatch.setattr(store.db, "frame", lambda sql, p=None: seen.append(p) or frame(sql, p))
        monkeypatch.setattr(derive, "BYTES_PER_PAIR", 10**15)
        monkeypatch.setattr(derive, "MIN_PAIRS_PER_PASS", 3)
        parts = derive.DuckDBDerivation(store.db, "many").shared_texts(*args)
        left = store.db.scalar(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'kolmap_shared_texts'"
        )
    assert not whole.empty and len(seen) > 3, seen
    pd.testing.assert_frame_equal(whole, parts)
    assert left == 0


def test_a_bare_day_is_no_time_for_co_actions(tmp_path: Path) -> None:
    """Exports that give only the day put every post at midnight: six accounts retweeting
    the same posts on the same days were "co-acting within a minute" (18 accounts of the real
    2014 hashtag files were flagged as automated so). The same retweets a few seconds apart
    are still flagged."""

    def world(offset: timedelta) -> World:
        w = World()
        source = w.account("source", "Public health news", followers=5000)
        fans = [w.account(f"fan{i}", "Runner and dad") for i in range(6)]
        for k in range(6):
            day = datetime(2014, 6, 1 + k, tzinfo=UTC)
            original = w.post(source, f"Cholera update number {k} for the region", day)
            for i, fan in enumerate(fans):
                at = day + offset * (i + 1)
                w.post(fan, "", at, repost_of_post_id=original)
        return w

    evidence = {}
    for name, offset in (("bare", timedelta(0)), ("seconds", timedelta(seconds=5))):
        folder = world(offset).write(tmp_path / name)
        with DuckDBStore(tmp_path / f"{name}.duckdb") as store:
            ingest_paths(store, [folder], quarantine_dir=tmp_path / f"{name}-q")
            fans = store.accounts().set_index("account_id").loc[[f"fan{i}" for i in range(6)]]
        evidence[name] = fans["automation_evidence"].fillna("").str.contains("co-acted")
    assert not evidence["bare"].any()
    assert evidence["seconds"].all()


def test_one_text_posted_again_and_again_is_an_automation_signal(tmp_path: Path) -> None:
    """The #1 hematology KOL of a real 2014 file had pasted one complaint at sixteen
    accounts in turn, with trust 1.00 and no flag. One text posted again and again
    (mentions aside) now counts as risk, with its evidence; an announcement posted twice,
    or many different posts, do not."""
    w = World()
    paster = w.account("paster", "Retired nurse, dog lover")
    varied = w.account("varied", "Retired nurse, cat lover")
    twice = w.account("twice", "Hemophilia society")
    targets = [w.account(f"t{i}", "Runner") for i in range(12)]
    for i, target in enumerate(targets):
        at = T0 + timedelta(hours=i)
        w.post(paster, f"@{target} Please read my story about the hemophilia clinic wait", at)
        w.post(varied, f"Hemophilia clinic note number {i}: factor levels and {i} visits", at)
    for k in range(2):
        w.post(twice, "Join our hemophilia awareness walk this Saturday", T0 + timedelta(days=k))
    folder = w.write(tmp_path / "in")
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")
        view = store.accounts().set_index("account_id")
    assert view.loc["paster", "automation_risk"] == pytest.approx(0.5)
    assert "posted one text 12 times" in view.loc["paster", "automation_evidence"]
    for calm in ("varied", "twice"):
        assert not view.loc[calm, "automation_risk"], view.loc[calm, "automation_evidence"]
