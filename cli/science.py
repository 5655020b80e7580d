"""``kolmap science``, ``kolmap persons`` and ``kolmap quadrant``: the scientific record,
persons across platforms and the literature, and the KOL × DOL × science map of an area
(docs/science.md)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import click
import pandas as pd

from kolmap.cli.support import (
    cell_text,
    open_store_for,
    reported_errors,
    settings_of,
    store_option,
)
from kolmap.errors import InputError
from kolmap.export.science import export_persons_table
from kolmap.export.tabular import to_csv_text, to_json_text
from kolmap.graph.location import StoreLocation
from kolmap.ingest.areas import taxonomy_for
from kolmap.ingest.science import SCIENCE_FORMATS
from kolmap.ingest.science.fetch import fetch_openalex, fetch_pubmed
from kolmap.ingest.science.load import import_science
from kolmap.views.persons import person_links, persons_table, quadrant_table

__all__ = [
    "fetch_openalex_command",
    "fetch_pubmed_command",
    "persons",
    "quadrant",
    "science",
    "show_table",
]

_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table"
)


def show_table(frame: pd.DataFrame, fmt: str, columns: list[str]) -> None:
    """Print ``frame`` as CSV, JSON, or a plain table of ``columns``."""
    if fmt == "json":
        click.echo(to_json_text(frame))
    elif fmt == "csv":
        click.echo(to_csv_text(frame), nl=False)
    elif frame.empty:
        click.echo("(none)")
    else:
        # A missing cell (a private individual's withheld name) prints blank, not "None".
        shown = frame[columns].astype(object)
        for column in columns:
            shown[column] = shown[column].map(lambda v, c=column: cell_text(v, c))
        click.echo(shown.to_string(index=False, max_colwidth=70))


@click.group()
def science() -> None:
    """The scientific record: publications, trials and congress roles from files you
    download (PubMed XML or .nbib, OpenAlex JSON, ClinicalTrials.gov v2 JSON, a congress
    programme CSV)."""


@science.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([n for n, _s, _r in SCIENCE_FORMATS]),
    default=None,
    help="Skip detection and read every file in this format.",
)
@click.option("--tolerance", default="0", help="Rejected records allowed per file (N or N%).")
@store_option
@click.pass_context
def import_command(
    ctx: click.Context, files: tuple[str, ...], fmt: str | None, tolerance: str, store: str | None
) -> None:
    """Import scientific files (each in one transaction; rejected records in the
    quarantine folder); prints one summary per file."""
    settings = settings_of(ctx)
    where = StoreLocation.resolve(store)
    with reported_errors(), open_store_for(store) as target:
        summaries = import_science(
            target,
            files,
            quarantine_dir=where.quarantine_dir(),
            tolerance=tolerance,
            taxonomy=taxonomy_for(settings.ingest),
            fmt=fmt,
        )
    click.echo(json.dumps(summaries, indent=2))


@click.group(invoke_without_command=True)
@_FORMAT
@click.option("--all", "show_all", is_flag=True, help="Also persons with a single identity.")
@store_option
@click.pass_context
def persons(ctx: click.Context, fmt: str, show_all: bool, store: str | None) -> None:
    """Persons: the accounts, authors, investigators and speakers linked as one person,
    with each link's confidence and evidence. Subcommands review, link and unlink."""
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_of(ctx)
    with reported_errors(), open_store_for(store, read_only=True) as source:
        table = persons_table(person_links(source, settings))
    if not show_all:
        table = table[table["identities"].str.contains(";")]
    show_table(table, fmt, ["person_id", "name", "kinds", "identities"])


@persons.command("review")
@_FORMAT
@click.option(
    "--accept",
    "accept",
    nargs=2,
    multiple=True,
    metavar="ID ID",
    help="These two identities are the same person.",
)
@click.option(
    "--reject",
    "reject",
    nargs=2,
    multiple=True,
    metavar="ID ID",
    help="These two identities are different people (undoes a merge).",
)
@click.option("--note", default="", help="A note kept with the decisions.")
@store_option
@click.pass_context
def review(
    ctx: click.Context,
    fmt: str,
    accept: tuple[tuple[str, str], ...],
    reject: tuple[tuple[str, str], ...],
    note: str,
    store: str | None,
) -> None:
    """The review queue (links between the review and merge thresholds, and merges a
    guard blocked), or record decisions on it with --accept / --reject."""
    settings = settings_of(ctx)
    with reported_errors():
        if accept or reject:
            with open_store_for(store) as target:
                done = target.decide_persons(list(accept), "same", note=note) if accept else 0
                undone = (
                    target.decide_persons(list(reject), "different", note=note) if reject else 0
                )
            click.echo(f"recorded {done} same-person and {undone} different-person decision(s)")
            return
        with open_store_for(store, read_only=True) as source:
            found = person_links(source, settings)
    person_of = dict(zip(found.members["identity"], found.members["person_id"], strict=True))
    links = found.links
    apart = links["identity_a"].map(person_of) != links["identity_b"].map(person_of)
    queue = links[links["status"].isin(["review", "blocked"]) & apart]
    show_table(queue, fmt, ["identity_a", "identity_b", "confidence", "status", "evidence"])


