"""Compliance behaviour on every store, Neo4j included (T31, T32): a patient's account keeps
no health detail, and the pharmacovigilance queue works and outlives erasure."""

from __future__ import annotations

import json
from pathlib import Path

from kolmap.graph.duckdb.derive import PATIENT_EVIDENCE
from kolmap.model import AccountKey
from kolmap.views.pharmacovigilance import Product, load_vocabulary, scan

from .conftest import write
from .test_store_contract import any_store, ingest  # noqa: F401  (the store fixture)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "patients"
    write(folder, "accounts.csv", "platform,account_id,handle,display_name,bio\n"
          "x,7,ms_mum,Lea,Diagnosed with multiple sclerosis; on Ocrevimab. Mum of two\n"
          "x,8,dr_neuro,Dr Neuro,Neurologist at CHU Vermeil\n")  # fmt: skip
    write(folder, "posts.csv", "platform,post_id,author_id,created_at,text\n"
          "x,70,7,2026-03-01T10:00:00Z,After my 2nd dose of Ocrevimab I had a seizure\n"
          "x,71,8,2026-03-02T10:00:00Z,Multiple sclerosis update @ms_mum\n")  # fmt: skip
    return folder


def test_a_patients_account_keeps_no_health_detail(any_store, tmp_path):  # noqa: F811
    folder = _folder(tmp_path)
    ingest(any_store, folder)
    ingest(any_store, folder)  # read again: still a patient, still nothing kept
    row = any_store.accounts([AccountKey("x", "7")]).iloc[0]
    assert row["role"] == "patient" and row["role_evidence"] == PATIENT_EVIDENCE
    assert row["bio"] is None or row["bio"] != row["bio"]  # None (NaN in some frames)
    kept = json.dumps(any_store.subject(AccountKey("x", "7"))["accounts"].astype(str).to_dict())
    for detail in ("sclerosis", "ocrevimab", "diagnosed"):
        assert detail not in kept.lower()


def test_the_safety_queue_works_and_outlives_erasure(any_store, tmp_path):  # noqa: F811
    ingest(any_store, _folder(tmp_path))
    products = [Product("Ocrevimab", "ocrevimabum", "Exemplar", ())]
    counts = scan(any_store, products, load_vocabulary(), b"k" * 32)
    assert (counts["found"], counts["queued"]) == (1, 1)
    assert any_store.review_pv_item("x:70", "confirmed", "safety@team", "case 12")
    any_store.erase([AccountKey("x", "7")])
    (item,) = any_store.pv_items().to_dict(orient="records")
    assert item["status"] == "confirmed" and item["reporter"].startswith("anon-")
    assert item["assessment"] == "valid minimum criteria"
