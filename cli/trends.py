"""``kolmap rising`` (the accounts whose standing grows fastest between two windows) and
``kolmap share-of-voice`` (competing brands' share of an area's conversation); see
docs/congress.md."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import click

from kolmap.cli.science import show_table
from kolmap.cli.support import (
    build_scope,
    compare_options,
    compare_scope,
    err_console,
    open_store_for,
    pseudonymise_option,
    reported_errors,
    settings_of,
    store_option,
)
from kolmap.export.reports import export_report
from kolmap.graph.store import GraphStore, Scope
from kolmap.ingest.brands import BrandMatcher, read_brands
from kolmap.model import AccountKey
from kolmap.scoring.rank import RankKind, rank
from kolmap.scoring.timeline import post_days, quiet_stretch, rising_stars, split_windows
from kolmap.views.coverage import no_rising_note, stretch_note
from kolmap.views.display import scope_words
from kolmap.views.engines import components_on
from kolmap.views.privacy import Privacy
from kolmap.views.share_of_voice import PERIODS, share_of_voice

__all__ = ["rising", "share_of_voice_command"]


@click.command()
@click.option("--area", default=None, help="Therapeutic area id; default: all data.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in RankKind]),
    default="kol",
    show_default=True,
    help="Which ranking's standing to follow.",
)
@click.option("--since", default=None, help="The later window starts on this date.")
@click.option("--until", default=None, help="The later window ends before this date.")
@compare_options
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option(
    "--out",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a .csv or .xlsx file (logged as an export) instead of printing.",
)
@pseudonymise_option
@store_option
@click.pass_context
def rising(
    ctx: click.Context,
    area: str | None,
    kind: str,
    since: str | None,
    until: str | None,
    compare_since: str | None,
    compare_until: str | None,
    top: int,
    fmt: str,
    out: Path | None,
    pseudonymise: bool,
    store: str | None,
) -> None:
    """Rising stars: accounts whose standing in an area grew fastest from the earlier window
    (--compare-since/--compare-until) to the later one (--since/--until), with at least
    scoring.rising_min_endorsers endorsers now and growth shrunk by the evidence behind it.

    Without an earlier window, it is what comes before --since; without either, the two
    windows part at the day of the scope's median post (about half the posts in each), as
    the app's Trends page parts them."""
    settings = settings_of(ctx)
    scope = build_scope(area, (), since, until, (), settings)
    earlier = compare_scope(scope, compare_since, compare_until)
    with reported_errors(), open_store_for(store, read_only=out is None) as source:
        if earlier is None:
            scope, earlier = _default_windows(source, scope)
        later = source.projection(scope)
        before = source.projection(earlier)
        later_ranking = rank(
            later, kind, settings.scoring, components=components_on(source, later, settings.scoring)
        )
        table = rising_stars(
            later_ranking,
            rank(
                before,
                kind,
                settings.scoring,
                components=components_on(source, before, settings.scoring),
            ),
            min_endorsers=settings.scoring.rising_min_endorsers,
            prior=settings.scoring.rising_prior,
            top=top,
        )
        privacy = Privacy.for_store(source.location, settings.privacy, reveal=not pseudonymise)
        table = privacy.ranking(table, later)
        if out is not None:
            digest, rows = export_report(
                source,
                table,
                what=f"kolmap rising {kind} stars, {scope.describe()} against {earlier.describe()}",
                out=out,
                filters={"rising": kind, "scope": scope.describe(), "earlier": earlier.describe()},
                pseudonymised=privacy.protects,
            )
            click.echo(f"wrote {out}: {rows:,} rows; sha256 {digest[:16]}…")
            return
    if table.empty and fmt == "table":
        minimum = settings.scoring.rising_min_endorsers
        err_console.print(no_rising_note(later_ranking, minimum, scope_words(scope)))
    show_table(table, fmt, ["rank", "handle", "display_name", "role", "rise", "reasons"])


