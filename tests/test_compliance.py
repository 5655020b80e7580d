"""Data-subject rights from the command line (reliability cases T29, T30): an erasure reaches
the store's bytes, other people's posts, quarantine files and the app's caches, lists past
exports and leaves a receipt and an audit line; a suppressed account never comes back and
its rejected rows are not kept in clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kolmap.graph.duckdb import DuckDBStore

from .conftest import run, write

ACCOUNTS = """platform,account_id,handle,display_name,bio,followers
x,1,DrMartin,Dr Martin,Oncologue médical au CHU Vermeil,5000
x,2,nurse_jo,Jo,Infirmière en cancérologie,200
x,3,anna_bc,Anna Quillard,Diagnosed with breast cancer last year,900
"""
POSTS = """platform,post_id,author_id,created_at,text,likes
x,10,1,2026-05-30T09:00:00Z,Nouvelles données #ASCO26 sur le cancer du sein,40
x,11,2,2026-05-30T10:00:00Z,Merci @DrMartin pour cette session !,2
x,12,3,2026-05-31T10:00:00Z,RT @anna_bc: my chemo week and tamoxifen,0
x,13,3,2026-06-01T10:00:00Z,Thank you @DrMartin for the #ASCO26 talk,5
x,14,3,2026-06-02T10:00:00Z,Second cycle of tamoxifen done,many
"""
FOLLOWS = "platform,follower_id,followed_id\nx,2,1\nx,3,1\nx,1,2\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    write(folder, "accounts.csv", ACCOUNTS)
    write(folder, "posts.csv", POSTS)
    write(folder, "follows.csv", FOLLOWS)
    return folder


def _bytes_of(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_an_erased_patient_is_gone_from_every_file_kolmap_keeps(runner, data, tmp_path):
    """Review: after `kolmap erase` (even with CHECKPOINT and VACUUM) the patient's name and
    health post were readable in the .duckdb file's bytes, in the quarantine file, in other
    people's posts and in the app's cache; earlier exports were not flagged; no receipt."""
    run(runner, "ingest", str(data), "--tolerance", "1", "--no-warm")
    run(runner, "export", "--kind", "influencer", "--format", "csv", "--out", "top.csv",
        "--top", "50", "--no-pseudonymise")  # fmt: skip
    cache = tmp_path / "kolmap.cache"
    cache.mkdir(exist_ok=True)
    (cache / "scope.arrow").write_bytes(b"anna_bc tamoxifen")  # what the app had computed
    store_file = tmp_path / "kolmap.duckdb"
    before = store_file.read_bytes()
    assert b"Anna Quillard" in before and b"tamoxifen" in before
    assert b"tamoxifen" in _bytes_of(tmp_path / "kolmap.quarantine")

    out = run(runner, "erase", "x:3", "--yes")

    assert "recall: export" in out.output and "top.csv" in out.output
    for secret in (b"Anna Quillard", b"anna_bc", b"tamoxifen", b"Diagnosed with breast"):
        assert secret not in store_file.read_bytes(), secret
        assert secret not in _bytes_of(tmp_path / "kolmap.quarantine"), secret
        assert not cache.exists() or secret not in _bytes_of(cache), secret
    receipt_path = Path(out.output.split("receipt: ")[1].strip())
    receipt = json.loads(receipt_path.read_text("utf-8"))
    assert receipt["action"] == "erase" and len(receipt["subjects"]) == 1
    assert receipt["removed"]["accounts"] == 1 and receipt["removed"]["reposts_emptied"] == 0
    assert receipt["places"]["quarantine_rows_redacted"] == 1
    assert receipt["exports_to_recall"][0]["path"].endswith("top.csv")
    assert b"anna" not in receipt_path.read_bytes().lower()  # hashes only
    with DuckDBStore(store_file) as store:
        actions = store.audit_log()["action"].tolist()
        assert actions[:2] == ["receipt", "erase"]
        assert b"anna" not in json.dumps(store.audit_log()["facts"].tolist()).lower().encode()
        kept = store.sql("SELECT post_id FROM posts ORDER BY post_id")["post_id"].tolist()
        assert kept == ["10", "11", "13"] or kept == ["10", "11"]  # its posts are gone


def test_erasure_redacts_the_handle_in_other_peoples_posts(runner, data, tmp_path):
    run(runner, "ingest", str(data), "--tolerance", "1", "--no-warm")
    out = run(runner, "erase", "x:1", "--yes")
    with DuckDBStore(tmp_path / "kolmap.duckdb") as store:
        texts = dict(store.db.rows("SELECT post_id, text FROM posts"))
    assert texts["11"] == "Merci @[erased] pour cette session !"
    assert "@[erased]" in texts["13"] and "DrMartin" not in texts["13"]
    assert b"drmartin" not in (tmp_path / "kolmap.duckdb").read_bytes().lower()
    assert "posts_redacted 2" in out.output


def test_a_suppressed_account_is_dropped_at_ingest_and_its_rejects_are_not_kept(
    runner, data, tmp_path
):
    """Review: suppressing by handle before the account arrived said "hash added", yet the
    account was then ingested in full, and its rejected rows went to the quarantine file in
    clear. The suppression list holds (hash, date, scope) only."""
    run(runner, "suppress", "x:@anna_bc", "--yes")
    out = run(runner, "ingest", str(data), "--tolerance", "1", "--no-warm", "--json")
    summary = json.loads(out.output[out.output.index("{") :])
    assert summary["merge"]["suppressed"]["accounts"] == 1
    with DuckDBStore(tmp_path / "kolmap.duckdb") as store:
        assert store.sql("SELECT * FROM accounts WHERE handle_lc = 'anna_bc'").empty
        assert store.sql("SELECT * FROM posts WHERE author_id = '3'").empty
        table = store.sql("SELECT * FROM suppressions")
        assert list(table.columns) == ["hash", "added_at", "scope"]
    assert b"anna_bc" not in _bytes_of(tmp_path / "kolmap.quarantine")
    assert b"tamoxifen" not in _bytes_of(tmp_path / "kolmap.quarantine")


def test_an_access_request_returns_everything_held_and_is_audited(runner, data, tmp_path):
    """`kolmap subject` (right of access): every row on the account, where it came from,
    the exports that showed it, its quarantined rows; then the same account erased leaves
    nothing to report."""
    run(runner, "ingest", str(data), "--tolerance", "1", "--no-warm")
    run(
        runner,
        "export",
        "--kind",
        "influencer",
        "--format",
        "csv",
        "--out",
        "top.csv",
        "--top",
        "50",
    )  # fmt: skip  (pseudonymised: found by its pseudonym)
    report = json.loads(run(runner, "subject", "x:3").output)
    assert report["held"]["accounts"][0]["handle"] == "anna_bc"
    assert {p["post_id"] for p in report["held"]["posts"]} == {"12", "13"}
    assert (
        report["held"]["follows"]
        == [
            {
                "platform": "x",
                "follower_id": "3",
                "followed_id": "1",
                **report["held"]["follows"][0],
            }
        ]
        or len(report["held"]["follows"]) == 1
    )
    assert report["sources"] and all(s.endswith(".csv") for s in report["sources"])
    assert [e["path"].endswith("top.csv") for e in report["exports"]] == [True]
    assert report["quarantined_rows"][0]["line"] == "6" and report["suppressed"] is False
    with DuckDBStore(tmp_path / "kolmap.duckdb") as store:
        assert store.audit_log()["action"].iloc[0] == "access"
    run(runner, "suppress", "x:3", "--yes")
    after = json.loads(run(runner, "subject", "x:3").output)
    assert after["suppressed"] is True and not any(after["held"].values())
    assert after["quarantined_rows"] == []  # blanked by the suppression


def test_no_health_detail_is_kept_on_a_patients_account(tmp_path):
    """T31 and the review: every patient account of the sample kept its condition in
    ``bio_areas``, phrases such as "bio:diagnosed with" in its role evidence, and its raw bio
    with the drug name. Now the account keeps none of them; its posts still count in the
    area's aggregates, and it stays a patient at the next run."""
    from kolmap.graph.duckdb.derive import PATIENT_EVIDENCE
    from kolmap.ingest.pipeline import ingest_paths

    folder = tmp_path / "in"
    write(folder, "accounts.csv", "platform,account_id,handle,display_name,bio\n"
          "x,7,ms_mum,Lea,Diagnosed with multiple sclerosis last year; on Ocrevimab. Mum of two\n"
          "x,8,dr_neuro,Dr Neuro,Neurologist at CHU Vermeil\n")  # fmt: skip
    write(folder, "posts.csv", "platform,post_id,author_id,created_at,text\n"
          "x,70,7,2026-03-01T10:00:00Z,After my 2nd dose of Ocrevimab #multiplesclerosis\n"
          "x,71,8,2026-03-02T10:00:00Z,Multiple sclerosis update @ms_mum\n")  # fmt: skip
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        for _ in range(2):  # the second run must keep it a patient, with nothing withheld back
            ingest_paths(store, [folder], quarantine_dir=tmp_path / "q")
            row = store.sql("SELECT * FROM account_view WHERE account_id = '7'").iloc[0]
            assert row["role"] == "patient"
            assert row["bio"] is None and list(row["bio_areas"]) == []
            assert row["role_evidence"] == PATIENT_EVIDENCE
        held = json.dumps(
            [
                store.sql(f"SELECT * FROM {t} WHERE account_id = '7'")
                .astype(str)
                .to_dict("records")
                for t in ("accounts", "text_roles", "labels")
            ]
        ).lower()
        for detail in ("diagnosed", "sclerosis", "ocrevimab", "neurology"):
            assert detail not in held, detail
        areas = store.sql("SELECT area FROM post_areas WHERE post_id = '70'")["area"].tolist()
        assert areas  # the post still counts in its area's aggregates
        columns = [c.lower() for c in store.sql("SELECT * FROM accounts LIMIT 0").columns]
        assert not [c for c in columns if any(w in c for w in ("condition", "diagnos", "treat"))]


