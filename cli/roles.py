"""``kolmap accounts`` and ``kolmap label``: who each account is, and the user's corrections.

``accounts`` lists every account with its role, the confidence and evidence behind it, its
specialty, industry tie, automation risk and areas; private individuals (patients, the
public, unidentified accounts) are pseudonymised unless ``--no-pseudonymise``. ``label``
confirms or corrects a role, specialty or industry tie, for one account or from a
``labels.csv``-shaped file; labels win over every inference and survive re-ingest.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import click

from kolmap.cli.support import (
    console,
    err_console,
    escape,
    open_store_for,
    pseudonymise_option,
    reported_errors,
    settings_of,
    store_option,
)
from kolmap.export.tabular import to_csv_text, to_json_text
from kolmap.ingest.pipeline import write_labels
from kolmap.model import AFFILIATIONS, AccountKey, Role
from kolmap.views.privacy import Privacy

__all__ = ["ACCOUNT_COLUMNS_SHOWN", "accounts", "label"]

ACCOUNT_COLUMNS_SHOWN = [
    "platform",
    "account_id",
    "handle",
    "display_name",
    "role",
    "role_confidence",
    "role_source",
    "role_evidence",
    "specialty",
    "affiliation",
    "employer",
    "automation_risk",
    "automation_evidence",
    "areas",
]


@click.command()
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="Only this role (repeatable).",
)
@click.option("--area", default=None, help="Only accounts speaking in this area (bio or posts).")
@click.option(
    "--affiliation", type=click.Choice(["industry"]), default=None, help="Only industry ties."
)
@click.option("--flagged", is_flag=True, help="Only accounts flagged for automation risk.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many rows.")
@pseudonymise_option
@store_option
@click.pass_context
def accounts(
    ctx: click.Context,
    roles: tuple[str, ...],
    area: str | None,
    affiliation: str | None,
    flagged: bool,
    fmt: str,
    limit: int | None,
    pseudonymise: bool,
    store: str | None,
) -> None:
    """Every account with its role, confidence, evidence, specialty, industry tie,
    automation risk and areas."""
    settings = settings_of(ctx)
    with reported_errors(), open_store_for(store, read_only=True) as source:
        table = source.accounts()
        areas = source.account_areas()
        location = source.location
    table = table[~table["is_stub"].fillna(False).astype(bool)]
    table = table.merge(areas, on=["platform", "account_id"], how="left")
    table["areas"] = [",".join(a) if isinstance(a, list | tuple) or hasattr(a, "tolist") else ""
                      for a in table["areas"].tolist()]  # fmt: skip
    if roles:
        table = table[table["role"].isin(roles)]
    if area:
        table = table[table["areas"].str.split(",").map(lambda found: area in found)]
    if affiliation:
        table = table[table["affiliation"] == affiliation]
    if flagged:
        table = table[table["automation_risk"].fillna(0) >= settings.scoring.automation_flag]
    table = table[ACCOUNT_COLUMNS_SHOWN].reset_index(drop=True)
    if limit is not None:
        table = table.head(limit)
    if pseudonymise:
        table = Privacy.for_store(location, settings.privacy).accounts(table)
    if fmt == "csv":
        click.echo(to_csv_text(table), nl=False)
    elif fmt == "json":
        click.echo(to_json_text(table))
    else:
        _print_accounts(table)


def _print_accounts(table: Any) -> None:
    from rich.table import Table

    grid = Table(title=f"{len(table):,} account(s)", title_justify="left")
    # "account" is what `kolmap label` takes (PLATFORM:ID); the name shows accounts that have
    # no handle (a network file's nodes are named, not handled).
    table = table.assign(
        account=table["platform"].astype(str) + ":" + table["account_id"].astype(str)
    )
    shown = ["account", "handle", "display_name", "role", "role_confidence", "role_source",
             "specialty", "affiliation", "employer", "automation_risk", "areas",
             "role_evidence"]  # fmt: skip
    for column in shown:
        title = "name" if column == "display_name" else column.replace("_", " ")
        # Ids and handles whole: they are copied into `kolmap label` and searches.
        grid.add_column(title, overflow="fold", no_wrap=column in ("account", "handle"))
    for row in table[shown].itertuples(index=False):
        grid.add_row(*[escape("" if v is None or v != v else str(v)) for v in row])
    console().print(grid)


@click.command()
@click.argument("accounts_", metavar="PLATFORM:ID", nargs=-1)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=None)
@click.option("--specialty", default=None)
@click.option(
    "--affiliation",
    type=click.Choice(list(AFFILIATIONS)),
    default=None,
    help="industry, or none (checked: no industry tie).",
)
@click.option("--employer", default=None, help="The employer (with --affiliation industry).")
@click.option(
    "--file",
    "path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="A labels.csv-shaped file (platform, account_id, role, specialty, affiliation, employer).",
)
@store_option
@click.pass_context
def label(
    ctx: click.Context,
    accounts_: tuple[str, ...],
    role: str | None,
    specialty: str | None,
    affiliation: str | None,
    employer: str | None,
    path: Path | None,
    store: str | None,
) -> None:
    """Confirm or correct the role, specialty or industry tie of accounts. Labels win over
    every inference, survive re-ingest, and roles read from behaviour are derived again."""
    if path is None and not accounts_:
        raise click.UsageError("name accounts as PLATFORM:ID or give --file")
    if path is not None and accounts_:
        raise click.UsageError("give accounts or --file, not both")
    if path is None and not any([role, specialty, affiliation]):
        raise click.UsageError("say what to set: --role, --specialty and/or --affiliation")
    if path is not None:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        source = str(path)
    else:
        rows = []
        for text in accounts_:
            try:
                key = AccountKey.parse(text)
            except ValueError as err:
                raise click.BadParameter(str(err), param_hint="PLATFORM:ID") from None
            rows.append(
                {
                    "platform": key.platform,
                    "account_id": key.account_id,
                    "role": role,
                    "specialty": specialty,
                    "affiliation": affiliation,
                    "employer": employer,
                }
            )
        source = "kolmap label"
    settings = settings_of(ctx)
    with reported_errors(), open_store_for(store) as target:
        keys = [
            AccountKey(str(r["platform"]), str(r["account_id"]))
            for r in rows
            if r.get("platform") and r.get("account_id")
        ]
        known = target.accounts(keys)
        missing = len(rows) - len(known)
        stats = write_labels(target, rows, source=source, settings=settings)
    counts = stats["labels"]
    click.echo(
        f"labels: {counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged"
    )
    derived = stats.get("derived", {})
    if derived:
        click.echo(
            f"roles derived again: {derived.get('roles_from_behaviour', 0)} from behaviour, "
            f"{derived.get('accounts_changed', 0)} account(s) changed"
        )
    if missing > 0:
        err_console.print(
            f"{missing} labelled account(s) are not in the store yet; their labels apply when "
            "they are ingested"
        )
