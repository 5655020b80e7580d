"""``kolmap rank``: the ranking of one scope, as a table, CSV or JSON, with both axes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from kolmap.cli.support import (
    build_scope,
    cell_text,
    compare_options,
    compare_scope,
    console,
    err_console,
    escape,
    open_store_for,
    pseudonymise_option,
    reported_errors,
    roles_option,
    scope_options,
    settings_of,
    store_option,
)
from kolmap.export.files import write_atomic
from kolmap.export.tabular import to_csv_text, to_json_text
from kolmap.graph.store import Scope, engine_of
from kolmap.scoring.rank import axis_overlap, keep_roles, rank
from kolmap.scoring.timeline import compare_rankings
from kolmap.views.coverage import (
    coverage_note,
    no_candidates_note,
    role_coverage,
    unendorsed_note,
)
from kolmap.views.display import (
    COLUMN_WORDS,
    scope_words,
    with_handles,
    without_blank_columns,
)
from kolmap.views.engines import components_on
from kolmap.views.persons import by_person, person_links, science_ranking
from kolmap.views.privacy import Privacy
from kolmap.views.transparency import with_coi

__all__ = ["print_ranking", "rank_command"]


@click.command("rank")
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
@roles_option
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
@compare_options
@click.option(
    "--by",
    "by",
    type=click.Choice(["account", "person"]),
    default="account",
    show_default=True,
    help="Rank accounts, or persons (each person's best account; docs/science.md).",
)
@pseudonymise_option
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
    roles: tuple[str, ...],
    include_industry: bool | None,
    output: Path | None,
    pseudonymise: bool,
    store: str | None,
    by: str = "account",
    compare_since: str | None = None,
    compare_until: str | None = None,
) -> None:
    """Rank KOLs, DOLs, influencers or organisations, with the components of each score.

    KOL and DOL lists carry both axes (``kol_score``, ``dol_score``) and report how much
    their top lists overlap. Private individuals are shown as pseudonyms (their handles in
    the reasons too) unless --no-pseudonymise is given."""
    settings = settings_of(ctx)
    if kind == "science":
        with reported_errors(), open_store_for(store, read_only=True) as source:
            ranked = science_ranking(source, area, settings).head(top)
        _emit(ranked, fmt, output)
        return
    scope = build_scope(area, platforms, since, until, hashtags, settings)
    earlier = compare_scope(scope, compare_since, compare_until)
    with reported_errors(), open_store_for(store, read_only=True) as source:
        projection = source.projection(scope)
        if where := engine_of(source)[1]:
            err_console.print(escape(where))
        components = components_on(source, projection, settings.scoring)
        table = rank(
            projection,
            kind,
            settings.scoring,
            top=None if roles else top,
            components=components,
            include_industry=include_industry,
        )
        if roles:
            table = keep_roles(table, roles, top)
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
        if kind in ("kol", "dol"):
            note = coverage_note(role_coverage(projection.nodes), kind)
            if note:
                err_console.print(f"[yellow]{escape(note)}[/yellow]")
        if earlier is not None:
            before_projection = source.projection(earlier)
            before = rank(
                before_projection,
                kind,
                settings.scoring,
                components=components_on(source, before_projection, settings.scoring),
                include_industry=include_industry,
            )
            table = compare_rankings(table, before)
        # Declared payments, for compliance and medical affairs only; never in the score.
        with reported_errors():
            table = with_coi(table, source.coi(), settings.privacy.purpose)
        privacy = Privacy.for_store(source.location, settings.privacy, reveal=not pseudonymise)
        table = privacy.ranking(table, projection)
        if by == "person":
            table = by_person(table, person_links(source, settings).members)
    if fmt == "table" and output is None:
        print_ranking(table, kind, scope, explain)
        if table.empty and not roles:  # nobody to rank at all, not a --role filter
            err_console.print(
                escape(no_candidates_note(projection.nodes, kind, scope_words(scope)))
            )
        hidden = int((table["identity"] == "pseudonym").sum()) if "identity" in table else 0
        if hidden:
            err_console.print(
                f"{hidden} of these {len(table)} accounts are private individuals (patients, "
                "the public, or accounts whose role is unknown), shown as pseudonyms; "
                "--no-pseudonymise shows them by name, where the project allows it."
            )
        if not projection.edges.empty and (note := unendorsed_note(table)):
            err_console.print(note)
        if projection.edges.empty and len(projection.nodes):
            err_console.print(
                f"This scope has {len(projection.nodes):,} accounts but no relations between "
                "them (posts, follows or network edges), so there is nothing to rank them on; "
                "ingest their posts or a network, or see their roles with `kolmap stats`."
            )
        return
    _emit(table, fmt, output)


def _emit(table: Any, fmt: str, output: Path | None) -> None:
    """Write ``table`` as CSV, JSON or text to ``output`` (atomically) or standard output."""
    text = to_csv_text(table) if fmt == "csv" else to_json_text(table) + "\n"
    if fmt == "table":
        text = table.to_string(index=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        with reported_errors():
            write_atomic(output, lambda fh: fh.write(text.encode("utf-8")))
        err_console.print(f"wrote {len(table)} rows to {output}")


def print_ranking(table: Any, kind: str, scope: Scope, explain: bool) -> None:
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
        *(["accounts"] if "accounts" in table.columns else []),
        *(["rank_change", "score_change"] if "rank_change" in table.columns else []),
    ]
    cols = without_blank_columns(table, cols)  # the app's compact table leaves them out too
    headers = {
        **COLUMN_WORDS,
        "n_peer_endorsers": "peer endorsers",
        "n_lay_endorsers": "lay endorsers",
        "kol_score": "KOL",
        "dol_score": "DOL",
        "rank_change": "Δ rank",
        "score_change": "Δ score",
    }
    for col in cols:
        grid.add_column(headers.get(col, col), overflow="fold")
    if explain:
        grid.add_column("why", overflow="fold")
    for row in with_handles(table).to_dict(orient="records"):
        cells = [cell_text(row[c], c) for c in cols]
        if explain:
            cells.append(str(row["reasons"]))
        grid.add_row(*[escape(c) for c in cells])
    if table.empty:
        out.print(f"No {kind} candidates in scope ({scope.describe()}).")
        return
    out.print(grid)
