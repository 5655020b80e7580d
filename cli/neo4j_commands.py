"""``export-neo4j``, ``import-neo4j`` and ``publish-scores``: moving graphs and rankings
between kolmap and Neo4j. The Neo4j modules load the driver, so they are imported only when
one of these commands runs."""

from __future__ import annotations

import shlex
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kolmap.cli.support import (
    database_option,
    gds_option,
    open_store_for,
    reported_errors,
    settings_of,
    store_option,
)
from kolmap.graph.location import StoreLocation

if TYPE_CHECKING:
    from kolmap.export.neo4j_scores import PublishedScores

__all__ = ["export_neo4j", "export_neo4j_bulk", "import_neo4j", "publish_scores_command"]


def echo_published(published: PublishedScores, indent: str = "") -> None:
    """One line on what :func:`~kolmap.export.neo4j_scores.publish_scores` wrote."""
    click.echo(
        f"{indent}rankings: {published.scored:,} SCORED relationships in {published.areas} "
        f"areas (PageRank, communities, degree: {published.algorithms})"
    )


@click.command("export-neo4j")
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

    The user name comes from the neo4j.user setting (KOLMAP_NEO4J_USER), the password from
    KOLMAP_NEO4J_PASSWORD."""
    from kolmap.export.neo4j_scores import publish_scores
    from kolmap.graph.neo4j.driver import Neo4jGraph
    from kolmap.graph.neo4j.transfer import to_neo4j

    settings = settings_of(ctx)
    with (
        reported_errors(),
        open_store_for(store, read_only=True) as source,
        Neo4jGraph.from_uri(
            uri, user=settings.neo4j.user, database=database or settings.neo4j.database
        ) as graph,
    ):
        written = to_neo4j(source.replica, graph, replace=replace)
        click.echo(f"wrote to {uri} (database {graph.database}):")
        for table, count in written.items():
            click.echo(f"  {table}: {count:,}")
        if scores:
            published = publish_scores(source, graph, settings.scoring, use_gds=use_gds)
            echo_published(published, indent="  ")


@click.command("export-neo4j-bulk")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@store_option
@click.option(
    "--neo4j-home",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also run the importer into this Neo4j home (the server's machine).",
)
@click.option(
    "--database",
    default="neo4j",
    show_default=True,
    help="The new database to import into; the importer refuses one that holds data.",
)
@click.option(
    "--neo4j-admin",
    "admin",
    help="The neo4j-admin command to run (default: NEO4J_HOME/bin/neo4j-admin).",
)
def export_neo4j_bulk(
    folder: Path, store: str | None, neo4j_home: Path | None, database: str, admin: str | None
) -> None:
    """Write the store as neo4j-admin import files into the new FOLDER, for a first load into
    a new Neo4j database (docs/neo4j.md, "A first load of a large graph"); with --neo4j-home,
    also run `neo4j-admin database import full` there. Much faster than export-neo4j; the
    database must not hold data, and the live database is never written."""
    from kolmap.graph.duckdb import DuckDBStore
    from kolmap.graph.neo4j.bulk import run_import, write_import_files

    with reported_errors(), open_store_for(store, read_only=True) as source:
        # Asked before reading anything: a Neo4j store's rows would mean copying its graph.
        if not isinstance(source, DuckDBStore):
            raise click.ClickException(
                f"{source.location}: not an embedded store; its graph is in Neo4j already"
            )
        started = time.perf_counter()
        files = write_import_files(source.replica.db, folder)
        click.echo(
            f"wrote {files.node_count:,} nodes and {files.relationship_count:,} "
            f"relationships into {folder} ({time.perf_counter() - started:.1f} s)"
        )
        if neo4j_home is None and admin is None:
            command = shlex.join(["neo4j-admin", *files.arguments(database)])
            click.echo(f"import them on the Neo4j server's machine with:\n  {command}")
            return
        run_import(
            files,
            database,
            admin=shlex.split(admin) if admin else None,
            neo4j_home=neo4j_home,
        )
        seconds = time.perf_counter() - started
        click.echo(
            f"imported {files.elements:,} elements into database {database!r} in "
            f"{seconds:.1f} s ({files.elements / seconds:,.0f} elements/s); start the "
            "server on it (docs/neo4j.md), then every kolmap command can use it"
        )


@click.command("publish-scores")
@store_option
@gds_option
@click.pass_context
def publish_scores_command(ctx: click.Context, store: str | None, use_gds: bool | None) -> None:
    """Write every area's rankings into a Neo4j store's graph (SCORED relationships), for
    Bloom, Browser and Cypher users. `export-neo4j` does this for an embedded store."""
    from kolmap.export.neo4j_scores import publish_scores
    from kolmap.graph.neo4j.mirror import Neo4jMirror

    settings = settings_of(ctx)
    with reported_errors(), open_store_for(store, read_only=True) as target:
        if not isinstance(target, Neo4jMirror):
            raise click.ClickException(
                f"{target.location}: not a Neo4j store; `kolmap export-neo4j URI` copies an "
                "embedded store into Neo4j with its rankings"
            )
        published = publish_scores(target, target.graph, settings.scoring, use_gds=use_gds)
    echo_published(published)


@click.command("import-neo4j")
@click.argument("uri")
@store_option
@database_option
@click.pass_context
def import_neo4j(ctx: click.Context, uri: str, store: str | None, database: str | None) -> None:
    """Copy a kolmap graph from a Neo4j database into a new embedded store."""
    from kolmap.graph.neo4j.driver import Neo4jGraph
    from kolmap.graph.neo4j.transfer import from_neo4j

    settings = settings_of(ctx)
    with (
        reported_errors(),
        Neo4jGraph.from_uri(
            uri, user=settings.neo4j.user, database=database or settings.neo4j.database
        ) as graph,
        open_store_for(store) as target,
    ):
        loaded = from_neo4j(graph, target.replica)
    click.echo(f"read from {uri} into {StoreLocation.resolve(store)}:")
    for table, count in loaded.items():
        click.echo(f"  {table}: {count:,}")
