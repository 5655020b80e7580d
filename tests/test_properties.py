"""Property tests: ingest is idempotent and its result does not depend on how data is split."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kolmap.graph.duckdb import DuckDBStore
from kolmap.ingest.pipeline import ingest_paths
from kolmap.ingest.text import extract_mentions, fold

ids = st.sampled_from([str(i) for i in range(1, 9)])
words = st.sampled_from(["cancer", "diabète", "#ASCO26", "#T1D", "merci", "Épilepsie", "hello"])
handles = st.sampled_from(["alice", "Bob", "carol", "DAVE", "erin", "ghost"])


@st.composite
def datasets(draw):
    accounts = draw(
        st.lists(
            st.tuples(
                ids, handles, st.sampled_from(["Oncologue", "Patiente SEP", "", "Compte officiel"])
            ),
            min_size=1,  # a run that reads no rows at all is refused (tests/test_cli.py)
            max_size=8,
        )
    )
    posts = draw(
        st.lists(
            st.tuples(
                st.integers(100, 130),
                ids,
                st.lists(st.one_of(words, handles.map(lambda h: "@" + h)), max_size=4),
                st.one_of(st.none(), st.integers(100, 130)),
            ),
            min_size=1,
            max_size=15,
        )
    )
    follows = draw(st.lists(st.tuples(ids, ids).filter(lambda p: p[0] != p[1]), max_size=12))
    return accounts, posts, follows


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _write(folder: Path, data) -> Path:
    accounts, posts, follows = data
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accounts.csv").write_text(
        _csv(["platform", "account_id", "handle", "bio"], [["x", a, h, b] for a, h, b in accounts]),
        "utf-8",
    )
    (folder / "posts.csv").write_text(
        _csv(
            ["platform", "post_id", "author_id", "text", "reply_to_post_id"],
            [
                ["x", str(p), a, " ".join(t), "" if r is None or r == p else str(r)]
                for p, a, t, r in posts
            ],
        ),
        "utf-8",
    )
    (folder / "follows.csv").write_text(
        _csv(["platform", "follower_id", "followed_id"], [["x", a, b] for a, b in follows]), "utf-8"
    )
    return folder


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_reingest_is_idempotent(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp) / "in", data)
        with DuckDBStore(Path(tmp) / "s.duckdb") as store:
            ingest_paths(store, [folder], quarantine_dir=Path(tmp) / "q", tolerance="100%")
            once = store.fingerprint()
            ingest_paths(store, [folder], quarantine_dir=Path(tmp) / "q", tolerance="100%")
            assert store.fingerprint() == once


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_posts_before_accounts_gives_the_same_graph(data):
    """Mentions resolve the same whether accounts arrive in the same run or a later one."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp) / "in", data)
        q = Path(tmp) / "q"
        with DuckDBStore(Path(tmp) / "a.duckdb") as together:
            ingest_paths(together, [folder], quarantine_dir=q, tolerance="100%")
            expected = together.sql(
                "SELECT platform, src, dst, kind, count FROM interactions ORDER BY ALL"
            )
        with DuckDBStore(Path(tmp) / "b.duckdb") as split:
            ingest_paths(
                split,
                [folder / "posts.csv", folder / "follows.csv"],
                quarantine_dir=q,
                tolerance="100%",
            )
            ingest_paths(split, [folder / "accounts.csv"], quarantine_dir=q, tolerance="100%")
            got = split.sql("SELECT platform, src, dst, kind, count FROM interactions ORDER BY ALL")
            stubs = split.sql(
                "SELECT count(*) AS n FROM accounts WHERE account_id LIKE '@%' "
                "AND handle_lc IN (SELECT handle_lc FROM accounts WHERE NOT is_stub)"
            )
        assert got.to_dict("records") == expected.to_dict("records")
        assert stubs["n"].iloc[0] == 0


@given(st.text(max_size=60))
def test_text_parsing_never_fails_and_fold_is_idempotent(text):
    for handle in extract_mentions(text):
        assert handle and not handle.startswith("@")
    assert fold(fold(text)) == fold(text)


@given(st.text(max_size=60))
def test_fold_equals_its_definition_character_by_character(text):
    """The fast fold (ASCII shortcut, one regex pass over combining marks) gives exactly the
    textbook one: NFKD, drop every combining character, lower-case."""
    import unicodedata

    from kolmap.ingest.text import _LIGATURES

    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    expected = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    assert fold(text) == expected