@persons.command("link")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@store_option
def link(file: str, store: str | None) -> None:
    """Link identities from a persons.csv: ``person_id,identity`` (an account
    ``platform:id``, or ``author:…``, ``trial:…``, ``congress:…`` as ``kolmap persons --all``
    shows them); the identities of one person_id are the same person."""
    groups: dict[str, list[str]] = {}
    with reported_errors():
        with Path(file).open(encoding="utf-8-sig", newline="") as fh:
            rows = csv.DictReader(fh)
            if not {"person_id", "identity"} <= set(rows.fieldnames or []):
                raise InputError(f"{file} line 1: expected columns person_id,identity")
            for line, row in enumerate(rows, start=2):
                person, identity = (row["person_id"] or "").strip(), (row["identity"] or "").strip()
                if not person or ":" not in identity:
                    raise InputError(
                        f"{file} line {line}: a person_id and an identity such as x:123 or "
                        "author:orcid:0000-0002-1825-0097 are required"
                    )
                groups.setdefault(person, []).append(identity)
        pairs = [(ids[0], other) for ids in groups.values() for other in ids[1:]]
        with open_store_for(store) as target:
            count = target.decide_persons(pairs, "same", source=f"persons.csv:{file}")
    click.echo(f"linked {count} pair(s) of identities for {len(groups)} person(s)")


@persons.command("unlink")
@click.argument("identity_a")
@click.argument("identity_b")
@store_option
def unlink(identity_a: str, identity_b: str, store: str | None) -> None:
    """Undo a merge: IDENTITY_A and IDENTITY_B are different people from now on."""
    with reported_errors(), open_store_for(store) as target:
        target.decide_persons([(identity_a, identity_b)], "different", source="unlink")
    click.echo(f"{identity_a} and {identity_b} are kept apart")


@click.command()
@click.option("--area", required=True, help="Therapeutic area id (see `kolmap areas`).")
@_FORMAT
@click.option(
    "--out",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a .csv or .xlsx file (logged as an export) instead of printing.",
)
@store_option
@click.pass_context
def quadrant(ctx: click.Context, area: str, fmt: str, out: Path | None, store: str | None) -> None:
    """The KOL × DOL × science quadrant of an area: each person's scientific, KOL, DOL and
    digital scores (the area's best at 100) and group: complete leaders, scientific leaders
    offline, digital-only voices, emerging."""
    settings = settings_of(ctx)
    if out is not None:
        with reported_errors(), open_store_for(store) as target:
            table = quadrant_table(target, area, settings)
            members = person_links(target, settings).members
            digest, rows = export_persons_table(
                target,
                table,
                members,
                what=f"kolmap KOL × DOL × science quadrant, {area}",
                out=out,
                filters={"quadrant": area},
            )
        click.echo(f"wrote {out}: {rows:,} persons; sha256 {digest[:16]}…")
        return
    with reported_errors(), open_store_for(store, read_only=True) as source:
        table = quadrant_table(source, area, settings)
    columns = ["group", "name", "science_score", "kol_score", "dol_score", "person_id"]
    show_table(table, fmt, columns)


def _fetch_options(command: Any) -> Any:
    for option in reversed(
        (
            click.argument("query"),
            click.option(
                "--out",
                default="science-downloads",
                show_default=True,
                type=click.Path(file_okay=False, path_type=Path),
                help="Folder the downloaded files go to.",
            ),
            click.option("--max", "max_records", default=1000, show_default=True,
                         type=click.IntRange(min=1), help="At most this many records."),
            click.option("--email", default=None, help="Your e-mail, sent as the services ask."),
            click.option("--import", "then_import", is_flag=True,
                         help="Import the files into the store when downloaded."),
            store_option,
            click.pass_context,
        )
    ):  # fmt: skip
        command = option(command)
    return command


def _after_fetch(
    ctx: click.Context, result: dict[str, Any], then_import: bool, store: str | None
) -> None:
    click.echo(json.dumps(result, indent=2))
    if then_import and result["files"]:
        ctx.invoke(import_command, files=tuple(result["files"]), fmt=None, tolerance="0",
                   store=store)  # fmt: skip


@click.command("fetch-pubmed")
@_fetch_options
def fetch_pubmed_command(
    ctx: click.Context,
    query: str,
    out: Path,
    max_records: int,
    email: str | None,
    then_import: bool,
    store: str | None,
) -> None:
    """Search PubMed live (NCBI E-utilities) and save the articles as PubMed XML files;
    the only command besides fetch-openalex that uses the network. An API key is read from
    NCBI_API_KEY (10 requests a second with one, 3 without)."""
    settings = settings_of(ctx)
    with reported_errors():
        result = fetch_pubmed(
            query,
            out,
            max_records=max_records,
            api_key=os.environ.get("NCBI_API_KEY") or None,
            email=email,
            base_url=settings.science.pubmed_url,
        )
    _after_fetch(ctx, result, then_import, store)


@click.command("fetch-openalex")
@_fetch_options
def fetch_openalex_command(
    ctx: click.Context,
    query: str,
    out: Path,
    max_records: int,
    email: str | None,
    then_import: bool,
    store: str | None,
) -> None:
    """Search OpenAlex works live and save them as JSON Lines; an API key is read from
    OPENALEX_API_KEY, --email joins the polite pool."""
    settings = settings_of(ctx)
    with reported_errors():
        result = fetch_openalex(
            query,
            out,
            max_records=max_records,
            api_key=os.environ.get("OPENALEX_API_KEY") or None,
            email=email,
            base_url=settings.science.openalex_url,
        )
    _after_fetch(ctx, result, then_import, store)
