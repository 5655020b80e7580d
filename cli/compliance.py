"""``kolmap erase`` and ``kolmap suppress``: a data subject's rights, from the command line."""

from __future__ import annotations

import click

from kolmap.cli.support import open_store_for, reported_errors, store_option
from kolmap.graph.store import StoreLocation
from kolmap.model import AccountKey

__all__ = ["erase", "suppress"]


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