def test_purge_removes_old_posts_keeps_their_counts_and_the_audit(runner, data, tmp_path):
    """Retention: posts past an age leave the store (and its bytes); their counts per area,
    month and author role stay, and the purge is audited."""
    run(runner, "ingest", str(data), "--tolerance", "1", "--no-warm")
    run(runner, "purge", code=2)  # no retention set: a clear usage error
    Path("kolmap.toml").write_text("[privacy]\nretention_days = 10\n", "utf-8")
    with DuckDBStore(tmp_path / "kolmap.duckdb") as store:  # one recent post
        store.db.execute("UPDATE posts SET created_at = now() WHERE post_id = '11'")
    out = run(runner, "purge", "--yes")
    assert "posts 3" in out.output
    with DuckDBStore(tmp_path / "kolmap.duckdb") as store:
        assert store.sql("SELECT post_id FROM posts")["post_id"].tolist() == ["11"]
        kept = store.sql("SELECT * FROM area_activity")
        assert set(kept["area"]) == {"oncology"} and kept["post_count"].sum() >= 1
        facts = json.loads(store.audit_log("purge")["facts"].iloc[0])
        assert facts["removed"]["posts"] == 3
    assert b"ASCO26 sur le cancer du sein" not in (tmp_path / "kolmap.duckdb").read_bytes()


