"""The ``kolmap`` command: parses arguments, calls the library, prints results.

Every command takes ``--store`` (else ``$KOLMAP_STORE``, else ``./kolmap.duckdb``); the group
takes ``--config`` (a TOML settings file). Library errors become one-line messages and exit
status 1; nothing here computes anything the library could.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kolmap import __version__
from kolmap.cli_roles import accounts, label
from kolmap.clisupport import (
    F,
    console,
    err_console,
    escape,
    open_store_for,
    reported_errors,
    settings_of,
    store_option,
)
from kolmap.export.exporter import FORMATS, export
from kolmap.export.tabular import to_csv_text, to_json_text
from kolmap.graph.store import Scope, resolve_store_location
from kolmap.ingest.areas import load_taxonomy
from kolmap.ingest.pipeline import IngestSummary, ingest_paths
from kolmap.ingest.text import fold
from kolmap.model import AccountKey, normalise_platform
from kolmap.scoring.components import compute_components
from kolmap.scoring.rank import RankKind, axis_overlap, rank
from kolmap.settings import Settings, iter_settings, load_settings

if TYPE_CHECKING:  # the Neo4j modules load the driver: only when a command needs them
    from kolmap.export.neo4j_scores import PublishedScores

__all__ = ["app_command", "cli", "main"]


def database_option(func: F) -> F:
    return click.option(
        "--database",
        default=None,
        help="Neo4j database (default $KOLMAP_NEO4J_DATABASE or neo4j).",
    )(func)


def gds_option(func: F) -> F:
    return click.option(
        "--gds/--no-gds",
        "use_gds",
        default=None,
        help="PageRank, Leiden and degree by the GDS plugin or in-process (default: GDS when "
        "the server has it).",
    )(func)


def _echo_published(published: PublishedScores, indent: str = "") -> None:
    """One line on what :func:`~kolmap.export.neo4j_scores.publish_scores` wrote."""
    click.echo(
        f"{indent}rankings: {published.scored:,} SCORED relationships in {published.areas} "
        f"areas (PageRank, communities, degree: {published.algorithms})"
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kolmap")
@click.option(
    "--config",
    "config",
    default=None,
    metavar="FILE",
    help="Settings TOML file (default: $KOLMAP_CONFIG or ./kolmap.toml if present).",
)
@click.pass_context
def cli(ctx: click.Context, config: str | None) -> None:
    """kolmap: map the KOLs, DOLs and health influencers of a therapeutic area."""
    with reported_errors():
        ctx.obj = load_settings(config)


# -- ingest -----------------------------------------------------------------------------------
@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--tolerance",
    default=None,
    metavar="N|P%",
    help="Rejected rows allowed before the run fails with nothing committed "
    "(default from settings: 5%).",
)
@click.option("--encoding", default=None, help="Input encoding (default auto: UTF-8 ± BOM).")
@click.option(
    "--quarantine-dir",
    default=None,
    type=click.Path(path_type=Path),
    help="Where rejected rows are written (default: beside the store).",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    metavar="NAME",
    help="Read every file as this format instead of detecting it (see `kolmap formats`).",
)
@click.option(
    "--platform",
    default=None,
    help="Platform for files that do not say it (e.g. x, bluesky, linkedin).",
)
@click.option(
    "--owner",
    default=None,
    help="The exporting account, for personal exports that do not name it (LinkedIn, Instagram).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    store: str | None,
    tolerance: str | None,
    encoding: str | None,
    quarantine_dir: Path | None,
    fmt: str | None,
    platform: str | None,
    owner: str | None,
    as_json: bool,
) -> None:
    """Ingest canonical CSV files or folders (accounts, follows, posts, labels).

    The run is atomic: on any error, or too many rejected rows, nothing is committed.
    Re-ingesting the same files changes nothing.
    """
    settings = settings_of(ctx)
    with reported_errors():
        summary = _run_ingest(
            settings,
            list(paths),
            store,
            tolerance,
            encoding,
            quarantine_dir,
            show_progress=not as_json,
            fmt=fmt,
            platform=platform,
            owner=owner,
        )
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2, default=str))
    else:
        _print_summary(summary)


def _run_ingest(
    settings: Settings,
    paths: list[Path],
    store: str | None,
    tolerance: str | None,
    encoding: str | None,
    quarantine_dir: Path | None,
    *,
    show_progress: bool,
    fmt: str | None = None,
    platform: str | None = None,
    owner: str | None = None,
) -> IngestSummary:
    with open_store_for(store) as target, ExitStack() as stack:
        tick = None
        if show_progress and err_console.is_terminal:
            bar = stack.enter_context(
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    TextColumn("{task.completed:,} rows"),
                    TimeElapsedColumn(),
                    console=err_console,
                    transient=True,
                )
            )
            task = bar.add_task("reading", total=None)

            def tick(path: str, rows: int) -> None:
                bar.update(task, advance=rows, description=f"reading {Path(path).name}")

        return ingest_paths(
            target,
            paths,
            settings=settings,
            tolerance=tolerance,
            encoding=encoding,
            quarantine_dir=quarantine_dir,
            progress=tick,
            fmt=fmt,
            platform=platform,
            owner=owner,
        )


def _print_summary(summary: IngestSummary) -> None:
    out = console()
    table = Table(title=f"Ingest run {summary.run_id} → {summary.store}", title_justify="left")
    for col in ("file", "format", "rows", "accepted", "quarantined", "records", "notes"):
        table.add_column(
            col, justify="right" if col in ("rows", "accepted", "quarantined") else "left"
        )
    for f in summary.files:
        table.add_row(
            f.path,
            f.format,
            f"{f.rows_read:,}",
            f"{f.rows_accepted:,}",
            f"{f.rows_quarantined:,}",
            ", ".join(f"{n:,} {k}" for k, n in f.records.items()),
            "; ".join(
                [f"ignored columns: {', '.join(f.ignored_columns)}"] * bool(f.ignored_columns)
                + [f"repaired: {', '.join(f'{n:,} {k}' for k, n in f.repaired.items())}"]
                * bool(f.repaired)
            ),
        )
    out.print(table)
    merge = summary.merge
    for kind in ("accounts", "posts", "follows", "labels"):
        m = merge.get(kind, {})
        parts = [
            f"{m.get(k, 0):,} {k}"
            for k in ("added", "updated", "unchanged", "duplicates")
            if k in m
        ]
        out.print(f"{kind:>9}: " + ", ".join(parts))
    stubs = merge.get("stubs_created", {})
    out.print(
        f"    stubs: {stubs.get('by_handle', 0):,} from unknown mentioned handles, "
        f"{stubs.get('by_id', 0):,} from unknown ids, "
        f"{merge.get('stubs_merged', 0):,} merged into real accounts"
    )
    for path, reason in summary.skipped:
        out.print(f"  skipped: {path} ({reason})")
    if summary.quarantined:
        out.print(
            f"[yellow]{summary.quarantined:,} of {summary.rows_read:,} rows quarantined → "
            f"{summary.quarantine_path}[/yellow]"
        )
    out.print(f"done in {summary.seconds:.2f} s")


# -- rank -------------------------------------------------------------------------------------
def _parse_time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date like 2026-05-30, got {value!r}", param_hint=option
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_scope(
    area: str | None,
    platforms: tuple[str, ...],
    since: str | None,
    until: str | None,
    hashtags: tuple[str, ...],
    settings: Settings,
) -> Scope:
    """Validate the filters shared by ``rank`` and ``export`` into a :class:`Scope`."""
    if area is not None:
        taxonomy = load_taxonomy(settings.ingest.taxonomy or None)
        if area not in taxonomy.areas:
            raise click.BadParameter(
                f"unknown area {area!r}; known: {', '.join(taxonomy.ids)}", param_hint="--area"
            )
    try:
        plats = tuple(sorted({normalise_platform(p) for p in platforms}))
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--platform") from None
    start, end = _parse_time(since, "--since"), _parse_time(until, "--until")
    if start and end and start >= end:
        raise click.BadParameter("--since must be before --until")
    tags = tuple(sorted({fold(h.lstrip("#")) for h in hashtags if h.strip("# ")}))
    return Scope(area=area, platforms=plats, since=start, until=end, hashtags=tags)


def scope_options(func: F) -> F:
    """The filters shared by ``rank`` and ``export``."""
    options = [
        click.option(
            "--area",
            default=None,
            help="Therapeutic area id (see `kolmap areas`); default: all data.",
        ),
        click.option(
            "--kind",
            "kind",
            type=click.Choice([k.value for k in RankKind]),
            default="kol",
            show_default=True,
            help="What to rank.",
        ),
        click.option(
            "--platform", "platforms", multiple=True, help="Only this platform (repeatable)."
        ),
        click.option("--since", default=None, help="Only posts from this date (ISO-8601)."),
        click.option("--until", default=None, help="Only posts before this date (ISO-8601)."),
        click.option(
            "--hashtag",
            "hashtags",
            multiple=True,
            help="Only conversations with this hashtag (repeatable; a congress set).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("rank")
@scope_options
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--explain", is_flag=True, help="Show the reasons column in the table.")
@click.option(
    "--include-industry",
    is_flag=True,
    default=None,
    help="Keep industry staff and paid partners in KOL, DOL and influencer lists (flagged).",
)
@click.option(
    "--output",
    "-o",
    default=None,
    type=click.Path(path_type=Path),
    help="Write to this file instead of standard output.",
)
@store_option
@click.pass_context
def rank_command(
    ctx: click.Context,
    area: str | None,
    kind: str,
    top: int,
    fmt: str,
    platforms: tuple[str, ...],
    since: str | None,
    until: str | None,
    hashtags: tuple[str, ...],
    explain: bool,
    include_industry: bool | None,
    output: Path | None,
    store: str | None,
) -> None:
    """Rank KOLs, DOLs, influencers or organisations, with the components of each score.

    KOL and DOL lists carry both axes (``kol_score``, ``dol_score``) and report how much
    their top lists overlap."""
    settings = settings_of(ctx)
    scope = build_scope(area, platforms, since, until, hashtags, settings)
    with reported_errors(), open_store_for(store, read_only=True) as source:
        projection = source.projection(scope)
        components = compute_components(projection, settings.scoring)
        table = rank(
            projection,
            kind,
            settings.scoring,
            top=top,
            components=components,
            include_industry=include_industry,
        )
        if kind in ("kol", "dol") and not table.empty:
            other = rank(
                projection,
                "dol" if kind == "kol" else "kol",
                settings.scoring,
                top=top,
                components=components,
                include_industry=include_industry,
            )
            overlap = axis_overlap(table, other, top)
            err_console.print(
                f"KOL and DOL top {top}: {overlap['shared']} account(s) in both "
                f"(Jaccard {overlap['jaccard']:.2f})"
            )
    if fmt == "table" and output is None:
        _print_ranking(table, kind, scope, explain)
        if projection.edges.empty and len(projection.nodes):
            err_console.print(
                f"This scope has {len(projection.nodes):,} accounts but no relations between "
                "them (posts, follows or network edges), so there is nothing to rank them on; "
                "ingest their posts or a network, or see their roles with `kolmap stats`."
            )
        return
    text = to_csv_text(table) if fmt == "csv" else to_json_text(table) + "\n"
    if fmt == "table":
        text = table.to_string(index=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {len(table)} rows to {output}")


def _print_ranking(table: Any, kind: str, scope: Scope, explain: bool) -> None:
    out = console()
    title = f"Top {kind.upper() if kind in ('kol', 'dol') else kind} — {scope.describe()}"
    grid = Table(title=title, title_justify="left")
    cols = [
        "rank",
        "platform",
        "handle",
        "display_name",
        "role",
        "specialty",
        "score",
        *(["kol_score", "dol_score"] if kind in ("kol", "dol") else []),
        "n_peer_endorsers",
        "n_lay_endorsers",
        "relevance",
        "flags",
    ]
    headers = {
        "n_peer_endorsers": "peer endorsers",
        "n_lay_endorsers": "lay endorsers",
        "kol_score": "KOL",
        "dol_score": "DOL",
        "display_name": "name",
    }
    for col in cols:
        grid.add_column(headers.get(col, col), overflow="fold")
    if explain:
        grid.add_column("why", overflow="fold")
    for row in table.to_dict(orient="records"):
        cells = ["" if row[c] is None or row[c] != row[c] else str(row[c]) for c in cols]
        if explain:
            cells.append(str(row["reasons"]))
        grid.add_row(*[escape(c) for c in cells])
    if table.empty:
        out.print(f"No {kind} candidates in scope ({scope.describe()}).")
        return
    out.print(grid)


# -- inspection --------------------------------------------------------------------------------
@cli.command()
@store_option
@click.option("--json", "as_json", is_flag=True)
def stats(store: str | None, as_json: bool) -> None:
    """What is in the store: counts by platform, role and area, time span, last run."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        data = source.stats()
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
        return
    out = Console()
    out.print(f"store: {data['location']}")
    for key in ("accounts", "stub_accounts", "persons", "posts", "follows", "labels", "hashtags"):
        out.print(f"  {key:>14}: {data[key]:,}")
    for key in ("interactions", "by_platform", "by_role", "posts_by_area"):
        out.print(f"  {key:>14}: " + ", ".join(f"{k} {v:,}" for k, v in data[key].items()))
    out.print(f"  {'posts from':>14}: {data['first_post']} to {data['last_post']}")
    last = data["last_run"]
    if last:
        q = last["summary"].get("quarantined", 0)
        out.print(
            f"  {'last run':>14}: {last['run_id']} at {last['finished_at']}, {q:,} rows quarantined"
        )


