"""``kolmap ingest``: read export files into a store, with a progress bar and a summary."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import ExitStack, nullcontext
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kolmap.cli.support import (
    console,
    err_console,
    open_store_for,
    reported_errors,
    settings_of,
    store_option,
)
from kolmap.graph import Scope, StoreLocation
from kolmap.graph.store import engine_of
from kolmap.ingest.pipeline import IngestSummary, ingest_paths
from kolmap.settings import Settings
from kolmap.views.scope_cache import ScopeCache

__all__ = ["ingest", "print_summary", "run_ingest", "warm_app"]


# Records of a kind that are neither added, updated, unchanged nor duplicates, in the words
# the CLI prints (the app's Ingest page shows every count under its key).
_MERGE_EXTRAS = {"retweet_originals_folded": "retweet stand-ins folded into their originals"}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--tolerance",
    default=None,
    metavar="N|P%",
    help="Rejected rows allowed before the run fails with nothing committed "
    "(default from settings: 5%).",
)
@click.option("--encoding", default=None, help="Input encoding (default auto: UTF-8 ± BOM).")
@click.option(
    "--quarantine-dir",
    default=None,
    type=click.Path(path_type=Path),
    help="Where rejected rows are written (default: beside the store).",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    metavar="NAME",
    help="Read every file as this format instead of detecting it (see `kolmap formats`).",
)
@click.option(
    "--platform",
    default=None,
    help="Platform for files that do not say it (e.g. x, bluesky, linkedin).",
)
@click.option(
    "--owner",
    default=None,
    help="The exporting account, for personal exports that do not name it (LinkedIn, Instagram).",
)
@click.option(
    "--warm/--no-warm",
    default=True,
    help="Then score all data the way the app opens it and keep it beside the store, so the "
    "app's first page is fast (about 7 s per 100,000 accounts; default: on).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    store: str | None,
    tolerance: str | None,
    encoding: str | None,
    quarantine_dir: Path | None,
    fmt: str | None,
    platform: str | None,
    owner: str | None,
    warm: bool,
    as_json: bool,
) -> None:
    """Ingest canonical CSV files or folders (accounts, follows, posts, labels).

    The run is atomic: on any error, or too many rejected rows, nothing is committed.
    Re-ingesting the same files changes nothing.
    """
    settings = settings_of(ctx)
    with reported_errors():
        summary = run_ingest(
            settings,
            list(paths),
            store,
            tolerance,
            encoding,
            quarantine_dir,
            show_progress=not as_json,
            fmt=fmt,
            platform=platform,
            owner=owner,
        )
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2, default=str))
    else:
        print_summary(summary)
    if warm:
        with reported_errors():
            seconds = warm_app(settings, store)
        if seconds is not None and not as_json:
            err_console.print(f"scored all data for the app in {seconds:.1f} s")


def _unread(columns: list[str], shown: int = 5) -> str:
    """The columns a file's format does not read, the first few by name (``--json`` lists
    them all).

    >>> _unread(["a", "b"]), _unread([str(i) for i in range(9)], shown=2)
    ('ignored columns: a, b', 'ignored columns (9): 0, 1, … (all in --json)')
    """
    if len(columns) <= shown:
        return f"ignored columns: {', '.join(columns)}"
    return f"ignored columns ({len(columns)}): {', '.join(columns[:shown])}, … (all in --json)"


def warm_app(
    settings: Settings,
    store: str | None,
    *,
    before: Callable[[], None] | None = None,
    read_only: bool = False,
) -> float | None:
    """Compute the all-data scope the app opens first and keep it beside the store
    (:mod:`kolmap.views.scope_cache`); the seconds it took, or None when there was nothing
    to do: a store in memory or on a Neo4j server (no folder beside it), or the scope kept
    already for the store's current version. ``before`` is called just before computing."""
    folder = StoreLocation.resolve(store).cache_dir()
    if folder is None:
        return None
    with open_store_for(store, read_only=read_only) as target:
        # With the store's engine (GDS on a Neo4j server), as the app computes its scopes.
        engine = engine_of(target)
        cache = ScopeCache(folder, settings.scoring, lambda: nullcontext(engine))
        version = target.version()
        if cache.kept(version, Scope()):
            return None
        if before is not None:
            before()
        started = time.perf_counter()
        cache.fill(version, Scope(), target.projection)
    return time.perf_counter() - started