def test_pharmacovigilance_queue_finds_reports_and_keeps_them(runner, tmp_path):
    """T32: a post with all four criteria is queued as such, a vague complaint as "possible,
    incomplete"; counts reconcile; reviews are recorded; the item survives erasure of its
    reporter and a retention purge, and no export carries it."""
    folder = tmp_path / "pv"
    write(folder, "accounts.csv", "platform,account_id,handle,display_name,bio\n"
          "x,7,ms_mum,Lea,Mum of two. Living with MS\n"
          "x,8,dr_neuro,Dr Neuro,Neurologist at CHU Vermeil\n")  # fmt: skip
    write(folder, "posts.csv", "platform,post_id,author_id,created_at,text\n"
          "x,70,7,2025-03-01T10:00:00Z,After my 2nd dose of Ocrevimab I had a seizure\n"
          "x,71,7,2025-03-02T10:00:00Z,this drug is awful\n"
          "x,72,8,2025-03-03T10:00:00Z,Ocrevimab data at #ECTRIMS2025 look solid\n"
          "x,73,8,2025-03-04T10:00:00Z,Après le traitement par OCRV ma patiente a eu des vertiges\n")  # fmt: skip
    products = write(tmp_path, "products.csv", "product,generic,company,aliases\n"
                     "Ocrevimab,ocrevimabum,Exemplar Pharma,OCRV|ocre-vimab\n")  # fmt: skip
    run(runner, "ingest", str(folder), "--no-warm")
    counts = json.loads(run(runner, "pv", "scan", "--products", str(products)).output)
    assert counts["found"] == counts["queued"] == 3 and counts["already_queued"] == 0
    assert counts["by_assessment"] == {"valid minimum criteria": 2, "possible, incomplete": 1}
    queue = {
        i["post_id"]: i for i in json.loads(run(runner, "pv", "queue", "--format", "json").output)
    }
    assert set(queue) == {"70", "71", "73"}
    assert queue["70"]["assessment"] == "valid minimum criteria"
    assert queue["70"]["permalink"] == "https://x.com/i/web/status/70"
    assert queue["70"]["reporter"].startswith("anon-") and "ms_mum" not in json.dumps(queue)
    assert queue["71"]["assessment"] == "possible, incomplete" and queue["71"]["product"] is None
    again = json.loads(run(runner, "pv", "scan", "--products", str(products)).output)
    assert (again["queued"], again["already_queued"]) == (0, 3)  # reconciles: nothing twice
    run(runner, "pv", "review", "x:70", "--status", "forwarded", "--note", "to EU QPPV")
    run(runner, "pv", "review", "x:99", "--status", "dismissed", code=1)
    run(runner, "export", "--kind", "influencer", "--format", "csv", "--out", "top.csv",
        "--top", "50", "--no-pseudonymise")  # fmt: skip
    assert "seizure" not in Path("top.csv").read_text("utf-8")
    run(runner, "erase", "x:7", "--yes")
    run(runner, "purge", "--older-than", "30d", "--yes")
    kept = {
        i["post_id"]: i for i in json.loads(run(runner, "pv", "queue", "--format", "json").output)
    }
    assert set(kept) == {"70", "71", "73"} and kept["70"]["status"] == "forwarded"
    assert kept["70"]["text"] == "After my 2nd dose of Ocrevimab I had a seizure"
    with DuckDBStore(tmp_path / "kolmap.duckdb") as store:
        assert store.sql("SELECT * FROM posts").empty  # purged, yet the safety items stay
        review = store.audit_log("pv-review").iloc[0]
        assert json.loads(review["facts"]) == {"item_id": "x:70", "status": "forwarded"}