@cli.command()
@store_option
def runs(store: str | None) -> None:
    """List ingest runs, newest first."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        frame = source.runs()
    for row in frame.to_dict(orient="records"):
        summary = json.loads(row["summary"])
        click.echo(
            f"{row['run_id']}  {row['finished_at']}  {row['status']}  "
            f"rows={summary.get('rows_read', 0)} quarantined={summary.get('quarantined', 0)}"
            f"  inputs={', '.join(json.loads(row['inputs']))}"
        )


@cli.command()
@click.pass_context
def areas(ctx: click.Context) -> None:
    """List the therapeutic areas of the taxonomy (built-in plus your extension)."""
    with reported_errors():
        taxonomy = load_taxonomy(settings_of(ctx).ingest.taxonomy or None)
    for area in taxonomy.areas.values():
        click.echo(
            f"{area.id:20} {area.name} / {area.name_fr}: {len(area.keywords)} keywords, "
            f"{len(area.hashtags)} hashtags, congresses {', '.join(area.congresses)}"
        )


@cli.command()
def formats() -> None:
    """List the input formats `kolmap ingest` recognises."""
    from kolmap.ingest.formats import all_formats

    for spec in all_formats(settings_of(click.get_current_context()).ingest.column_maps or None):
        click.echo(f"{spec.name:18} {spec.description}")


@cli.command()
def config() -> None:
    """Show every setting with its default and meaning."""
    for name, default, text in iter_settings():
        click.echo(f"{name} = {json.dumps(default)}\n    {text}")


@cli.command()
@click.argument("accounts", nargs=-1, required=True)
@store_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(accounts: tuple[str, ...], store: str | None, yes: bool) -> None:
    """Erase accounts (PLATFORM:ID) with their posts, relations and labels."""
    try:
        keys = [AccountKey.parse(a) for a in accounts]
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="ACCOUNTS") from None
    where = resolve_store_location(store)
    if not yes:
        click.confirm(f"Erase {len(keys)} account(s) from {where}?", abort=True)
    with reported_errors(), open_store_for(store) as target:
        counts = target.erase(keys)
    click.echo("erased: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@cli.command("export-neo4j")
@click.argument("uri")
@store_option
@database_option
@click.option("--replace", is_flag=True, help="Overwrite a kolmap graph already there.")
@click.option(
    "--scores/--no-scores",
    default=True,
    show_default=True,
    help="Also write every area's rankings (SCORED relationships).",
)
@gds_option
@click.pass_context
def export_neo4j(
    ctx: click.Context,
    uri: str,
    store: str | None,
    database: str | None,
    replace: bool,
    scores: bool,
    use_gds: bool | None,
) -> None:
    """Copy the store into a Neo4j database (URI: neo4j://host:7687 or bolt://host:7687).

    The user name and password come from KOLMAP_NEO4J_USER and KOLMAP_NEO4J_PASSWORD."""
    from kolmap.export.neo4j_scores import publish_scores
    from kolmap.graph.neo4j_graph import Neo4jGraph
    from kolmap.graph.transfer import to_neo4j

    settings = settings_of(ctx)
    with (
        reported_errors(),
        open_store_for(store, read_only=True) as source,
        Neo4jGraph(uri, database=database) as graph,
    ):
        written = to_neo4j(source, graph, replace=replace)
        click.echo(f"wrote to {uri} (database {graph.database}):")
        for table, count in written.items():
            click.echo(f"  {table}: {count:,}")
        if scores:
            published = publish_scores(source, graph, settings.scoring, use_gds=use_gds)
            _echo_published(published, indent="  ")


@cli.command("publish-scores")
@store_option
@gds_option
@click.pass_context
def publish_scores_command(ctx: click.Context, store: str | None, use_gds: bool | None) -> None:
    """Write every area's rankings into a Neo4j store's graph (SCORED relationships), for
    Bloom, Browser and Cypher users. `export-neo4j` does this for an embedded store."""
    from kolmap.export.neo4j_scores import publish_scores
    from kolmap.graph.neo4j_store import Neo4jStore

    settings = settings_of(ctx)
    with reported_errors(), open_store_for(store, read_only=True) as target:
        if not isinstance(target, Neo4jStore):
            raise click.ClickException(
                f"{target.location}: not a Neo4j store; `kolmap export-neo4j URI` copies an "
                "embedded store into Neo4j with its rankings"
            )
        target.projection(Scope())  # brings the local copy up to date
        published = publish_scores(target.cache, target.graph, settings.scoring, use_gds=use_gds)
    _echo_published(published)


@cli.command("import-neo4j")
@click.argument("uri")
@store_option
@database_option
def import_neo4j(uri: str, store: str | None, database: str | None) -> None:
    """Copy a kolmap graph from a Neo4j database into a new embedded store."""
    from kolmap.graph.neo4j_graph import Neo4jGraph
    from kolmap.graph.transfer import from_neo4j

    with (
        reported_errors(),
        Neo4jGraph(uri, database=database) as graph,
        open_store_for(store) as target,
    ):
        loaded = from_neo4j(graph, target)
    click.echo(f"read from {uri} into {resolve_store_location(store)}:")
    for table, count in loaded.items():
        click.echo(f"  {table}: {count:,}")


@cli.command("export")
@scope_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    required=True,
    help="csv/xlsx: the ranking; gexf/graphml/json/html: the area map.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write (replaced atomically).",
)
@click.option(
    "--top",
    default=None,
    type=click.IntRange(min=1),
    help="Rows of the ranking (default 100) or accounts on the map (default 500).",
)
@click.option("--all-nodes", is_flag=True, help="Map every account in scope, not the top 500.")
@click.option(
    "--delimiter",
    type=click.Choice([",", ";", "tab"]),
    default=",",
    show_default=True,
    help="CSV delimiter; ';' also writes decimal commas (French Excel).",
)
@click.option(
    "--colour-by",
    type=click.Choice(["role", "community"]),
    default="role",
    show_default=True,
    help="Node colours on maps.",
)
@click.option(
    "--no-pseudonymise",
    "reveal",
    is_flag=True,
    help="Show private individuals (patients, the public) by name. Off by default; "
    "the export log records it.",
)
@store_option
@click.pass_context
def export_command(
    ctx: click.Context,
    area: str | None,
    kind: str,
    platforms: tuple[str, ...],
    since: str | None,
    until: str | None,
    hashtags: tuple[str, ...],
    fmt: str,
    out: Path,
    top: int | None,
    all_nodes: bool,
    delimiter: str,
    colour_by: str,
    reveal: bool,
    store: str | None,
) -> None:
    """Export a ranking (CSV, XLSX) or an area map (GEXF, GraphML, JSON, HTML).

    Files are written atomically and re-read before they are put in place; spreadsheet
    formulas are neutralised; private individuals are pseudonymised unless
    --no-pseudonymise is given. Each export is logged in the store (`kolmap exports`).
    """
    settings = settings_of(ctx)
    scope = build_scope(area, platforms, since, until, hashtags, settings)
    if all_nodes and fmt in ("csv", "xlsx"):
        raise click.BadParameter("--all-nodes applies to map formats", param_hint="--all-nodes")
    with reported_errors(), open_store_for(store) as target:
        result = export(
            target,
            scope,
            kind=kind,
            fmt=fmt,
            out=out,
            settings=settings.scoring,
            top=0 if all_nodes else top,
            delimiter="\t" if delimiter == "tab" else delimiter,
            pseudonymise=not reveal,
            colour_by=colour_by,
        )
    what = "rows" if fmt in ("csv", "xlsx") else f"accounts and {result.edges:,} relations"
    note = (
        f"{result.private_rows:,} private individual(s) pseudonymised"
        if result.pseudonymised
        else "private individuals NOT pseudonymised"
    )
    click.echo(f"wrote {out}: {result.rows:,} {what}; {note}; sha256 {result.sha256[:16]}…")
    if result.removed_characters:
        click.echo(f"removed {result.removed_characters:,} character(s) that XML forbids")


@cli.command()
@store_option
@click.option("--json", "as_json", is_flag=True)
def exports(store: str | None, as_json: bool) -> None:
    """List past exports: when, format, file, filters, rows, hash, pseudonymisation."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        frame = source.export_log()
    if as_json:
        click.echo(to_json_text(frame))
        return
    for row in frame.to_dict(orient="records"):
        click.echo(
            f"{row['export_id']}  {row['format']:7}  {row['rows']:>7,} rows  "
            f"{'pseudonymised' if row['pseudonymised'] else 'IDENTIFIED   '}  "
            f"{row['path']}  {row['filters']}"
        )


@cli.command()
@click.argument("accounts", nargs=-1, required=True)
@store_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def suppress(accounts: tuple[str, ...], store: str | None, yes: bool) -> None:
    """Opt accounts out (PLATFORM:ID): erase them and drop them from every future ingest.

    Only a hash of each id and handle is kept, so the list itself holds no names.
    """
    try:
        keys = [AccountKey.parse(a) for a in accounts]
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="ACCOUNTS") from None
    if not yes:
        click.confirm(
            f"Suppress {len(keys)} account(s) in {resolve_store_location(store)}?", abort=True
        )
    with reported_errors(), open_store_for(store) as target:
        counts = target.suppress(keys)
    click.echo("suppressed: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def app_command(
    port: int, host: str = "localhost", *, headless: bool = True, options: Sequence[str] = ()
) -> list[str]:
    """The command that serves the kolmap app with Streamlit; ``kolmap ui``, the browser
    tests and the screenshot tool all start it this way. ``options`` are extra Streamlit
    flags. The store is chosen by the ``KOLMAP_STORE`` environment variable.

    >>> app_command(8600)[2:4], app_command(8600)[5:7]
    (['streamlit', 'run'], ['--server.port=8600', '--server.address=localhost'])
    """
    import sys

    app = Path(str(resources.files("kolmap.ui").joinpath("app.py")))
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        f"--server.port={port}",
        f"--server.address={host}",
        "--browser.gatherUsageStats=false",
        f"--server.headless={'true' if headless else 'false'}",
        *options,
    ]


