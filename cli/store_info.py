"""What a store holds and what kolmap knows: ``stats``, ``runs``, ``exports``, ``areas``,
``formats`` and ``config``."""

from __future__ import annotations

import json

import click
from rich.console import Console

from kolmap.cli.support import open_store_for, reported_errors, settings_of, store_option
from kolmap.export.tabular import to_json_text
from kolmap.ingest.areas import taxonomy_for
from kolmap.settings import iter_settings
from kolmap.views.display import moment

__all__ = ["areas", "config", "exports", "formats", "runs", "stats"]


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True)
def stats(store: str | None, as_json: bool) -> None:
    """What is in the store: counts by platform, role and area, time span, last run."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        data = source.stats()
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
        return
    out = Console()
    out.print(f"store: {data['location']}")
    for key in ("accounts", "stub_accounts", "persons", "posts", "follows", "labels", "hashtags"):
        out.print(f"  {key:>14}: {data[key]:,}")
    for key in ("interactions", "by_platform", "by_role", "posts_by_area"):
        counts = ", ".join(f"{k} {v:,}" for k, v in data[key].items())
        out.print(f"  {key:>14}: {counts or 'none'}")
    span = (
        f"{moment(data['first_post'])} to {moment(data['last_post'])}"
        if data["first_post"] and data["last_post"]
        else "no dated post"
    )
    out.print(f"  {'posts from':>14}: {span}")
    last = data["last_run"]
    if last:
        q = last["summary"].get("quarantined", 0)
        out.print(
            f"  {'last run':>14}: {last['run_id']} at {moment(last['finished_at'])}, "
            f"{q:,} rows quarantined"
        )


@click.command()
@store_option
def runs(store: str | None) -> None:
    """List ingest runs, newest first."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        frame = source.runs()
    for row in frame.to_dict(orient="records"):
        summary = json.loads(row["summary"])
        outcome = (
            f"rows={summary.get('rows_read', 0)} quarantined={summary.get('quarantined', 0)}"
            if row["status"] == "completed"
            else f"error: {summary.get('error', '')}"
        )
        click.echo(
            f"{row['run_id']}  {moment(row['finished_at'])}  {row['status']}  {outcome}"
            f"  inputs={', '.join(json.loads(row['inputs']))}"
        )


@click.command()
@click.pass_context
def areas(ctx: click.Context) -> None:
    """List the therapeutic areas of the taxonomy (built-in plus your extension)."""
    with reported_errors():
        taxonomy = taxonomy_for(settings_of(ctx).ingest)
    for area in taxonomy.areas.values():
        click.echo(
            f"{area.id:20} {area.name} / {area.name_fr}: {len(area.keywords)} keywords, "
            f"{len(area.hashtags)} hashtags, congresses {', '.join(area.congresses)}"
        )


@click.command()
def formats() -> None:
    """List the input formats `kolmap ingest` recognises."""
    from kolmap.ingest.formats import all_formats

    for spec in all_formats(settings_of(click.get_current_context()).ingest.column_maps or None):
        click.echo(f"{spec.name:18} {spec.description}")


@click.command()
def config() -> None:
    """Show every setting with its default and meaning."""
    for name, default, text in iter_settings():
        click.echo(f"{name} = {json.dumps(default)}\n    {text}")


@click.command()
@store_option
@click.option("--json", "as_json", is_flag=True)
def exports(store: str | None, as_json: bool) -> None:
    """List past exports: when, format, file, filters, rows, hash, pseudonymisation."""
    with reported_errors(), open_store_for(store, read_only=True) as source:
        frame = source.export_log()
    if as_json:
        click.echo(to_json_text(frame))
        return
    for row in frame.to_dict(orient="records"):
        click.echo(
            f"{row['export_id']}  {row['format']:7}  {row['rows']:>7,} rows  "
            f"{'pseudonymised' if row['pseudonymised'] else 'IDENTIFIED   '}  "
            f"{row['path']}  {row['filters']}"
        )