OPEN_PAYMENTS = (
    "Change_Type,Record_ID,Program_Year,Payment_Publication_Date,Dispute_Status_for_Publication,"
    "Covered_Recipient_NPI,Covered_Recipient_First_Name,Covered_Recipient_Last_Name,"
    "Applicable_Manufacturer_or_Applicable_GPO_Making_Payment_Name,"
    "Total_Amount_of_Payment_USDollars,Date_of_Payment,Nature_of_Payment_or_Transfer_of_Value\n"
    "NEW,901,2023,01/30/2025,No,1234567893,Claire,Martin,Exemplar Inc,150.25,03/14/2023,Food\n"
    "NEW,902,2023,01/30/2025,Yes,1234567893,Claire,Martin,Exemplar Inc,2000,05/02/2023,Consulting\n"
    "NEW,903,2023,01/30/2025,No,,Claire,Martin,Exemplar Inc,99,05/02/2023,Food\n"
    "DELETED,904,2023,01/30/2025,No,1234567893,Claire,Martin,Exemplar Inc,0,05/02/2023,Food\n"
)
TRANSPARENCE_SANTE = (
    "entreprise_identifiant;denomination_sociale;ligne_identifiant;ligne_rectification;"
    "benef_nom;benef_prenom;identifiant_type;benef_identifiant_valeur;avant_date_signature;"
    "avant_montant_ttc;avant_nature;semestre\n"
    "E1;Exemplar SAS;A1;N;JOLY;Jo;RPPS;10101010101;14/03/2021;1 234,56;REPAS;2021-S1\n"
)