def run_ingest(
    settings: Settings,
    paths: list[Path],
    store: str | None,
    tolerance: str | None,
    encoding: str | None,
    quarantine_dir: Path | None,
    *,
    show_progress: bool,
    fmt: str | None = None,
    platform: str | None = None,
    owner: str | None = None,
) -> IngestSummary:
    with open_store_for(store) as target, ExitStack() as stack:
        tick = None
        if show_progress and err_console.is_terminal:
            bar = stack.enter_context(
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    TextColumn("{task.completed:,} rows"),
                    TimeElapsedColumn(),
                    console=err_console,
                    transient=True,
                )
            )
            task = bar.add_task("reading", total=None)

            def tick(path: str, rows: int) -> None:
                bar.update(task, advance=rows, description=f"reading {Path(path).name}")

        return ingest_paths(
            target,
            paths,
            settings=settings,
            tolerance=tolerance,
            encoding=encoding,
            quarantine_dir=quarantine_dir,
            progress=tick,
            fmt=fmt,
            platform=platform,
            owner=owner,
        )


def print_summary(summary: IngestSummary) -> None:
    out = console()
    table = Table(title=f"Ingest run {summary.run_id} → {summary.store}", title_justify="left")
    for col in ("file", "format", "rows", "accepted", "quarantined", "records", "notes"):
        table.add_column(
            col, justify="right" if col in ("rows", "accepted", "quarantined") else "left"
        )
    for f in summary.files:
        table.add_row(
            f.path,
            f.format,
            f"{f.rows_read:,}",
            f"{f.rows_accepted:,}",
            f"{f.rows_quarantined:,}",
            ", ".join(f"{n:,} {k}" for k, n in f.records.items()),
            "; ".join(
                ["no rows (header only or empty)"] * (f.rows_read == 0)
                + [_unread(f.ignored_columns)] * bool(f.ignored_columns)
                + [f"repaired: {', '.join(f'{n:,} {k}' for k, n in f.repaired.items())}"]
                * bool(f.repaired)
            ),
        )
    out.print(table)
    merge = summary.merge
    for kind in ("accounts", "posts", "follows", "labels"):
        m = merge.get(kind, {})
        parts = [
            f"{m.get(k, 0):,} {k}"
            for k in ("added", "updated", "unchanged", "duplicates")
            if k in m
        ]
        # The rest of a kind's records, so the line adds up to what the files gave: a
        # retweet's stand-in for a post the file holds is folded into it (32 of 257 posts of
        # a real 2014 file were missing from this line).
        parts += [f"{m[k]:,} {words}" for k, words in _MERGE_EXTRAS.items() if m.get(k)]
        out.print(f"{kind:>9}: " + ", ".join(parts))
    stubs = merge.get("stubs_created", {})
    out.print(
        f"    stubs: {stubs.get('by_handle', 0):,} from unknown mentioned handles, "
        f"{stubs.get('by_id', 0):,} from unknown ids, "
        f"{merge.get('stubs_merged', 0):,} merged into real accounts"
    )
    for note in summary.notes:
        out.print(f"[yellow]{escape(note)}[/yellow]")
    for path, reason in summary.skipped:
        out.print(f"  skipped: {path} ({reason})")
    if summary.quarantined:
        out.print(
            f"[yellow]{summary.quarantined:,} of {summary.rows_read:,} rows quarantined → "
            f"{summary.quarantine_path}[/yellow]"
        )
    out.print(f"done in {summary.seconds:.2f} s")
