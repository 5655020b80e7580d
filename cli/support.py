"""What the ``kolmap`` commands share: the store, scope and Neo4j options, error reporting,
settings, consoles. The commands live in the other modules of :mod:`kolmap.cli`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

import click
from rich.console import Console

from kolmap.errors import KolmapError
from kolmap.graph import GraphStore, open_store
from kolmap.graph.store import Scope
from kolmap.ingest.areas import taxonomy_for
from kolmap.ingest.text import fold
from kolmap.model import Role, normalise_platform
from kolmap.scoring.rank import RankKind
from kolmap.settings import Settings

__all__ = [
    "DECIMALS",
    "F",
    "build_scope",
    "cell_text",
    "compare_options",
    "compare_scope",
    "console",
    "database_option",
    "err_console",
    "escape",
    "gds_option",
    "open_store_for",
    "parse_time",
    "reported_errors",
    "scope_options",
    "settings_of",
    "store_option",
]

F = TypeVar("F", bound=Callable[..., Any])
err_console = Console(stderr=True)


def pseudonymise_option(func: F) -> F:
    """``--pseudonymise/--no-pseudonymise`` (on by default), for every command that shows or
    writes accounts."""
    return click.option(
        "--pseudonymise/--no-pseudonymise",
        default=True,
        show_default=True,
        callback=_reveal_allowed,
        help="Show private individuals (patients, the public, unidentified) only as stable "
        "pseudonyms; --no-pseudonymise shows them by name (an export's log records it), "
        "where the project allows it (privacy.allow_identities).",
    )(func)


def _reveal_allowed(ctx: click.Context, _param: click.Parameter, pseudonymise: bool) -> bool:
    if not pseudonymise and not settings_of(ctx.find_root()).privacy.allow_identities:
        raise click.UsageError(
            "--no-pseudonymise shows private individuals by name, and this project does not "
            "allow it: set privacy.allow_identities = true in kolmap.toml once a documented "
            "legal basis exists (docs/compliance.md)"
        )
    return pseudonymise


def roles_option(func: F) -> F:
    """``--role R`` (repeatable) for the commands that write rankings: keep one role of a list
    (the organisation list ranks institutions, brands and media together)."""
    return click.option(
        "--role",
        "roles",
        multiple=True,
        type=click.Choice([r.value for r in Role]),
        help="Keep only accounts of this role (repeatable; rankings only): e.g. the "
        "organisation list without its brands and media. Ranks stay those of the whole list.",
    )(func)


def store_option(func: F) -> F:
    return click.option(
        "--store",
        "store",
        default=None,
        metavar="PATH",
        help="Store to use: a DuckDB file, or a neo4j:// or bolt:// URI. Default: "
        "$KOLMAP_STORE or ./kolmap.duckdb.",
    )(func)


@contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except KolmapError as err:
        raise click.ClickException(str(err)) from None


def settings_of(ctx: click.Context) -> Settings:
    obj = ctx.obj
    return obj if isinstance(obj, Settings) else Settings()


def open_store_for(location: str | None, *, read_only: bool = False) -> GraphStore:
    """The store at ``location``, opened with this invocation's settings."""
    ctx = click.get_current_context(silent=True)
    settings = settings_of(ctx.find_root()) if ctx is not None else Settings()
    return open_store(location, read_only=read_only, settings=settings)


def console() -> Console:
    """Standard output; wide when it is a file or a pipe, so tables are not squeezed."""
    probe = Console()
    return probe if probe.is_terminal else Console(width=200)


def escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def database_option(func: F) -> F:
    return click.option(
        "--database",
        default=None,
        help="Neo4j database (default: the neo4j.database setting, $KOLMAP_NEO4J_DATABASE, neo4j).",
    )(func)


def gds_option(func: F) -> F:
    return click.option(
        "--gds/--no-gds",
        "use_gds",
        default=None,
        help="PageRank, Leiden and degree by the GDS plugin or in-process (default: GDS when "
        "the server has it).",
    )(func)


def parse_time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a date like 2026-05-30, got {value!r}", param_hint=option
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_scope(
    area: str | None,
    platforms: tuple[str, ...],
    since: str | None,
    until: str | None,
    hashtags: tuple[str, ...],
    settings: Settings,
) -> Scope:
    """Validate the filters shared by ``rank`` and ``export`` into a :class:`Scope`."""
    if area is not None:
        taxonomy = taxonomy_for(settings.ingest)
        if area not in taxonomy.areas:
            raise click.BadParameter(
                f"unknown area {area!r}; known: {', '.join(taxonomy.ids)}", param_hint="--area"
            )
    try:
        plats = tuple(sorted({normalise_platform(p) for p in platforms}))
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--platform") from None
    start, end = parse_time(since, "--since"), parse_time(until, "--until")
    if start and end and start >= end:
        raise click.BadParameter("--since must be before --until")
    tags = tuple(sorted({fold(h.lstrip("#")) for h in hashtags if h.strip("# ")}))
    return Scope(area=area, platforms=plats, since=start, until=end, hashtags=tags)


def compare_options(func: F) -> F:
    """``--compare-since`` and ``--compare-until``: the earlier window a ranking is compared
    with (docs/congress.md)."""
    for option in reversed(
        (
            click.option(
                "--compare-since", default=None, help="Compare with the window from this date."
            ),
            click.option(
                "--compare-until", default=None, help="Compare with the window before this date."
            ),
        )
    ):
        func = option(func)
    return func


def compare_scope(scope: Scope, since: str | None, until: str | None) -> Scope | None:
    """``scope`` in the comparison window, or None without one."""
    if since is None and until is None:
        return None
    start, end = parse_time(since, "--compare-since"), parse_time(until, "--compare-until")
    if start and end and start >= end:
        raise click.BadParameter("--compare-since must be before --compare-until")
    return replace(scope, since=start, until=end)


def scope_options(func: F) -> F:
    """The filters shared by ``rank`` and ``export``."""
    options = [
        click.option(
            "--area",
            default=None,
            help="Therapeutic area id (see `kolmap areas`); default: all data.",
        ),
        click.option(
            "--kind",
            "kind",
            type=click.Choice([*(k.value for k in RankKind), "science"]),
            default="kol",
            show_default=True,
            help="What to rank (science: persons by the scientific score, `kolmap rank`).",
        ),
        click.option(
            "--platform", "platforms", multiple=True, help="Only this platform (repeatable)."
        ),
        click.option("--since", default=None, help="Only posts from this date (ISO-8601)."),
        click.option("--until", default=None, help="Only posts before this date (ISO-8601)."),
        click.option(
            "--hashtag",
            "hashtags",
            multiple=True,
            help="Only conversations with this hashtag (repeatable; a congress set).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


# Decimals of the number columns of the CLI's tables, as the app shows them: scores 8.7, not
# 8.66 beside 5.439; relevance 0.75. CSV and JSON keep every digit.
DECIMALS = {
    "score": 1,
    "kol_score": 1,
    "dol_score": 1,
    "science_score": 1,
    "digital_score": 1,
    "score_change": 1,
    "relevance": 2,
}


def cell_text(value: Any, column: str) -> str:
    """A table cell: blank when missing, a number of :data:`DECIMALS` column rounded.

    >>> cell_text(5.439, "score"), cell_text(0.5, "relevance"), cell_text(None, "score")
    ('5.4', '0.50', '')
    """
    if value is None or value != value:
        return ""
    if column in DECIMALS and isinstance(value, float):
        return f"{value:.{DECIMALS[column]}f}"
    return str(value)
