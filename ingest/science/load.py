"""Importing scientific files (``kolmap science import``): each file read, its records tagged
with therapeutic areas, checked and written in one transaction; rejected rows go to the
store's quarantine folder, and a file with more than ``tolerance`` rejections writes nothing.

Areas come from the taxonomy (the same words that tag posts): a work from its title, MeSH
descriptors and keywords; a trial from its title, conditions and condition MeSH terms; a
congress role from its congress (a known congress names its area) and session title.

>>> from kolmap.graph.duckdb import DuckDBStore
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> p = folder / "programme.csv"
>>> _ = p.write_text("congress,session,role,person,affiliation,date\\n"
...     "ASCO 2026,Breast cancer,speaker,Ana Roy,Lyon,2026-06-01\\n")
>>> with DuckDBStore(folder / "s.duckdb") as store:
...     import_science(store, [p], quarantine_dir=folder / "q")[0]["written"]
{'congress_roles': 1}
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kolmap.errors import InputError, RejectedRowsError
from kolmap.graph.store import GraphStore, stamped_id
from kolmap.ingest.areas import Taxonomy, load_taxonomy
from kolmap.ingest.formats.spec import Parsed
from kolmap.ingest.pipeline import parse_tolerance
from kolmap.ingest.quarantine import Quarantine
from kolmap.ingest.science import detect_science_format, read_science
from kolmap.ingest.text import fold

__all__ = ["import_science", "mesh_areas", "tag_areas"]


@cache
def _mesh_rules() -> tuple[re.Pattern[str], dict[str, set[str]]]:
    """The MeSH words of ``ingest/rules/mesh.toml``: one regex, and each word's areas."""
    data = tomllib.loads(
        resources.files("kolmap.ingest.rules").joinpath("mesh.toml").read_text("utf-8")
    )
    areas_of: dict[str, set[str]] = {}
    for area, words in data["areas"].items():
        for word in words:
            areas_of.setdefault(fold(word), set()).add(area)
    body = "|".join(re.escape(w) for w in sorted(areas_of, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({body})s?(?!\w)"), areas_of


def mesh_areas(text: str) -> set[str]:
    """The areas MeSH descriptors or trial conditions in ``text`` point to.

    >>> sorted(mesh_areas("Breast Neoplasms | Heart Failure"))
    ['cardiology', 'oncology']
    """
    pattern, areas_of = _mesh_rules()
    return {a for m in pattern.finditer(fold(text)) for a in areas_of[m.group(1)]}


def tag_areas(kind: str, record: dict[str, Any], taxonomy: Taxonomy) -> dict[str, Any]:
    """``record`` with ``areas`` read from its ``area_text`` (which it no longer carries):
    the taxonomy's keywords and the MeSH words of ``ingest/rules/mesh.toml``."""
    text = record.pop("area_text", "") or ""
    if kind not in ("works", "trials", "congress_roles"):
        return record
    areas = set(taxonomy.tag_text(text)) | mesh_areas(text)
    if kind == "congress_roles":
        congress = str(record.get("congress") or "")
        areas |= set(taxonomy.tag_hashtags([congress.replace(" ", ""), congress.split(" ")[0]]))
    record["areas"] = sorted(areas)
    return record


def import_science(
    store: GraphStore,
    paths: Sequence[str | os.PathLike[str]],
    *,
    quarantine_dir: str | os.PathLike[str],
    tolerance: str = "0",
    taxonomy: Taxonomy | None = None,
    fmt: str | None = None,
) -> list[dict[str, Any]]:
    """Read each file and write its records; one summary per file (format, rows read,
    quarantined, records written per kind, works without an area, quarantine file)."""
    taxonomy = taxonomy or load_taxonomy()
    summaries = []
    for raw in paths:
        path = Path(raw)
        name = detect_science_format(path, fmt)
        quarantine = Quarantine(Path(quarantine_dir), stamped_id(datetime.now(UTC)))
        records: dict[str, list[dict[str, Any]]] = {}
        read = 0
        try:
            for item in read_science(path, name):
                read += 1
                if isinstance(item, Parsed):
                    for kind, record in item.records:
                        tagged = tag_areas(kind, {**record, "source_line": item.line}, taxonomy)
                        records.setdefault(kind, []).append(tagged)
                else:
                    quarantine.add(item)
            if read == 0:
                raise InputError(f"{path}: no records in this {name} file")
            allowed = parse_tolerance(tolerance, read)
            if quarantine.count > allowed:
                qpath = quarantine.close()
                raise RejectedRowsError(
                    f"{path}: {quarantine.count} of {read} records were rejected, more than "
                    f"the tolerance of {allowed} ({tolerance}); nothing was written. Rejected "
                    f"records and reasons: {qpath}",
                    qpath,
                )
            written = store.add_science(records, str(path)) if records else {}
        finally:
            qpath = quarantine.close()
        untagged = sum(1 for r in records.get("works", []) if not r.get("areas"))
        summaries.append(
            {
                "file": str(path),
                "format": name,
                "rows_read": read,
                "quarantined": quarantine.count,
                "written": written,
                "works_without_area": untagged,
                "quarantine_file": qpath,
            }
        )
    return summaries