def test_declared_payments_link_by_number_and_stay_out_of_brand_work(runner, data, tmp_path):
    """Open Payments and Transparence Santé reach an account only through a registry number
    the user links to it; the conflict-of-interest view is refused to brand and marketing
    work, shown to compliance, and never changes a score."""
    run(runner, "ingest", str(data), "--tolerance", "1", "--no-warm")
    op = write(tmp_path, "OP_DTL_GNRL_PGYR2023_P01302025.csv", OPEN_PAYMENTS)
    ts = write(tmp_path, "declaration_avantage_2021_06_30_04_00.csv", TRANSPARENCE_SANTE)
    run(runner, "transparency", "import", str(op), code=1)  # a row without NPI: over tolerance
    out = json.loads(run(runner, "transparency", "import", str(op), str(ts),
                         "--tolerance", "1").output)  # fmt: skip
    assert [(s["rows_read"], s["quarantined"], s["added"]) for s in out] == [(4, 1, 2), (1, 0, 1)]
    links = write(tmp_path, "links.csv", "platform,account_id,registry,registry_id\n"
                  "x,1,npi,1234567893\nx,2,RPPS,10101010101\n")  # fmt: skip
    assert "linked 2" in run(runner, "transparency", "link", str(links)).output
    brand = json.loads(run(runner, "rank", "--kind", "kol", "--format", "json").stdout)
    assert "coi" not in brand[0]
    assert "compliance and medical affairs only" in run(runner, "coi", code=1).output
    Path("kolmap.toml").write_text('[privacy]\npurpose = "compliance"\n', "utf-8")
    lines = run(runner, "coi").output.splitlines()
    assert lines == [
        "x:1  USD 2,150.25 (2 payments, 2023: Exemplar Inc)  (1 disputed)",
        "x:2  EUR 1,234.56 (1 payments, 2021-S1: Exemplar SAS)",
    ]
    compliance = json.loads(run(runner, "rank", "--kind", "kol", "--format", "json").stdout)
    assert [(r["account_id"], r["score"]) for r in compliance] == [
        (r["account_id"], r["score"]) for r in brand
    ]  # same order, same scores
    flagged = {r["account_id"]: r["coi"] for r in compliance}
    assert flagged.get("1") is True and flagged.get("3", False) is False
    with DuckDBStore(tmp_path / "kolmap.duckdb") as store:
        kept = store.sql("SELECT * FROM transparency").astype(str).to_json()
        assert "Claire" not in kept and "JOLY" not in kept  # numbers only, no names
    removed = write(tmp_path, "OP_REMOVED_DELETED_PGYR2023_P01302025.csv",
                    "Change_Type,Program_Year,Payment_Type,Record_ID\n"
                    "DELETED,2023,General Payment,902\n")  # fmt: skip
    gone = json.loads(run(runner, "transparency", "import", str(removed)).output)
    assert gone[0]["deleted"] == 1
    assert run(runner, "coi").output.splitlines()[0] == (
        "x:1  USD 150.25 (1 payments, 2023: Exemplar Inc)"
    )


def test_identities_are_shown_only_where_the_project_allows_it(runner, data, monkeypatch):
    """Patient-level output shows pseudonyms unless a documented project setting allows
    otherwise (privacy.allow_identities); --no-pseudonymise alone is refused."""
    run(runner, "ingest", str(data), "--tolerance", "1", "--no-warm")
    monkeypatch.delenv("KOLMAP_PRIVACY_ALLOW_IDENTITIES")
    out = run(runner, "accounts", "--role", "patient", "--no-pseudonymise", code=2)
    assert "privacy.allow_identities" in out.output
    listed = json.loads(run(runner, "accounts", "--role", "patient", "--format", "json").stdout)
    assert listed and all(r["handle"].startswith("anon-") for r in listed)
    Path("kolmap.toml").write_text("[privacy]\nallow_identities = true\n", "utf-8")
    shown = run(runner, "accounts", "--role", "patient", "--no-pseudonymise", "--format", "json")
    assert any(r["handle"] == "anna_bc" for r in json.loads(shown.stdout))
