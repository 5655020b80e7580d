"""The `kolmap` command as a user runs it, on real DuckDB files."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from .conftest import run, write


def test_ingest_scores_all_data_for_the_app(runner, sample_dir):
    """After an ingest the all-data scope the app opens first is on disk beside the store,
    for the new store version: the app's first page reads it instead of computing it."""
    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.graph.store import Scope
    from kolmap.settings import ScoringSettings
    from kolmap.views.scope_cache import ScopeCache

    out = run(runner, "ingest", str(sample_dir))
    assert "scored all data for the app in" in out.stderr
    with DuckDBStore("kolmap.duckdb") as store:
        version = store.version()
        expected = store.projection(Scope())
    cache = ScopeCache(Path("kolmap.cache"), ScoringSettings())
    never = lambda: pytest.fail("computed again")  # noqa: E731
    read = cache.projection(version, Scope(), never)
    assert read.nodes.equals(expected.nodes) and read.edges.equals(expected.edges)
    assert not cache.components(version, Scope(), never).empty
    run(runner, "ingest", str(sample_dir), "--store", "other.duckdb", "--no-warm")
    assert not Path("other.cache").exists()


def test_ingest_then_rank_csv(runner, sample_dir, known_answers):
    out = run(runner, "ingest", str(sample_dir), "--json")
    summary = json.loads(out.stdout)
    assert summary["quarantined"] == 0
    assert Path("kolmap.duckdb").exists()  # the default store
    out = run(
        runner, "rank", "--area", "oncology", "--kind", "kol", "--top", "20", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 20
    for column in (
        "rank",
        "platform",
        "account_id",
        "handle",
        "display_name",
        "role",
        "area",
        "score",
        "community",
        "peer_pagerank",
        "reasons",
    ):
        assert column in rows[0]
    top5 = {f"{r['platform']}:{r['account_id']}" for r in rows[:5]}
    assert top5 == set(known_answers["kol"]["oncology"])


def test_rank_json_table_and_filters(runner, sample_dir):
    run(runner, "ingest", str(sample_dir), "--store", "s.duckdb", "--json")
    out = run(
        runner,
        "rank",
        "--store",
        "s.duckdb",
        "--kind",
        "dol",
        "--format",
        "json",
        "--platform",
        "bluesky",
        "--top",
        "5",
    )
    records = json.loads(out.stdout)
    assert records and {r["platform"] for r in records} == {"bluesky"}
    out = run(
        runner,
        "rank",
        "--store",
        "s.duckdb",
        "--area",
        "diabetes",
        "--kind",
        "influencer",
        "--since",
        "2026-03-01",
        "--until",
        "2026-06-01",
        "--explain",
    )
    flat = re.sub(r"[\s│]", "", out.output)
    assert "Topinfluencer" in flat and "endorsedby" in flat
    out = run(
        runner,
        "rank",
        "--store",
        "s.duckdb",
        "--hashtag",
        "#ASCO26",
        "--hashtag",
        "esmo26",
        "--format",
        "json",
        "--top",
        "3",
    )
    assert all(r["area"] == "#asco26,#esmo26" for r in json.loads(out.stdout))
    run(runner, "rank", "--store", "s.duckdb", "--format", "csv", "-o", "out.csv")
    assert Path("out.csv").read_text("utf-8").startswith("rank,platform")


def test_store_from_environment(runner, sample_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("KOLMAP_STORE", str(tmp_path / "env.duckdb"))
    run(runner, "ingest", str(sample_dir / "accounts.csv"), "--json")
    assert (tmp_path / "env.duckdb").exists()
    out = run(runner, "stats", "--json")
    assert json.loads(out.stdout)["accounts"] > 2000


def test_bad_input_is_a_clear_error_and_writes_nothing(runner, tmp_path):
    bad = write(tmp_path / "bad", "follows.csv", "source,target\n1,2\n")
    out = run(runner, "ingest", str(bad), "--store", "b.duckdb", code=1)
    assert "follows.csv line 1: follows file is missing required column(s) platform" in out.output
    assert "got source,target" in out.output
    out = run(runner, "stats", "--store", "b.duckdb", "--json")
    assert json.loads(out.stdout)["follows"] == 0


def test_ranking_accounts_without_relations_says_why_it_is_empty(runner, tmp_path):
    accounts = write(
        tmp_path / "in",
        "accounts.csv",
        "platform,account_id,handle,bio\nx,1,onco,Oncologist\nx,2,card,Cardiologist\n",
    )
    run(runner, "ingest", str(accounts), "--store", "a.duckdb")
    out = run(runner, "--config", "/dev/null", "rank", "--store", "a.duckdb", "--kind", "any")
    text = " ".join(out.output.split())
    assert "No any candidates in scope (all data)." in text
    assert "has 2 accounts but no relations between them" in text


def test_an_empty_dol_list_says_which_roles_it_ranks_and_what_the_scope_holds(runner, tmp_path):
    folder = tmp_path / "in"
    write(
        folder,
        "accounts.csv",
        "platform,account_id,handle,bio\nx,1,epi,Epidemiologist and professor of public "
        "health\nx,2,fan,Just here for the football\n",
    )
    write(
        folder,
        "posts.csv",
        "platform,post_id,author_id,created_at,text\n"
        "x,10,1,2026-05-01T10:00:00Z,New cohort on epilepsy and migraine @fan\n"
        "x,11,2,2026-05-02T10:00:00Z,Epilepsy awareness day @epi\n",
    )
    run(runner, "ingest", str(folder), "--store", "e.duckdb")
    out = run(runner, "rank", "--store", "e.duckdb", "--kind", "dol", "--area", "neurology")
    text = " ".join(out.output.split())
    assert "No DOL candidates in neurology: a DOL list ranks HCPs only" in text
    assert "none of the 2 accounts here is one (researcher 1, public 1)" in text
    kol = run(runner, "rank", "--store", "e.duckdb", "--kind", "kol", "--area", "neurology")
    assert "No KOL candidates" not in kol.output  # the researcher is one


def test_a_bad_memory_limit_setting_is_a_clear_error(runner, tmp_path, monkeypatch):
    accounts = write(tmp_path / "in", "accounts.csv", "platform,account_id,handle\nx,1,a\n")
    monkeypatch.setenv("KOLMAP_STORE_MEMORY_LIMIT", "lots")
    out = run(runner, "ingest", str(accounts), "--store", "m.duckdb", code=1)
    assert "store.memory_limit 'lots' is not a size DuckDB accepts" in out.output


def test_rejected_rows_are_reported_with_the_quarantine_file(runner, tmp_path):
    folder = tmp_path / "q"
    write(folder, "accounts.csv", "platform,account_id,followers\nx,1,12\nx,2,lots\n")
    out = run(runner, "ingest", str(folder), "--store", "q.duckdb", "--tolerance", "50%")
    assert "1 of 2 rows quarantined" in out.output
    qfile = next(Path("q.quarantine").glob("*.csv"))
    row = next(csv.DictReader(qfile.open(encoding="utf-8")))
    assert row["line"] == "3" and "followers must be a whole number" in row["reason"]
    out = run(runner, "ingest", str(folder), "--store", "q2.duckdb", "--tolerance", "0", code=1)
    assert "nothing was committed" in out.output


def test_usage_errors(runner, sample_dir):
    run(runner, "ingest", str(sample_dir), "--json")
    out = run(runner, "rank", "--area", "astrology", code=2)
    assert "unknown area 'astrology'" in out.output
    out = run(runner, "rank", "--since", "yesterday", code=2)
    assert "expected a date" in out.output
    out = run(runner, "rank", "--store", "missing.duckdb", code=1)
    assert "no store here yet" in out.output
    out = run(runner, "ingest", "nowhere", code=1)
    assert "nowhere: no such file or folder" in out.output


def test_formula_cells_are_neutralised_in_csv(runner, tmp_path):
    folder = tmp_path / "inj"
    write(
        folder,
        "accounts.csv",
        "platform,account_id,handle,display_name,bio\n"
        'x,1,evil,"=HYPERLINK(""http://x"",""c"")",Oncologue\n'
        "x,2,peer,Peer,Oncologue médical\n",
    )
    write(
        folder,
        "posts.csv",
        "platform,post_id,author_id,text\nx,1,2,cancer du sein @evil\nx,2,1,cancer du sein\n",
    )
    run(runner, "ingest", str(folder), "--json")
    out = run(runner, "rank", "--kind", "kol", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    names = {r["handle"]: r["display_name"] for r in rows}
    assert names["evil"] == '\'=HYPERLINK("http://x","c")'


def test_inspection_commands(runner, sample_dir):
    run(runner, "ingest", str(sample_dir), "--json")
    assert "oncology" in run(runner, "areas").output
    assert "scoring.damping" in run(runner, "config").output
    assert "rows=" in run(runner, "runs").output
    text = run(runner, "stats").output
    assert "accounts" in text and "posts_by_area" in text
    # Times as the app writes them, not "2026-01-05 00:28:11.123+00".
    assert re.search(r"posts from: \d{4}-\d\d-\d\d \d\d:\d\d UTC to ", text), text
    assert re.search(r"last run: \S+ at \d{4}-\d\d-\d\d \d\d:\d\d UTC", text), text
    assert "+00" not in text and "+00" not in run(runner, "runs").output


def test_stats_of_a_store_of_profiles_only_say_so(runner, tmp_path):
    """A store of profiles without posts (the real TwiCOVID19 users file) printed "posts
    from: None to None" and empty lines for its interactions and areas."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "accounts.csv").write_text(
        "platform,account_id,handle,bio\nx,1,ana,Cardiologist\nx,2,ben,Nurse\n", "utf-8"
    )
    run(runner, "ingest", str(folder), "--json")
    text = run(runner, "stats").output
    assert "posts from: no dated post" in text and "None" not in text, text
    assert "interactions: none" in text and "posts_by_area: none" in text, text


def test_erase_and_config_file(runner, sample_dir, tmp_path):
    run(runner, "ingest", str(sample_dir / "accounts.csv"), "--json")
    out = run(runner, "erase", "x:999999999", "--yes")
    assert "erased: nothing was stored" in out.output and "receipt: " in out.output
    Path("kolmap.toml").write_text("[scoring]\ndampng = 0.9\n", "utf-8")
    out = run(runner, "areas", code=1)
    assert "did you mean 'damping'" in out.output


def test_demo_and_sample(runner, tmp_path):
    out = run(runner, "demo", "--top", "3")
    assert "Top KOL — area=oncology" in out.output
    assert Path("kolmap-demo.duckdb").exists()
    out = run(runner, "sample", "gen", "--scale", "0.05", "--seed", "3")
    assert (Path("gen") / "canonical" / "posts.csv").exists()


def test_export_commands(runner, sample_dir):
    run(runner, "ingest", str(sample_dir), "--json")
    for fmt in ("csv", "xlsx", "gexf", "graphml", "json", "html"):
        out = run(
            runner,
            "export",
            "--area",
            "oncology",
            "--kind",
            "dol",
            "--format",
            fmt,
            "--out",
            f"onc.{fmt}",
            "--top",
            "50",
        )
        assert f"wrote onc.{fmt}" in out.output and "pseudonymised" in out.output
        assert Path(f"onc.{fmt}").stat().st_size > 0
    out = run(
        runner,
        "export",
        "--format",
        "gexf",
        "--out",
        "all.gexf",
        "--all-nodes",
        "--colour-by",
        "community",
        "--platform",
        "bluesky",
    )
    assert "accounts and" in out.output
    out = run(
        runner,
        "export",
        "--format",
        "csv",
        "--out",
        "fr.csv",
        "--delimiter",
        ";",
        "--kind",
        "influencer",
        "--no-pseudonymise",
    )
    assert "NOT pseudonymised" in out.output
    log = run(runner, "exports").output
    assert log.count("\n") == 8 and "IDENTIFIED" in log and "pseudonymised" in log
    out = run(runner, "export", "--format", "csv", "--out", "x.csv", "--all-nodes", code=2)
    assert "--all-nodes applies to map formats" in out.output


def test_suppress_command(runner, sample_dir, known_answers):
    run(runner, "ingest", str(sample_dir), "--json")
    target = known_answers["kol"]["oncology"][0]
    out = run(runner, "suppress", target, "--yes")
    assert "accounts 1" in out.output and "suppression_hashes_added 2" in out.output
    run(runner, "ingest", str(sample_dir), "--json")
    ranked = run(runner, "rank", "--area", "oncology", "--format", "json", "--top", "100")
    keys = {f"{r['platform']}:{r['account_id']}" for r in json.loads(ranked.stdout)}
    assert target not in keys


def _sample_store(runner, sample_path: Path) -> None:
    Path("kolmap.duckdb").write_bytes(sample_path.read_bytes())


def test_accounts_lists_roles_with_evidence_and_hides_private_people(runner, sample_store_path):
    _sample_store(runner, sample_store_path)
    out = run(runner, "accounts", "--role", "hcp", "--area", "oncology", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and {r["role"] for r in rows} == {"hcp"}
    assert all("oncology" in r["areas"].split(",") for r in rows)
    expected = "platform,account_id,handle,display_name,role,role_confidence,role_source,"
    assert out.stdout.startswith(expected + "role_evidence,specialty,affiliation,employer,")
    assert any(r["role_evidence"] for r in rows) and all(r["role_confidence"] for r in rows)
    patients = json.loads(run(runner, "accounts", "--role", "patient", "--format", "json").stdout)
    assert patients and all(p["account_id"].startswith("anon-") for p in patients)
    assert all(p["role_evidence"] is None and p["display_name"] is None for p in patients)
    raw = run(runner, "accounts", "--role", "patient", "--limit", "3", "--no-pseudonymise",
              "--format", "json").stdout  # fmt: skip
    assert not any(p["account_id"].startswith("anon-") for p in json.loads(raw))
    flagged = json.loads(run(runner, "accounts", "--flagged", "--format", "json").stdout)
    assert flagged and all(p["automation_risk"] >= 0.5 for p in flagged)
    table = run(runner, "accounts", "--role", "organisation", "--limit", "5").stdout
    assert "5 account(s)" in table
    # The table names each account as `kolmap label` takes it, and its display name.
    first = json.loads(
        run(runner, "accounts", "--role", "organisation", "--limit", "1", "--format", "json").stdout
    )[0]
    assert f"{first['platform']}:{first['account_id']}" in table
    assert str(first["display_name"]).split()[0] in table


def test_label_corrects_a_role_and_an_industry_tie(runner, sample_store_path, tmp_path):
    _sample_store(runner, sample_store_path)
    listed = json.loads(run(runner, "accounts", "--role", "hcp", "--format", "json").stdout)
    rows = [r for r in listed if r["role_source"] == "text"][:2]
    first, second = (f"{r['platform']}:{r['account_id']}" for r in rows)
    out = run(runner, "label", first, "--role", "patient")
    assert "labels: 1 added" in out.stdout and "derived again" in out.stdout
    trail = json.loads(run(runner, "audit", "--action", "ingest", "--json").stdout)
    assert json.loads(trail[0]["facts"])["labels"] == {"added": 1, "updated": 0}
    sheet = tmp_path / "mine.csv"
    platform, account = second.split(":", 1)
    sheet.write_text(
        f"platform,account_id,affiliation,employer\n{platform},{account},industry,@veralis_onco\n",
        encoding="utf-8",
    )
    run(runner, "label", "--file", str(sheet))
    listed = json.loads(run(runner, "accounts", "--no-pseudonymise", "--format", "json").stdout)
    by_key = {f"{r['platform']}:{r['account_id']}": r for r in listed}
    assert by_key[first]["role"] == "patient" and by_key[first]["role_source"] == "label"
    assert by_key[second]["affiliation"] == "industry"
    assert by_key[second]["employer"] == "@veralis_onco"
    ranked = json.loads(
        run(
            runner,
            "rank",
            "--area",
            "oncology",
            "--kind",
            "kol",
            "--top",
            "500",
            "--format",
            "json",
        ).stdout
    )
    assert second not in {f"{r['platform']}:{r['account_id']}" for r in ranked}
    kept = json.loads(
        run(
            runner,
            "rank",
            "--area",
            "oncology",
            "--kind",
            "kol",
            "--top",
            "500",
            "--include-industry",
            "--format",
            "json",
        ).stdout
    )
    flagged = [r for r in kept if f"{r['platform']}:{r['account_id']}" == second]
    assert flagged and flagged[0]["flags"].startswith("industry (@veralis_onco)")
    bad = run(runner, "label", first, "--affiliation", "sponsor", code=2)
    assert "sponsor" in bad.output
    assert "say what to set" in run(runner, "label", first, code=2).output
    assert "PLATFORM:ID or give --file" in run(runner, "label", code=2).output


def test_rank_reports_how_much_the_kol_and_dol_lists_overlap(runner, sample_store_path):
    _sample_store(runner, sample_store_path)
    out = run(runner, "rank", "--area", "oncology", "--kind", "dol", "--top", "10", "--format",
              "csv")  # fmt: skip
    assert re.search(r"KOL and DOL top 10: \d+ account\(s\) in both \(Jaccard", out.output)
    assert "have no role" not in out.output  # the sample's roles are read
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert all(r["kol_score"] and r["dol_score"] for r in rows)
    assert [float(r["score"]) for r in rows] == [float(r["dol_score"]) for r in rows]


def test_rank_says_when_most_accounts_have_no_role(runner, tmp_path):
    """An export without bios (the older rtweet layout) leaves most accounts unknown: the
    KOL and DOL lists then rank only the few whose handle says MD, and the command says so."""
    lines = ["screen_name,user_id,created_at,status_id,text"]
    names = ["AnaVelMD", "BenOkMD"] + [f"user{i}" for i in range(8)]
    for i, name in enumerate(names):
        for j, other in enumerate(names[:3]):
            if other != name:
                lines.append(f"{name},{i},2017-07-2{j}T10:00:00Z,{i * 10 + j},Great talk @{other}")
    write(tmp_path, "tweets.csv", "\n".join(lines) + "\n")
    run(runner, "ingest", "tweets.csv", "--no-warm")
    out = run(runner, "rank", "--kind", "kol", "--format", "csv")
    assert "8 of 10 accounts (80%) have no role" in " ".join(out.output.split())
    assert "KOL lists rank only the 2 accounts read as HCPs or researchers" in " ".join(
        out.output.split()
    )
    dol = run(runner, "rank", "--kind", "dol", "--format", "csv")
    assert "DOL lists rank only the 2 accounts read as HCPs." in " ".join(dol.output.split())
    assert {r["handle"] for r in csv.DictReader(io.StringIO(out.stdout))} == {"AnaVelMD", "BenOkMD"}


def test_rank_says_which_listed_accounts_nobody_endorses(runner, tmp_path):
    """On the real 2014 #BleedingDisorders file the hematology KOL list was two accounts that
    nobody endorsed, ranked on their posts and followers alone, with no word of it."""
    lines = ["screen_name,user_id,created_at,status_id,text,description"]
    bios = {"AnaVel": "Hematologist", "BenOk": "Hematologist", "CyLo": "Hematologist"}
    posts = [("AnaVel", "Talk on #hemophilia by @BenOk"), ("BenOk", "New #hemophilia data"),
             ("CyLo", "Our #hemophilia clinic opens")]  # fmt: skip
    for i, (name, text) in enumerate(posts):
        lines.append(f"{name},{i},2017-07-20T10:00:00Z,{i},{text},{bios[name]}")
    write(tmp_path, "tweets.csv", "\n".join(lines) + "\n")
    run(runner, "ingest", "tweets.csv", "--no-warm")
    out = run(runner, "rank", "--kind", "kol")
    text = " ".join(out.output.split())
    assert "No other account in this scope endorses 2 of the 3 accounts listed" in text
    alone = run(runner, "rank", "--kind", "kol", "--format", "csv")
    endorsed = {
        r["handle"]: int(r["n_endorsers"]) for r in csv.DictReader(io.StringIO(alone.stdout))
    }
    assert endorsed == {"BenOk": 1, "AnaVel": 0, "CyLo": 0}
    assert "No other account" not in alone.stdout


def test_rank_shows_private_individuals_as_pseudonyms_by_default(runner, sample_store_path):
    """`kolmap rank` used to print patients' handles, names and bios in every format."""
    _sample_store(runner, sample_store_path)
    args = ["rank", "--area", "diabetes", "--kind", "influencer", "--top", "30", "--format", "csv"]
    hidden = list(csv.DictReader(io.StringIO(run(runner, *args).stdout)))
    shown = list(csv.DictReader(io.StringIO(run(runner, *args, "--no-pseudonymise").stdout)))
    private = [r for r in shown if r["role"] in ("patient", "public", "unknown")]
    assert private and len(hidden) == len(shown)
    by_rank = {r["rank"]: r for r in hidden}
    for row in private:
        masked = by_rank[row["rank"]]
        assert masked["identity"] == "pseudonym" and masked["handle"].startswith("anon-")
        assert masked["display_name"] == "" and row["handle"] not in masked["reasons"]
    assert "identity" not in shown[0]
    table = run(runner, *args[:-2])
    assert not any(row["handle"] in table.stdout for row in private)
    # The table says why names are missing (a user met ten "anon-" rows and no word of why).
    note = " ".join(table.output.split())
    assert f"{len(private)} of these {len(hidden)} accounts are private individuals" in note
    assert "--no-pseudonymise" in note
    assert "pseudonyms" not in " ".join(run(runner, *args[:-2], "--no-pseudonymise").output.split())


def test_rank_keeps_one_role_of_a_list_with_its_ranks(runner, sample_store_path):
    """`--role` narrows the organisation list (institutions, brands, media) to one kind;
    each row keeps its rank in the whole list and `--top` counts the rows kept."""
    _sample_store(runner, sample_store_path)
    args = ["rank", "--kind", "organisation", "--format", "csv", "--top"]
    whole = list(csv.DictReader(io.StringIO(run(runner, *args, "500").stdout)))
    assert {"organisation", "media"} <= {r["role"] for r in whole}
    kept = list(csv.DictReader(io.StringIO(run(runner, *args, "3", "--role", "media").stdout)))
    media = [r for r in whole if r["role"] == "media"][:3]
    assert [(r["rank"], r["handle"]) for r in kept] == [(r["rank"], r["handle"]) for r in media]
    run(runner, "rank", "--role", "doctor", code=2)
    run(runner, "export", "--kind", "organisation", "--role", "media", "--top", "3",
        "--format", "csv", "--out", "m.csv")  # fmt: skip
    exported = list(csv.DictReader(io.StringIO(Path("m.csv").read_text("utf-8-sig"))))
    assert [(r["rank"], r["handle"]) for r in exported] == [(r["rank"], r["handle"]) for r in kept]
    log = json.loads(run(runner, "exports", "--json").stdout)
    assert json.loads(log[0]["filters"])["roles"] == ["media"]
    out = run(runner, "export", "--role", "media", "--format", "gexf", "--out", "m.gexf", code=1)
    assert "applies to rankings" in out.output


def test_export_all_nodes_maps_every_account_in_scope(runner, sample_store_path):
    """`--all-nodes` used to reach the map as top=0 and wrote an empty graph."""
    _sample_store(runner, sample_store_path)
    run(
        runner, "export", "--area", "oncology", "--format", "json", "--all-nodes", "--out", "a.json"
    )
    run(
        runner, "export", "--area", "oncology", "--format", "json", "--top", "50", "--out", "t.json"
    )
    everyone = json.loads(Path("a.json").read_text())["nodes"]
    top = json.loads(Path("t.json").read_text())["nodes"]
    assert len(top) == 50 and len(everyone) > 500


def test_a_run_that_reads_no_rows_is_refused_and_an_empty_file_is_named(runner, tmp_path):
    """A header-only file used to be a silent "completed" run with 0 rows."""
    write(tmp_path / "h", "accounts.csv", "platform,account_id,handle\n")
    out = run(runner, "ingest", str(tmp_path / "h"), "--no-warm", code=1)
    assert "accounts.csv: no rows, only a header" in out.output
    assert "Traceback" not in out.output
    write(tmp_path / "mix", "accounts.csv", "platform,account_id,handle\nx,5,e\n")
    write(tmp_path / "mix", "follows.csv", "platform,follower_id,followed_id\n")
    out = run(runner, "ingest", str(tmp_path / "mix"), "--no-warm")
    assert "no rows (header only or empty)" in out.stdout


def test_a_semicolon_separated_file_gets_a_delimiter_hint(runner, tmp_path):
    write(tmp_path / "s", "accounts.csv", "platform;account_id;handle\nx;1;a\n")
    out = run(runner, "ingest", str(tmp_path / "s"), "--no-warm", code=1)
    assert "separated by ';'" in out.output and "comma-separated" in out.output


def test_plain_tables_print_missing_cells_blank(capsys):
    """`kolmap rising` printed "None" for accounts without a display name (the 2014 files
    have none; a private individual's is withheld)."""
    import pandas as pd

    from kolmap.cli.science import show_table

    frame = pd.DataFrame({"handle": ["anon-1", "dr_a"], "display_name": [None, "Dr A"],
                          "rise": [2.5, float("nan")]})  # fmt: skip
    show_table(frame, "table", ["handle", "display_name", "rise"])
    out = capsys.readouterr().out
    assert "None" not in out and "NaN" not in out and "Dr A" in out and "2.5" in out
    # Scores with one decimal, as the app (a congress's drivers showed 91.429).
    show_table(pd.DataFrame({"score": [91.429, 5.0]}), "table", ["score"])
    assert capsys.readouterr().out.split() == ["score", "91.4", "5.0"]


def test_the_command_line_starts_without_the_role_model_libraries():
    """scikit-learn and SciPy take about a second to import; only classifying profiles
    needs them, so starting ``kolmap`` (``--help``, ``rank``) does not import them."""
    import subprocess
    import sys

    code = (
        "import sys, kolmap.cli; print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_ingest_counts_add_up_to_the_records_the_files_gave(runner, tmp_path):
    """A retweet's stand-in for a post the file holds folds into it; the posts line says so,
    so added + duplicates + folded is the file's post count (a real 2014 file said "257
    posts" and its posts line accounted for 225)."""
    from .test_flat_formats import TOPSY

    path = write(tmp_path, "Tweets_Celiac_full.csv", "\n".join(TOPSY.splitlines()[:4]) + "\n")
    summary = json.loads(run(runner, "ingest", str(path), "--json", "--no-warm").stdout)
    posts = summary["merge"]["posts"]
    assert posts["retweet_originals_folded"] == 1
    records = summary["files"][0]["records"]["posts"]
    accounted = sum(posts[k] for k in ("added", "updated", "unchanged", "duplicates"))
    assert accounted + posts["retweet_originals_folded"] == records
    out = run(runner, "ingest", str(path), "--store", "b.duckdb", "--no-warm").stdout
    line = next(line for line in out.splitlines() if line.strip().startswith("posts:"))
    assert "1 retweet stand-ins folded into their originals" in line
    assert sum(int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*) ", line)) == records


def test_the_rank_table_leaves_out_columns_blank_on_every_row(runner, tmp_path):
    """A 2014 file has no display names and nothing flagged: the table's name, specialty and
    flags columns were empty on every row, as the app's compact table no longer shows them;
    scores show one decimal, as in the app (8.66 beside 5.439 before)."""
    from .test_flat_formats import TOPSY

    path = write(tmp_path, "Tweets_Celiac_full.csv", "\n".join(TOPSY.splitlines()[:4]) + "\n")
    run(runner, "ingest", str(path), "--no-warm")
    out = run(runner, "rank", "--kind", "any", "--top", "5").stdout
    lines = out.splitlines()
    header = [c.strip() for c in next(ln for ln in lines if "handle" in ln).split("┃")[1:-1]]
    assert "name" not in header and "flags" not in header  # blank on every row
    assert "specialty" in header  # the gastroenterologist's
    first = [c.strip() for c in next(ln for ln in lines if ln.startswith("│ 1 ")).split("│")[1:-1]]
    assert re.fullmatch(r"\d+\.\d", first[header.index("score")])  # one decimal, as the app


def test_accounts_without_a_handle_are_listed_by_their_id(runner, tmp_path):
    """A contact list's nodes have ids only: `kolmap rank` listed them with a blank handle,
    rows that named no one (a real hospital contact network)."""
    write(tmp_path / "h", "metadata_ward.dat", "1 MED\n2 NUR\n3 PAT\n4 ADM\n")
    write(tmp_path / "h", "contacts.dat", "20 1 2\n40 1 2\n60 2 3\n80 1 3\n100 4 1\n")
    run(runner, "ingest", str(tmp_path / "h"), "--no-warm")
    out = run(runner, "rank", "--kind", "kol", "--top", "5").stdout
    rows = [ln.split("│")[1:-1] for ln in out.splitlines() if re.match(r"│ \d", ln)]
    header = [c.strip() for c in next(ln for ln in out.splitlines() if "handle" in ln).split("┃")]
    handles = {r[header.index("handle") - 1].strip() for r in rows}
    assert rows and "" not in handles and handles <= {"1", "2"}, out
