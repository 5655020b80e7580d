"""``kolmap export``: a ranking (CSV, XLSX) or an area map (GEXF, GraphML, JSON, HTML)."""

from __future__ import annotations

from pathlib import Path

import click

from kolmap.cli.support import (
    build_scope,
    compare_options,
    compare_scope,
    open_store_for,
    pseudonymise_option,
    reported_errors,
    roles_option,
    scope_options,
    settings_of,
    store_option,
)
from kolmap.export.exporter import FORMATS, export
from kolmap.export.science import export_persons_table
from kolmap.views.persons import person_links, science_ranking
from kolmap.views.privacy import Privacy

__all__ = ["export_command"]


@click.command("export")
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
    "--renderer",
    type=click.Choice(["auto", "vis", "webgl"]),
    default="auto",
    show_default=True,
    help="HTML maps: vis-network (small maps) or WebGL (sigma.js); auto picks WebGL above "
    "5,000 accounts.",
)
@roles_option
@compare_options
@click.option(
    "--by",
    "by",
    type=click.Choice(["account", "person"]),
    default="account",
    show_default=True,
    help="Rankings: one row per account, or per person (docs/science.md).",
)
@pseudonymise_option
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
    renderer: str,
    pseudonymise: bool,
    store: str | None,
    roles: tuple[str, ...] = (),
    by: str = "account",
    compare_since: str | None = None,
    compare_until: str | None = None,
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
    if by == "person" and fmt not in ("csv", "xlsx"):
        raise click.BadParameter("--by person applies to rankings (csv, xlsx)", param_hint="--by")
    if kind == "science":
        if fmt not in ("csv", "xlsx"):
            raise click.BadParameter("--kind science exports a ranking: csv or xlsx")
        with reported_errors(), open_store_for(store) as target:
            links = person_links(target, settings)
            table = science_ranking(target, area, settings, links).head(top or 100)
            digest, rows = export_persons_table(
                target,
                table,
                links.members,
                what=f"kolmap scientific ranking, {area or 'all areas'}",
                out=out.with_suffix(f".{fmt}") if out.suffix.lower() != f".{fmt}" else out,
                filters={"kind": "science", "area": area, "top": top or 100},
            )
        click.echo(f"wrote {out}: {rows:,} persons; sha256 {digest[:16]}…")
        return
    with reported_errors(), open_store_for(store) as target:
        persons = person_links(target, settings).members if by == "person" else None
        result = export(
            target,
            scope,
            kind=kind,
            fmt=fmt,
            out=out,
            settings=settings.scoring,
            top=top,
            all_nodes=all_nodes,
            delimiter="\t" if delimiter == "tab" else delimiter,
            privacy=Privacy.for_store(target.location, settings.privacy, reveal=not pseudonymise),
            colour_by=colour_by,
            renderer=renderer,
            persons=persons,
            earlier=compare_scope(scope, compare_since, compare_until),
            roles=roles,
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