@cli.command()
@store_option
@click.option("--port", default=8501, show_default=True, type=int)
@click.option(
    "--host",
    default="localhost",
    show_default=True,
    help="Address to listen on; keep localhost unless a reverse proxy fronts it.",
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
def ui(store: str | None, port: int, host: str, no_browser: bool) -> None:
    """Open the kolmap app (Streamlit) on the store."""
    import os
    import subprocess
    from importlib.util import find_spec

    if find_spec("streamlit") is None:
        raise click.ClickException(
            "the app needs Streamlit: pip install 'kolmap[ui]' (make demo installs it)"
        )
    where = resolve_store_location(store)
    if not Path(where).exists():
        raise click.ClickException(
            f"{where}: no store here yet; run `kolmap ingest` or `kolmap demo` first"
        )
    env = {**os.environ, "KOLMAP_STORE": str(Path(where).resolve())}
    command = app_command(port, host, headless=no_browser)
    click.echo(f"kolmap app on http://{host}:{port} (store {where}); Ctrl+C to stop")
    raise SystemExit(subprocess.call(command, env=env))


# -- samples and demo -------------------------------------------------------------------------
def sample_folder() -> Path:
    """The bundled synthetic sample (canonical CSV files)."""
    return Path(str(resources.files("kolmap.data.samples").joinpath("canonical")))


@cli.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--seed", default=None, type=int, help="Default 42 (sample) or 7 (adversarial).")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    help="Size factor: 1 gives ~3k accounts and ~25k posts (the adversarial world ~5k, ~50k).",
)
@click.option(
    "--world",
    type=click.Choice(["sample", "adversarial"]),
    default="sample",
    show_default=True,
    help="The friendly sample, or the adversarial world built to break rankings "
    "(data/worlds/README.md).",
)
def sample(out: Path, seed: int | None, scale: float, world: str) -> None:
    """Generate a synthetic sample (no real people) in the canonical format."""
    if world == "adversarial":
        from kolmap.data.worlds.adversarial import generate as make_world
        from kolmap.data.worlds.adversarial import write_world

        folder = write_world(make_world(7 if seed is None else seed, scale), out)
    else:
        from kolmap.data.samples.generate import generate, write_sample

        folder = write_sample(generate(42 if seed is None else seed, scale), out)
    click.echo(f"wrote {folder} (+ truth.csv and known_answers.json in {out})")


@cli.command()
@click.option(
    "--store",
    default="kolmap-demo.duckdb",
    show_default=True,
    help="Store for the demo (kept apart from your own data).",
)
@click.option("--top", default=5, show_default=True)
@click.pass_context
def demo(ctx: click.Context, store: str, top: int) -> None:
    """Ingest the bundled synthetic sample and print the top KOLs of each area."""
    settings = settings_of(ctx)
    with reported_errors():
        summary = _run_ingest(
            settings, [sample_folder()], store, None, None, None, show_progress=True
        )
    _print_summary(summary)
    with reported_errors(), open_store_for(store, read_only=True) as source:
        for area in ("oncology", "diabetes", "neurology", "cardiology"):
            scope = Scope(area=area)
            table = rank(source.projection(scope), RankKind.KOL, settings.scoring, top=top)
            _print_ranking(table, "kol", scope, explain=False)
    click.echo(f"Explore further: kolmap rank --store {store} --area oncology --kind dol --explain")


cli.add_command(accounts)
cli.add_command(label)


def main() -> None:
    """Entry point of the ``kolmap`` console script."""
    cli(prog_name="kolmap")


if __name__ == "__main__":
    main()
