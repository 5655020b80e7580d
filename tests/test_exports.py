"""Exports: each format round-trips through a real reader; safe by default (issue 6)."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree
from openpyxl import load_workbook

from kolmap.errors import KolmapError
from kolmap.export import network as network_module
from kolmap.export.exporter import export
from kolmap.graph.duckdb import DuckDBStore
from kolmap.graph.store import Scope
from kolmap.ingest.pipeline import ingest_paths
from kolmap.model import AccountKey
from kolmap.views.privacy import pseudonym

from .conftest import write

EVIL = '=HYPERLINK("http://x.example","c")'
ACCOUNTS = f"""platform,account_id,handle,display_name,bio,followers
x,1,onco_star,Dr Star,Oncologue médical,9000
x,2,"evil_doc","{EVIL.replace('"', '""')}",Oncologue,300
x,3,minus_doc,-2+3,Oncologiste; MD,200
x,4,xss_doc,<script>alert(1)</script>,Oncologue <img src=x onerror=alert(1)>,150
x,5,ctrl_doc,"Bad\x01name\x0c here",Oncologue,120
x,6,anna_patient,Anna Realname,Breast cancer survivor,800
x,7,tab_doc,"\t=1+1",Oncologue,90
"""
POSTS = """platform,post_id,author_id,text
x,10,2,Cancer du sein : merci @onco_star
x,11,3,Cancer du sein et immunothérapie @onco_star @evil_doc
x,12,4,Cancer du sein @onco_star @minus_doc
x,13,5,Cancer du sein @onco_star @xss_doc
x,14,6,Mon cancer du sein : merci @onco_star et @ctrl_doc
x,15,7,Cancer du sein @onco_star @anna_patient
x,16,1,Cancer du sein : nouvelles données @evil_doc @tab_doc
"""


@pytest.fixture
def store(tmp_path: Path):
    folder = tmp_path / "in"
    write(folder, "accounts.csv", ACCOUNTS)
    write(folder, "posts.csv", POSTS)
    with DuckDBStore(tmp_path / "exports.duckdb") as s:
        ingest_paths(s, [folder], quarantine_dir=tmp_path / "q")
        yield s


def do(store, tmp_path, fmt, **kw):
    out = tmp_path / f"out.{fmt}"
    result = export(
        store, Scope(area="oncology"), kind=kw.pop("kind", "kol"), fmt=fmt, out=out, **kw
    )
    return out, result


def test_csv_is_utf8_bom_with_components_and_neutralised_formulas(store, tmp_path):
    out, result = do(store, tmp_path, "csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == result.rows == 6
    expected = {"score", "kol_score", "dol_score", "peer_pagerank", "peer_endorsers", "flags"}
    assert expected | {"trust", "relevance", "reasons"} <= set(rows[0])
    names = {r["handle"]: r["display_name"] for r in rows}
    assert names["evil_doc"] == "'" + EVIL
    assert names["minus_doc"] == "'-2+3"
    assert names["tab_doc"] == "'=1+1"  # ingest trims the tab; the formula is neutralised
    assert names["onco_star"] == "Dr Star"
    assert result.sha256 == hashlib.sha256(raw).hexdigest()


def test_csv_for_french_excel(store, tmp_path):
    out, _ = do(store, tmp_path, "csv", delimiter=";")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows and "," in rows[0]["score"] and "." not in rows[0]["score"]


def test_xlsx_cells_are_text_never_formulas(store, tmp_path):
    out, result = do(store, tmp_path, "xlsx")
    book = load_workbook(out)
    sheet = book["ranking"]
    header = [c.value for c in sheet[1]]
    col = header.index("display_name") + 1
    cells = {
        sheet.cell(r, header.index("handle") + 1).value: sheet.cell(r, col)
        for r in range(2, sheet.max_row + 1)
    }
    assert cells["evil_doc"].value == EVIL and cells["evil_doc"].data_type == "s"
    assert cells["evil_doc"].quotePrefix
    assert cells["minus_doc"].value == "-2+3" and cells["minus_doc"].data_type == "s"
    assert sheet.max_row - 1 == result.rows
    about = {r[0].value: r[1].value for r in book["about"].iter_rows()}
    assert "EFPIA" in about["compliance"] and about["scope"] == "area=oncology"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice_to_csv(path: Path, workdir: Path) -> list[list[str]]:
    """Open ``path`` in headless LibreOffice and save its first sheet as CSV."""
    profile = workdir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false",
            "--outdir",
            str(workdir / "lo"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    produced = workdir / "lo" / (path.stem + ".csv")
    return list(csv.reader(produced.open(encoding="utf-8")))


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_libreoffice_shows_the_literal_text(store, tmp_path, fmt):
    out, _ = do(store, tmp_path, fmt)
    rows = _libreoffice_to_csv(out, tmp_path)
    header = rows[0]
    name = {r[header.index("handle")]: r[header.index("display_name")] for r in rows[1:]}
    # Had the cells been read as formulas, these would show "c", "1" and "2".
    assert EVIL in name["evil_doc"]
    assert "-2+3" in name["minus_doc"]
    assert "=1+1" in name["tab_doc"]


def test_gexf_round_trip_with_layout_and_attributes(store, tmp_path):
    out, result = do(store, tmp_path, "gexf")
    graph = nx.read_gexf(out)
    assert graph.number_of_nodes() == result.rows and graph.number_of_edges() == result.edges
    star = graph.nodes["x:1"]
    for attr in ("role", "area", "score", "influence", "community", "colour", "size"):
        assert attr in star, attr
    assert star["role"] == "hcp" and star["influence"] == pytest.approx(100.0, abs=50)
    tree = etree.parse(str(out))
    ns = {"viz": "http://www.gexf.net/1.2draft/viz"}
    assert len(tree.findall(".//viz:position", ns)) == result.rows
    assert len(tree.findall(".//viz:color", ns)) == result.rows
    edge = next(iter(graph.edges(data=True)))[2]
    assert {"relation", "relations", "weight", "count"} <= set(edge)


def test_graphml_round_trip(store, tmp_path):
    out, result = do(store, tmp_path, "graphml", colour_by="community")
    graph = nx.read_graphml(out)
    assert graph.number_of_nodes() == result.rows
    node = graph.nodes["x:1"]
    assert {"x", "y", "size", "r", "g", "b", "community", "score", "role"} <= set(node)
    etree.parse(str(out))  # well-formed for a strict parser too


def test_json_node_link_round_trip(store, tmp_path):
    out, result = do(store, tmp_path, "json")
    data = json.loads(out.read_text("utf-8"))
    graph = nx.node_link_graph(data, edges="links")
    assert graph.number_of_nodes() == result.rows and graph.graph["area"] == "oncology"


def test_xml_illegal_characters_are_removed_and_counted(store, tmp_path):
    for fmt in ("gexf", "graphml"):
        out, result = do(store, tmp_path, fmt)
        assert result.removed_characters >= 2
        etree.parse(str(out))
        assert "Badname here" in out.read_text("utf-8")
    assert store.accounts([AccountKey("x", "5")]).iloc[0]["display_name"] == "Bad\x01name\x0c here"


def test_html_map_is_standalone_and_escapes_untrusted_text(store, tmp_path):
    out, result = do(store, tmp_path, "html")
    page = out.read_text("utf-8")
    assert "vis.Network" in page and "https://" not in page.split("<script>")[0]
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert result.rows == 7


def test_private_individuals_are_pseudonymised_everywhere(store, tmp_path):
    key = (
        (tmp_path / "exports.pseudonym.key").read_bytes()
        if (tmp_path / "exports.pseudonym.key").exists()
        else None
    )
    for fmt in ("csv", "xlsx", "gexf", "graphml", "json", "html"):
        kind = "influencer" if fmt in ("csv", "xlsx") else "kol"
        out, result = do(store, tmp_path, fmt, kind=kind)
        assert result.pseudonymised and result.private_rows >= 1
        blob = out.read_bytes()
        if fmt == "xlsx":
            book = load_workbook(out)
            blob = "\n".join(
                str(c.value) for row in book["ranking"].iter_rows() for c in row
            ).encode()
        for secret in (b"anna_patient", b"Anna Realname", b"x:6", b"Breast cancer"):
            assert secret not in blob, (fmt, secret)
    key = (tmp_path / "exports.pseudonym.key").read_text().strip().encode()
    expected = pseudonym(key, "x", "6")
    out, _ = do(store, tmp_path, "csv", kind="influencer")
    assert expected in out.read_text("utf-8-sig")  # stable across exports


def test_private_endorsers_named_in_reasons_become_their_pseudonym(store, tmp_path):
    def reasons(**kw):
        out, _ = do(store, tmp_path, "csv", **kw)
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        return {r["handle"]: r["reasons"] for r in rows}

    plain = reasons(pseudonymise=False)
    assert "top endorsers @anna_patient" in plain["ctrl_doc"]  # only she mentions @ctrl_doc
    shown = reasons()
    key = (tmp_path / "exports.pseudonym.key").read_text().strip().encode()
    assert "anna_patient" not in shown["ctrl_doc"]
    assert "top endorsers @" + pseudonym(key, "x", "6") in shown["ctrl_doc"]
    # Public endorsers keep their handles.
    assert shown["onco_star"].endswith("top endorsers @evil_doc, @minus_doc, @xss_doc")


def test_pseudonymisation_can_be_turned_off_explicitly_and_is_logged(store, tmp_path):
    out, result = do(store, tmp_path, "csv", kind="influencer", pseudonymise=False)
    assert not result.pseudonymised
    assert "anna_patient" in out.read_text("utf-8-sig")
    log = store.export_log()
    assert not bool(log.iloc[0]["pseudonymised"])
    assert log.iloc[0]["sha256"] == result.sha256 and log.iloc[0]["rows"] == result.rows


def test_suppressed_accounts_never_appear(store, tmp_path):
    store.suppress([AccountKey("x", "1")])
    for fmt in ("csv", "gexf"):
        out, _ = do(store, tmp_path, fmt)
        text = out.read_text("utf-8-sig")
        assert "onco_star" not in text and "Dr Star" not in text


def test_a_failed_export_leaves_the_old_file_and_no_temporary(store, tmp_path, monkeypatch):
    out, _ = do(store, tmp_path, "gexf")
    before = out.read_bytes()
    monkeypatch.setattr(network_module, "graph_bytes", lambda g, fmt: b"<gexf><broken")
    with pytest.raises(Exception, match=r"(?i)(mismatched|no element|syntax|unclosed|parse)"):
        do(store, tmp_path, "gexf")
    assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part.gexf")]


def test_bad_targets_are_clear_errors(store, tmp_path):
    with pytest.raises(KolmapError, match="is a folder"):
        export(store, Scope(), kind="kol", fmt="csv", out=tmp_path)
    with pytest.raises(KolmapError, match="unknown export format"):
        export(store, Scope(), kind="kol", fmt="pdf", out=tmp_path / "x.pdf")


def test_sample_map_has_communities_and_positions(sample_store, tmp_path):
    out = tmp_path / "onc.gexf"
    result = export(sample_store, Scope(area="oncology"), kind="kol", fmt="gexf", out=out, top=300)
    graph = nx.read_gexf(out)
    assert result.rows == 300 and graph.number_of_nodes() == 300
    xs = [d["x"] for _n, d in graph.nodes(data=True)]
    assert max(xs) - min(xs) > 500  # laid out, not piled at the origin
    assert len({d["community"] for _n, d in graph.nodes(data=True)}) >= 2


def test_map_size_limits_and_sizing(sample_store, tmp_path):
    scope = Scope(area="diabetes")
    everyone = len(sample_store.projection(scope).nodes)
    out = tmp_path / "all.json"
    result = export(sample_store, scope, kind="kol", fmt="json", out=out, all_nodes=True)
    assert result.rows == everyone > 40
    result = export(sample_store, scope, kind="kol", fmt="json", out=out, top=40)
    assert result.rows == 40
    export(sample_store, scope, kind="kol", fmt="json", out=out, top=200, size_by="score")
    nodes = json.loads(out.read_text("utf-8"))["nodes"]
    by_score = max(nodes, key=lambda n: n["size"])
    assert by_score["score"] == max(n["score"] for n in nodes) and by_score["role"] == "hcp"
    with pytest.raises(KolmapError, match="size_by"):
        export(sample_store, scope, kind="kol", fmt="json", out=out, size_by="followers")


def test_xlsx_drops_characters_xml_cannot_hold(tmp_path):
    """U+FFFE, U+FFFF and lone surrogates in social text used to fail the whole XLSX export
    ("All strings must be XML compatible")."""
    import io

    import pandas as pd

    from kolmap.export.tabular import write_xlsx

    frame = pd.DataFrame(
        {"name": pd.Series(["Dr \ufffeOdd\uffff", "lone \ud800 half", "ok"], dtype=object)}
    )
    buffer = io.BytesIO()
    removed = write_xlsx(buffer, frame, sheet="ranking")
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert [c.value for c in book["ranking"]["A"]][1:] == ["Dr Odd", "lone  half", "ok"]
    assert removed == 3


def test_an_export_never_replaces_a_device_a_pipe_or_a_link(tmp_path):
    """--out onto /dev/null, a FIFO or a symlink replaced it with a regular file (as root,
    /dev/null itself), and --out /dev/full reported success."""
    import os
    import stat

    from kolmap.export.files import write_atomic

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    real = tmp_path / "real.csv"
    real.write_text("kept")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    for target, message in (
        (Path("/dev/null"), "not a regular file"),
        (Path("/dev/full"), "not a regular file"),
        (fifo, "not a regular file"),
        (link, "a symbolic link"),
        (tmp_path, "a folder"),
    ):
        with pytest.raises(KolmapError, match=message):
            write_atomic(target, lambda fh: fh.write(b"x"))
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert link.is_symlink() and real.read_text() == "kept"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left
