"""``kolmap erase`` and ``kolmap suppress``: a data subject's rights, from the command line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from kolmap.cli.support import open_store_for, reported_errors, settings_of, store_option
from kolmap.export.files import write_atomic
from kolmap.export.tabular import to_json_text
from kolmap.graph.keys import load_key
from kolmap.graph.location import StoreLocation
from kolmap.model import AccountKey
from kolmap.views.access import ROLES, hash_password
from kolmap.views.erasure import erase_everywhere, subject_report

__all__ = ["audit", "erase", "parse_days", "purge", "subject", "suppress", "users"]


def _keys(accounts: tuple[str, ...]) -> list[AccountKey]:
    try:
        return [AccountKey.parse(a) for a in accounts]
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="ACCOUNTS") from None


def _serve(accounts: tuple[str, ...], store: str | None, yes: bool, *, suppress: bool) -> None:
    keys = _keys(accounts)
    where = StoreLocation.resolve(store)
    verb = "Suppress" if suppress else "Erase"
    if not yes:
        click.confirm(f"{verb} {len(keys)} account(s) everywhere in {where}?", abort=True)
    ctx = click.get_current_context()
    with reported_errors(), open_store_for(store) as target:
        key = load_key(where, settings_of(ctx.find_root()).privacy)
        receipt = erase_everywhere(target, where, keys, suppress=suppress, key=key)
    removed = ", ".join(f"{k} {v}" for k, v in receipt["removed"].items() if v)
    click.echo(f"{verb.lower()}d: {removed or 'nothing was stored'}")
    places = receipt["places"]
    store_bytes = places["store"]
    click.echo(
        f"also: store file rewritten ({store_bytes.get('bytes_before', 0):,} -> "
        f"{store_bytes.get('bytes_after', 0):,} bytes), "
        f"{places['quarantine_rows_redacted']} quarantined row(s) blanked, "
        f"{places['app_cache_files_removed']} app cache file(s) removed"
    )
    for export in receipt["exports_to_recall"]:
        click.echo(
            f"recall: export {export['export_id']} ({export['format']}, {export['exported_at']}) "
            f"{export['path']}"
        )
    click.echo(f"receipt: {receipt['path']}")


@click.command()
@click.argument("accounts", nargs=-1, required=True)
@store_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(accounts: tuple[str, ...], store: str | None, yes: bool) -> None:
    """Erase accounts (PLATFORM:ID, or PLATFORM:@handle) everywhere kolmap keeps them: the
    store (its file rewritten), other people's posts that name them, quarantine files, the
    app's caches; lists the past exports that held them and writes a receipt."""
    _serve(accounts, store, yes, suppress=False)


@click.command()
@click.argument("accounts", nargs=-1, required=True)
@store_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def suppress(accounts: tuple[str, ...], store: str | None, yes: bool) -> None:
    """Opt accounts out (PLATFORM:ID or PLATFORM:@handle): erase them everywhere (as
    ``kolmap erase``) and drop them from every future ingest, also before they were ever
    ingested. Only keyed hashes of each id and handle are kept: the list names no one."""
    _serve(accounts, store, yes, suppress=True)


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


@click.command()
@click.argument("account")
@store_option
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the JSON here.")
def subject(account: str, store: str | None, out: str | None) -> None:
    """Everything kolmap holds on one account (PLATFORM:ID), as JSON, for an access
    request: its rows in every table, their source files, the exports that showed it, its
    quarantined rows and whether it is suppressed. The request is audited."""
    (key,) = _keys((account,))
    where = StoreLocation.resolve(store)
    ctx = click.get_current_context()
    with reported_errors(), open_store_for(store) as source:
        secret = load_key(where, settings_of(ctx.find_root()).privacy)
        report = subject_report(source, where, key, secret=secret)
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str)
    if out is None:
        click.echo(text)
        return
    with reported_errors():
        write_atomic(Path(out), lambda fh: fh.write((text + "\n").encode("utf-8")))
    click.echo(f"wrote {out}")


_UNITS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_days(text: str) -> int:
    """Days in a duration such as ``400d``, ``12w``, ``18m`` (30-day months), ``2y``.

    >>> parse_days("18m"), parse_days("2y"), parse_days("90")
    (540, 730, 90)
    """
    value = text.strip().lower()
    unit = value[-1] if value and value[-1] in _UNITS else "d"
    number = value[:-1] if value and value[-1] in _UNITS else value
    if not number.isdigit() or int(number) <= 0:
        raise click.BadParameter(f"{text!r} is not a duration (say 400d, 12w, 18m or 2y)")
    return int(number) * _UNITS[unit]


@click.command()
@store_option
@click.option(
    "--older-than",
    default=None,
    metavar="DURATION",
    help="Remove posts older than this (400d, 12w, 18m, 2y); default: privacy.retention_days.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(store: str | None, older_than: str | None, yes: bool) -> None:
    """Retention: remove posts past an age (with their mentions, hashtags and areas),
    keeping their counts per area, month and author role, the audit trail and everything
    else; the store file is rewritten so they are gone from its bytes."""
    ctx = click.get_current_context()
    days = (
        parse_days(older_than)
        if older_than
        else settings_of(ctx.find_root()).privacy.retention_days
    )
    if not days:
        raise click.UsageError(
            "no retention set: give --older-than, or privacy.retention_days in kolmap.toml"
        )
    before = datetime.now(UTC) - timedelta(days=days)
    if not yes:
        click.confirm(f"Remove every post written before {before:%Y-%m-%d}?", abort=True)
    with reported_errors(), open_store_for(store) as target:
        removed = target.purge_posts(before)
        rewritten = target.compact()
    click.echo(
        f"purged posts before {before:%Y-%m-%d}: "
        + ", ".join(f"{k} {v}" for k, v in removed.items())
        + f"; store file {rewritten.get('bytes_before', 0):,} -> "
        f"{rewritten.get('bytes_after', 0):,} bytes"
    )


@click.group()
def users() -> None:
    """The app's users and their roles (viewer, analyst, admin): once a store has users, the
    app asks who you are, and only an admin may reveal private individuals' identities."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@store_option
def add_user(name: str, role: str, password_stdin: bool, store: str | None) -> None:
    """Add a user (or change one's role and password)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    salt, digest = hash_password(password)
    with reported_errors(), open_store_for(store) as target:
        target.set_app_user(name.strip(), role, salt, digest)
    click.echo(f"user {name.strip()}: {role}")


@users.command("list")
@store_option
def list_users(store: str | None) -> None:
    """The app's users with their roles."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        frame = source.app_users()
    for row in frame.to_dict(orient="records"):
        click.echo(f"{row['name']}  {row['role']}  since {row['created_at']}")
    if frame.empty:
        click.echo("no users: the app is admin on this machine, viewer on a network")


@users.command("remove")
@click.argument("name")
@store_option
def remove_user(name: str, store: str | None) -> None:
    """Remove a user."""
    with reported_errors(), open_store_for(store) as target:
        if not target.remove_app_user(name):
            raise click.ClickException(f"no user {name!r}")
    click.echo(f"removed {name}")
