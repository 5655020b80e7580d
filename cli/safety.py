"""``kolmap pv``: the pharmacovigilance queue from the command line (scan, queue, review)."""

from __future__ import annotations

import json

import click

from kolmap.cli.support import open_store_for, reported_errors, settings_of, store_option
from kolmap.export.tabular import to_csv_text, to_json_text
from kolmap.graph.keys import load_key
from kolmap.graph.location import StoreLocation
from kolmap.graph.store import current_actor
from kolmap.views.pharmacovigilance import load_products, load_vocabulary, scan

__all__ = ["pv"]


@click.group()
def pv() -> None:
    """Pharmacovigilance: queue posts that may report an adverse event for the safety team
    (docs/compliance.md). The queue is kept through erasures and purges and is never part
    of an export for marketing."""


@pv.command("scan")
@click.option("--products", "products_file", required=True, type=click.Path(dir_okay=False),
              help="CSV of products to watch: product,generic,company,aliases (a|b).")  # fmt: skip
@click.option("--vocabulary", default=None, type=click.Path(dir_okay=False),
              help="Your own adverse-event vocabulary (TOML, as the shipped one).")  # fmt: skip
@store_option
def scan_command(products_file: str, vocabulary: str | None, store: str | None) -> None:
    """Scan every post for a watched product (or a drug) with a reaction or a complaint,
    and queue what is found; prints the reconciliation counts."""
    ctx = click.get_current_context()
    where = StoreLocation.resolve(store)
    with reported_errors():
        products = load_products(products_file)
        vocab = load_vocabulary(vocabulary)
        with open_store_for(store) as target:
            key = load_key(where, settings_of(ctx.find_root()).privacy)
            counts = scan(target, products, vocab, key)
    click.echo(json.dumps(counts, indent=2))


@pv.command("queue")
@click.option("--status", default=None, help="Only new, confirmed, dismissed or forwarded items.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@store_option
def queue(status: str | None, fmt: str, store: str | None) -> None:
    """The queue, oldest first, with each item's age: work it within the SLA."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        frame = source.pv_items(status)
    if fmt == "json":
        click.echo(to_json_text(frame))
    elif fmt == "csv":
        click.echo(to_csv_text(frame), nl=False)
    else:
        for row in frame.to_dict(orient="records"):
            click.echo(
                f"{row['item_id']}  {row['status']:9}  {row['assessment']:22}  "
                f"{row['product'] or '(a drug)'}: {row['reactions'] or '(complaint)'}  "
                f"{row['permalink']}"
            )
        click.echo(f"{len(frame)} item(s)")


@pv.command("review")
@click.argument("item_id")
@click.option("--status", type=click.Choice(["confirmed", "dismissed", "forwarded"]), required=True)
@click.option("--note", default="", help="Why, or where it was forwarded.")
@store_option
def review(item_id: str, status: str, note: str, store: str | None) -> None:
    """Confirm, dismiss or forward one queued item (who and when are recorded)."""
    with reported_errors(), open_store_for(store) as target:
        done = target.review_pv_item(item_id, status, current_actor(), note)
    if not done:
        raise click.ClickException(f"no queued item {item_id!r} (see `kolmap pv queue`)")
    click.echo(f"{item_id}: {status}")
