"""``kolmap congress``: one congress edition's report, from the congress registry
(docs/congress.md): volume by day, windows, drivers, authors, amplifiers, the most mentioned,
HCP share, relations and communities; as tables, CSV/JSON/XLSX, or a GEXF network."""

from __future__ import annotations

from pathlib import Path

import click

from kolmap.cli.science import show_table
from kolmap.cli.support import (
    open_store_for,
    pseudonymise_option,
    reported_errors,
    settings_of,
    store_option,
)
from kolmap.errors import KolmapError
from kolmap.export.exporter import export
from kolmap.export.reports import export_report
from kolmap.ingest.congresses import load_registry
from kolmap.views.congress_report import REPORT_TABLES, congress_report
from kolmap.views.privacy import Privacy

__all__ = ["congress"]

_SHOWN = {
    "summary": [
        "phase",
        "from",
        "to",
        "posts",
        "authors",
        "hcp_share",
        "peer_share",
        "commercial_share",
    ],
    "drivers": ["phase", "rank", "handle", "role", "score", "posts_in_scope", "n_endorsers"],
    "authors": ["rank", "account", "role", "posts"],
    "amplifiers": ["rank", "account", "role", "reposts"],
    "mentioned": ["rank", "account", "role", "mentions"],
    "relations": ["kind", "count"],
    "communities": ["community", "name", "size", "ring", "leaders"],
}


@click.command()
@click.argument("name")
@click.option("--year", default=None, type=int, help="The edition (default: the busiest found).")
@click.option(
    "--margin",
    default=14,
    show_default=True,
    type=click.IntRange(1, 90),
    help="Days before and after the congress.",
)
@click.option(
    "--all-voices",
    is_flag=True,
    help="Keep brands, media, industry and automated accounts among the drivers.",
)
@click.option(
    "--table",
    "which",
    type=click.Choice(REPORT_TABLES),
    default=None,
    help="One table of the report (for --format csv/json or --out).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option(
    "--out",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a .csv or .xlsx file of --table, or a .gexf network of the congress days.",
)
@pseudonymise_option
@store_option
@click.pass_context
def congress(
    ctx: click.Context,
    name: str,
    year: int | None,
    margin: int,
    all_voices: bool,
    which: str | None,
    fmt: str,
    out: Path | None,
    pseudonymise: bool,
    store: str | None,
) -> None:
    """Report on a congress of the registry (NAME: its id, name or a hashtag such as ASCO26):
    the days (the registry's, else where its hashtags peak), before/during/after volume,
    drivers (non-commercial view by default), authors, amplifiers, most mentioned, HCP share,
    relation kinds and communities."""
    settings = settings_of(ctx)
    with reported_errors():
        found = load_registry(settings.ingest.congresses or None).find(name)
        with open_store_for(store, read_only=out is None) as source:
            privacy = Privacy.for_store(source.location, settings.privacy, reveal=not pseudonymise)
            try:
                report = congress_report(
                    source,
                    found,
                    settings.scoring,
                    privacy,
                    year=year,
                    margin=margin,
                    non_commercial=not all_voices,
                )
            except LookupError as err:
                raise KolmapError(str(err)) from None
            if out is not None and out.suffix.lower() == ".gexf":
                result = export(
                    source,
                    report.during,
                    kind="any",
                    fmt="gexf",
                    out=out,
                    settings=settings.scoring,
                    privacy=privacy,
                    all_nodes=True,
                )
                click.echo(
                    f"wrote {out}: {result.rows:,} accounts and {result.edges:,} relations "
                    f"of {found.name} {report.year or ''} (congress days)"
                )
                return
            if out is not None:
                table = report.tables[which or "drivers"]
                digest, rows = export_report(
                    source,
                    table,
                    what=f"kolmap congress report: {found.name} {report.year or ''}, "
                    f"{which or 'drivers'}",
                    out=out,
                    filters={"congress": found.id, "year": report.year, "table": which},
                    pseudonymised=privacy.protects,
                    members=[],
                )
                click.echo(f"wrote {out}: {rows:,} rows; sha256 {digest[:16]}…")
                return
    if which is not None or fmt != "table":
        show_table(report.tables[which or "drivers"], fmt, _SHOWN.get(which or "drivers", []))
        return
    click.echo(
        f"{found.name} {report.year or ''}: {report.first_day} to {report.last_day} "
        f"({'registry dates' if report.days_from == 'registry' else 'where its hashtags peak'}); "
        f"hashtags {' '.join('#' + h for h in report.hashtags)}"
    )
    for part in (
        "summary",
        "drivers",
        "authors",
        "amplifiers",
        "mentioned",
        "relations",
        "communities",
    ):
        click.echo(f"\n{part.capitalize()}")
        frame = report.tables[part]
        if part == "drivers":
            frame = frame[frame["phase"] == "during"]
        show_table(frame, "table", _SHOWN[part])
