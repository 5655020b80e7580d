"""Files a browser downloads from the app: built like any export, logged when downloaded.

The app offers a file before the user asks for it (Streamlit needs the bytes up front), so a
:class:`Download` holds the finished, checked bytes and what the export log needs, and is
logged by :meth:`Download.log` only when the download button is pressed. Every download the
app offers is built here: rankings (:func:`export_download`, the same code as ``kolmap
export``), tables such as the shortlist (:func:`table_download`), maps
(:func:`map_download`) and files already on disk such as a quarantine (:func:`file_download`).

>>> import pandas as pd
>>> d = table_download(pd.DataFrame({"a": [1]}), "csv", "t.csv", about={}, filters={"x": 1},
...                    pseudonymised=True)
>>> d.rows, d.mime, d.data[:4], d.sha256 == __import__("hashlib").sha256(d.data).hexdigest()
(1, 'text/csv', b'\\xef\\xbb\\xbfa', True)
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pandas as pd

from kolmap.export.exporter import (
    TABULAR,
    check_html_file,
    export,
    graph_members,
    log_export,
    ranking_about,
    table_members,
    write_table,
)
from kolmap.export.files import write_atomic
from kolmap.export.html_map import render_html
from kolmap.export.network import check_graph_file, write_graph
from kolmap.graph.store import GraphStore, Scope
from kolmap.scoring.rank import RankKind
from kolmap.settings import ScoringSettings

__all__ = [
    "MIME",
    "Download",
    "export_download",
    "file_download",
    "map_download",
    "ranking_download",
    "table_download",
]

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gexf": "application/xml",
    "graphml": "application/xml",
    "json": "application/json",
    "html": "text/html",
}


@dataclass(frozen=True)
class Download:
    """A finished file for a browser, and what its export-log entry will say."""

    file_name: str
    data: bytes = field(repr=False)
    fmt: str
    rows: int
    filters: dict[str, Any]
    pseudonymised: bool
    members: list[tuple[str, str]] = field(default_factory=list, repr=False)

    @property
    def mime(self) -> str:
        return MIME.get(self.fmt, "application/octet-stream")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def log(self, store: GraphStore) -> str:
        """Record the download in the store's export log; returns the export id."""
        return log_export(
            store,
            fmt=self.fmt,
            path=f"download:{self.file_name}",
            filters=self.filters,
            rows=self.rows,
            sha256=self.sha256,
            pseudonymised=self.pseudonymised,
            members=self.members,
        )


def export_download(
    store: GraphStore,
    scope: Scope,
    *,
    kind: RankKind | str,
    fmt: str,
    file_name: str,
    **options: Any,
) -> Download:
    """What :func:`~kolmap.export.exporter.export` would write, as a download (not yet logged)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / Path(file_name).name
        result = export(store, scope, kind=kind, fmt=fmt, out=target, log=False, **options)
        data = target.read_bytes()
    return Download(
        file_name, data, fmt, result.rows, result.filters, result.pseudonymised, result.members
    )


def ranking_download(
    table: pd.DataFrame,
    fmt: str,
    file_name: str,
    *,
    kind: RankKind | str,
    scope: Scope,
    settings: ScoringSettings,
    pseudonymised: bool,
    narrowed: dict[str, Any] | None = None,
    delimiter: str = ",",
) -> Download:
    """Exactly the ranking rows a page shows (already protected, already narrowed by the
    page's own filters, named in ``narrowed``) as CSV or XLSX, with the ``about`` sheet of
    ``kolmap export``."""
    if fmt not in TABULAR:
        raise ValueError(f"a ranking is written as csv or xlsx, not {fmt!r}")
    kind = kind if isinstance(kind, RankKind) else RankKind.parse(kind)
    named = "; ".join(f"{k} {v}" for k, v in (narrowed or {}).items() if v)
    about = ranking_about(kind, scope, settings, len(table), pseudonymised, named)
    filters = {"kind": kind.value, "scope": scope.describe(), "top": len(table), **(narrowed or {})}
    return table_download(
        table,
        fmt,
        file_name,
        about=about,
        filters=filters,
        pseudonymised=pseudonymised,
        sheet="ranking",
        delimiter=delimiter,
    )


def table_download(
    table: pd.DataFrame,
    fmt: str,
    file_name: str,
    *,
    about: dict[str, Any],
    filters: dict[str, Any],
    pseudonymised: bool,
    sheet: str = "table",
    delimiter: str = ",",
) -> Download:
    """A table as CSV or XLSX, written and re-read as :func:`write_table` does."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / Path(file_name).name
        write_table(target, table, fmt, about=about, sheet=sheet, delimiter=delimiter)
        data = target.read_bytes()
    members = table_members(table)
    return Download(file_name, data, fmt, len(table), filters, pseudonymised, members)


def map_download(
    graph: nx.DiGraph,
    fmt: str,
    file_name: str,
    *,
    title: str,
    filters: dict[str, Any],
    pseudonymised: bool,
    profile_link: str | None = None,
) -> Download:
    """A map built by :func:`~kolmap.views.maps.build_map` as an HTML page or a graph file."""
    write: Callable[[IO[bytes]], Any]
    if fmt == "html":
        page = render_html(graph, title=title, profile_link=profile_link)
        write, check = (lambda fh: fh.write(page.encode("utf-8"))), check_html_file
    else:
        expected = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
        write = partial(write_graph, graph=graph, fmt=fmt)
        check = partial(check_graph_file, fmt=fmt, expected=expected)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / Path(file_name).name
        write_atomic(target, write, check=check)
        data = target.read_bytes()
    members = graph_members(graph)
    return Download(file_name, data, fmt, graph.number_of_nodes(), filters, pseudonymised, members)


def file_download(
    path: Path, fmt: str, *, rows: int, filters: dict[str, Any], pseudonymised: bool
) -> Download:
    """A file already on this machine (a quarantine, for example), offered as it is."""
    return Download(path.name, path.read_bytes(), fmt, rows, filters, pseudonymised)