def _default_windows(source: GraphStore, scope: Scope) -> tuple[Scope, Scope]:
    """The later and earlier windows when only --since, or no window, was given (see
    :func:`rising`); says which on stderr."""
    if scope.since is not None:
        err_console.print(f"earlier window: before {scope.since:%Y-%m-%d}")
        return scope, replace(scope, since=None, until=scope.since)
    created = source.posts(scope)["created_at"]
    days = post_days(created)
    if days is None:
        raise click.UsageError(
            f"{scope.describe()} has no dated post to part windows at; give them: "
            "--compare-since/--compare-until and --since/--until"
        )
    earlier, later = split_windows(days[0], days[2], days[1])  # as the Trends page parts them
    err_console.print(
        f"earlier window: to {earlier[1]:%Y-%m-%d}; later: from {later[0]:%Y-%m-%d} (parted at "
        "the median post; --compare-since/--compare-until and --since/--until choose them)"
    )
    apart = stretch_note(quiet_stretch(created), earlier, later)
    if apart:
        err_console.print(apart)

    def start(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=UTC)

    return (
        replace(scope, since=start(later[0]), until=start(later[1] + timedelta(days=1))),
        replace(scope, since=start(earlier[0]), until=start(earlier[1] + timedelta(days=1))),
    )


@click.command("share-of-voice")
@click.option(
    "--brands",
    "brands_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of brand,company,aliases (aliases separated by |).",
)
@click.option("--area", default=None, help="Therapeutic area id; default: every area.")
@click.option("--since", default=None, help="Only posts from this date (ISO-8601).")
@click.option("--until", default=None, help="Only posts before this date (ISO-8601).")
@click.option(
    "--period",
    type=click.Choice(list(PERIODS)),
    default="month",
    show_default=True,
    help="Shares per month, quarter, week, or over the whole window.",
)
@click.option("--drivers", "show_drivers", is_flag=True, help="Show who drives each brand.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option(
    "--out",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a .csv or .xlsx file (logged as an export) instead of printing.",
)
@pseudonymise_option
@store_option
@click.pass_context
def share_of_voice_command(
    ctx: click.Context,
    brands_file: Path,
    area: str | None,
    since: str | None,
    until: str | None,
    period: str,
    show_drivers: bool,
    fmt: str,
    out: Path | None,
    pseudonymise: bool,
    store: str | None,
) -> None:
    """Share of voice of competing brands: mentions per brand, area and period, the share of
    each, how much comes from HCPs, and (--drivers) the accounts that drive each brand."""
    settings = settings_of(ctx)
    scope = build_scope(area, (), since, until, (), settings)
    with reported_errors():
        matcher = BrandMatcher(read_brands(brands_file))
        with open_store_for(store, read_only=out is None) as source:
            posts = source.posts(scope)
            authors = {
                AccountKey(str(p), str(a))
                for p, a in zip(posts["platform"], posts["author_id"], strict=True)
            }
            accounts = source.accounts(sorted(authors))
            result = share_of_voice(posts, accounts, matcher, period=period, area=area)
            privacy = Privacy.for_store(source.location, settings.privacy, reveal=not pseudonymise)
            table = privacy.accounts(result.drivers) if show_drivers else result.shares
            if out is not None:
                digest, rows = export_report(
                    source,
                    table,
                    what=f"kolmap share of voice ({'drivers' if show_drivers else 'shares'}), "
                    f"{scope.describe()}, by {period}",
                    out=out,
                    filters={"share_of_voice": brands_file.name, "scope": scope.describe(),
                             "period": period, "drivers": show_drivers},
                    pseudonymised=privacy.protects,
                )  # fmt: skip
                click.echo(f"wrote {out}: {rows:,} rows; sha256 {digest[:16]}…")
                return
    if table.empty:
        click.echo(f"No post names any of the {len(matcher.brands)} brands in {scope.describe()}.")
        return
    columns = (
        ["area", "brand", "rank", "handle", "role", "mentions", "engagement"]
        if show_drivers
        else ["area", "period", "brand", "mentions", "share", "hcp_share", "engagement"]
    )
    show_table(table, fmt, columns)
