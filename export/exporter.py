"""One export: choose the data (same filters as ``rank``), make it safe, write it atomically,
check it, log it.

Rankings go to CSV or XLSX (score components included); the area map goes to GEXF, GraphML,
JSON node-link or a standalone HTML page. Private individuals are pseudonymised unless the
caller explicitly passes ``pseudonymise=False``; suppressed accounts are never in the store,
so never in an export. Every export is recorded in the store's export log: files written on
this machine when written (:func:`export`, :func:`write_table`), files a browser downloads
(:class:`~kolmap.export.downloads.Download`) when they are downloaded.

>>> FORMATS
('csv', 'xlsx', 'gexf', 'graphml', 'json', 'html')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from kolmap import __version__
from kolmap.errors import KolmapError
from kolmap.export.files import write_atomic
from kolmap.export.html_map import RENDERERS, WEBGL_THRESHOLD, render_html
from kolmap.export.network import check_graph_file, write_graph
from kolmap.export.tabular import to_csv_text, write_xlsx
from kolmap.graph.store import GraphStore, Projection, Scope, stamped_id
from kolmap.scoring.rank import RankKind, keep_roles, rank
from kolmap.scoring.timeline import compare_rankings
from kolmap.settings import ScoringSettings
from kolmap.views.engines import components_on
from kolmap.views.maps import build_map
from kolmap.views.persons import by_person
from kolmap.views.privacy import Privacy, private_mask

__all__ = [
    "FORMATS",
    "ExportResult",
    "export",
    "log_export",
    "ranking_about",
    "write_table",
]

# HTML maps: the WebGL page draws 50,000 nodes and 200,000 edges smoothly (docs/benchmarks.md);
# past this many accounts a browser struggles and GEXF (Gephi) is the format. vis-network,
# when asked for by name, stops at VIS_MAX_NODES.
HTML_MAX_NODES = 150_000
VIS_MAX_NODES = 5_000
FORMATS = ("csv", "xlsx", "gexf", "graphml", "json", "html")
TABULAR = ("csv", "xlsx")
COMPLIANCE_NOTE = (
    "Influence ranking is not promotion. Any paid engagement of the people listed must follow "
    "the EFPIA/IFPMA and national codes (transparency of company involvement, written "
    "agreements, pharmacovigilance training); HCP engagement in France follows the loi "
    "anti-cadeaux. Private individuals are pseudonymised."
)


@dataclass
class ExportResult:
    """What was written."""

    export_id: str
    path: str
    format: str
    rows: int
    edges: int
    sha256: str
    pseudonymised: bool
    private_rows: int
    removed_characters: int
    filters: dict[str, Any]
    # The accounts it shows (see :func:`table_members`); not part of the printed summary.
    members: list[tuple[str, str]] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "members"}


def export(
    store: GraphStore,
    scope: Scope,
    *,
    kind: RankKind | str,
    fmt: str,
    out: str | Path,
    settings: ScoringSettings | None = None,
    top: int | None = None,
    delimiter: str = ",",
    pseudonymise: bool = True,
    colour_by: str = "role",
    all_nodes: bool = False,
    size_by: str = "influence",
    privacy: Privacy | None = None,
    log: bool = True,
    renderer: str = "auto",
    persons: pd.DataFrame | None = None,
    earlier: Scope | None = None,
    roles: Sequence[str] = (),
) -> ExportResult:
    """Write one export file and log it; see the module docstring.

    ``roles`` keeps only the ranking's rows of those roles (each keeping its rank in the
    whole list; ``top`` counts the rows kept): the organisation list without its brands and
    media, say. Rankings only.

    ``earlier`` (the same scope in an earlier window) adds ``previous_rank``,
    ``rank_change``, ``score_change`` and ``movement`` to a ranking.

    ``persons`` (``person_id, identity``, from :func:`kolmap.views.persons.person_links`)
    makes a ranking one row per person: each person's best account, with their others.

    ``top`` limits the ranking rows (default 100) or the map's accounts (default 500, the most
    influential); ``all_nodes`` maps every account in scope. ``privacy`` (default: the store's
    key, or revealed if ``pseudonymise`` is False) decides how private individuals are shown.
    ``log=False`` is for a file that is logged later, when it is downloaded. ``renderer``
    (HTML maps): ``auto`` (vis-network up to :data:`~kolmap.export.html_map.WEBGL_THRESHOLD`
    accounts, WebGL above), ``vis`` or ``webgl``; maps of more than :data:`HTML_MAX_NODES`
    accounts are refused (GEXF takes them).
    """
    if fmt not in FORMATS:
        raise KolmapError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if delimiter not in (",", ";", "\t"):
        raise KolmapError(f"delimiter must be ',', ';' or a tab, got {delimiter!r}")
    if colour_by not in ("role", "community"):
        raise KolmapError(f"colour_by must be role or community, got {colour_by!r}")
    if size_by not in ("influence", "score"):
        raise KolmapError(f"size_by must be influence or score, got {size_by!r}")
    settings = settings or ScoringSettings()
    kind = kind if isinstance(kind, RankKind) else RankKind.parse(kind)
    if privacy is None:
        privacy = Privacy.for_store(store.location, reveal=not pseudonymise)
    if renderer not in RENDERERS:
        raise KolmapError(f"renderer must be one of {', '.join(RENDERERS)}, got {renderer!r}")
    if roles and fmt not in TABULAR:
        raise KolmapError("keeping some roles applies to rankings (csv, xlsx), not to maps")
    projection = store.projection(scope)
    if fmt == "html":
        accounts = len(projection.nodes) if all_nodes else min(top or 500, len(projection.nodes))
        if accounts > HTML_MAX_NODES:
            raise KolmapError(
                f"an HTML map of {accounts:,} accounts is more than a browser draws "
                f"smoothly (at most {HTML_MAX_NODES:,}); map the most influential with "
                "--top, narrow the scope, or export GEXF for Gephi"
            )
        if renderer == "vis" and accounts > VIS_MAX_NODES:
            raise KolmapError(
                f"vis-network cannot lay out {accounts:,} accounts (at most "
                f"{VIS_MAX_NODES:,}); use the WebGL renderer (the default above "
                f"{WEBGL_THRESHOLD:,})"
            )
    target = Path(out)
    if target.is_dir():
        raise KolmapError(f"{target}: is a folder; give a file name")
    try:
        return _write(
            store,
            projection,
            scope,
            kind,
            fmt,
            target,
            settings,
            top,
            delimiter,
            privacy,
            colour_by,
            all_nodes,
            size_by,
            log,
            renderer,
            persons,
            earlier,
            tuple(roles),
        )
    except OSError as err:
        raise KolmapError(f"{target}: cannot write the export: {err.strerror or err}") from err


def _write(
    store: GraphStore,
    projection: Projection,
    scope: Scope,
    kind: RankKind,
    fmt: str,
    target: Path,
    settings: ScoringSettings,
    top: int | None,
    delimiter: str,
    privacy: Privacy,
    colour_by: str,
    all_nodes: bool,
    size_by: str,
    log: bool,
    renderer: str = "auto",
    persons: pd.DataFrame | None = None,
    earlier: Scope | None = None,
    roles: tuple[str, ...] = (),
) -> ExportResult:
    title = f"kolmap {kind.value} map — {scope.describe()}"
    components = components_on(store, projection, settings)
    if fmt in TABULAR:
        top_n = None if roles else top or 100
        table = rank(projection, kind, settings, top=top_n, components=components)
        if roles:
            table = keep_roles(table, roles, top or 100)
        if earlier is not None:
            before = store.projection(earlier)
            table = compare_rankings(
                table,
                rank(before, kind, settings, components=components_on(store, before, settings)),
            )
        private_rows = int(private_mask(table["role"]).sum()) if len(table) else 0
        table = privacy.ranking(table, projection)
        if persons is not None:
            table = by_person(table, persons)
        rows, edges = len(table), 0
        members = table_members(table)
        digest, removed = write_table(
            target,
            table,
            fmt,
            about=ranking_about(kind, scope, settings, rows, privacy.protects),
            delimiter=delimiter,
        )
    else:
        result = build_map(
            projection,
            kind,
            settings,
            top=None if all_nodes else (500 if top is None else top),
            colour_by=colour_by,
            size_by=size_by,
            privacy=privacy,
            seed=settings.seed,
            components=components,
        )
        graph = result.graph
        rows, edges = graph.number_of_nodes(), graph.number_of_edges()
        members = graph_members(graph)
        private_rows, removed = result.pseudonymised, result.removed_characters
        if fmt == "html":
            page = render_html(graph, title=title, renderer=renderer)
            digest = write_atomic(
                target, lambda fh: fh.write(page.encode("utf-8")), check=check_html_file
            )
        else:
            digest = write_atomic(
                target,
                lambda fh: write_graph(fh, graph, fmt),
                check=partial(check_graph_file, fmt=fmt, expected={"nodes": rows, "edges": edges}),
            )
    filters = {
        "kind": kind.value,
        "scope": scope.describe(),
        "top": top,
        "colour_by": colour_by if fmt not in TABULAR else None,
        **({"roles": list(roles)} if roles else {}),
    }
    export_id = (
        log_export(
            store,
            fmt=fmt,
            path=target,
            filters=filters,
            rows=rows,
            sha256=digest,
            pseudonymised=privacy.protects,
            members=members,
        )
        if log
        else ""
    )
    return ExportResult(
        export_id,
        str(target),
        fmt,
        rows,
        edges,
        digest,
        privacy.protects,
        private_rows,
        removed,
        filters,
        members,
    )


def write_table(
    target: Path,
    table: pd.DataFrame,
    fmt: str,
    *,
    about: dict[str, Any],
    sheet: str = "ranking",
    delimiter: str = ",",
) -> tuple[str, int]:
    """Write ``table`` atomically as CSV or as XLSX (``about`` on a second sheet), re-reading
    it first; returns the file's SHA-256 and how many characters XLSX could not hold.

    A ``;`` delimiter writes decimal commas, as spreadsheets set to French expect.
    """
    rows = len(table)
    if fmt == "csv":
        text = to_csv_text(
            table, delimiter=delimiter, bom=True, decimal="," if delimiter == ";" else "."
        )
        digest = write_atomic(
            target,
            lambda fh: fh.write(text.encode("utf-8")),
            check=partial(_check_csv, rows=rows, delimiter=delimiter),
        )
        return digest, 0
    counted: list[int] = []
    digest = write_atomic(
        target,
        lambda fh: counted.append(write_xlsx(fh, table, sheet=sheet, about=about)),
        check=partial(_check_xlsx, rows=rows, sheet=sheet),
    )
    return digest, sum(counted)


def table_members(table: pd.DataFrame) -> list[tuple[str, str]]:
    """The accounts a table shows, as ``(platform, account_id)`` (a pseudonym for a private
    individual); none for a table without those columns.

    >>> table_members(pd.DataFrame({"platform": ["x"], "account_id": ["42"]}))
    [('x', '42')]
    """
    if not {"platform", "account_id"} <= set(table.columns):
        return []
    pairs = zip(table["platform"].astype(str), table["account_id"].astype(str), strict=True)
    return list(pairs)


def graph_members(graph: nx.DiGraph) -> list[tuple[str, str]]:
    """The accounts a map shows, as :func:`table_members` gives them (a pseudonymised node
    is known by its id, the pseudonym)."""
    return [
        (str(attrs.get("platform", "")), str(attrs.get("account_id", node)))
        for node, attrs in graph.nodes(data=True)
    ]


def log_export(
    store: GraphStore,
    *,
    fmt: str,
    path: Path | str,
    filters: dict[str, Any],
    rows: int,
    sha256: str,
    pseudonymised: bool,
    members: Sequence[tuple[str, str]],
) -> str:
    """Record a written file in the store's export log (every export, from the command line,
    the app's exports or its shortlist); returns the new export id. ``path`` is a file on
    this machine (logged as an absolute path) or a text such as ``download:<file name>``;
    ``members`` are the accounts it shows (:func:`table_members`, :func:`graph_members`),
    kept as keyed hashes so that an erasure lists the exports that held the person."""
    now = datetime.now(UTC)
    export_id = stamped_id(now)
    store.record_export(
        {
            "export_id": export_id,
            "at": now,
            "format": fmt,
            "path": str(path.resolve()) if isinstance(path, Path) else path,
            "filters": filters,
            "rows": rows,
            "sha256": sha256,
            "pseudonymised": pseudonymised,
            "kolmap_version": __version__,
            "members": list(members),
        }
    )
    return export_id


def ranking_about(
    kind: RankKind,
    scope: Scope,
    settings: ScoringSettings,
    rows: int,
    pseudonymised: bool,
    narrowed: str = "",
) -> dict[str, Any]:
    """The ``about`` sheet of a ranking export; ``narrowed`` names filters applied to the
    ranked rows after ranking (the app's language and location filters)."""
    weights = ", ".join(f"{k} {v}" for k, v in kind.weights(settings).items())
    return {
        "what": f"kolmap {kind.value} ranking",
        "scope": scope.describe() + (f"; rows narrowed to {narrowed}" if narrowed else ""),
        "rows": rows,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "kolmap version": __version__,
        "score": f"100 × relevance^{settings.relevance_exponent} × weighted mean of components "
        f"({weights}); see docs/scoring.md",
        "private individuals": "pseudonymised"
        if pseudonymised
        else "NOT pseudonymised (explicitly requested)",
        "compliance": COMPLIANCE_NOTE,
    }


def _check_csv(path: Path, rows: int, delimiter: str) -> None:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        got = sum(1 for _ in csv.reader(fh, delimiter=delimiter)) - 1
    if got != rows:
        raise KolmapError(f"{path.name}: re-read {got} rows, wrote {rows}")


def _check_xlsx(path: Path, rows: int, sheet: str) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
        got = (book[sheet].max_row or 1) - 1
        book.close()
    except Exception as err:  # any reader failure means the file is not usable
        raise KolmapError(f"{path.name}: the workbook cannot be re-read: {err}") from err
    if got != rows:
        raise KolmapError(f"{path.name}: re-read {got} rows, wrote {rows}")


def check_html_file(path: Path) -> None:
    text = path.read_text("utf-8")
    drawn = "vis.Network" in text or "new Sigma(graph" in text  # vis-network or WebGL
    if 'id="graph-data"' not in text or not drawn or not text.rstrip().endswith("</html>"):
        raise KolmapError(f"{path.name}: the map page is incomplete")
