"""``kolmap erase`` and ``kolmap suppress``: a data subject's rights, from the command line."""

from __future__ import annotations

import click

from kolmap.cli.support import open_store_for, reported_errors, store_option
from kolmap.export.tabular import to_json_text
from kolmap.graph.store import StoreLocation
from kolmap.model import AccountKey

__all__ = ["audit", "erase", "suppress"]


@click.command()
@click.argument("accounts", nargs=-1, required=True)
@store_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(accounts: tuple[str, ...], store: str | None, yes: bool) -> None:
    """Erase accounts (PLATFORM:ID) with their posts, relations and labels."""
    try:
        keys = [AccountKey.parse(a) for a in accounts]
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="ACCOUNTS") from None
    where = StoreLocation.resolve(store)
    if not yes:
        click.confirm(f"Erase {len(keys)} account(s) from {where}?", abort=True)
    with reported_errors(), open_store_for(store) as target:
        counts = target.erase(keys)
    click.echo("erased: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@click.command()
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
            f"Suppress {len(keys)} account(s) in {StoreLocation.resolve(store)}?", abort=True
        )
    with reported_errors(), open_store_for(store) as target:
        counts = target.suppress(keys)
    click.echo("suppressed: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@click.command()
@store_option
@click.option("--action", default=None, help="Only these events (ingest, export, erase, ...).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def audit(store: str | None, action: str | None, as_json: bool) -> None:
    """The audit trail, newest first: ingests (failed and interrupted ones too), exports,
    erasures and suppressions, with who and when. Accounts appear as keyed hashes only."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        frame = source.audit_log(action)
    if as_json:
        click.echo(to_json_text(frame))
        return
    for row in frame.to_dict(orient="records"):
        click.echo(f"{row['event_at']}  {row['action']:8}  {row['actor']}  {row['facts']}")
