"""``kolmap transparency`` and ``kolmap coi``: declared payments to health professionals,
linked to accounts by registry number, for compliance and medical affairs only."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click

from kolmap.cli.support import open_store_for, reported_errors, settings_of, store_option
from kolmap.errors import InputError
from kolmap.export.tabular import to_csv_text, to_json_text
from kolmap.graph.location import StoreLocation
from kolmap.ingest.payments import import_payments
from kolmap.model import normalise_platform
from kolmap.views.transparency import check_purpose, coi_lines

__all__ = ["coi", "transparency"]

_REGISTRIES = ("npi", "profile_id", "rpps", "adeli")


@click.group()
def transparency() -> None:
    """Declared payments (US Open Payments, France's Transparence Santé): import the files,
    and link accounts to their registry numbers (payments reach an account only that way)."""


@transparency.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--tolerance", default="0", help="Rejected rows allowed per file (N or N%).")
@store_option
def import_command(files: tuple[str, ...], tolerance: str, store: str | None) -> None:
    """Import Open Payments general-payments CSV or Transparence Santé declaration files
    (each file in one transaction; rejected rows in the quarantine folder)."""
    where = StoreLocation.resolve(store)
    with reported_errors(), open_store_for(store) as target:
        summaries = import_payments(
            target, files, quarantine_dir=where.quarantine_dir(), tolerance=tolerance
        )
    click.echo(json.dumps(summaries, indent=2))


@transparency.command("link")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@store_option
def link(file: str, store: str | None) -> None:
    """Link accounts to registry numbers from a CSV: platform,account_id,registry,registry_id
    (registry: npi, profile_id, rpps or adeli). Never by name."""
    links = []
    with reported_errors():
        with Path(file).open(encoding="utf-8-sig", newline="") as fh:
            rows = csv.DictReader(fh)
            wanted = {"platform", "account_id", "registry", "registry_id"}
            if not wanted <= set(rows.fieldnames or []):
                raise InputError(
                    f"{file} line 1: expected columns platform,account_id,registry,registry_id"
                )
            for line, row in enumerate(rows, start=2):
                registry = (row["registry"] or "").strip().lower()
                number = (row["registry_id"] or "").strip()
                if registry not in _REGISTRIES or not number or not row["account_id"]:
                    raise InputError(
                        f"{file} line {line}: registry must be one of {', '.join(_REGISTRIES)} "
                        "with a number and an account"
                    )
                platform = normalise_platform(row["platform"] or "")
                links.append((platform, row["account_id"].strip(), registry, number))
        with open_store_for(store) as target:
            count = target.link_registry(links)
    click.echo(f"linked {count} registry number(s)")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@store_option
def coi(fmt: str, store: str | None) -> None:
    """Accounts with declared payments (linked by registry number): totals per currency,
    payments, years, payers, disputed ones. For compliance and medical affairs only
    (privacy.purpose)."""
    ctx = click.get_current_context()
    with reported_errors():
        check_purpose(settings_of(ctx.find_root()).privacy.purpose, for_coi=True)
        with open_store_for(store, read_only=True) as source:
            frame = source.coi()
    if fmt == "json":
        click.echo(to_json_text(frame))
    elif fmt == "csv":
        click.echo(to_csv_text(frame), nl=False)
    else:
        for row in coi_lines(frame).to_dict(orient="records"):
            disputed = f"  ({row['coi_disputed']} disputed)" if row["coi_disputed"] else ""
            click.echo(f"{row['platform']}:{row['account_id']}  {row['coi_amounts']}{disputed}")
